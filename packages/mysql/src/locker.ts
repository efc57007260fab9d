import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CairnError, type Locker, type Release, type Session, statement } from '@cairn/core';
import { connectionGone } from './errors.js';

/** Options for `mysqlLocker`. */
export interface MysqlLockerOptions {
  /** Pause between `GET_LOCK(name, 0)` attempts while another connection holds the lock. Default: `100` ms. */
  readonly pollMs?: number;
}

/**
 * The `GET_LOCK` name for `key` in `database`: `cairn:` and the first 40 hex digits of
 * SHA-256(`<database>\0<key>`) — 46 characters, within MySQL 5.7+'s 64-character limit for lock
 * names whatever the database name's length. Lock names are server-wide, so the database is
 * part of the name: two databases on one server do not contend.
 *
 * @example mysqlLockName('cairn', 'app') // 'cairn:3f1c…' (46 characters)
 */
export function mysqlLockName(key: string, database: string): string {
  return `cairn:${createHash('sha256').update(`${database}\0${key}`, 'utf8').digest('hex').slice(0, 40)}`;
}

/**
 * The MySQL/MariaDB lock: a named user lock (`GET_LOCK`) on `session`'s own connection, held for
 * the whole run.
 *
 * Why on the migration's connection rather than a connection of its own: a `Session` gives no
 * way to open another connection, and none is needed. `GET_LOCK` belongs to the connection, not
 * to a transaction: `COMMIT`, `ROLLBACK` and the implicit commits of DDL do not release it
 * (checked on MariaDB 10.11 and documented for MySQL); only `RELEASE_LOCK` or the end of the
 * connection does — so a process that dies cannot leave it held. What it requires is that every
 * statement of the session reaches one server connection: `openMysql` gives one connection, and
 * a session over a pool would not work — detected below.
 *
 * `acquire(key, { timeoutMs })`:
 * - Names the lock with `mysqlLockName(key, DATABASE())`.
 * - Polls `SELECT GET_LOCK(name, 0)` every `pollMs` until it returns 1 or `timeoutMs` has
 *   passed, then rejects with `CairnError('LOCK_TIMEOUT')` naming the database. Polling rather
 *   than waiting inside `GET_LOCK(name, timeout)` keeps millisecond timeouts (MySQL's are in
 *   seconds) and leaves no statement running on the server between attempts.
 * - `CONNECTION_ID()` is read twice before the first attempt and with every attempt; when it
 *   changes, consecutive statements reach different server connections (a pool, a multiplexing
 *   proxy) and the lock could neither protect the run nor be released reliably: it rejects with
 *   `CairnError('CONFIG_ERROR')`, trying to release anything it took.
 *
 * `Release` runs `RELEASE_LOCK` once; it is idempotent. When the connection is already gone the
 * server has released the lock with it, so that failure is swallowed; any other failure rejects.
 * A lock is re-entrant on its connection: a second `acquire` on the same session succeeds and
 * needs its own release.
 *
 * Not for Galera clusters (the lock is node-local) or PlanetScale/Vitess (no `GET_LOCK`).
 *
 * @example
 * const release = await mysqlLocker(session).acquire('cairn', { timeoutMs: 10_000 });
 * try { await runSteps(session); } finally { await release(); }
 */
export function mysqlLocker(session: Session, options: MysqlLockerOptions = {}): Locker {
  const pollMs = options.pollMs ?? 100;
  return {
    async acquire(key: string, { timeoutMs }: { readonly timeoutMs: number }): Promise<Release> {
      const deadline = performance.now() + timeoutMs;
      const [where] = await session.query<{ db: string | null; id: number | string }>(
        statement('SELECT DATABASE() AS db, CONNECTION_ID() AS id'),
      );
      const database = where?.db ?? '';
      const name = mysqlLockName(key, database);
      const [again] = await session.query<{ id: number | string }>(statement('SELECT CONNECTION_ID() AS id'));
      // Checked before any lock is taken: a lock taken on a pooled connection may not be releasable.
      if (String(again?.id) !== String(where?.id)) throw notOneConnection(database, [where?.id, again?.id], false);
      for (;;) {
        const [row] = await session.query<{ locked: number | string | null; id: number | string }>(
          statement('SELECT GET_LOCK(?, 0) AS locked, CONNECTION_ID() AS id', [name]),
        );
        const locked = row !== undefined && Number(row.locked) === 1;
        if (row !== undefined && String(row.id) !== String(where?.id)) {
          if (locked)
            await session.query(statement('SELECT RELEASE_LOCK(?) AS released', [name])).catch(() => undefined);
          throw notOneConnection(database, [where?.id, row.id], locked);
        }
        if (locked) return releaser(session, name);
        const remaining = deadline - performance.now();
        if (remaining <= 0)
          throw new CairnError(
            'LOCK_TIMEOUT',
            `could not take cairn's lock on the MySQL database '${database}' within ${timeoutMs} ms: another cairn process holds it (SELECT IS_USED_LOCK('${name}') shows its connection id); retry when it has finished, or raise the lock timeout`,
            { details: { database, key, lockName: name, timeoutMs } },
          );
        await sleep(Math.min(pollMs, remaining));
      }
    },
  };
}

function notOneConnection(database: string, ids: readonly unknown[], locked: boolean): CairnError {
  return new CairnError(
    'CONFIG_ERROR',
    `cairn's lock cannot work on this connection to the MySQL database '${database}': consecutive statements ran on different server connections (${ids.map(String).join(' then ')}), which is what a connection pool or a multiplexing proxy does; give cairn one dedicated connection (openMysql does)${
      locked ? '. The lock taken on the way may stay held by that pooled connection until it closes' : ''
    }`,
    { details: { database, connectionIds: ids } },
  );
}

function releaser(session: Session, name: string): Release {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await session.query(statement('SELECT RELEASE_LOCK(?) AS released', [name]));
    } catch (error) {
      if (!connectionGone(error)) throw error;
    }
  };
}
