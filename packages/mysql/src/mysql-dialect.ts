import type { Capabilities, Dialect, Session, SqlSyntax } from '@cairn/core';
import { mysqlCompiler } from './compiler.js';
import { classifyError } from './errors.js';
import { describeTable, introspect } from './introspector.js';
import { type MysqlLockerOptions, mysqlLocker } from './locker.js';
import { mysqlNormalizer } from './normalize.js';
import { MAX_IDENTIFIER_LENGTH } from './quote.js';
import { mysqlStateCompiler } from './state.js';

/**
 * What MySQL and MariaDB can do, as cairn sees it:
 * - `transactionalDdl: false`: every DDL statement commits implicitly, before and after itself,
 *   so a migration's DDL cannot roll back; the runner records each step as started, then
 *   succeeded, and a step left started marks the database for repair;
 * - `schemas: false`: a MySQL "schema" is a database; cairn works in the connection's current
 *   one (names may still carry another database as `schema`);
 * - `alterColumn: 'native'`: `ALTER TABLE … MODIFY COLUMN` changes any part of a column (it
 *   restates the whole column, from the table's current definition);
 * - `maxIdentifierLength: 64`: characters, for every object cairn names; longer names are
 *   refused by `quoteIdentifier`, never truncated.
 */
export const mysqlCapabilities: Capabilities = Object.freeze({
  transactionalDdl: false,
  schemas: false,
  alterColumn: 'native',
  maxIdentifierLength: MAX_IDENTIFIER_LENGTH,
  comments: true,
  partialIndexes: false,
  namedPrimaryKeys: false,
  enumTypes: false,
});

/**
 * MySQL's statement text in its default SQL mode: `?` placeholders, `\` escapes inside `'…'` and
 * `"…"` strings, and `#` comments as well as `--` and block comments.
 */
export const mysqlSyntax: SqlSyntax = Object.freeze({
  placeholders: 'question',
  backslashEscapes: true,
  hashComments: true,
  bracketIdentifiers: false,
  escapeStrings: false,
});

/** Options for `mysqlDialect`. */
export interface MysqlDialectOptions {
  /** Passed to every locker the dialect makes. */
  readonly lock?: MysqlLockerOptions;
}

/**
 * The MySQL/MariaDB dialect: `mysqlCapabilities`, the pure `mysqlStateCompiler` and
 * `mysqlCompiler` (`MODIFY COLUMN` from the table's current definition, inline `ENUM`s),
 * `mysqlNormalizer`, `describeTable` and `introspect` (bulk information_schema reads, MariaDB
 * and MySQL 8 flavours), the polled `GET_LOCK` lock (`mysqlLocker`) and `classifyError` (lock
 * wait timeouts and deadlocks → `LOCK_TIMEOUT`). Tested against MariaDB 10.11; MySQL 8.0+ is
 * supported from its manual. It works over any `Session` on one MySQL connection; `openMysql`
 * gives one over `mysql2`.
 *
 * @example
 * const dialect = mysqlDialect();
 * const { session, close } = await openMysql(process.env.DATABASE_URL!);
 */
export function mysqlDialect(options: MysqlDialectOptions = {}): Dialect {
  return Object.freeze({
    name: 'mysql',
    capabilities: mysqlCapabilities,
    syntax: mysqlSyntax,
    knexClient: 'mysql2',
    state: mysqlStateCompiler(),
    compiler: mysqlCompiler,
    normalizer: mysqlNormalizer,
    locker: (session: Session) => mysqlLocker(session, options.lock),
    describeTable,
    introspect,
    classifyError,
  });
}
