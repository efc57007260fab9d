import type { ColumnDefinition } from '../ops/column.js';
import type { ColumnType } from '../ops/column-type.js';
import type { IndexColumn, IndexDefinition } from '../ops/index-definition.js';
import type { Operation } from '../ops/operation.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { EnumDefinition, SchemaModel, TableModel } from './model.js';

/** The key of a table or enum in the builder's maps: names compare exactly, schema included. */
export function nameKey(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}\u0000${name.name}`;
}

type Table = TableModel;

/**
 * A schema model built by replaying operations, as the database would apply them: what offline
 * `--sql` scripts compile table rebuilds and `MODIFY`s against, where online runs read the live
 * table. It knows only what operations told it: an operation on a table it does not know changes
 * nothing (except that renaming it, or one of its columns, updates the known tables' foreign keys
 * that reference it), and `forget` drops a table whose shape raw SQL may have changed, so that a
 * later lookup says "unknown" instead of answering with a stale definition.
 *
 * Dropping or renaming a column takes the constraints and indexes that name it along, as
 * PostgreSQL does (`DROP COLUMN` drops every index and constraint using the column).
 */
export class SchemaBuilder {
  readonly #tables = new Map<string, Table>();
  readonly #enums = new Map<string, EnumDefinition>();

  constructor(model?: SchemaModel) {
    for (const table of model?.tables ?? []) this.#tables.set(nameKey(table.name), table);
    for (const item of model?.enums ?? []) this.#enums.set(nameKey(item.name), item);
  }

  /** The table as the operations so far left it, or `undefined` when they never created it. */
  table(name: QualifiedName): TableModel | undefined {
    return this.#tables.get(nameKey(name));
  }

  /** Whether the builder knows `name`. */
  has(name: QualifiedName): boolean {
    return this.#tables.has(nameKey(name));
  }

  /** The known tables' names. */
  tableNames(): QualifiedName[] {
    return [...this.#tables.values()].map((table) => table.name);
  }

  /** Drops what the builder knows of a table (its shape is no longer known). */
  forget(name: QualifiedName): void {
    this.#tables.delete(nameKey(name));
  }

  /** The model: tables and enums sorted by schema, then name. */
  model(): SchemaModel {
    const order = (a: { name: QualifiedName }, b: { name: QualifiedName }) =>
      compareText(a.name.schema ?? '', b.name.schema ?? '') || compareText(a.name.name, b.name.name);
    return { tables: [...this.#tables.values()].sort(order), enums: [...this.#enums.values()].sort(order) };
  }

  /** Applies one operation. */
  apply(op: Operation): void {
    switch (op.kind) {
      case 'create_table': {
        const { kind: _kind, ...definition } = op;
        this.#tables.set(nameKey(op.name), { ...definition, indexes: [] });
        return;
      }
      case 'drop_table':
        this.#tables.delete(nameKey(op.name));
        return;
      case 'rename_table':
        this.#renameTable(op.name, { ...op.name, name: op.newName });
        return;
      case 'comment_table':
        this.#update(op.name, (t) => withOptional(t, 'comment', op.comment ?? undefined));
        return;
      case 'add_column':
        this.#update(op.table, (t) => ({ ...t, columns: [...t.columns, op.column] }));
        return;
      case 'drop_column':
        this.#update(op.table, (t) => withoutColumn(t, op.column));
        return;
      case 'rename_column':
        this.#update(op.table, (t) => renameColumn(t, op.column, op.newName));
        this.#eachTable((t) => renameReferencedColumn(t, op.table, op.column, op.newName));
        return;
      case 'alter_column':
        this.#update(op.table, (t) => ({
          ...t,
          columns: t.columns.map((c) => {
            if (c.name !== op.column) return c;
            let next: ColumnDefinition = c;
            if (op.type) next = { ...next, type: op.type.to };
            if (op.nullable) next = { ...next, nullable: op.nullable.to };
            if (op.default) next = withOptional(next, 'default', op.default.to ?? undefined);
            if (op.comment) next = withOptional(next, 'comment', op.comment.to ?? undefined);
            return next;
          }),
        }));
        return;
      case 'create_index': {
        const { kind: _kind, concurrently: _c, ifNotExists: _i, ...index } = op;
        this.#update(op.table, (t) => ({
          ...t,
          indexes: [...t.indexes.filter((i) => i.name !== op.name), index],
        }));
        return;
      }
      case 'drop_index':
        this.#update(op.table, (t) => ({ ...t, indexes: t.indexes.filter((i) => i.name !== op.name) }));
        return;
      case 'add_primary_key': {
        const { kind: _kind, table: _table, ...key } = op;
        this.#update(op.table, (t) => ({ ...t, primaryKey: key }));
        return;
      }
      case 'drop_primary_key':
        this.#update(op.table, (t) => withOptional(t, 'primaryKey', undefined));
        return;
      case 'add_unique': {
        const { kind: _kind, table: _table, ...unique } = op;
        this.#update(op.table, (t) => ({ ...t, uniques: [...t.uniques, unique] }));
        return;
      }
      case 'drop_unique':
        this.#update(op.table, (t) => ({ ...t, uniques: t.uniques.filter((u) => u.name !== op.name) }));
        return;
      case 'add_foreign_key': {
        const { kind: _kind, table: _table, ...key } = op;
        this.#update(op.table, (t) => ({ ...t, foreignKeys: [...t.foreignKeys, key] }));
        return;
      }
      case 'drop_foreign_key':
        this.#update(op.table, (t) => ({ ...t, foreignKeys: t.foreignKeys.filter((k) => k.name !== op.name) }));
        return;
      case 'add_check': {
        const { kind: _kind, table: _table, ...check } = op;
        this.#update(op.table, (t) => ({ ...t, checks: [...t.checks, check] }));
        return;
      }
      case 'drop_check':
        this.#update(op.table, (t) => ({ ...t, checks: t.checks.filter((c) => c.name !== op.name) }));
        return;
      case 'create_enum':
        this.#setEnum(op.name, op.values);
        return;
      case 'drop_enum':
        this.#enums.delete(nameKey(op.name));
        return;
      case 'add_enum_value':
        this.#changeEnum(op.name, (values) => {
          if (values.includes(op.value)) return values;
          const anchor = op.before ?? op.after;
          const at = anchor === undefined ? -1 : values.indexOf(anchor);
          if (at < 0) return [...values, op.value];
          const index = op.before !== undefined ? at : at + 1;
          return [...values.slice(0, index), op.value, ...values.slice(index)];
        });
        return;
      case 'rename_enum_value':
        this.#changeEnum(op.name, (values) => values.map((v) => (v === op.from ? op.to : v)));
        return;
      case 'drop_enum_value':
        this.#changeEnum(op.name, (values) => values.filter((v) => v !== op.value));
        return;
      case 'execute':
      case 'bulk_insert':
      case 'bulk_delete':
        // Rows, or SQL the builder cannot read: the caller decides what raw SQL invalidates.
        return;
    }
  }

  #update(name: QualifiedName, change: (table: Table) => Table): void {
    const key = nameKey(name);
    const table = this.#tables.get(key);
    if (table !== undefined) this.#tables.set(key, change(table));
  }

  #eachTable(change: (table: Table) => Table): void {
    for (const [key, table] of this.#tables) this.#tables.set(key, change(table));
  }

  #renameTable(from: QualifiedName, to: QualifiedName): void {
    const table = this.#tables.get(nameKey(from));
    if (table !== undefined) {
      this.#tables.delete(nameKey(from));
      this.#tables.set(nameKey(to), {
        ...table,
        name: to,
        indexes: table.indexes.map((i) => ({ ...i, table: to })),
      });
    }
    // Known tables' foreign keys follow even when the renamed table is unknown (forgotten after
    // raw SQL): the database renames their references, as `rename_column` already assumes.
    this.#eachTable((t) => ({
      ...t,
      foreignKeys: t.foreignKeys.map((k) =>
        nameKey(k.references.table) === nameKey(from) ? { ...k, references: { ...k.references, table: to } } : k,
      ),
    }));
  }

  #setEnum(name: QualifiedName, values: readonly string[]): void {
    this.#enums.set(nameKey(name), { name, values });
  }

  /** Changes an enum's values, in the enum and in every column typed with it. */
  #changeEnum(name: QualifiedName, change: (values: readonly string[]) => readonly string[]): void {
    const known = this.#enums.get(nameKey(name));
    if (known !== undefined) this.#setEnum(name, change(known.values));
    const retype = (type: ColumnType): ColumnType =>
      type.kind === 'enum' && nameKey(type.name) === nameKey(name) ? { ...type, values: change(type.values) } : type;
    this.#eachTable((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, type: retype(c.type) })) }));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `value` under `key`, or the key removed (optional fields are absent, never `undefined`). */
function withOptional<T extends object, K extends keyof T>(item: T, key: K, value: T[K] | undefined): T {
  const { [key]: _old, ...rest } = item;
  return (value === undefined ? rest : { ...rest, [key]: value }) as T;
}

function keyNames(columns: readonly IndexColumn[]): string[] {
  return columns.flatMap((c) => (c.kind === 'column' ? [c.name] : []));
}

function withoutColumn(table: Table, column: string): Table {
  const uses = (columns: readonly string[]) => columns.includes(column);
  const { primaryKey } = table;
  const rest: Table = {
    ...table,
    columns: table.columns.filter((c) => c.name !== column),
    uniques: table.uniques.filter((u) => !uses(u.columns)),
    foreignKeys: table.foreignKeys.filter((k) => !uses(k.columns)),
    indexes: table.indexes.filter((i: IndexDefinition) => !uses(keyNames(i.columns))),
  };
  return primaryKey !== undefined && uses(primaryKey.columns) ? withOptional(rest, 'primaryKey', undefined) : rest;
}

function renameColumn(table: Table, from: string, to: string): Table {
  const rename = (columns: readonly string[]) => columns.map((c) => (c === from ? to : c));
  return {
    ...table,
    columns: table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
    ...(table.primaryKey ? { primaryKey: { ...table.primaryKey, columns: rename(table.primaryKey.columns) } } : {}),
    uniques: table.uniques.map((u) => ({ ...u, columns: rename(u.columns) })),
    foreignKeys: table.foreignKeys.map((k) => ({ ...k, columns: rename(k.columns) })),
    indexes: table.indexes.map((i) => ({
      ...i,
      columns: i.columns.map((c) => (c.kind === 'column' && c.name === from ? { ...c, name: to } : c)),
    })),
  };
}

/** Foreign keys of `table` that reference `referenced.from` follow the column's rename. */
function renameReferencedColumn(table: Table, referenced: QualifiedName, from: string, to: string): Table {
  const key = nameKey(referenced);
  return {
    ...table,
    foreignKeys: table.foreignKeys.map((k) =>
      nameKey(k.references.table) === key
        ? { ...k, references: { ...k.references, columns: k.references.columns.map((c) => (c === from ? to : c)) } }
        : k,
    ),
  };
}
