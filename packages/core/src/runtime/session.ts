import type { Statement } from '../ops/statement.js';

/**
 * The only I/O seam of cairn. Core never imports a database driver: a dialect package (or the
 * user) hands the runner a `Session` over its native connection.
 */

/** A result row, keyed by column name. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * A connection as the runner sees it. Implementations run exactly one statement per call (never
 * split or join statements) and reject with the driver's error unchanged, so that the dialect's
 * `classifyError` can read it.
 */
export interface Session {
  query<R extends Row = Row>(statement: Statement): Promise<readonly R[]>;
  execute(statement: Statement): Promise<{ readonly rowsAffected?: number }>;
  /**
   * `true` when `query`/`execute` may be called again before the previous call has settled: the
   * session sends each statement at once, behind the unanswered ones (a pipelining driver), and
   * they run and settle in call order. The runner then sends statements that do not depend on
   * each other's answers together — a step's version writes and its history record — in one
   * round trip instead of one each. Absent: the runner waits for each statement before the next.
   */
  readonly pipelined?: boolean;
  /**
   * Runs `work` in a transaction on this connection: commits when it resolves, rolls back when it
   * rejects (and rejects with the same error). A call inside another's `work` is a savepoint:
   * rolling it back undoes only its own statements and leaves the outer transaction usable
   * (reflection inside a step relies on that). Absent when the
   * connection cannot run transactions; the runner then runs steps without one.
   * `nestedTransactions` implements all of this for a connection.
   */
  transaction?<T>(work: (tx: Session) => Promise<T>): Promise<T>;
}

/**
 * Whether a migration's `ctx.sql` statement returns rows the caller wants (a query, or a write
 * with `RETURNING`). Online and offline runs share this rule, so a migration behaves the same in
 * both.
 */
export function returnsRows(sql: string): boolean {
  return /^\s*(select|with|pragma|values|show|explain)\b/i.test(sql) || /\breturning\b/i.test(sql);
}
