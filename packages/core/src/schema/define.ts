/**
 * The schema definition API: what a user writes in the `models` module that autogenerate compares
 * with the database. Tables and enums are frozen plain data built by `table()` and `defineEnum()`;
 * `schemaModel()` turns a module's exports into a `SchemaModel`.
 */
import { CairnError } from '../errors.js';
import { type ColumnDefinition, type ColumnInput, toColumnDefinition } from '../ops/column.js';
import type { ColumnType } from '../ops/column-type.js';
import { enumType } from '../ops/column-type.js';
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
} from '../ops/constraint.js';
import { type IndexColumn, type IndexColumnInput, toIndexColumns } from '../ops/index-definition.js';
import { formatQualifiedName, type NameInput, type QualifiedName, toQualifiedName } from '../ops/qualified-name.js';
import {
  freezeData,
  isRecord,
  optionalBoolean,
  optionalString,
  requireRecord,
  requireString,
  usageError,
} from '../ops/validate.js';

/** A column of a schema table: `column(...)`'s result or its input, with an optional rename hint. */
export interface SchemaColumnInput extends ColumnInput {
  /**
   * The column's previous name: autogenerate renames `renamedFrom` to `name` instead of dropping one
   * column and adding another. Harmless to leave once the rename has run.
   */
  readonly renamedFrom?: string;
}

/** An index of a schema table; `name` absent: the naming convention's (`users_email_idx`). */
export interface SchemaIndexInput {
  readonly name?: string;
  /** Column names, or `{ kind: 'column', name, order: 'desc' }`, or `{ kind: 'expression', sql }`. */
  readonly columns: readonly IndexColumnInput[];
  readonly unique?: boolean;
  /** A partial index's predicate, in SQL. */
  readonly where?: string;
}

/** An index as a schema table holds it (its table is the table). */
export interface SchemaIndex {
  readonly name?: string;
  readonly columns: readonly IndexColumn[];
  readonly unique?: boolean;
  readonly where?: string;
}

/** What `table()` takes besides the name. Constraints may be unnamed: the convention names them. */
export interface SchemaTableInput {
  /** In table order; at least one. */
  readonly columns: readonly (ColumnDefinition | SchemaColumnInput)[];
  /** Column names in key order, or `{ name, columns }`. Its columns become NOT NULL. */
  readonly primaryKey?: PrimaryKeyInput;
  readonly uniques?: readonly (readonly string[] | UniqueDefinition)[];
  readonly indexes?: readonly SchemaIndexInput[];
  /** References name tables, so self references and cycles need no declaration order. */
  readonly foreignKeys?: readonly (ForeignKeyDefinition | ForeignKeyInput)[];
  /** SQL expressions (`'qty > 0'`) or `{ name, expression }`. */
  readonly checks?: readonly (string | CheckDefinition)[];
  readonly comment?: string;
  /** The table's previous name, in the same schema: a hint for autogenerate to rename it. */
  readonly renamedFrom?: string;
}

/**
 * A table of a schema module: frozen plain data, unnamed constraints still unnamed (the naming
 * convention is applied by `schemaModel`, which knows the identifier limit).
 */
