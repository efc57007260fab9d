import { nestedTransactions, type Row, type Session, type Statement } from '@cairn/core';
import { quoteIdentifier } from '../quote.js';

/**
 * The part of a better-sqlite3 `Database` the session uses (style rule 4: the driver is
 * described structurally, so this package's types never force a driver version on callers).
 * A real `Database` from `better-sqlite3` 12.x satisfies it.
 */
export interface BetterSqlite3Database {
  prepare(sql: string): BetterSqlite3Statement;
}

/** The part of a better-sqlite3 `Statement` the session uses. */
export interface BetterSqlite3Statement {
  /** True when the statement returns rows (`SELECT`, most `PRAGMA`s, `… RETURNING`). */
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { readonly changes: number };
}

/**
 * A `Session` over one better-sqlite3 connection. The driver is synchronous; the session only
 * wraps results in promises, so a driver error surfaces as a rejection carrying the driver's
 * `SqliteError` unchanged (for `classifyError`).
 *
 * - Each call prepares and runs exactly one statement: better-sqlite3's `prepare` refuses text
 *   holding more than one, so statements are never split or joined.
 * - `query` returns the rows of a statement that returns data, and `[]` (after running it) for
 *   one that does not. `execute` runs any statement and reports `rowsAffected` = `changes`.
 * - Parameters are bound positionally. `true`/`false` bind as `1`/`0` and a `Date` as its
 *   ISO-8601 text, the same values `quoteLiteral` renders offline; everything else goes to the
 *   driver as given.
 * - `transaction(work)` is a SAVEPOINT, released when `work` resolves and rolled back to (then
 *   released) when it rejects, which rethrows the same error. Savepoints nest, and inside the
 *   runner's `BEGIN IMMEDIATE` (the lock, see `sqliteLocker`) each step is one; outside any
 *   transaction the first SAVEPOINT opens a transaction and its RELEASE commits it. `work`
 *   receives this same session: a connection has one transaction state, and SQLite scopes the
 *   savepoint to the connection, not to an object. Units on one session must therefore run one
 *   after another, never concurrently.
 *
 * @example
 * const session = betterSqlite3Session(new Database('app.db'));
 * await session.transaction?.(async (tx) => tx.execute(statement('CREATE TABLE t (id INTEGER)')));
 */
export function betterSqlite3Session(db: BetterSqlite3Database): Session {
  const cache = new Map<string, BetterSqlite3Statement>();
  // A run sends the same few statements (savepoints, version writes, history rows) once per
  // step: preparing each only once saves most of better-sqlite3's per-call cost. SQLite
  // re-prepares a cached statement itself when the schema changed under it.
  const prepare = (sql: string): BetterSqlite3Statement => {
    let prepared = cache.get(sql);
    if (prepared === undefined) {
      prepared = db.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, prepared);
    }
    return prepared;
  };
  const run = (sql: string): void => {
    prepare(sql).run();
  };

  const session: Session = {
    async query<R extends Row = Row>(stmt: Statement): Promise<readonly R[]> {
      const prepared = prepare(stmt.sql);
      const params = stmt.params.map(bindValue);
      if (!prepared.reader) {
        prepared.run(...params);
        return [];
      }
      return prepared.all(...params) as R[];
    },

    async execute(stmt: Statement): Promise<{ readonly rowsAffected?: number }> {
      const result = prepare(stmt.sql).run(...stmt.params.map(bindValue));
      return { rowsAffected: result.changes };
    },

    // Savepoints at every level: inside the runner's lock the outer transaction is its own
    // `BEGIN IMMEDIATE`; outside any, the first savepoint opens a transaction and its release commits.
    transaction: nestedTransactions(() => session, {
      run: async (sql) => run(sql),
      quoteIdentifier,
      outermost: 'savepoint',
    }),
  };
  return session;
}

/** Prepared statements kept per session; the oldest is dropped first. */
const STATEMENT_CACHE_SIZE = 64;

function bindValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}
