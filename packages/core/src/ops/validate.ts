/**
 * Argument checks shared by the operation factories. Every factory parses its input here, at the
 * boundary, so that an `Operation` that exists is well formed and internal code never re-checks it.
 * Each check names the argument it refused (`createTable: columns[1].name`) and what it got.
 */
import { CairnError } from '../errors.js';

/**
 * A `CairnError('USAGE')` for a bad factory argument. `at` is the factory and the argument path,
 * e.g. `addColumn: column.type`.
 */
export function usageError(at: string, problem: string, ...value: [] | [unknown]): CairnError {
  // A rest tuple rather than an optional parameter, because `undefined` is itself a value to report.
  const got = value.length === 1 ? `, got ${describeValue(value[0])}` : '';
  return new CairnError('USAGE', `${at} ${problem}${got}`, { details: { argument: at } });
}

/** A short rendering of a refused value for messages: JSON where possible, else its type. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return typeof value;
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof value;
  }
}

/** True for `{…}` literals and JSON-parsed objects; false for arrays, class instances and null. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `value` is a plain object and returns it. With `keys`, a property outside them is
 * refused too: a misspelt option (`nulable`) must fail loudly rather than be ignored.
 */
export function requireRecord(value: unknown, at: string, keys?: readonly string[]): Readonly<Record<string, unknown>> {
  if (!isRecord(value)) throw usageError(at, 'must be an object', value);
  if (keys !== undefined)
    for (const key of Object.keys(value))
      if (!keys.includes(key) && value[key] !== undefined)
        throw usageError(at, `has no property '${key}' (expected ${keys.map((k) => `'${k}'`).join(', ')})`);
  return value;
}

/** A non-empty string (identifiers, SQL text). Whitespace-only counts as empty. */
export function requireString(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw usageError(at, 'must be a non-empty string', value);
  return value;
}

/** `undefined` passes through; anything else must be a non-empty string. */
export function optionalString(value: unknown, at: string): string | undefined {
  return value === undefined ? undefined : requireString(value, at);
}

/** `undefined` passes through; anything else must be a boolean. */
export function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw usageError(at, 'must be true or false', value);
}

/** A non-empty array of distinct non-empty strings (column lists, enum values). */
export function requireStringList(value: unknown, at: string): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) throw usageError(at, 'must be a non-empty array of strings', value);
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const text = requireString(item, `${at}[${index}]`);
    if (seen.has(text)) throw usageError(at, `lists '${text}' twice`);
    seen.add(text);
    return text;
  });
}

/** Checks that `value` is one of `allowed`. */
export function requireOneOf<const T extends string>(value: unknown, allowed: readonly T[], at: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(at, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`, value);
}

/**
 * Finishes a value built by a factory: drops properties whose value is `undefined` (so that the
 * result equals its own JSON round trip) and freezes every object and array in it. Factories copy
 * their input before calling this, so the caller's objects are never frozen.
 */
export function freezeData<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) freezeData(item);
    return Object.freeze(value);
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else freezeData(record[key]);
    }
    return Object.freeze(value);
  }
  return value;
}
