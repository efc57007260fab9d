import type { Capabilities, Dialect, Session, SqlSyntax } from '@cairn/core';
import { sqliteCompiler } from './compiler.js';
import { classifyError } from './errors.js';
import { verifyForeignKeys } from './foreign-keys.js';
import { describeTable, introspect } from './introspector.js';
import { outsideTransaction, sqliteLocker } from './locker.js';
import { sqliteNormalizer } from './normalize.js';
import { sqliteStateCompiler } from './state.js';

/**
 * What SQLite can do, as cairn sees it:
 * - `transactionalDdl: true`: DDL rolls back with its transaction (except `PRAGMA` changes to
 *   `foreign_keys`/`journal_mode` and `VACUUM`);
 * - `schemas: false`: attached databases are not schemas in cairn's sense;
 * - `alterColumn: 'recreate-table'`: `ALTER TABLE` cannot change a column's type, nullability or
 *   default, so those changes rebuild the table;
 * - `maxIdentifierLength: 1_000_000`: SQLite has no identifier length limit (only the statement
 *   length limit, 1 GB by default); the number is a sanity bound, not a database rule.
 */
export const sqliteCapabilities: Capabilities = Object.freeze({
  transactionalDdl: true,
  schemas: false,
  alterColumn: 'recreate-table',
  maxIdentifierLength: 1_000_000,
  comments: false,
  partialIndexes: true,
  namedPrimaryKeys: true,
  enumTypes: false,
});

/** SQLite's statement text: `?` placeholders, `[name]` as well as `"name"` for names. */
export const sqliteSyntax: SqlSyntax = Object.freeze({
  placeholders: 'question',
  backslashEscapes: false,
  hashComments: false,
  bracketIdentifiers: true,
  escapeStrings: false,
});

/**
 * The SQLite dialect: `sqliteCapabilities`, the pure `sqliteStateCompiler` and `sqliteCompiler`
 * (operations; table rebuilds driven by the model), `sqliteNormalizer`, `describeTable` (reads a
 * table's current definition for the rebuild) and `introspect` (every table), the `BEGIN IMMEDIATE` lock (`sqliteLocker`, which also suspends
 * foreign-key enforcement for the run), `verifyStep` (checks foreign keys after each step) and
 * `classifyError` (busy/locked → `LOCK_TIMEOUT`).
 * It works over any `Session` on an SQLite connection; `openSqlite` gives one over better-sqlite3.
 *
 * @example
 * const dialect = sqliteDialect();
 * const release = await dialect.locker(session).acquire('migrate', { timeoutMs: 10_000 });
 */
export function sqliteDialect(): Dialect {
  return Object.freeze({
    name: 'sqlite',
    capabilities: sqliteCapabilities,
    syntax: sqliteSyntax,
    knexClient: 'better-sqlite3',
    state: sqliteStateCompiler(),
    compiler: sqliteCompiler,
    normalizer: sqliteNormalizer,
    locker: (session: Session) => sqliteLocker(session),
    describeTable,
    introspect,
    verifyStep: verifyForeignKeys,
    outsideTransaction,
    classifyError,
  });
}