export interface SchemaTable {
  readonly kind: 'schema_table';
  readonly name: QualifiedName;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey?: PrimaryKeyDefinition;
  readonly uniques: readonly UniqueDefinition[];
  readonly indexes: readonly SchemaIndex[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly checks: readonly CheckDefinition[];
  readonly comment?: string;
  readonly renamedFrom?: string;
  /** Column rename hints: new name → previous name. Absent: none. */
  readonly renamedColumns?: Readonly<Record<string, string>>;
}

/** One value of `defineEnum`: the value, or the value with the label it replaces. */
export type EnumValueInput = string | { readonly value: string; readonly renamedFrom: string };

/**
 * An enum of a schema module. It is an enum column type (`{ kind: 'enum', name, values }`), so a
 * column can use it directly; `renamedValues` are hints that `column()` leaves out of the column.
 */
export interface SchemaEnum extends Extract<ColumnType, { kind: 'enum' }> {
  /** Value rename hints: new value → previous value. Absent: none. */
  readonly renamedValues?: Readonly<Record<string, string>>;
}

function invalid(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('INVALID_SCHEMA', `Invalid schema: ${message}`, { details });
}

function list<T>(value: unknown, at: string, parse: (item: unknown, at: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw usageError(at, 'must be an array', value);
  return value.map((item: unknown, index) => parse(item, `${at}[${index}]`));
}

function toSchemaIndex(value: unknown, at: string): SchemaIndex {
  const input = requireRecord(value, at, ['name', 'columns', 'unique', 'where']);
  return freezeData({
    name: optionalString(input.name, `${at}.name`),
    columns: toIndexColumns(input.columns, `${at}.columns`),
    unique: optionalBoolean(input.unique, `${at}.unique`) || undefined,
    where: optionalString(input.where, `${at}.where`),
  });
}

/**
 * Declares a table of the schema module. `name` may carry a PostgreSQL schema
 * (`{ schema: 'billing', name: 'invoices' }`). Each part is checked here; what needs the other
 * tables (foreign keys, enums, duplicate names) is checked by `schemaModel`. Throws
 * `CairnError('USAGE')` for a malformed argument and `CairnError('INVALID_SCHEMA')` for a column
 * defined twice, naming the table.
 *
 * @example
 * export const posts = table('posts', {
 *   columns: [column('id', serial()), column('author_id', integer(), { nullable: false }), column('title', text())],
 *   primaryKey: ['id'],
 *   foreignKeys: [{ columns: ['author_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' }],
 *   indexes: [{ columns: ['author_id', { kind: 'column', name: 'id', order: 'desc' }] }],
 * });
 */
export function table(name: NameInput, definition: SchemaTableInput): SchemaTable {
  const qualified = toQualifiedName(name, 'table: name');
  const at = `table ${formatQualifiedName(qualified)}`;
  const input = requireRecord(definition, at, [
    'columns',
    'primaryKey',
    'uniques',
    'indexes',
    'foreignKeys',
    'checks',
    'comment',
    'renamedFrom',
  ]);
  if (!Array.isArray(input.columns) || input.columns.length === 0)
    throw usageError(`${at}: columns`, 'must be a non-empty array of columns', input.columns);
  const renamedColumns: Record<string, string> = {};
  const columns = input.columns.map((item: unknown, index) => {
    const where = `${at}: columns[${index}]`;
    if (!isRecord(item)) throw usageError(where, "must be a column such as column('id', serial())", item);
    const { renamedFrom, ...rest } = item;
    const parsed = toColumnDefinition(rest, where);
    if (renamedFrom !== undefined) renamedColumns[parsed.name] = requireString(renamedFrom, `${where}.renamedFrom`);
    return parsed;
  });
  const seen = new Set<string>();
  for (const item of columns) {
    if (seen.has(item.name))
      throw invalid(`table '${formatQualifiedName(qualified)}' defines column '${item.name}' twice`, {
        table: qualified,
        column: item.name,
      });
    seen.add(item.name);
  }
  const foreignKeys = list(input.foreignKeys, `${at}: foreignKeys`, (item, where) => {
    // The column-count mismatch is a schema error naming the table, not a malformed argument.
    if (isRecord(item) && Array.isArray(item.columns) && isRecord(item.references)) {
      const referenced = item.references.columns;
      if (Array.isArray(referenced) && referenced.length !== item.columns.length)
        throw invalid(
          `table '${formatQualifiedName(qualified)}': the foreign key on (${item.columns.join(', ')}) references ${referenced.length} column(s) (${referenced.join(', ')}); both lists need the same length`,
          { table: qualified, columns: item.columns },
        );
    }
    return toForeignKeyDefinition(item, where);
  });
  return freezeData({
    kind: 'schema_table',
    name: qualified,
    columns,
    primaryKey:
      input.primaryKey === undefined ? undefined : toPrimaryKeyDefinition(input.primaryKey, `${at}: primaryKey`),
    uniques: list(input.uniques, `${at}: uniques`, toUniqueDefinition),
    indexes: list(input.indexes, `${at}: indexes`, toSchemaIndex),
    foreignKeys,
    checks: list(input.checks, `${at}: checks`, (item, where) =>
      toCheckDefinition(typeof item === 'string' ? { expression: item } : item, where),
    ),
    comment: optionalString(input.comment, `${at}: comment`),
    renamedFrom: optionalString(input.renamedFrom, `${at}: renamedFrom`),
    renamedColumns: Object.keys(renamedColumns).length === 0 ? undefined : renamedColumns,
  } satisfies SchemaTable);
}

/**
 * Declares a named enum of the schema module (PostgreSQL `CREATE TYPE … AS ENUM`; MySQL's inline
 * `ENUM`, SQLite's `CHECK` on the columns using it). The result is the enum's column type too:
 * `column('mood', mood)`. A value given as `{ value, renamedFrom }` is a rename hint. A value
 * listed twice is `CairnError('INVALID_SCHEMA')`.
 *
 * @example export const mood = defineEnum('mood', ['happy', 'sad', { value: 'content', renamedFrom: 'ok' }]);
 */
export function defineEnum(name: NameInput, values: readonly EnumValueInput[]): SchemaEnum {
  const qualified = toQualifiedName(name, 'defineEnum: name');
  const at = `defineEnum ${formatQualifiedName(qualified)}: values`;
  if (!Array.isArray(values) || values.length === 0) throw usageError(at, 'must be a non-empty array', values);
  const renamedValues: Record<string, string> = {};
  const labels = values.map((item: unknown, index) => {
    if (typeof item === 'string') return requireString(item, `${at}[${index}]`);
    const input = requireRecord(item, `${at}[${index}]`, ['value', 'renamedFrom']);
    const value = requireString(input.value, `${at}[${index}].value`);
    renamedValues[value] = requireString(input.renamedFrom, `${at}[${index}].renamedFrom`);
    return value;
  });
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label))
      throw invalid(`enum '${formatQualifiedName(qualified)}' lists the value '${label}' twice`, {
        enum: qualified,
        value: label,
      });
    seen.add(label);
  }
  for (const [value, from] of Object.entries(renamedValues))
    if (seen.has(from))
      throw invalid(
        `enum '${formatQualifiedName(qualified)}': '${value}' is renamed from '${from}', which the enum still lists`,
        { enum: qualified, value, renamedFrom: from },
      );
  const type = enumType(qualified, labels);
  return freezeData({
    ...type,
    values: [...type.values],
    renamedValues: Object.keys(renamedValues).length === 0 ? undefined : renamedValues,
  });
}

/** True for what `table()` returns. */
export function isSchemaTable(value: unknown): value is SchemaTable {
  return isRecord(value) && value.kind === 'schema_table';
}

/** True for an enum column type, from `defineEnum()` or `enumType()`. */
export function isSchemaEnum(value: unknown): value is SchemaEnum {
  return isRecord(value) && value.kind === 'enum' && isRecord(value.name) && Array.isArray(value.values);
}
