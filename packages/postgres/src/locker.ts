import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CairnError, type Locker, type Release, type Session, statement } from '@cairn/core';
import { sqlState } from './errors.js';

/** Options for `postgresLocker`. */
export interface PostgresLockerOptions {
  /** Pause between `pg_try_advisory_lock` attempts while another session holds the lock. Default: `100` ms. */
  readonly pollMs?: number;
}

/**
 * The advisory-lock key for `key` in `database`/`schema`: the first 8 bytes of
 * SHA-256(`cairn:<database>:<schema>:<key>`) as a signed 64-bit integer, in decimal. Stable
 * across processes, Node versions and PostgreSQL versions (it does not depend on a server-side
 * hash function), and namespaced by `cairn:` so it does not collide with other tools' keys.
 *
 * @example advisoryLockKey('cairn', 'app', 'public') // '-4327…' (a decimal int8)
 */
export function advisoryLockKey(key: string, database: string, schema: string): string {
  const digest = createHash('sha256').update(`cairn:${database}:${schema}:${key}`, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * The PostgreSQL lock: a session-level advisory lock on `session`'s connection, held for the whole
 * run (per-migration commits do not release it, and a dead connection releases it by itself).
 *
 * `acquire(key, { timeoutMs })`:
 * - Derives the lock's 64-bit key from `key`, the current database and the current schema (the
 *   first schema of `search_path`), so two projects in different schemas do not block each other.
 * - Polls `SELECT pg_try_advisory_lock($1)` every `pollMs` until it returns true or `timeoutMs`
 *   has passed, then rejects with `CairnError('LOCK_TIMEOUT')` naming the database. It never uses
 *   the blocking `pg_advisory_lock`: a waiter parked inside that call holds a snapshot that
 *   `CREATE INDEX CONCURRENTLY` in the lock holder waits for — a deadlock PostgreSQL resolves by
 *   killing one side after `deadlock_timeout`. Between polls no statement is open.
 * - Must run outside a transaction on a direct connection: a transaction-pooling proxy
 *   (PgBouncer in transaction mode) cannot keep a session lock on one backend. When
 *   `pg_backend_pid()` changes between the first query and a lock attempt, that is what is
 *   happening, and it rejects with `CairnError('CONFIG_ERROR')` saying so.
 *
 * `Release` runs `pg_advisory_unlock` once; it is idempotent. When the connection is already gone
 * (closed, or its backend terminated) there is nothing to release — PostgreSQL freed the lock with
 * the session — so that failure is swallowed; any other failure rejects.
 *
 * @example
 * const release = await postgresLocker(session).acquire('cairn', { timeoutMs: 10_000 });
 * try { await runSteps(session); } finally { await release(); }
 */
export function postgresLocker(session: Session, options: PostgresLockerOptions = {}): Locker {
  const pollMs = options.pollMs ?? 100;
  return {
    async acquire(key: string, { timeoutMs }: { readonly timeoutMs: number }): Promise<Release> {
      const deadline = performance.now() + timeoutMs;
      const [where] = await session.query<{ database: string; schema: string | null; pid: number }>(
        statement('SELECT current_database() AS database, current_schema() AS schema, pg_backend_pid() AS pid'),
      );
      const database = where?.database ?? '';
      const schema = where?.schema ?? '';
      const lockKey = advisoryLockKey(key, database, schema);
      for (;;) {
        const [row] = await session.query<{ locked: boolean; pid: number }>(
          statement('SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid', [lockKey]),
        );
        if (row !== undefined && row.pid !== where?.pid) {
          // Each statement reached another backend: a transaction-pooling proxy is in between, and
          // a session lock taken on one backend neither protects this run nor can be released.
          if (row.locked === true)
            await session
              .query(statement('SELECT pg_advisory_unlock($1::bigint) AS unlocked', [lockKey]))
              .catch(() => undefined);
          throw new CairnError(
            'CONFIG_ERROR',
            `cairn's advisory lock cannot work on this connection to the PostgreSQL database '${database}': consecutive statements ran on different server sessions (backend ${String(where?.pid)} then ${String(row.pid)}), which is what a transaction-pooling proxy such as PgBouncer in transaction mode does; migrate over a direct connection (or a session-pooled one)`,
            { details: { database, pids: [where?.pid, row.pid] } },
          );
        }
        if (row?.locked === true) return releaser(session, lockKey);
        const remaining = deadline - performance.now();
        if (remaining <= 0)
          throw new CairnError(
            'LOCK_TIMEOUT',
            `could not take cairn's advisory lock on the PostgreSQL database '${database}' (schema '${schema}') within ${timeoutMs} ms: another cairn process holds it (or a session that died has not been noticed yet); retry when it has finished, or raise the lock timeout. Behind a transaction-pooling proxy the lock cannot work: migrate over a direct connection`,
            { details: { database, schema, key, lockKey, timeoutMs } },
          );
        await sleep(Math.min(pollMs, remaining));
      }
    },
  };
}

function releaser(session: Session, lockKey: string): Release {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await session.query(statement('SELECT pg_advisory_unlock($1::bigint) AS unlocked', [lockKey]));
    } catch (error) {
      if (!connectionGone(error)) throw error;
    }
  };
}

/**
 * True when `error` says the connection itself is gone (the backend was terminated or shut down,
 * or the client was closed): PostgreSQL has then already released the session's locks.
 */
function connectionGone(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && (code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /connection terminated|client was closed|not queryable|connection.*(ended|closed)/i.test(message);
}
