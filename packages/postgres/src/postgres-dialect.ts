import type { Capabilities, Dialect, Session, SqlSyntax } from '@cairn/core';
import { postgresCompiler } from './compiler.js';
import { classifyError } from './errors.js';
import { describeTable, introspect } from './introspector.js';
import { type PostgresLockerOptions, postgresLocker } from './locker.js';
import { postgresNormalizer } from './normalize.js';
import { MAX_IDENTIFIER_BYTES } from './quote.js';
import { postgresStateCompiler } from './state.js';
import { transactionNeeds } from './transaction-needs.js';

/**
 * What PostgreSQL can do, as cairn sees it: transactional DDL (except the `CONCURRENTLY` index
 * forms, which the compiler marks), named schemas, native `ALTER COLUMN`, and identifiers of at
 * most 63 bytes (longer ones are refused by `quoteIdentifier`, never silently truncated).
 */
export const postgresCapabilities: Capabilities = Object.freeze({
  transactionalDdl: true,
  schemas: true,
  alterColumn: 'native',
  maxIdentifierLength: MAX_IDENTIFIER_BYTES,
  comments: true,
  partialIndexes: true,
  namedPrimaryKeys: true,
  enumTypes: true,
});

/** PostgreSQL's statement text: `$1` placeholders, `E'…'` strings, `--` and block comments. */
export const postgresSyntax: SqlSyntax = Object.freeze({
  placeholders: 'dollar',
  backslashEscapes: false,
  hashComments: false,
  bracketIdentifiers: false,
  escapeStrings: true,
});

/** Options for `postgresDialect`. */
export interface PostgresDialectOptions {
  /** Passed to every locker the dialect makes. */
  readonly lock?: PostgresLockerOptions;
}

/**
 * The PostgreSQL dialect: `postgresCapabilities`, the pure `postgresStateCompiler` and
 * `postgresCompiler`, `postgresNormalizer`, `introspect` and `describeTable` (bulk `pg_catalog`
 * reads with a pinned search_path; names carry a schema only outside the current one), the
 * polling advisory lock (`postgresLocker`), `classifyError` (`55P03` → `LOCK_TIMEOUT`) and, for
 * `--sql` scripts, `transactionNeeds` (`ALTER TYPE … ADD VALUE` must commit before use). It
 * works over any `Session` on a PostgreSQL connection; `openPostgres` gives one over `pg`.
 *
 * @example
 * const dialect = postgresDialect();
 * const { session } = await openPostgres(process.env.DATABASE_URL!);
 */
export function postgresDialect(options: PostgresDialectOptions = {}): Dialect {
  return Object.freeze({
    name: 'postgres',
    capabilities: postgresCapabilities,
    syntax: postgresSyntax,
    knexClient: 'pg',
    state: postgresStateCompiler(),
    compiler: postgresCompiler,
    normalizer: postgresNormalizer,
    introspect,
    describeTable,
    locker: (session: Session) => postgresLocker(session, options.lock),
    classifyError,
    transactionNeeds,
  });
}
