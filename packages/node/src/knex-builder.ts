import { createRequire } from 'node:module';
import { type Dialect, type Row, returnsRows, type Session, type Statement } from '@cairn/core';
import type { Knex } from 'knex';

/**
 * `ctx.knex`: a knex instance that only builds SQL, for the dialect's knex client, whose queries
 * run through the step's `Session` — the step's own connection, inside its transaction (or
 * savepoint); offline (`--sql`), the recorder, so they are printed like `ctx.sql`'s with their
 * values inlined. knex opens no connection and no pool, and is loaded (with a synchronous
 * `require`, so `ctx.knex('account')` is a builder at once) only when a migration first reads
 * `ctx.knex`.
 *
 * Supported: the query builder and `raw` — awaiting a builder runs it and resolves to
 * - `select`/`raw` reads: the rows; `first()`: the first row or `undefined`; `pluck(c)`: the values;
 * - `insert`/`update`/`del` with `.returning(...)`: the returned rows;
 * - `update`/`del`/`increment`/`decrement` without it: the number of rows affected (`undefined`
 *   with `--sql`, where nothing runs);
 * - `insert` without it: `[]` (no driver-specific insert ids: use `.returning('id')`).
 * Every query returns no rows with `--sql`, as `ctx.sql`'s do.
 *
 * `knex.schema` statements run through the session as well, but are not cairn operations (not
 * dialect-checked like `ctx.op`); the SQLite table rebuilds knex does for some `alterTable`
 * changes need a knex transaction and fail. Refused with a message: knex's own transactions
 * (`transaction`, `transactionProvider` — the step is the transaction), `migrate`, `seed`,
 * `destroy`/`initialize` and streaming.
 */
export function knexQueryBuilder(session: Session, dialect: Dialect): Knex {
  const client = dialect.knexClient;
  if (client === undefined) {
    throw new Error(
      `ctx.knex has no knex client for the '${dialect.name}' dialect; use ctx.sql or ctx.op in this migration`,
    );
  }
  const instance = loadKnex()({ client, useNullAsDefault: client === 'better-sqlite3' });
  sessionBound(instance.client as KnexClient, session);
  return new Proxy(instance, {
    get(target, property, receiver) {
      if (typeof property === 'string' && REFUSED.has(property)) throw refused(`ctx.knex.${property}`);
      return Reflect.get(target, property, receiver);
    },
  });
}

/** Members of the knex instance a migration may not use. */
const REFUSED = new Set(['transaction', 'transactionProvider', 'migrate', 'seed', 'destroy', 'initialize']);

let knexModule: typeof import('knex').knex | undefined;

function loadKnex(): typeof import('knex').knex {
  knexModule ??= createRequire(import.meta.url)('knex') as typeof import('knex').knex;
  return knexModule;
}

/** The parts of knex's (untyped) client object this module replaces or calls. */
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
  query(connection: unknown, query: string | KnexQuery): Promise<KnexQuery>;
  processResponse(query: KnexQuery, runner: unknown): unknown;
  transaction(...args: unknown[]): never;
  _stream(...args: unknown[]): never;
  prepBindings(bindings: unknown[]): unknown[];
  positionBindings(sql: string): string;
  _formatBindings?(bindings: unknown[]): unknown[];
}

/** A compiled query as knex's runner hands it to the client. */
interface KnexQuery {
  sql: string;
  bindings?: unknown[];
  method?: string;
  returning?: unknown;
  pluck?: string;
  output?: (this: unknown, response: unknown) => unknown;
  response?: { readonly rows: readonly Row[]; readonly rowsAffected?: number };
}

/** The connection object knex's runner carries around; it is never used to talk to a database. */
const NO_CONNECTION = Object.freeze({ __knexUid: 'cairn-session' });

/** Methods whose result is rows. */
const READS = new Set(['select', 'first', 'pluck']);

/**
 * Replaces the client's connection handling and execution: every query knex compiles goes to
 * `session` (knex's error-message rewriting is skipped too: the driver's error reaches cairn
 * unchanged, and cairn's message shows the statement).
 */
function sessionBound(client: KnexClient, session: Session): void {
  client.acquireConnection = async () => NO_CONNECTION;
  client.releaseConnection = async () => {};
  client.transaction = () => {
    throw refused('a knex transaction (knex also opens one to rebuild a SQLite table in schema.alterTable)');
  };
  client._stream = () => {
    throw refused('streaming a knex query');
  };
  client.query = async (_connection, query) => {
    const compiled: KnexQuery = typeof query === 'string' ? { sql: query } : query;
    let bindings = client.prepBindings(compiled.bindings ?? []);
    if (client._formatBindings) bindings = client._formatBindings(bindings);
    const statement: Statement = { sql: client.positionBindings(compiled.sql), params: bindings };
    const wantsRows =
      READS.has(compiled.method ?? '') ||
      (compiled.returning !== undefined && compiled.returning !== null) ||
      returnsRows(statement.sql);
    if (wantsRows) {
      compiled.response = { rows: await session.query(statement) };
    } else {
      const { rowsAffected } = await session.execute(statement);
      compiled.response = rowsAffected === undefined ? { rows: [] } : { rows: [], rowsAffected };
    }
    return compiled;
  };
  client.processResponse = (query, runner) => {
    const rows = query.response?.rows ?? [];
    if (query.output) return query.output.call(runner, rows);
    switch (query.method) {
      case 'first':
        return rows[0];
      case 'pluck':
        return rows.map((row) => row[query.pluck ?? '']);
      case 'insert':
        return rows;
      case 'update':
      case 'del':
      case 'counter':
        return query.returning ? rows : query.response?.rowsAffected;
      default:
        return rows;
    }
  };
}

/**
 * A plain error on purpose: thrown inside migration code, the runner reports it as that
 * migration's failure, naming its file.
 */
function refused(what: string): Error {
  return new Error(
    `${what} is not available in a cairn migration: every ctx.knex query already runs on the step's connection, in the step's transaction — use ctx.knex(...) directly (and ctx.op for schema changes)`,
  );
}
