import { freezeData, isRecord, requireOneOf, requireString, usageError } from './validate.js';

/**
 * A column default, as plain data:
 * - `literal`: a constant the dialect quotes (`'active'`, `0`, `true`);
 * - `expression`: SQL the dialect inserts unchanged (`gen_random_uuid()`, `(1 + 1)`);
 * - `current_timestamp`: the current time, which every dialect spells differently.
 *
 * "No default" is the absence of a default, never a `null` literal: in `alterColumn` it is
 * written `default: null`.
 */
export type ColumnDefault =
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'expression'; readonly sql: string }
  | { readonly kind: 'current_timestamp' };

/**
 * What factories accept for a default: a `ColumnDefault`, or a bare string, finite number or
 * boolean, which is a `literal`.
 */
export type ColumnDefaultInput = ColumnDefault | string | number | boolean;

/**
 * A constant default (strings are values, not SQL: `'now()'` is the text "now()").
 *
 * @example literalDefault('active')
 */
export function literalDefault(value: string | number | boolean): ColumnDefault {
  if (typeof value === 'string' || typeof value === 'boolean') return freezeData({ kind: 'literal', value });
  if (typeof value === 'number' && Number.isFinite(value)) return freezeData({ kind: 'literal', value });
  throw usageError('literalDefault: value', 'must be a string, a finite number or a boolean', value);
}

/**
 * A default written in SQL, inserted unchanged. It is not quoted or checked: it is the author's SQL.
 *
 * @example expressionDefault('gen_random_uuid()')
 */
export function expressionDefault(sql: string): ColumnDefault {
  return freezeData({ kind: 'expression', sql: requireString(sql, 'expressionDefault: sql') });
}

/** The current date and time (`CURRENT_TIMESTAMP`), portable across dialects. */
export function currentTimestampDefault(): ColumnDefault {
  return freezeData({ kind: 'current_timestamp' });
}

/** Parses a default argument (see `ColumnDefaultInput`) into a frozen `ColumnDefault`. */
export function toColumnDefault(value: unknown, at: string): ColumnDefault {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw usageError(at, 'must be a finite number', value);
    return freezeData({ kind: 'literal', value });
  }
  if (!isRecord(value))
    throw usageError(
      at,
      'must be a string, number or boolean, or a { kind: "literal" | "expression" | ... } default',
      value,
    );
  const kind = requireOneOf(value.kind, ['literal', 'expression', 'current_timestamp'], `${at}.kind`);
  if (kind === 'expression') return freezeData({ kind, sql: requireString(value.sql, `${at}.sql`) });
  if (kind === 'current_timestamp') return freezeData({ kind });
  const literal = value.value;
  if (typeof literal === 'string' || typeof literal === 'boolean') return freezeData({ kind, value: literal });
  if (typeof literal === 'number' && Number.isFinite(literal)) return freezeData({ kind, value: literal });
  throw usageError(`${at}.value`, 'must be a string, a finite number or a boolean', literal);
}
