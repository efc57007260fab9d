import { dirname } from 'node:path';
import { CairnError, type Dialect, type QualifiedName, type Session, type Statement, statement } from '@cairn/core';
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
 * file's directory (where `cairn init` put `cairn.db`), not to the working directory. With a
 * PostgreSQL `schema`, the session is pointed at it first (`sessionSetup`).
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
    try {
      await useSchema(connection.session, config);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return { dialect, session: connection.session, close: () => connection.close() };
  }
  if (config.dialect === 'mysql') {
    const { openMysql } = await import('@cairn/mysql');
    const connection = await openMysql(config.url);
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
    case 'mysql':
      return (await import('@cairn/mysql')).mysqlDialect();
  }
}

/**
 * Where cairn's version and history tables are. On PostgreSQL, a schema-qualified `versionTable`
 * (`meta.cairn_version`) puts both tables in its schema, else the configured `schema` does; the
 * runner creates that schema, if `pg_namespace` lacks it, before the tables. Without either,
 * and on SQLite, the names are unqualified.
 */
export function stateTables(config: ResolvedConfig): { versionTable: QualifiedName; historyTable: QualifiedName } {
  const dot = config.dialect === 'postgres' ? config.versionTable.indexOf('.') : -1;
  const name = dot < 0 ? config.versionTable : config.versionTable.slice(dot + 1);
  const schema = dot < 0 ? config.schema : config.versionTable.slice(0, dot);
  return schema === undefined
    ? { versionTable: { name }, historyTable: { name: 'cairn_history' } }
    : { versionTable: { schema, name }, historyTable: { schema, name: 'cairn_history' } };
}

/**
 * What every session runs before cairn's own statements: with a PostgreSQL `schema`,
 * `SET search_path TO "<schema>", public`, so unqualified names in migrations land in the schema
 * while objects in `public` (extensions' types and functions) stay visible. Run on every
 * connection `openDatabase` makes, and printed at the top of `--sql` scripts. Empty otherwise.
 */
export async function sessionSetup(config: ResolvedConfig): Promise<Statement[]> {
  if (config.schema === undefined) return [];
  const { quoteIdentifier } = await import('@cairn/postgres');
  const path = config.schema === 'public' ? quoteIdentifier('public') : `${quoteIdentifier(config.schema)}, public`;
  return [statement(`SET search_path TO ${path}`)];
}

/**
 * Points `session` at the configured schema (`sessionSetup`), creating the schema first when it
 * does not exist yet. Created here rather than only with cairn's tables because the PostgreSQL
 * lock's key includes the session's current schema (the first *existing* schema of its
 * `search_path`): processes that start before and after the schema exists must take the same
 * lock. When another process creates it at the same moment, that one's schema is used.
 */
async function useSchema(session: Session, config: ResolvedConfig): Promise<void> {
  const schema = config.schema;
  if (schema === undefined) return;
  const { quoteIdentifier, sqlState } = await import('@cairn/postgres');
  try {
    for (const s of await sessionSetup(config)) await session.execute(s);
    const found = await session.query(statement('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]));
    if (found.length > 0) return;
    try {
      await session.execute(statement(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`));
    } catch (error) {
      // 23505 unique_violation, 42P06 duplicate_schema: created by a concurrent process.
      const state = sqlState(error);
      if (state !== '23505' && state !== '42P06') throw error;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // 42501 insufficient_privilege: the role may not create schemas in this database.
    const hint =
      sqlState(error) === '42501'
        ? '; create the schema with a role that may, or grant this role CREATE on the database'
        : '';
    throw new CairnError(
      'CONFIG_ERROR',
      `cannot use the PostgreSQL schema '${schema}' ('schema' in ${config.file}): ${reason}${hint}`,
      { details: { file: config.file, key: 'schema', schema }, cause: error },
    );
  }
}
