import { type ColumnDefinition, type ColumnInput, toColumnDefinition } from './column.js';
import type { ColumnDefault, ColumnDefaultInput } from './column-default.js';
import { toColumnDefault } from './column-default.js';
import type { ColumnType } from './column-type.js';
import { toColumnType } from './column-type.js';
import {
  type CheckDefinition,
  type ForeignKeyDefinition,
  type ForeignKeyInput,
  type PrimaryKeyDefinition,
  type ReferentialAction,
  toCheckDefinition,
  toForeignKeyDefinition,
  toPrimaryKeyDefinition,
  toUniqueDefinition,
  type UniqueDefinition,
} from './constraint.js';
import {
  type IndexColumnInput,
  type IndexDefinition,
  type IndexDefinitionInput,
  toIndexDefinition,
} from './index-definition.js';
import { type NameInput, type QualifiedName, toQualifiedName } from './qualified-name.js';
import { requireSqlValue, requireSqlValues, type SqlValue } from './sql-value.js';
import { type TableDefinition, type TableDefinitionInput, toTableDefinition } from './table-definition.js';
import {
  freezeData,
  isRecord,
  optionalBoolean,
  optionalString,
  requireRecord,
  requireString,
  requireStringList,
  usageError,
} from './validate.js';

/*
 * Conventions of every operation below:
 * - `kind` is the snake_case name of the factory (`create_table` ← `createTable`).
 * - Tables, enums and referenced tables are `QualifiedName`s; columns, indexes and constraints are
 *   bare names (they live in their table's or schema's namespace).
 * - Optional fields are absent, never `undefined`; boolean flags are absent when false.
 * - A dropping operation may carry what it drops (`definition`, `values`), and a changing one what
 *   was there before (`from`, `previous`): that is what `reverse()` needs for the downgrade.
 *   Autogenerate always fills them in; hand-written migrations may leave them out.
 */

/** `CREATE TABLE` with its columns and constraints (indexes are separate `create_index` operations). */
export interface CreateTable extends TableDefinition {
  readonly kind: 'create_table';
}

/** `DROP TABLE`. `definition` (the table as it was) makes it reversible. */
export interface DropTable {
  readonly kind: 'drop_table';
  readonly name: QualifiedName;
  readonly definition?: TableDefinition;
}

/** Renames a table within its schema. */
export interface RenameTable {
  readonly kind: 'rename_table';
  readonly name: QualifiedName;
  readonly newName: string;
}

/** Sets (`comment` a string) or removes (`null`) a table's comment; `previous` makes it reversible. */
export interface CommentTable {
  readonly kind: 'comment_table';
  readonly name: QualifiedName;
  readonly comment: string | null;
  readonly previous?: string | null;
}

/** `ALTER TABLE … ADD COLUMN`. */
export interface AddColumn {
  readonly kind: 'add_column';
  readonly table: QualifiedName;
  readonly column: ColumnDefinition;
}

/** `ALTER TABLE … DROP COLUMN`. `definition` (the column as it was) makes it reversible. */
export interface DropColumn {
  readonly kind: 'drop_column';
  readonly table: QualifiedName;
  readonly column: string;
  readonly definition?: ColumnDefinition;
}

/** Renames a column. */
export interface RenameColumn {
  readonly kind: 'rename_column';
  readonly table: QualifiedName;
  readonly column: string;
  readonly newName: string;
}

/** One aspect of a column changed by `alter_column`: the new value and, when known, the old one. */
export interface ColumnChange<T> {
  readonly to: T;
  /** Absent: unknown, and then this aspect cannot be reversed. */
  readonly from?: T;
}

/** A type change. `using` converts existing values (PostgreSQL `USING`); `reverseUsing` converts them back. */
export interface ColumnTypeChange extends ColumnChange<ColumnType> {
  readonly using?: string;
  readonly reverseUsing?: string;
}

/**
 * Changes one or more aspects of a column; at least one is present. `default: { to: null }`
 * drops the default and `comment: { to: null }` the comment. Dialects that need the whole column
 * (MySQL `MODIFY`, SQLite's table rebuild) read it from `RuleContext.tableBefore`.
 */
export interface AlterColumn {
  readonly kind: 'alter_column';
  readonly table: QualifiedName;
  readonly column: string;
  readonly type?: ColumnTypeChange;
  readonly nullable?: ColumnChange<boolean>;
  readonly default?: ColumnChange<ColumnDefault | null>;
  readonly comment?: ColumnChange<string | null>;
}

