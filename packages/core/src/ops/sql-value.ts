import { usageError } from './validate.js';

/**
 * A value an operation can carry into SQL: a literal default, a raw-SQL parameter, a cell of a
 * bulk insert. Limited to JSON scalars so that operations survive a JSON round trip unchanged;
 * write dates as ISO-8601 strings and binary data as the dialect's literal text.
 */
export type SqlValue = string | number | boolean | null;

/** Checks one `SqlValue`; numbers must be finite (JSON has no `NaN` or `Infinity`). */
export function requireSqlValue(value: unknown, at: string): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw usageError(
    at,
    'must be a string, a finite number, a boolean or null (write dates as ISO strings and bigints as strings)',
    value,
  );
}

/** Checks a parameter list and copies it. `undefined` is an empty list. */
export function requireSqlValues(value: unknown, at: string): SqlValue[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw usageError(at, 'must be an array of parameter values', value);
  return value.map((item: unknown, index) => requireSqlValue(item, `${at}[${index}]`));
}
