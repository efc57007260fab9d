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
