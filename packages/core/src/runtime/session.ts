/**
 * The only I/O seam of cairn. Core never imports a database driver: a dialect package (or the
 * user) hands the runner a `Session` over its native connection.
 */

/** One SQL statement with its parameters. Plain data: offline mode prints it, logs show it. */
export interface Statement {
  readonly sql: string;
  /** Positional parameters, in the dialect's placeholder syntax (`?` or `$1`). */
  readonly params: readonly unknown[];
  /**
   * `false` for statements that cannot run inside a transaction (`CREATE INDEX CONCURRENTLY`):
   * the runner rolls back the step's transaction and runs the whole step again outside one,
   * recorded as started before and succeeded after. Default: `true`.
   */
  readonly transactional?: boolean;
}

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
 * Builds a frozen `Statement`.
 *
 * @example statement('SELECT version_num FROM cairn_version')
 */
export function statement(
  sql: string,
  params: readonly unknown[] = [],
  options: { transactional?: boolean } = {},
): Statement {
  const frozenParams = Object.freeze([...params]);
  return Object.freeze(
    options.transactional === false
      ? { sql, params: frozenParams, transactional: false }
      : { sql, params: frozenParams },
  );
}

/**
 * Whether a migration's `ctx.sql` statement returns rows the caller wants (a query, or a write
 * with `RETURNING`). Online and offline runs share this rule, so a migration behaves the same in
 * both.
 */
export function returnsRows(sql: string): boolean {
  return /^\s*(select|with|pragma|values|show|explain)\b/i.test(sql) || /\breturning\b/i.test(sql);
}
