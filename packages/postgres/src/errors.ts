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
 * SQLSTATEs that mean "not inside a transaction": `25001` (`active_sql_transaction`: `CREATE
 * INDEX CONCURRENTLY`, `VACUUM`, … cannot run in a transaction block) and `55P04`
 * (`unsafe_new_enum_value_usage`: an enum value added by `ALTER TYPE … ADD VALUE` cannot be used
 * until its transaction commits).
 */
const NOT_IN_TRANSACTION = new Set(['25001', '55P04']);

/**
 * Maps a driver error to a cairn code: SQLSTATE `55P03` (`lock_not_available`, raised when
 * `lock_timeout` expires or `NOWAIT` fails) → `LOCK_TIMEOUT`; `25001` and `55P04` →
 * `TRANSACTION_NOT_ALLOWED`, on which the runner rolls the step back and runs it again outside a
 * transaction (so a migration that adds an enum value and uses it works); anything else →
 * `undefined`, which core reports as `DRIVER_ERROR` with the original error as `cause`.
 */
export function classifyError(error: unknown): CairnErrorCode | undefined {
  const state = sqlState(error);
  if (state === LOCK_NOT_AVAILABLE) return 'LOCK_TIMEOUT';
  if (state !== undefined && NOT_IN_TRANSACTION.has(state)) return 'TRANSACTION_NOT_ALLOWED';
  return undefined;
}