/** `CREATE [UNIQUE] INDEX`; `concurrently` is PostgreSQL's and runs outside a transaction. */
export interface CreateIndex extends IndexDefinition {
  readonly kind: 'create_index';
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

/** `DROP INDEX`. `definition` (the index as it was) makes it reversible. */
export interface DropIndex {
  readonly kind: 'drop_index';
  readonly name: string;
  /** Needed by MySQL (`DROP INDEX … ON table`) and for the index's schema. */
  readonly table: QualifiedName;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  readonly definition?: IndexDefinition;
}

/** Adds a primary key to an existing table; `name` absent: the dialect's default name. */
export interface AddPrimaryKey extends PrimaryKeyDefinition {
  readonly kind: 'add_primary_key';
  readonly table: QualifiedName;
}

/** Drops a table's primary key. `definition` makes it reversible. */
export interface DropPrimaryKey {
  readonly kind: 'drop_primary_key';
  readonly table: QualifiedName;
  /** Absent: the dialect's default name. */
  readonly name?: string;
  readonly definition?: PrimaryKeyDefinition;
}

/** Adds a named unique constraint. */
export interface AddUnique extends UniqueDefinition {
  readonly kind: 'add_unique';
  readonly table: QualifiedName;
  readonly name: string;
}

/** Drops a unique constraint. `definition` makes it reversible. */
export interface DropUnique {
  readonly kind: 'drop_unique';
  readonly table: QualifiedName;
  readonly name: string;
  readonly definition?: UniqueDefinition;
}

/** Adds a named foreign key. */
export interface AddForeignKey extends ForeignKeyDefinition {
  readonly kind: 'add_foreign_key';
  readonly table: QualifiedName;
  readonly name: string;
}

/** Drops a foreign key. `definition` makes it reversible. */
export interface DropForeignKey {
  readonly kind: 'drop_foreign_key';
  readonly table: QualifiedName;
  readonly name: string;
  readonly definition?: ForeignKeyDefinition;
}

/** Adds a named check constraint. */
export interface AddCheck extends CheckDefinition {
  readonly kind: 'add_check';
  readonly table: QualifiedName;
  readonly name: string;
}

/** Drops a check constraint. `definition` makes it reversible. */
export interface DropCheck {
  readonly kind: 'drop_check';
  readonly table: QualifiedName;
  readonly name: string;
  readonly definition?: CheckDefinition;
}

/** Creates a named enum (PostgreSQL `CREATE TYPE … AS ENUM`; elsewhere the dialect's emulation). */
export interface CreateEnum {
  readonly kind: 'create_enum';
  readonly name: QualifiedName;
  readonly values: readonly string[];
}

/** Drops an enum. `values` (as they were) make it reversible. */
export interface DropEnum {
  readonly kind: 'drop_enum';
  readonly name: QualifiedName;
  readonly values?: readonly string[];
}

/** Adds a value, at the end or `before`/`after` an existing one (at most one of the two). */
export interface AddEnumValue {
  readonly kind: 'add_enum_value';
  readonly name: QualifiedName;
  readonly value: string;
  readonly before?: string;
  readonly after?: string;
  readonly ifNotExists?: boolean;
}

/** Renames a value; rows holding it keep holding it under the new label. */
export interface RenameEnumValue {
  readonly kind: 'rename_enum_value';
  readonly name: QualifiedName;
  readonly from: string;
  readonly to: string;
}

/**
 * Removes a value (PostgreSQL: the recreate-and-cast path). Rows holding it are first set to
 * `replaceWith`; without it the operation fails while any row holds the value. Never reversible:
 * which rows held the value is lost.
 */
export interface DropEnumValue {
  readonly kind: 'drop_enum_value';
  readonly name: QualifiedName;
  readonly value: string;
  readonly replaceWith?: string;
}

/** SQL and its positional parameters, in the dialect's placeholder syntax. */
export interface SqlText {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** Raw SQL, run as written. `down` is the SQL that undoes it, which makes it reversible. */
export interface Execute extends SqlText {
  readonly kind: 'execute';
  readonly down?: SqlText;
}

/** A row of a bulk operation: column name → value. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/**
 * Inserts rows. `key` (columns that identify a row, each present in every row) makes it
 * reversible: the downgrade deletes the rows by key.
 */
export interface BulkInsert {
  readonly kind: 'bulk_insert';
  readonly table: QualifiedName;
  readonly rows: readonly SqlRow[];
  readonly key?: readonly string[];
}

/**
 * Deletes the rows whose `key` columns equal those of one of `rows`. The other columns of `rows`
 * are not compared; they are what the downgrade re-inserts, so give whole rows to have it restore
 * them exactly.
 */
export interface BulkDelete {
  readonly kind: 'bulk_delete';
  readonly table: QualifiedName;
  readonly key: readonly string[];
  readonly rows: readonly SqlRow[];
}

/**
 * Every schema or data change a migration can make: frozen, JSON-serialisable plain data with a
 * literal `kind`. Autogenerate emits it, the renderer writes it as source, `reverse()` derives
 * downgrades from it, and each dialect's `CompileRules` turn it into statements.
 */
export type Operation =
  | CreateTable
  | DropTable
  | RenameTable
  | CommentTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumn
  | CreateIndex
  | DropIndex
  | AddPrimaryKey
  | DropPrimaryKey
  | AddUnique
  | DropUnique
  | AddForeignKey
  | DropForeignKey
  | AddCheck
  | DropCheck
  | CreateEnum
  | DropEnum
  | AddEnumValue
  | RenameEnumValue
  | DropEnumValue
  | Execute
  | BulkInsert
  | BulkDelete;

/** The `kind` of every operation. */
export type OperationKind = Operation['kind'];

/** The operation of one kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** Checked with `satisfies`: a kind added to `Operation` fails to compile until listed here. */
const KINDS = {
  create_table: true,
  drop_table: true,
  rename_table: true,
  comment_table: true,
  add_column: true,
  drop_column: true,
  rename_column: true,
  alter_column: true,
  create_index: true,
  drop_index: true,
  add_primary_key: true,
  drop_primary_key: true,
  add_unique: true,
  drop_unique: true,
  add_foreign_key: true,
  drop_foreign_key: true,
  add_check: true,
  drop_check: true,
  create_enum: true,
  drop_enum: true,
  add_enum_value: true,
  rename_enum_value: true,
  drop_enum_value: true,
  execute: true,
  bulk_insert: true,
  bulk_delete: true,
} as const satisfies Record<OperationKind, true>;

/** Every operation kind, in the order of the `Operation` union (for test suites and tooling). */
export const OPERATION_KINDS: readonly OperationKind[] = Object.freeze(Object.keys(KINDS) as OperationKind[]);

/** True when `value` is the `kind` of an operation (e.g. for data read back from JSON). */
export function isOperationKind(value: unknown): value is OperationKind {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

// ---- shared parsing -------------------------------------------------------------------------

function sameData(a: unknown, b: unknown): boolean {
  // Both sides are parsed, normalised data built in a fixed key order, so their JSON compares.
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Parses the `definition` a dropping operation carries. Its identifying fields (`fields`) may be
 * left out, and are then taken from the operation; given, they must agree with it.
 */
function carriedDefinition<T>(
  value: unknown,
  at: string,
  fields: Readonly<Record<string, { readonly raw: unknown; readonly parsed: unknown }>>,
  parse: (value: unknown, at: string) => T,
): T | undefined {
  if (value === undefined) return undefined;
  const input = { ...requireRecord(value, at) };
  for (const [field, { raw }] of Object.entries(fields)) if (input[field] === undefined) input[field] = raw;
  const definition = parse(input, at);
  for (const [field, { parsed }] of Object.entries(fields)) {
    const carried = (definition as Record<string, unknown>)[field];
    if (!sameData(carried, parsed))
      throw usageError(`${at}.${field}`, `must match the operation's ${field} (${JSON.stringify(parsed)})`, carried);
  }
  return definition;
}

function optionsRecord(value: unknown, at: string, keys: readonly string[]): Readonly<Record<string, unknown>> {
  return requireRecord(value ?? {}, at, keys);
}

function requireDifferent(from: string, to: string, at: string): void {
  if (from === to) throw usageError(at, `is the current name '${from}'; a rename must change it`);
}

function toSqlRows(
  value: unknown,
  at: string,
  key: readonly string[] | undefined,
): Readonly<Record<string, SqlValue>>[] {
  if (!Array.isArray(value)) throw usageError(at, 'must be an array of rows ({ column: value })', value);
  return value.map((item: unknown, index) => {
    const rowAt = `${at}[${index}]`;
    const input = requireRecord(item, rowAt);
    const entries = Object.entries(input).filter(([, cell]) => cell !== undefined);
    if (entries.length === 0) throw usageError(rowAt, 'has no columns');
    const row: Record<string, SqlValue> = {};
    for (const [name, cell] of entries) row[name] = requireSqlValue(cell, `${rowAt}.${name}`);
    for (const name of key ?? []) if (!Object.hasOwn(row, name)) throw usageError(rowAt, `lacks key column '${name}'`);
    return row;
  });
}

// ---- tables ---------------------------------------------------------------------------------

/**
 * Creates a table. `columns` must be non-empty with distinct names; `primaryKey` is a column list
 * or `{ name?, columns }`; `uniques`, `checks` and `foreignKeys` default to none. Constraints must
 * name columns of the table.
 *
 * @example
 * createTable({
 *   name: 'account',
 *   columns: [column('id', serial(), { nullable: false }), column('email', varchar(255), { nullable: false })],
 *   primaryKey: ['id'],
 *   uniques: [{ name: 'account_email_key', columns: ['email'] }],
 * })
 */
export function createTable(definition: TableDefinitionInput): CreateTable {
  return freezeData({ kind: 'create_table', ...toTableDefinition(definition, 'createTable: definition') });
}

/** Options of `dropTable`. */
export interface DropTableOptions {
  /** The table as it was (its `name` may be omitted). Default: none, and the drop is irreversible. */
  readonly definition?: Omit<TableDefinitionInput, 'name'> & { readonly name?: NameInput };
}

/**
 * Drops a table.
 *
 * @example dropTable('account', { definition: { columns: [column('id', integer())] } })
 */
export function dropTable(name: NameInput, options?: DropTableOptions): DropTable {
  const opts = optionsRecord(options, 'dropTable: options', ['definition']);
  const parsed = toQualifiedName(name, 'dropTable: name');
  return freezeData({
    kind: 'drop_table',
    name: parsed,
    definition: carriedDefinition(
      opts.definition,
      'dropTable: options.definition',
      { name: { raw: name, parsed } },
      toTableDefinition,
    ),
  });
}

/**
 * Renames a table; `newName` is a bare name in the same schema.
 *
 * @example renameTable('account', 'user_account')
 */
export function renameTable(name: NameInput, newName: string): RenameTable {
  const parsed = toQualifiedName(name, 'renameTable: name');
  const target = requireString(newName, 'renameTable: newName');
  requireDifferent(parsed.name, target, 'renameTable: newName');
  return freezeData({ kind: 'rename_table', name: parsed, newName: target });
}

/** Options of `commentTable` and comment changes. */
export interface CommentTableOptions {
  /** The comment before this change (`null`: none). Default: unknown, and the change is irreversible. */
  readonly previous?: string | null;
}

function commentValue(value: unknown, at: string): string | null {
  return value === null ? null : requireString(value, at);
}

/**
 * Sets a table's comment, or removes it with `null`.
 *
 * @example commentTable('account', 'Registered users', { previous: null })
 */
export function commentTable(name: NameInput, comment: string | null, options?: CommentTableOptions): CommentTable {
  const opts = optionsRecord(options, 'commentTable: options', ['previous']);
  return freezeData({
    kind: 'comment_table',
    name: toQualifiedName(name, 'commentTable: name'),
    comment: commentValue(comment, 'commentTable: comment'),
    previous: opts.previous === undefined ? undefined : commentValue(opts.previous, 'commentTable: options.previous'),
  });
}

// ---- columns --------------------------------------------------------------------------------

/**
 * Adds a column.
 *
 * @example addColumn('account', column('phone', varchar(32)))
 */
export function addColumn(table: NameInput, column: ColumnDefinition | ColumnInput): AddColumn {
  return freezeData({
    kind: 'add_column',
    table: toQualifiedName(table, 'addColumn: table'),
    column: toColumnDefinition(column, 'addColumn: column'),
  });
}

/** Options of `dropColumn`. */
export interface DropColumnOptions {
  /** The column as it was (its `name` may be omitted). Default: none, and the drop is irreversible. */
  readonly definition?: Omit<ColumnInput, 'name'> & { readonly name?: string };
}

/**
 * Drops a column.
 *
 * @example dropColumn('account', 'phone', { definition: { type: varchar(32) } })
 */
export function dropColumn(table: NameInput, column: string, options?: DropColumnOptions): DropColumn {
  const opts = optionsRecord(options, 'dropColumn: options', ['definition']);
  const name = requireString(column, 'dropColumn: column');
  return freezeData({
    kind: 'drop_column',
    table: toQualifiedName(table, 'dropColumn: table'),
    column: name,
    definition: carriedDefinition(
      opts.definition,
      'dropColumn: options.definition',
      { name: { raw: column, parsed: name } },
      toColumnDefinition,
    ),
  });
}

/**
 * Renames a column.
 *
 * @example renameColumn('account', 'phone', 'phone_number')
 */
export function renameColumn(table: NameInput, column: string, newName: string): RenameColumn {
  const from = requireString(column, 'renameColumn: column');
  const to = requireString(newName, 'renameColumn: newName');
  requireDifferent(from, to, 'renameColumn: newName');
  return freezeData({
    kind: 'rename_column',
    table: toQualifiedName(table, 'renameColumn: table'),
    column: from,
    newName: to,
  });
}

/**
 * The changes `alterColumn` takes. Each aspect is either its new value alone (`nullable: false`)
 * or `{ to, from? }` with the old value, which makes it reversible.
 */
export interface AlterColumnChanges {
  readonly type?:
    | ColumnType
    | { readonly to: ColumnType; readonly from?: ColumnType; readonly using?: string; readonly reverseUsing?: string };
  readonly nullable?: boolean | { readonly to: boolean; readonly from?: boolean };
  /** `null` drops the default. */
  readonly default?:
    | ColumnDefaultInput
    | null
    | { readonly to: ColumnDefaultInput | null; readonly from?: ColumnDefaultInput | null };
  /** `null` removes the comment. */
  readonly comment?: string | null | { readonly to: string | null; readonly from?: string | null };
}

/** True for the `{ to, from? }` form; a column type or default has a `kind` instead. */
function isChangeForm(value: unknown): value is Readonly<Record<string, unknown>> {
  return isRecord(value) && Object.hasOwn(value, 'to') && !Object.hasOwn(value, 'kind');
}

function change<T>(
  value: unknown,
  at: string,
  parse: (value: unknown, at: string) => T,
  extraKeys: readonly string[] = [],
): ColumnChange<T> | undefined {
  if (value === undefined) return undefined;
  if (!isChangeForm(value)) return { to: parse(value, at) };
  const input = requireRecord(value, at, ['to', 'from', ...extraKeys]);
  return {
    to: parse(input.to, `${at}.to`),
    from: input.from === undefined ? undefined : parse(input.from, `${at}.from`),
  };
}

function nullableDefault(value: unknown, at: string): ColumnDefault | null {
  return value === null ? null : toColumnDefault(value, at);
}

function requireBoolean(value: unknown, at: string): boolean {
  const checked = optionalBoolean(value, at);
  if (checked === undefined) throw usageError(at, 'must be true or false', value);
  return checked;
}

/**
 * Changes a column's type (with an optional `using` conversion), nullability, default and/or
 * comment. At least one change is required.
 *
 * @example
 * alterColumn('account', 'age', { type: { to: integer(), from: text(), using: 'age::integer' }, nullable: false })
 */
export function alterColumn(table: NameInput, column: string, changes: AlterColumnChanges): AlterColumn {
  const input = requireRecord(changes, 'alterColumn: changes', ['type', 'nullable', 'default', 'comment']);
  const typeAt = 'alterColumn: changes.type';
  const type = change(input.type, typeAt, toColumnType, ['using', 'reverseUsing']);
  const typeInput = isChangeForm(input.type) ? input.type : {};
  const altered = {
    kind: 'alter_column' as const,
    table: toQualifiedName(table, 'alterColumn: table'),
    column: requireString(column, 'alterColumn: column'),
    type: type && {
      ...type,
      using: optionalString(typeInput.using, `${typeAt}.using`),
      reverseUsing: optionalString(typeInput.reverseUsing, `${typeAt}.reverseUsing`),
    },
    nullable: change(input.nullable, 'alterColumn: changes.nullable', requireBoolean),
    default: change(input.default, 'alterColumn: changes.default', nullableDefault),
    comment: change(input.comment, 'alterColumn: changes.comment', commentValue),
  };
  if (!altered.type && !altered.nullable && !altered.default && !altered.comment)
    throw usageError('alterColumn: changes', 'must change at least one of type, nullable, default or comment', changes);
  return freezeData(altered);
}

// ---- indexes --------------------------------------------------------------------------------

/** Options of `createIndex`. Every flag defaults to `false`. */
export interface CreateIndexOptions {
  readonly unique?: boolean;
  /** A partial index's predicate, in SQL. Default: none (the whole table). */
  readonly where?: string;
  /** PostgreSQL `CONCURRENTLY`: no write lock, but it must run outside a transaction. */
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

/**
 * Creates an index. `columns` are column names or `{ kind: 'expression', sql }` keys.
 *
 * @example createIndex('account_email_idx', 'account', ['email'], { unique: true, where: 'deleted_at IS NULL' })
 */
export function createIndex(
  name: string,
  table: NameInput,
  columns: readonly IndexColumnInput[],
  options?: CreateIndexOptions,
): CreateIndex {
  const opts = optionsRecord(options, 'createIndex: options', ['unique', 'where', 'concurrently', 'ifNotExists']);
  return freezeData({
    kind: 'create_index',
    ...toIndexDefinition({ name, table, columns, unique: opts.unique, where: opts.where }, 'createIndex'),
    concurrently: optionalBoolean(opts.concurrently, 'createIndex: options.concurrently') || undefined,
    ifNotExists: optionalBoolean(opts.ifNotExists, 'createIndex: options.ifNotExists') || undefined,
  });
}

/** Options of `dropIndex`. Every flag defaults to `false`. */
export interface DropIndexOptions {
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  /** The index as it was (`name` and `table` may be omitted). Default: none, and the drop is irreversible. */
  readonly definition?: Omit<IndexDefinitionInput, 'name' | 'table'> & {
    readonly name?: string;
    readonly table?: NameInput;
  };
}

/**
 * Drops an index.
 *
 * @example dropIndex('account_email_idx', 'account', { definition: { columns: ['email'], unique: true } })
 */
export function dropIndex(name: string, table: NameInput, options?: DropIndexOptions): DropIndex {
  const opts = optionsRecord(options, 'dropIndex: options', ['concurrently', 'ifExists', 'definition']);
  const indexName = requireString(name, 'dropIndex: name');
  const parsedTable = toQualifiedName(table, 'dropIndex: table');
  return freezeData({
    kind: 'drop_index',
    name: indexName,
    table: parsedTable,
    concurrently: optionalBoolean(opts.concurrently, 'dropIndex: options.concurrently') || undefined,
    ifExists: optionalBoolean(opts.ifExists, 'dropIndex: options.ifExists') || undefined,
    definition: carriedDefinition(
      opts.definition,
      'dropIndex: options.definition',
      { name: { raw: name, parsed: indexName }, table: { raw: table, parsed: parsedTable } },
      toIndexDefinition,
    ),
  });
}

// ---- constraints ----------------------------------------------------------------------------

/**
 * Adds a primary key; `options.name` defaults to the dialect's own name.
 *
 * @example addPrimaryKey('account', ['id'])
 */
export function addPrimaryKey(
  table: NameInput,
  columns: readonly string[],
  options?: { readonly name?: string },
): AddPrimaryKey {
  const opts = optionsRecord(options, 'addPrimaryKey: options', ['name']);
  return freezeData({
    kind: 'add_primary_key',
    table: toQualifiedName(table, 'addPrimaryKey: table'),
    ...toPrimaryKeyDefinition({ name: opts.name, columns }, 'addPrimaryKey'),
  });
}

/** Options of `dropPrimaryKey`. */
export interface DropPrimaryKeyOptions {
  /** Default: the dialect's own name (or `definition.name`). */
  readonly name?: string;
  /** The key as it was. Default: none, and the drop is irreversible. */
  readonly definition?: PrimaryKeyDefinition;
}

/**
 * Drops a table's primary key.
 *
 * @example dropPrimaryKey('account', { definition: { columns: ['id'] } })
 */
export function dropPrimaryKey(table: NameInput, options?: DropPrimaryKeyOptions): DropPrimaryKey {
  const opts = optionsRecord(options, 'dropPrimaryKey: options', ['name', 'definition']);
  const definitionName = isRecord(opts.definition) ? opts.definition.name : undefined;
  const name = optionalString(opts.name ?? definitionName, 'dropPrimaryKey: options.name');
  return freezeData({
    kind: 'drop_primary_key',
    table: toQualifiedName(table, 'dropPrimaryKey: table'),
    name,
    definition: carriedDefinition(
      opts.definition,
      'dropPrimaryKey: options.definition',
      name === undefined ? {} : { name: { raw: name, parsed: name } },
      toPrimaryKeyDefinition,
    ),
  });
}

/**
 * Adds a named unique constraint.
 *
 * @example addUnique('account_email_key', 'account', ['email'])
 */
export function addUnique(name: string, table: NameInput, columns: readonly string[]): AddUnique {
  return freezeData({
    kind: 'add_unique',
    table: toQualifiedName(table, 'addUnique: table'),
    name: requireString(name, 'addUnique: name'),
    columns: [...requireStringList(columns, 'addUnique: columns')],
  });
}

/** Options of the constraint drops: the constraint as it was (its `name` may be omitted). */
export interface DropConstraintOptions<D> {
  /** Default: none, and the drop is irreversible. */
  readonly definition?: D;
}

function dropNamed<K extends 'drop_unique' | 'drop_foreign_key' | 'drop_check', D>(
  kind: K,
  fn: string,
  name: string,
  table: NameInput,
  options: unknown,
  parse: (value: unknown, at: string) => D,
) {
  const opts = optionsRecord(options, `${fn}: options`, ['definition']);
  const parsedName = requireString(name, `${fn}: name`);
  return freezeData({
    kind,
    table: toQualifiedName(table, `${fn}: table`),
    name: parsedName,
    definition: carriedDefinition(
      opts.definition,
      `${fn}: options.definition`,
      { name: { raw: name, parsed: parsedName } },
      parse,
    ),
  });
}

/**
 * Drops a unique constraint.
 *
 * @example dropUnique('account_email_key', 'account', { definition: { columns: ['email'] } })
 */
export function dropUnique(
  name: string,
  table: NameInput,
  options?: DropConstraintOptions<UniqueDefinition>,
): DropUnique {
  return dropNamed('drop_unique', 'dropUnique', name, table, options, toUniqueDefinition);
}

/** Options of `addForeignKey`. */
export interface AddForeignKeyOptions {
  /** Default: absent (the database's `NO ACTION`). */
  readonly onDelete?: ReferentialAction;
  /** Default: absent (the database's `NO ACTION`). */
  readonly onUpdate?: ReferentialAction;
}

/**
 * Adds a named foreign key from `columns` of `table` to `references.columns` of `references.table`.
 *
 * @example addForeignKey('post_author_fk', 'post', ['author_id'], { table: 'account', columns: ['id'] }, { onDelete: 'cascade' })
 */
export function addForeignKey(
  name: string,
  table: NameInput,
  columns: readonly string[],
  references: ForeignKeyInput['references'],
  options?: AddForeignKeyOptions,
): AddForeignKey {
  const opts = optionsRecord(options, 'addForeignKey: options', ['onDelete', 'onUpdate']);
  const checkedName = requireString(name, 'addForeignKey: name');
  const { onDelete, onUpdate } = opts;
  return freezeData({
    kind: 'add_foreign_key',
    table: toQualifiedName(table, 'addForeignKey: table'),
    name: checkedName,
    // The definition is parsed without its name, so the spread cannot overwrite the one above.
    ...toForeignKeyDefinition({ columns, references, onDelete, onUpdate }, 'addForeignKey'),
  });
}

/**
 * Drops a foreign key.
 *
 * @example dropForeignKey('post_author_fk', 'post')
 */
export function dropForeignKey(
  name: string,
  table: NameInput,
  options?: DropConstraintOptions<ForeignKeyDefinition | ForeignKeyInput>,
): DropForeignKey {
  return dropNamed('drop_foreign_key', 'dropForeignKey', name, table, options, toForeignKeyDefinition);
}

/**
 * Adds a named check constraint; `expression` is SQL, inserted unchanged.
 *
 * @example addCheck('account_age_check', 'account', 'age >= 0')
 */
export function addCheck(name: string, table: NameInput, expression: string): AddCheck {
  return freezeData({
    kind: 'add_check',
    table: toQualifiedName(table, 'addCheck: table'),
    name: requireString(name, 'addCheck: name'),
    expression: requireString(expression, 'addCheck: expression'),
  });
}

/**
 * Drops a check constraint.
 *
 * @example dropCheck('account_age_check', 'account', { definition: { expression: 'age >= 0' } })
 */
export function dropCheck(name: string, table: NameInput, options?: DropConstraintOptions<CheckDefinition>): DropCheck {
  return dropNamed('drop_check', 'dropCheck', name, table, options, toCheckDefinition);
}

// ---- enums ----------------------------------------------------------------------------------

/**
 * Creates an enum with its values in order (non-empty, distinct).
 *
 * @example createEnum('mood', ['happy', 'sad'])
 */
export function createEnum(name: NameInput, values: readonly string[]): CreateEnum {
  return freezeData({
    kind: 'create_enum',
    name: toQualifiedName(name, 'createEnum: name'),
    values: [...requireStringList(values, 'createEnum: values')],
  });
}

/**
 * Drops an enum; `options.values` (as they were) make it reversible.
 *
 * @example dropEnum('mood', { values: ['happy', 'sad'] })
 */
export function dropEnum(name: NameInput, options?: { readonly values?: readonly string[] }): DropEnum {
  const opts = optionsRecord(options, 'dropEnum: options', ['values']);
  return freezeData({
    kind: 'drop_enum',
    name: toQualifiedName(name, 'dropEnum: name'),
    values: opts.values === undefined ? undefined : [...requireStringList(opts.values, 'dropEnum: options.values')],
  });
}

/** Options of `addEnumValue`; `before` and `after` exclude each other. Default: append at the end. */
export interface AddEnumValueOptions {
  readonly before?: string;
  readonly after?: string;
  /** Default: `false`. */
  readonly ifNotExists?: boolean;
}

/**
 * Adds a value to an enum.
 *
 * @example addEnumValue('mood', 'ok', { after: 'happy' })
 */
export function addEnumValue(name: NameInput, value: string, options?: AddEnumValueOptions): AddEnumValue {
  const opts = optionsRecord(options, 'addEnumValue: options', ['before', 'after', 'ifNotExists']);
  const label = requireString(value, 'addEnumValue: value');
  const before = optionalString(opts.before, 'addEnumValue: options.before');
  const after = optionalString(opts.after, 'addEnumValue: options.after');
  if (before !== undefined && after !== undefined)
    throw usageError('addEnumValue: options', 'may give before or after, not both');
  if (before === label || after === label)
    throw usageError('addEnumValue: options', `places '${label}' relative to itself`);
  return freezeData({
    kind: 'add_enum_value',
    name: toQualifiedName(name, 'addEnumValue: name'),
    value: label,
    before,
    after,
    ifNotExists: optionalBoolean(opts.ifNotExists, 'addEnumValue: options.ifNotExists') || undefined,
  });
}

/**
 * Renames an enum value.
 *
 * @example renameEnumValue('mood', 'sad', 'blue')
 */
export function renameEnumValue(name: NameInput, from: string, to: string): RenameEnumValue {
  const old = requireString(from, 'renameEnumValue: from');
  const renamed = requireString(to, 'renameEnumValue: to');
  requireDifferent(old, renamed, 'renameEnumValue: to');
  return freezeData({
    kind: 'rename_enum_value',
    name: toQualifiedName(name, 'renameEnumValue: name'),
    from: old,
    to: renamed,
  });
}

/**
 * Removes an enum value; rows holding it are set to `options.replaceWith` first (default: none,
 * and the operation fails while a row holds the value). Irreversible.
 *
 * @example dropEnumValue('mood', 'meh', { replaceWith: 'sad' })
 */
export function dropEnumValue(
  name: NameInput,
  value: string,
  options?: { readonly replaceWith?: string },
): DropEnumValue {
  const opts = optionsRecord(options, 'dropEnumValue: options', ['replaceWith']);
  const label = requireString(value, 'dropEnumValue: value');
  const replaceWith = optionalString(opts.replaceWith, 'dropEnumValue: options.replaceWith');
  if (replaceWith === label) throw usageError('dropEnumValue: options.replaceWith', `is the dropped value '${label}'`);
  return freezeData({
    kind: 'drop_enum_value',
    name: toQualifiedName(name, 'dropEnumValue: name'),
    value: label,
    replaceWith,
  });
}

// ---- data -----------------------------------------------------------------------------------

/** Options of `execute`. */
export interface ExecuteOptions {
  /** The SQL that undoes this one (text alone, or with parameters). Default: none, and it is irreversible. */
  readonly down?: string | { readonly sql: string; readonly params?: readonly SqlValue[] };
}

function sqlText(sql: unknown, params: unknown, at: string): SqlText {
  return { sql: requireString(sql, `${at}sql`), params: requireSqlValues(params, `${at}params`) };
}

/**
 * Runs raw SQL with positional parameters (`?` on SQLite and MySQL, `$1` on PostgreSQL).
 *
 * @example execute('UPDATE account SET plan = ? WHERE plan IS NULL', ['free'], { down: "UPDATE account SET plan = NULL WHERE plan = 'free'" })
 */
export function execute(sql: string, params?: readonly SqlValue[], options?: ExecuteOptions): Execute {
  const opts = optionsRecord(options, 'execute: options', ['down']);
  let down: SqlText | undefined;
  if (typeof opts.down === 'string') down = sqlText(opts.down, [], 'execute: options.down.');
  else if (opts.down !== undefined) {
    const input = requireRecord(opts.down, 'execute: options.down', ['sql', 'params']);
    down = sqlText(input.sql, input.params, 'execute: options.down.');
  }
  return freezeData({ kind: 'execute', ...sqlText(sql, params, 'execute: '), down });
}

/**
 * Inserts rows (values are JSON scalars). `options.key` names the columns that identify a row; it
 * must be present in every row and makes the insert reversible.
 *
 * @example bulkInsert('plan', [{ id: 1, name: 'free' }, { id: 2, name: 'pro' }], { key: ['id'] })
 */
export function bulkInsert(
  table: NameInput,
  rows: readonly Readonly<Record<string, SqlValue>>[],
  options?: { readonly key?: readonly string[] },
): BulkInsert {
  const opts = optionsRecord(options, 'bulkInsert: options', ['key']);
  const key = opts.key === undefined ? undefined : requireStringList(opts.key, 'bulkInsert: options.key');
  return freezeData({
    kind: 'bulk_insert',
    table: toQualifiedName(table, 'bulkInsert: table'),
    rows: toSqlRows(rows, 'bulkInsert: rows', key),
    key: key && [...key],
  });
}

/**
 * Deletes the rows whose `key` columns match one of `rows` (see `BulkDelete`).
 *
 * @example bulkDelete('plan', ['id'], [{ id: 2, name: 'pro' }])
 */
export function bulkDelete(
  table: NameInput,
  key: readonly string[],
  rows: readonly Readonly<Record<string, SqlValue>>[],
): BulkDelete {
  const checkedKey = requireStringList(key, 'bulkDelete: key');
  return freezeData({
    kind: 'bulk_delete',
    table: toQualifiedName(table, 'bulkDelete: table'),
    key: [...checkedKey],
    rows: toSqlRows(rows, 'bulkDelete: rows', checkedKey),
  });
}
