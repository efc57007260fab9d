import type { CairnErrorCode } from '@cairn/core';

/** SQLSTATEs that mean "a lock could not be had in time" (`lock_not_available`). */
const LOCK_NOT_AVAILABLE = '55P03';

/** The SQLSTATE of a `pg` error (its `code`), duck-typed so the driver need not be imported. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps a driver error to a cairn code: SQLSTATE `55P03` (`lock_not_available`, raised when
 * `lock_timeout` expires or `NOWAIT` fails) → `LOCK_TIMEOUT`; anything else → `undefined`, which
 * core reports as `DRIVER_ERROR` with the original error as `cause`.
 */
export function classifyError(error: unknown): CairnErrorCode | undefined {
  return sqlState(error) === LOCK_NOT_AVAILABLE ? 'LOCK_TIMEOUT' : undefined;
}
