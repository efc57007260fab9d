import type { CairnErrorCode } from '@cairn/core';

/**
 * True when `error` is SQLite's "database is busy/locked" failure as better-sqlite3 reports it
 * (`code` `SQLITE_BUSY`, `SQLITE_LOCKED` or one of their extended codes such as
 * `SQLITE_BUSY_SNAPSHOT`). Duck-typed on `code`, so it works without importing the driver.
 */
export function isBusyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  if (typeof code !== 'string') return false;
  return ['SQLITE_BUSY', 'SQLITE_LOCKED'].some((base) => code === base || code.startsWith(`${base}_`));
}

/**
 * Maps a driver error to a cairn code: busy/locked → `LOCK_TIMEOUT` (another connection held the
 * database longer than the busy timeout); anything else → `undefined`, which core reports as
 * `DRIVER_ERROR` with the original error as `cause`.
 */
export function classifyError(error: unknown): CairnErrorCode | undefined {
  return isBusyError(error) ? 'LOCK_TIMEOUT' : undefined;
}
