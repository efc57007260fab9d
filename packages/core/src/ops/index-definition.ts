import { type NameInput, type QualifiedName, toQualifiedName } from './qualified-name.js';
import {
  freezeData,
  isRecord,
  optionalBoolean,
  optionalString,
  requireOneOf,
  requireRecord,
  requireString,
  usageError,
} from './validate.js';

/** One key of an index: a column, or an SQL expression (inserted unchanged), with an optional order. */
export type IndexColumn =
  | { readonly kind: 'column'; readonly name: string; readonly order?: 'asc' | 'desc' }
  | { readonly kind: 'expression'; readonly sql: string; readonly order?: 'asc' | 'desc' };

/** An index key as factories accept it: a bare column name, or an `IndexColumn`. */
export type IndexColumnInput = string | IndexColumn;

/**
 * An index as it exists in the database: what `create_index` builds and what `drop_index` may
 * carry so that it can be rebuilt. How it is built (`concurrently`, `ifNotExists`) belongs to the
 * operations, not here.
 */
export interface IndexDefinition {
  /** Index names are unique per schema on PostgreSQL and SQLite, per table on MySQL. */
  readonly name: string;
  /** The indexed table; the index lives in its schema. */
  readonly table: QualifiedName;
  /** In key order; at least one. */
  readonly columns: readonly IndexColumn[];
  /** Absent: not unique. */
  readonly unique?: boolean;
  /** A partial index's predicate, in SQL. Absent: the whole table. */
  readonly where?: string;
}

/** An index as factories accept it. */
export interface IndexDefinitionInput {
  readonly name: string;
  readonly table: NameInput;
  readonly columns: readonly IndexColumnInput[];
  readonly unique?: boolean;
  readonly where?: string;
}

function toIndexColumn(value: unknown, at: string): IndexColumn {
  if (typeof value === 'string') return freezeData({ kind: 'column', name: requireString(value, at) });
  if (!isRecord(value)) throw usageError(at, "must be a column name or { kind: 'column' | 'expression', ... }", value);
  const kind = requireOneOf(value.kind, ['column', 'expression'], `${at}.kind`);
  const order = value.order === undefined ? undefined : requireOneOf(value.order, ['asc', 'desc'], `${at}.order`);
  return kind === 'column'
    ? freezeData({ kind, name: requireString(value.name, `${at}.name`), order })
    : freezeData({ kind, sql: requireString(value.sql, `${at}.sql`), order });
}

/** Parses the key list of an index: non-empty, and no column listed twice. */
export function toIndexColumns(value: unknown, at: string): IndexColumn[] {
  if (!Array.isArray(value) || value.length === 0)
    throw usageError(at, 'must be a non-empty array of column names or index keys', value);
  const keys = value.map((item: unknown, index) => toIndexColumn(item, `${at}[${index}]`));
  const seen = new Set<string>();
  for (const key of keys) {
    if (key.kind !== 'column') continue;
    if (seen.has(key.name)) throw usageError(at, `lists column '${key.name}' twice`);
    seen.add(key.name);
  }
  return keys;
}

/** Parses an index definition (see `IndexDefinitionInput`); `unique: false` is stored as absent. */
export function toIndexDefinition(value: unknown, at: string): IndexDefinition {
  const input = requireRecord(value, at, ['name', 'table', 'columns', 'unique', 'where']);
  return freezeData({
    name: requireString(input.name, `${at}.name`),
    table: toQualifiedName(input.table, `${at}.table`),
    columns: toIndexColumns(input.columns, `${at}.columns`),
    unique: optionalBoolean(input.unique, `${at}.unique`) || undefined,
    where: optionalString(input.where, `${at}.where`),
  });
}
