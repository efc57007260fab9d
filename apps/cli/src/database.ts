import { dirname } from 'node:path';
import { CairnError, type Dialect, type Session } from '@cairn/core';
import type { ResolvedConfig } from './config.js';

/** A connection to the configured database, with the dialect that speaks to it. */
export interface Database {
  readonly dialect: Dialect;
  readonly session: Session;
  close(): Promise<void>;
}

/**
 * Opens the configured database. The dialect package is imported only here, so commands that
 * need no database never load a driver. A relative SQLite path is relative to the configuration
 * file's directory (where `cairn init` put `cairn.db`), not to the working directory.
 */
export async function openDatabase(config: ResolvedConfig): Promise<Database> {
  if (config.url === undefined) {
    throw new CairnError(
      'CONFIG_ERROR',
      `no database URL: set 'url' in ${config.file}, pass --url, or set DATABASE_URL`,
      { details: { file: config.file } },
    );
  }
  const dialect = await loadDialect(config);
  if (config.dialect === 'postgres') {
    const { openPostgres } = await import('@cairn/postgres');
    const connection = await openPostgres(config.url);
    return { dialect, session: connection.session, close: () => connection.close() };
  }
  const { openSqlite } = await import('@cairn/sqlite');
  const connection = await openSqlite(config.url, { baseDir: dirname(config.file) });
  return { dialect, session: connection.session, close: () => connection.close() };
}

/** The configured dialect, without a connection (offline `--sql` needs only this). */
export async function loadDialect(config: ResolvedConfig): Promise<Dialect> {
  switch (config.dialect) {
    case 'sqlite':
      return (await import('@cairn/sqlite')).sqliteDialect();
    case 'postgres':
      return (await import('@cairn/postgres')).postgresDialect();
    default:
      throw new CairnError(
        'CONFIG_ERROR',
        `the ${config.dialect} dialect is not available in this version of cairn; use 'sqlite' or 'postgres' for now`,
        { details: { dialect: config.dialect } },
      );
  }
}
