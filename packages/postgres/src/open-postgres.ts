import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { CairnError, driverLoader, type Session, statement } from '@cairn/core';
import type pg from 'pg';
import { quoteIdentifier, quoteLiteral } from './quote.js';
import { type PgClient, pgSession } from './sessions/pg.js';

const require = createRequire(import.meta.url);

/**
 * `pg`, an optional peer dependency, loaded by the first `openPostgres`: compiling operations,
 * offline scripts and everything else in this package work without it installed. Loaded with
 * `require` (it is CommonJS), which also spares Node 20 the scan of its exports an `import` does.
 */
const loadPg = driverLoader('pg', 'PostgreSQL', () => require('pg') as typeof pg);

/** Options for `openPostgres`. */
export interface OpenPostgresOptions {
  /**
   * Sets the connection's `search_path` to this schema alone (`SET search_path TO "schema"`), so
   * unqualified names in migrations and cairn's own tables land there. The schema must exist for
   * tables to be created in it. Default: the role's own `search_path`.
   */
  readonly schema?: string;
  /**
   * Sets the session's `lock_timeout` (`SET`, not `SET LOCAL`, so it outlives each migration's
   * commit): an `ALTER TABLE` that cannot get its lock within this many milliseconds fails with
   * SQLSTATE 55P03 (reported as `LOCK_TIMEOUT`) instead of queueing all application traffic
   * behind it. `0` disables it. Default: the server's setting.
   */
  readonly lockTimeoutMs?: number;
}

/** An open PostgreSQL connection: the `pg` client, a `Session` over it, and how to close both. */
export interface PostgresConnection {
  /**
   * The `pg` client, for what a `Session` does not cover (`LISTEN`, `NOTIFY`). It runs in `pg`'s
   * pipeline mode, which refuses cursors and `COPY` streams: open a client of your own for those.
   */
  readonly client: pg.Client;
  readonly session: Session;
  /** Closes the connection, which ends any transaction and releases session locks. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens one `pg.Client` to `url` (`postgres://user:password@host:port/database`, or anything
 * `pg`'s `connectionString` accepts) and returns a `Session` over it. One client, not a pool: the
 * advisory lock and the transactions must stay on one backend.
 *
 * Throws `CairnError('CONFIG_ERROR')` naming the URL — with the password replaced by `***` —
 * when the connection cannot be made or the `search_path` cannot be set; the driver's error is
 * the `cause`. Throws `CairnError('DRIVER_MISSING')` when `pg` is not installed.
 *
 * @example
 * const { session, close } = await openPostgres('postgres://cairn@localhost/app', { schema: 'app' });
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<PostgresConnection> {
  // application_name makes cairn's session (and the lock it holds) recognisable in pg_stat_activity.
  const lockTimeoutMs = options.lockTimeoutMs;
  if (lockTimeoutMs !== undefined && (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 0))
    throw new CairnError(
      'CONFIG_ERROR',
      `the PostgreSQL lock timeout must be a whole number of milliseconds ≥ 0, got ${String(lockTimeoutMs)}`,
      { details: { lockTimeoutMs } },
    );
  // Pipeline mode: the session sends statements that need no answer in between (BEGIN and the
  // first statement, a step's version writes and history record) in one round trip.
  const client = new (loadPg().Client)({ connectionString: url, application_name: 'cairn', pipeline: true });
  // A backend that dies (pg_terminate_backend, a restart) makes the client emit 'error'; without a
  // listener that would crash the process. The next query on the client rejects instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw configError(url, 'cannot connect to', error);
  }
  const session = pgSession(tickBatchedClient(client));
  if (options.schema !== undefined) {
    try {
      await session.execute(statement(`SET search_path TO ${quoteIdentifier(options.schema)}`));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw configError(url, `cannot set search_path to schema '${options.schema}' on`, error);
    }
  }
  if (lockTimeoutMs !== undefined) {
    try {
      await session.execute(statement(`SET lock_timeout = ${quoteLiteral(`${lockTimeoutMs}ms`)}`));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw configError(url, 'cannot set lock_timeout on', error);
    }
  }
  let closed = false;
  return {
    client,
    session,
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * `client` with the queries sent in one tick of the event loop written to the socket together:
 * the socket is corked at the first and uncorked when the tick ends, so a statement and the
 * opening sent ahead of it, or a step's version write and history record, cost one write (one
 * wake-up of the server) instead of one each. `pg` corks each query's own messages the same way.
 */
function tickBatchedClient(client: pg.Client): PgClient {
  // `connection.stream` is the socket; `pg` has no public accessor for it.
  const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return {
    pipeline: client.pipeline,
    query(config) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      return client.query(config);
    },
  };
}

/**
 * `url` with its password replaced by `***`, for messages and logs. Text that does not parse as
 * a URL is returned with any `:password@` part masked.
 *
 * @example maskPassword('postgres://u:secret@h/db') // 'postgres://u:***@h/db'
 */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

function configError(url: string, what: string, error: unknown): CairnError {
  const masked = maskPassword(url);
  const reason = error instanceof Error ? error.message : String(error);
  return new CairnError(
    'CONFIG_ERROR',
    `${what} the PostgreSQL database '${masked}': ${reason}; check the host, port, database name and credentials, and that the server is running`,
    { details: { url: masked }, cause: error },
  );
}
