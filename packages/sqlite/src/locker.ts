import { setTimeout as sleep } from 'node:timers/promises';
import { CairnError, type Locker, type Release, type Session, statement } from '@cairn/core';
import { isBusyError } from './errors.js';
import { restoreForeignKeys, suspendForeignKeys } from './foreign-keys.js';
import { quoteLiteral } from './quote.js';

/** Options for `sqliteLocker`. */
export interface SqliteLockerOptions {
  /** Pause between attempts while another connection holds the lock. Default: `50` ms. */
  readonly pollMs?: number;
}

/**
 * The SQLite lock: an outer `BEGIN IMMEDIATE` transaction on `session`, held for the whole run.
 *
 * Why a transaction and no lock table: SQLite allows one writer per database file, and
 * `BEGIN IMMEDIATE` takes that write lock up front. The runner then runs each migration step as
 * a savepoint inside it (`Session.transaction`), so a failing step rolls back alone while the
 * lock stays held. A process that dies leaves nothing behind: SQLite releases the lock with the
 * connection, where a lock row would need a lease and `unlock --force`. The consequence, which
 * is consistent rather than lossy: a process killed mid-run also rolls back the steps it had
 * finished in that run, schema and version rows together, so the database is exactly at the
 * revision it was before the run.
 *
 * `acquire(key, { timeoutMs })`:
 * - `key` is not used: the lock is the whole database file.
 * - Polls `BEGIN IMMEDIATE` every `pollMs` until it succeeds or `timeoutMs` has passed, then
 *   rejects with `CairnError('LOCK_TIMEOUT')` naming the database file. While polling it sets
 *   the connection's `busy_timeout` to 0 and restores it afterwards: the driver's busy wait
 *   blocks the event loop and would stretch the total wait past `timeoutMs`.
 * - Any error other than busy/locked (for example a transaction already open on the session)
 *   rejects with the driver's error unchanged.
 *
 * `Release` commits the outer transaction. It is idempotent, and a no-op when the transaction is
 * already gone (the connection was closed, or SQLite rolled it back after an I/O error).
 *
 * @example
 * const release = await sqliteLocker(session).acquire('migrate', { timeoutMs: 10_000 });
 * try { await runSteps(session); } finally { await release(); }
 */
export function sqliteLocker(session: Session, options: SqliteLockerOptions = {}): Locker {
  const pollMs = options.pollMs ?? 50;
  return {
    async acquire(_key: string, { timeoutMs }: { readonly timeoutMs: number }): Promise<Release> {
      const deadline = performance.now() + timeoutMs;
      // Before the transaction: the pragma cannot change inside one (see foreign-keys.ts).
      const foreignKeys = await suspendForeignKeys(session);
      try {
        await beginImmediate(session, deadline, pollMs, timeoutMs);
        return releaser(session, foreignKeys);
      } catch (error) {
        await restoreForeignKeys(session, foreignKeys);
        throw error;
      }
    },
  };
}

/**
 * Polls `BEGIN IMMEDIATE` every `pollMs` until it succeeds or `deadline` passes. While polling
 * the connection's `busy_timeout` is 0 (restored afterwards): the driver's busy wait blocks the
 * event loop and would stretch the total wait past the timeout.
 */
async function beginImmediate(session: Session, deadline: number, pollMs: number, timeoutMs: number): Promise<void> {
  const busyTimeout = await readBusyTimeout(session);
  await setBusyTimeout(session, 0);
  try {
    for (;;) {
      try {
        await session.execute(statement('BEGIN IMMEDIATE'));
        return;
      } catch (error) {
        if (!isBusyError(error)) throw error;
        const remaining = deadline - performance.now();
        if (remaining <= 0) throw await lockTimeout(session, timeoutMs, error);
        await sleep(Math.min(pollMs, remaining));
      }
    }
  } finally {
    await setBusyTimeout(session, busyTimeout);
  }
}

/** How long `outsideTransaction` waits to take the lock back. */
const RETAKE_TIMEOUT_MS = 60_000;

/**
 * Runs `work` outside the lock's transaction (`Dialect.outsideTransaction`), for a step that
 * cannot run in one (`transaction: false`: `VACUUM`, `PRAGMA journal_mode`). The lock is a
 * transaction, so it is committed — the steps before become durable — `work` runs in autocommit
 * mode, and `BEGIN IMMEDIATE` takes the lock back. SQLite has no way to keep the write lock
 * between transactions that works in WAL mode (exclusive locking mode cannot be entered while
 * other connections have the file open), so another cairn process may take the lock in that
 * gap; the step's `started` history record, committed before `work`, makes it refuse with
 * `DIRTY_DATABASE` instead of running on top of the unfinished step.
 */
export async function outsideTransaction(session: Session, work: (session: Session) => Promise<void>): Promise<void> {
  await session.execute(statement('COMMIT'));
  try {
    await work(session);
  } finally {
    await beginImmediate(session, performance.now() + RETAKE_TIMEOUT_MS, 50, RETAKE_TIMEOUT_MS);
  }
}

function releaser(session: Session, foreignKeys: boolean): Release {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await session.execute(statement('COMMIT'));
    } catch (error) {
      // A Session cannot ask whether a transaction is open, so "already gone" is recognised by
      // SQLite's message for COMMIT outside a transaction, unchanged since SQLite 3.0.
      if (!(error instanceof Error && error.message.includes('no transaction is active'))) {
        // A COMMIT that fails (a deferred foreign-key violation) leaves the transaction open:
        // end it, so the lock is not held and later statements do not run inside it.
        await session.execute(statement('ROLLBACK')).catch(() => undefined);
        await restoreForeignKeys(session, foreignKeys);
        throw error;
      }
    }
    await restoreForeignKeys(session, foreignKeys);
  };
}

async function readBusyTimeout(session: Session): Promise<number> {
  const [row] = await session.query(statement('PRAGMA busy_timeout'));
  const value = row === undefined ? undefined : Object.values(row)[0];
  return typeof value === 'number' ? value : 0;
}

async function setBusyTimeout(session: Session, ms: number): Promise<void> {
  // Pragma values cannot be bound parameters; the literal goes through quote.ts like any other.
  await session.query(statement(`PRAGMA busy_timeout = ${quoteLiteral(ms)}`));
}

async function lockTimeout(session: Session, timeoutMs: number, cause: unknown): Promise<CairnError> {
  const database = await databaseFile(session);
  return new CairnError(
    'LOCK_TIMEOUT',
    `could not lock the SQLite database ${database} within ${timeoutMs} ms: another cairn process (or a long write by another program) holds its write lock; retry when it has finished, or raise the lock timeout`,
    { details: { database, timeoutMs }, cause },
  );
}

async function databaseFile(session: Session): Promise<string> {
  try {
    const rows = await session.query<{ name: string; file: string }>(statement('PRAGMA database_list'));
    const file = rows.find((row) => row.name === 'main')?.file;
    return file === undefined || file === '' ? "'(in-memory)'" : `'${file}'`;
  } catch {
    // Naming the file only improves the message; the timeout is the error to report.
    return '(file unknown)';
  }
}
