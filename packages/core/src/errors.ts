/**
 * Every failure cairn reports is a `CairnError` with a stable `code`. Messages say what failed,
 * why, and what to do; `details` carries the structured facts (file, revision, candidates…) so
 * that `--json` output and library callers never have to parse message text.
 */
export type CairnErrorCode =
  // migration files
  | 'MALFORMED_MIGRATION'
  | 'DUPLICATE_REVISION'
  | 'INVALID_REVISION_ID'
  | 'INVALID_BRANCH_LABEL'
  | 'SELF_LOOP'
  | 'DEPENDENCY_SELF_LOOP'
  | 'UNKNOWN_PARENT'
  | 'UNKNOWN_DEPENDENCY'
  | 'LABEL_COLLISION'
  | 'CYCLE'
  | 'DEPENDENCY_CYCLE'
  // targets and lookups
  | 'INVALID_TARGET'
  | 'UNKNOWN_REVISION'
  | 'AMBIGUOUS_REVISION'
  | 'UNKNOWN_BRANCH'
  | 'NOT_ON_BRANCH'
  | 'MULTIPLE_HEADS'
  | 'AMBIGUOUS_RELATIVE'
  | 'AMBIGUOUS_WALK'
  | 'RELATIVE_OVERWALK'
  | 'OVERLAPPING_TARGETS'
  | 'INVALID_DOWNGRADE_TARGET'
  | 'INVALID_RANGE'
  // version table
  | 'UNKNOWN_VERSION_ROW'
  | 'OVERLAPPING_ROWS'
  | 'STAMP_OVERLAP'
  // writing revisions
  | 'NOT_A_HEAD'
  | 'DUPLICATE_HEADS'
  | 'NOTHING_TO_MERGE'
  // running migrations
  | 'LOCK_TIMEOUT'
  | 'DRIVER_ERROR'
  /** The dialect's database driver (an optional peer dependency: `pg`, `mysql2`, `better-sqlite3`) is not installed. */
  | 'DRIVER_MISSING'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_LOAD_FAILED'
  | 'SCHEMA_LOAD_FAILED'
  | 'VERSION_TABLE_CONFLICT'
  | 'NOT_AT_HEADS'
  | 'CHECK_FAILED'
  | 'DIRTY_DATABASE'
  /** A driver error meaning "this statement cannot run inside a transaction block". */
  | 'TRANSACTION_NOT_ALLOWED'
  | 'FOREIGN_KEY_VIOLATION'
  // configuration and usage
  | 'CONFIG_ERROR'
  | 'USAGE'
  /** The schema module (`models`) describes a schema no database can hold: the message names the table and column. */
  | 'INVALID_SCHEMA'
  // operations
  | 'IRREVERSIBLE'
  | 'NEEDS_MODEL';

export interface CairnErrorOptions {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * Marks cairn's errors across copies of this module: the CLI bundles core while a dialect package
 * imports its own, and a `CairnError` thrown by one must still be one for the other.
 */
const BRAND = Symbol.for('@cairn/core.CairnError');

export class CairnError extends Error {
  override readonly name = 'CairnError';
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  readonly code: CairnErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: CairnErrorCode, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True for a `CairnError`, optionally of one code. */
export function isCairnError(error: unknown, code?: CairnErrorCode): error is CairnError {
  return error instanceof CairnError && (code === undefined || error.code === code);
}

/** `'a', 'b' and 'c'` — for messages that list ids. Long lists are cut with a count. */
export function listForMessage(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((item) => `'${item}'`);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
