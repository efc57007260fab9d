import type { Statement } from '@cairn/core';

/** Whitespace and comments before a statement's first word. */
const LEADING = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/**
 * Statements PostgreSQL refuses inside a transaction block (SQLSTATE 25001) that a migration may
 * plausibly run as raw SQL: the `CONCURRENTLY` index forms (which the compiler already marks
 * `transactional: false` when they come from `op`), `VACUUM`, databases, tablespaces and
 * `ALTER SYSTEM`. Not every such statement: one missing here makes its `--sql` script stop at it,
 * inside the step's transaction, which rolls back.
 */
const OUTSIDE =
  /^(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|DROP\s+INDEX\s+CONCURRENTLY\b|REINDEX\b[\s\S]*\bCONCURRENTLY\b|VACUUM\b|(?:CREATE|DROP)\s+(?:DATABASE|TABLESPACE)\b|ALTER\s+SYSTEM\b)/i;

/** `ALTER TYPE … ADD VALUE`: the new value cannot be used before its transaction commits (55P04). */
const ADD_ENUM_VALUE = /^ALTER\s+TYPE\b[\s\S]*\bADD\s+VALUE\b/i;

/**
 * `Dialect.transactionNeeds` for PostgreSQL, read from the statement's text for `--sql` scripts:
 * `'outside'` for the statements above, `'commit-before-use'` for `ALTER TYPE … ADD VALUE`
 * (compiled from `op.addEnumValue` or written as raw SQL), which may run in a transaction — a
 * step that only adds values stays atomic — but whose value PostgreSQL refuses to use in the
 * transaction that added it. Online the runner learns both from the server's refusal instead.
 */
export function transactionNeeds(statement: Statement): 'outside' | 'commit-before-use' | undefined {
  const text = statement.sql.replace(LEADING, '');
  if (OUTSIDE.test(text)) return 'outside';
  if (ADD_ENUM_VALUE.test(text)) return 'commit-before-use';
  return undefined;
}
