import { CairnError, type Dialect, type DialectConnection } from '@cairn/core';
import type { ResolvedConfig } from './config.js';

/** A connection to the configured database, with the dialect that speaks to it. */
export interface Database extends DialectConnection {
  readonly dialect: Dialect;
}

/**
 * Opens the configured database through its dialect's descriptor, which loads the driver only
 * now, so commands that need no database never load one. A relative SQLite path is relative to
 * the configuration file's directory (where `cairn init` put `cairn.db`), not to the working
 * directory; the dialect's own setup (PostgreSQL's `schema`) is done before this returns.
 */
export async function openDatabase(config: ResolvedConfig): Promise<Database> {
  if (config.url === undefined) {
    throw new CairnError(
      'CONFIG_ERROR',
      `no database URL: set 'url' in ${config.file}, pass --url, or set DATABASE_URL`,
      { details: { file: config.file } },
    );
  }
  const dialect = await config.dialect.create(config.settings);
  const connection = await config.dialect.open(config.url, config.settings);
  return { dialect, session: connection.session, close: () => connection.close() };
}
