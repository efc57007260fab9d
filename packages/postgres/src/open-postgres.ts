import { CairnError, type Session, statement } from '@cairn/core';
import pg from 'pg';
import { quoteIdentifier, quoteLiteral } from './quote.js';
import { pgSession } from './sessions/pg.js';

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
  /** The `pg` client, for what a `Session` does not cover (`LISTEN`, `COPY`). */
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
 * the `cause`.
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
  const client = new pg.Client({ connectionString: url, application_name: 'cairn' });
  // A backend that dies (pg_terminate_backend, a restart) makes the client emit 'error'; without a
  // listener that would crash the process. The next query on the client rejects instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw configError(url, 'cannot connect to', error);
  }
  const session = pgSession(client);
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
