import { nestedTransactions, type Row, type Session, type Statement } from '@cairn/core';
import { quoteIdentifier } from '../quote.js';

/** What `pgSession` passes to `query`: one statement, its parameters, and the protocol to use. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values: unknown[];
  /**
   * `'extended'` for every statement the session is given: parameters or not, it goes through
   * the extended protocol, which accepts exactly one statement (the simple protocol would run a
   * `;`-joined batch as one implicit transaction, which breaks `CREATE INDEX CONCURRENTLY`).
   * Absent for the session's own transaction control (`BEGIN`, `COMMIT`, `SAVEPOINT …`): fixed
   * single statements, sent as one simple-protocol message instead of five.
   */
  readonly queryMode?: 'extended';
}

/**
 * The part of a `pg` `Client` or `PoolClient` the session uses (style rule 4: the driver is
 * described structurally). A `pg` 8.x `Client` satisfies it.
 */
export interface PgClient {
  query(config: PgQueryConfig): Promise<{ readonly rows: unknown[]; readonly rowCount: number | null }>;
  /**
   * `true` for a client made with `pipeline: true`, which writes each query at once behind the
   * unanswered ones; the session then sends what needs no answer in between in one round trip.
   */
  readonly pipeline?: boolean;
}

/**
 * A `Session` over one `pg` client (a `Client`, or a `PoolClient` checked out for the whole run —
 * never a `Pool`, whose statements could each land on another connection).
 *
 * - Each call runs exactly one statement with `$1`-style parameters, through the extended
 *   protocol (see `PgQueryConfig`); a driver error rejects unchanged, for `classifyError`.
 * - `query` returns the rows; `execute` reports `rowsAffected` from `rowCount` (absent when the
 *   driver gives none).
 * - Parameters go to the driver as given, except bigints, which are sent as their decimal text.
 * - `transaction(work)`: at the outermost level `BEGIN` … `COMMIT` (or `ROLLBACK` when `work`
 *   rejects, rethrowing its error); nested calls are `SAVEPOINT`s, released or rolled back to.
 *   `work` receives this same session: a connection has one transaction state, so units on one
 *   session must run one after another, never concurrently.
 * - Over a pipelining client (`client.pipeline`), the session is `pipelined`, and `BEGIN` and
 *   `SAVEPOINT` are held back and sent just ahead of the transaction's first statement (or its
 *   `COMMIT`/`ROLLBACK`) instead of in a round trip of their own: that statement's call waits
 *   for both answers and rejects if the opening failed. Over any other client every call waits
 *   for its answer (`pg` deprecates queueing on one).
 *
 * @example
 * const client = new pg.Client({ connectionString }); await client.connect();
 * const session = pgSession(client);
 */
export function pgSession(client: PgClient): Session {
  const control = (sql: string) => client.query({ text: sql, values: [] });
  // Transaction openings not sent yet: they go out just ahead of the next statement.
  const openings: string[] = [];
  const send = (sql: string, params: readonly unknown[] = [], mode: 'statement' | 'control' = 'statement') => {
    const query = () =>
      mode === 'control'
        ? control(sql)
        : client.query({ text: sql, values: params.map(bindValue), queryMode: 'extended' });
    if (openings.length === 0) return query();
    const opened = Promise.all(openings.splice(0).map(control));
    const sent = query();
    // When an opening failed, its error is the one to report; this statement's own (a
    // transaction-state error, or the same lost connection) would only hide it.
    sent.catch(() => undefined);
    return opened.then(() => sent);
  };
  const pipelined = client.pipeline === true;

  const session: Session = {
    async query<R extends Row = Row>(stmt: Statement): Promise<readonly R[]> {
      const result = await send(stmt.sql, stmt.params);
      return result.rows as R[];
    },

    async execute(stmt: Statement): Promise<{ readonly rowsAffected?: number }> {
      const result = await send(stmt.sql, stmt.params);
      return result.rowCount === null ? {} : { rowsAffected: result.rowCount };
    },

    transaction: nestedTransactions(() => session, {
      run: async (sql) => {
        await send(sql, [], 'control');
      },
      ...(pipelined && { runAhead: (sql: string) => void openings.push(sql) }),
      quoteIdentifier,
      outermost: { begin: 'BEGIN' },
    }),
    ...(pipelined && { pipelined: true }),
  };
  return session;
}

function bindValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
