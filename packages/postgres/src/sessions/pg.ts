import { nestedTransactions, type Row, type Session, type Statement } from '@cairn/core';
import { quoteIdentifier } from '../quote.js';

/** What `pgSession` passes to `query`: one statement, its parameters, and the protocol to use. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values: unknown[];
  /**
   * Always `'extended'`: parameters or not, the statement goes through the extended protocol,
   * which accepts exactly one statement (the simple protocol would run a `;`-joined batch as one
   * implicit transaction, which breaks `CREATE INDEX CONCURRENTLY`).
   */
  readonly queryMode: 'extended';
}

/**
 * The part of a `pg` `Client` or `PoolClient` the session uses (style rule 4: the driver is
 * described structurally). A `pg` 8.x `Client` satisfies it.
 */
export interface PgClient {
  query(config: PgQueryConfig): Promise<{ readonly rows: unknown[]; readonly rowCount: number | null }>;
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
 *
 * @example
 * const client = new pg.Client({ connectionString }); await client.connect();
 * const session = pgSession(client);
 */
export function pgSession(client: PgClient): Session {
  const send = (sql: string, params: readonly unknown[] = []) =>
    client.query({ text: sql, values: params.map(bindValue), queryMode: 'extended' });

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
        await send(sql);
      },
      quoteIdentifier,
      outermost: { begin: 'BEGIN' },
    }),
  };
  return session;
}

function bindValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
