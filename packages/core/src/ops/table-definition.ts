import { type ColumnDefinition, type ColumnInput, toColumnDefinition } from './column.js';
import {
  type CheckDefinition,
  type ForeignKeyDefinition,
  type ForeignKeyInput,
  type PrimaryKeyDefinition,
  type PrimaryKeyInput,
  toCheckDefinition,
  toForeignKeyDefinition,
  toPrimaryKeyDefinition,
  toUniqueDefinition,
  type UniqueDefinition,
} from './constraint.js';
import { type NameInput, type QualifiedName, toQualifiedName } from './qualified-name.js';
import { freezeData, optionalString, requireRecord, usageError } from './validate.js';

/**
 * A table as `create_table` creates it and as `drop_table` may carry it for its downgrade.
 * Indexes are not part of it: they are `create_index` operations of their own (autogenerate emits
 * them after the table, and `drop_index` operations before a `drop_table`). The lists are always
 * present, possibly empty.
 */
export interface TableDefinition {
  readonly name: QualifiedName;
  /** In table order; at least one, names distinct. */
  readonly columns: readonly ColumnDefinition[];
  /** Absent: no primary key. */
  readonly primaryKey?: PrimaryKeyDefinition;
  readonly uniques: readonly UniqueDefinition[];
  readonly checks: readonly CheckDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  /** Absent: no comment. */
  readonly comment?: string;
}

/** A table as factories accept it: lists may be omitted, names and columns in shorthand. */
export interface TableDefinitionInput {
  readonly name: NameInput;
  readonly columns: readonly (ColumnDefinition | ColumnInput)[];
  readonly primaryKey?: PrimaryKeyInput;
  readonly uniques?: readonly (readonly string[] | UniqueDefinition)[];
  readonly checks?: readonly CheckDefinition[];
  readonly foreignKeys?: readonly (ForeignKeyDefinition | ForeignKeyInput)[];
  readonly comment?: string;
}

function optionalList<T>(value: unknown, at: string, parse: (item: unknown, at: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw usageError(at, 'must be an array', value);
  return value.map((item: unknown, index) => parse(item, `${at}[${index}]`));
}

function requireKnownColumns(columns: readonly string[], known: ReadonlySet<string>, at: string): void {
  for (const name of columns)
    if (!known.has(name)) throw usageError(at, `names column '${name}', which the table does not define`);
}

/**
 * Parses a table definition. Besides each part's own checks, column names must be distinct and
 * every constraint must name columns the table defines.
 */
export function toTableDefinition(value: unknown, at: string): TableDefinition {
  const input = requireRecord(value, at, [
    'name',
    'columns',
    'primaryKey',
    'uniques',
    'checks',
    'foreignKeys',
    'comment',
  ]);
  const name = toQualifiedName(input.name, `${at}.name`);
  if (!Array.isArray(input.columns) || input.columns.length === 0)
    throw usageError(`${at}.columns`, 'must be a non-empty array of columns', input.columns);
  const columns = input.columns.map((item: unknown, index) => toColumnDefinition(item, `${at}.columns[${index}]`));
  const known = new Set<string>();
  for (const item of columns) {
    if (known.has(item.name)) throw usageError(`${at}.columns`, `defines column '${item.name}' twice`);
    known.add(item.name);
  }
  const primaryKey =
    input.primaryKey === undefined ? undefined : toPrimaryKeyDefinition(input.primaryKey, `${at}.primaryKey`);
  if (primaryKey) requireKnownColumns(primaryKey.columns, known, `${at}.primaryKey`);
  const uniques = optionalList(input.uniques, `${at}.uniques`, toUniqueDefinition);
  uniques.forEach((unique, index) => {
    requireKnownColumns(unique.columns, known, `${at}.uniques[${index}]`);
  });
  const foreignKeys = optionalList(input.foreignKeys, `${at}.foreignKeys`, toForeignKeyDefinition);
  foreignKeys.forEach((key, index) => {
    requireKnownColumns(key.columns, known, `${at}.foreignKeys[${index}]`);
  });
  return freezeData({
    name,
    columns,
    primaryKey,
    uniques,
    checks: optionalList(input.checks, `${at}.checks`, toCheckDefinition),
    foreignKeys,
    comment: optionalString(input.comment, `${at}.comment`),
  });
}
