import type { CairnErrorCode } from '@cairn/core';

/** MySQL/MariaDB error numbers cairn reads. */
export const ER = Object.freeze({
  /** `Lock wait timeout exceeded; try restarting transaction` (row locks, and metadata locks after `lock_wait_timeout`). */
  LOCK_WAIT_TIMEOUT: 1205,
  /** `Deadlock found when trying to get lock; try restarting transaction`. */
  LOCK_DEADLOCK: 1213,
  /** MySQL 8 `NOWAIT`: `Statement aborted because lock(s) could not be acquired immediately`. */
  LOCK_NOWAIT: 3572,
  /** `Deadlock found when trying to get user-level lock` (`GET_LOCK`). */
  USER_LOCK_DEADLOCK: 3058,
  /** `SAVEPOINT … does not exist`: an implicit commit (any DDL) ended the transaction it was in. */
  SP_DOES_NOT_EXIST: 1305,
  /** `This command is not supported in the prepared statement protocol yet`. */
  UNSUPPORTED_PS: 1295,
  /** `You have an error in your SQL syntax`: also what a `?` where the server takes no parameter gets when prepared. */
  PARSE_ERROR: 1064,
});

/**
 * The server's error number of a `mysql2` error (its `errno`), duck-typed so the driver need not
 * be imported; `undefined` for anything else (a network error has a `code` but no `errno`).
 */
export function errorNumber(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('errno' in error)) return undefined;
  const errno = (error as { errno: unknown }).errno;
  return typeof errno === 'number' ? errno : undefined;
}

const LOCK_CONFLICTS: ReadonlySet<number> = new Set([
  ER.LOCK_WAIT_TIMEOUT,
  ER.LOCK_DEADLOCK,
  ER.LOCK_NOWAIT,
  ER.USER_LOCK_DEADLOCK,
]);

/**
 * Maps a driver error to a cairn code. A statement that lost a lock conflict — a lock wait timeout
 * (1205, which is also what a DDL statement waiting for a metadata lock gets after
 * `lock_wait_timeout`), a deadlock (1213, 3058) or a MySQL 8 `NOWAIT` refusal (3572) — is
 * `LOCK_TIMEOUT`, the code the other dialects use for "another session held what this one
 * needed": the remedy is the same, run again when the other work has finished. Anything else →
 * `undefined`, which core reports as `DRIVER_ERROR` with the original error as `cause`.
 *
 * @example classifyError({ errno: 1205 }) // 'LOCK_TIMEOUT'
 */
export function classifyError(error: unknown): CairnErrorCode | undefined {
  const errno = errorNumber(error);
  return errno !== undefined && LOCK_CONFLICTS.has(errno) ? 'LOCK_TIMEOUT' : undefined;
}

/**
 * True when `error` says the connection itself is gone (closed by the client, reset, or the server
 * went away): the server has then released the connection's locks and rolled back its
 * transaction, so there is nothing left to release.
 */
export function connectionGone(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, fatal, message } = error as { code?: unknown; fatal?: unknown; message?: unknown };
  if (fatal === true) return true;
  if (
    typeof code === 'string' &&
    ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED'].includes(code)
  )
    return true;
  return typeof message === 'string' && /closed state|connection lost|server has gone away/i.test(message);
}
