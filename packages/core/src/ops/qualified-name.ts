import { freezeData, isRecord, optionalString, requireString, usageError } from './validate.js';

/** A table name, optionally in a schema (PostgreSQL) or database (MySQL). */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
}

/**
 * How factories accept a table, type or enum name: a bare name (`'users'`, never split on dots,
 * since a dot is a legal identifier character) or a `QualifiedName` (`{ schema: 'app', name: 'users' }`).
 */
export type NameInput = string | QualifiedName;

/**
 * Parses a name argument into a frozen `QualifiedName`; `schema` is omitted when not given.
 * Throws `CairnError('USAGE')` naming `at` for anything else.
 *
 * @example toQualifiedName('users', 'dropTable: name') // { name: 'users' }
 */
export function toQualifiedName(value: unknown, at: string): QualifiedName {
  if (typeof value === 'string') return freezeData({ name: requireString(value, at) });
  if (!isRecord(value)) throw usageError(at, "must be a name ('users') or { schema?, name }", value);
  return freezeData({
    schema: optionalString(value.schema, `${at}.schema`),
    name: requireString(value.name, `${at}.name`),
  });
}

/** `app.users` or `users`, for messages only (SQL goes through the dialect's quoting). */
export function formatQualifiedName(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}.${name.name}`;
}

/** True when both name the same object (same schema, or both unqualified, and same name). */
export function sameQualifiedName(a: QualifiedName, b: QualifiedName): boolean {
  return a.name === b.name && a.schema === b.schema;
}
