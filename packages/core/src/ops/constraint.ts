import { type NameInput, type QualifiedName, toQualifiedName } from './qualified-name.js';
import {
  freezeData,
  optionalString,
  requireOneOf,
  requireRecord,
  requireString,
  requireStringList,
  usageError,
} from './validate.js';

/**
 * Table constraints as operations carry them, both inside a table definition and in the
 * `add_*`/`drop_*` operations. `name` is optional inside a table (the dialect names it); the
 * standalone `add_unique`, `add_foreign_key` and `add_check` operations require it, because the
 * downgrade has to drop the constraint by name.
 */

/** The primary key. */
export interface PrimaryKeyDefinition {
  /** Absent: the dialect's own name (`<table>_pkey` on PostgreSQL; MySQL and SQLite have none). */
  readonly name?: string;
  /** In key order. */
  readonly columns: readonly string[];
}

/** A unique constraint. */
export interface UniqueDefinition {
  readonly name?: string;
  readonly columns: readonly string[];
}

/** A check constraint; `expression` is SQL, inserted unchanged. */
export interface CheckDefinition {
  readonly name?: string;
  readonly expression: string;
}

/** What happens to referencing rows when the referenced row is deleted or its key updated. */
export type ReferentialAction = 'no_action' | 'restrict' | 'cascade' | 'set_null' | 'set_default';

/** The referential actions, in the order SQL documents them. */
export const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = Object.freeze([
  'no_action',
  'restrict',
  'cascade',
  'set_null',
  'set_default',
]);

/** A foreign key: `columns` of this table reference `references.columns` of `references.table`. */
export interface ForeignKeyDefinition {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly references: { readonly table: QualifiedName; readonly columns: readonly string[] };
  /** Absent: the database's default (`no_action`). */
  readonly onDelete?: ReferentialAction;
  /** Absent: the database's default (`no_action`). */
  readonly onUpdate?: ReferentialAction;
}

/** A primary key as factories accept it: the column list alone, or the definition. */
export type PrimaryKeyInput = readonly string[] | PrimaryKeyDefinition;

/** A foreign key as factories accept it: table names may be bare strings. */
export interface ForeignKeyInput extends Omit<ForeignKeyDefinition, 'references'> {
  readonly references: { readonly table: NameInput; readonly columns: readonly string[] };
}

/** Parses a primary key (see `PrimaryKeyInput`). */
export function toPrimaryKeyDefinition(value: unknown, at: string): PrimaryKeyDefinition {
  if (Array.isArray(value)) return freezeData({ columns: [...requireStringList(value, at)] });
  const input = requireRecord(value, at, ['name', 'columns']);
  return freezeData({
    name: optionalString(input.name, `${at}.name`),
    columns: [...requireStringList(input.columns, `${at}.columns`)],
  });
}

/** Parses a unique constraint; a bare array is its column list. */
export function toUniqueDefinition(value: unknown, at: string): UniqueDefinition {
  return toPrimaryKeyDefinition(value, at);
}

/** Parses a check constraint. */
export function toCheckDefinition(value: unknown, at: string): CheckDefinition {
  const input = requireRecord(value, at, ['name', 'expression']);
  return freezeData({
    name: optionalString(input.name, `${at}.name`),
    expression: requireString(input.expression, `${at}.expression`),
  });
}

/** Parses a foreign key; both column lists must have the same length. */
export function toForeignKeyDefinition(value: unknown, at: string): ForeignKeyDefinition {
  const input = requireRecord(value, at, ['name', 'columns', 'references', 'onDelete', 'onUpdate']);
  const columns = requireStringList(input.columns, `${at}.columns`);
  const references = requireRecord(input.references, `${at}.references`, ['table', 'columns']);
  const referenced = requireStringList(references.columns, `${at}.references.columns`);
  if (referenced.length !== columns.length)
    throw usageError(
      `${at}.references.columns`,
      `must list as many columns as ${at}.columns (${columns.length})`,
      referenced,
    );
  return freezeData({
    name: optionalString(input.name, `${at}.name`),
    columns: [...columns],
    references: { table: toQualifiedName(references.table, `${at}.references.table`), columns: [...referenced] },
    onDelete:
      input.onDelete === undefined ? undefined : requireOneOf(input.onDelete, REFERENTIAL_ACTIONS, `${at}.onDelete`),
    onUpdate:
      input.onUpdate === undefined ? undefined : requireOneOf(input.onUpdate, REFERENTIAL_ACTIONS, `${at}.onUpdate`),
  });
}
