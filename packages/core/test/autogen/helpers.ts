import {
  type ColumnDefinition,
  type EnumDefinition,
  type Operation,
  SchemaBuilder,
  type SchemaModel,
  type TableModel,
} from '../../src/index.js';

/** Applies operations to a model with the `SchemaBuilder` the runner uses. */
export function apply(model: SchemaModel, ops: readonly Operation[]): SchemaModel {
  const builder = new SchemaBuilder(model);
  for (const op of ops) builder.apply(op);
  return builder.model();
}

const byName = (a: { name?: string }, b: { name?: string }) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1);

/** A model in a canonical form: plain JSON, lists sorted by name (the diff does not keep column order). */
export function canonical(model: SchemaModel): unknown {
  const table = (t: TableModel) => ({
    ...t,
    columns: [...t.columns].sort(byName),
    uniques: [...t.uniques].sort(byName),
    checks: [...t.checks].sort(byName),
    foreignKeys: [...t.foreignKeys].sort(byName),
    indexes: [...t.indexes].sort(byName),
  });
  const sorted = {
    tables: [...model.tables].sort((a, b) => (a.name.name < b.name.name ? -1 : 1)).map(table),
    enums: [...model.enums].sort((a: EnumDefinition, b: EnumDefinition) => (a.name.name < b.name.name ? -1 : 1)),
  };
  return JSON.parse(JSON.stringify(sorted));
}

export function table(name: string, columns: readonly ColumnDefinition[], rest: Partial<TableModel> = {}): TableModel {
  return { name: { name }, columns, uniques: [], checks: [], foreignKeys: [], indexes: [], ...rest };
}

/**
 * Replays operations like a strict database would: each operation's preconditions are checked
 * against the state so far (what exists, what depends on what), so an ordering mistake throws.
 */
export function strictReplay(model: SchemaModel, ops: readonly Operation[]): SchemaModel {
  const builder = new SchemaBuilder(model);
  const fail = (op: Operation, why: string): never => {
    throw new Error(`${op.kind} ${JSON.stringify(op).slice(0, 160)}: ${why}`);
  };
  for (const op of ops) {
    const state = builder.model();
    const find = (name: { name: string }) => state.tables.find((t) => t.name.name === name.name);
    const enumExists = (c: ColumnDefinition) =>
      c.type.kind !== 'enum' ||
      state.enums.some((e) => e.name.name === (c.type as { name: { name: string } }).name.name);
    const referencing = (target: string, columns?: readonly string[]) =>
      state.tables.flatMap((t) =>
        t.foreignKeys
          .filter(
            (k) =>
              k.references.table.name === target &&
              (columns === undefined || k.references.columns.some((c) => columns.includes(c))),
          )
          .map((k) => ({ t, k })),
      );
    const refOk = (self: TableModel | undefined, ref: { table: { name: string }; columns: readonly string[] }) => {
      const target = self !== undefined && ref.table.name === self.name.name ? self : find(ref.table);
      return target !== undefined && ref.columns.every((c) => target.columns.some((col) => col.name === c));
    };
    switch (op.kind) {
      case 'create_table': {
        if (find(op.name)) fail(op, 'exists');
        const self = { ...op, indexes: [] } as TableModel;
        for (const k of op.foreignKeys) if (!refOk(self, k.references)) fail(op, 'references a missing table/column');
        if (!op.columns.every(enumExists)) fail(op, 'uses a missing enum');
        break;
      }
      case 'drop_table': {
        const t = find(op.name) ?? fail(op, 'missing');
        if (t.indexes.length > 0) fail(op, 'indexes not dropped first');
        if (referencing(op.name.name).some(({ t: other }) => other.name.name !== op.name.name))
          fail(op, 'still referenced');
        break;
      }
      case 'add_column':
        if (!find(op.table)) fail(op, 'no table');
        if (find(op.table)!.columns.some((c) => c.name === op.column.name)) fail(op, 'column exists');
        if (!enumExists(op.column)) fail(op, 'uses a missing enum');
        break;
      case 'drop_column': {
        const t = find(op.table) ?? fail(op, 'no table');
        const uses = (cols: readonly string[]) => cols.includes(op.column);
        if (
          uses(t.primaryKey?.columns ?? []) ||
          t.uniques.some((u) => uses(u.columns)) ||
          t.foreignKeys.some((k) => uses(k.columns)) ||
          t.indexes.some((i) => i.columns.some((c) => c.kind === 'column' && c.name === op.column))
        )
          fail(op, 'dependents not dropped first');
        if (referencing(op.table.name, [op.column]).length > 0) fail(op, 'still referenced');
        break;
      }
      case 'alter_column':
        if (op.type && op.type.to.kind === 'enum' && !enumExists({ name: '', type: op.type.to, nullable: true }))
          fail(op, 'uses a missing enum');
        break;
      case 'rename_table':
        if (find({ name: op.newName })) fail(op, 'target exists');
        break;
      case 'drop_unique':
      case 'drop_primary_key': {
        const t = find(op.table) ?? fail(op, 'no table');
        const cols =
          op.kind === 'drop_primary_key'
            ? (t.primaryKey?.columns ?? fail(op, 'no key'))
            : (t.uniques.find((u) => u.name === op.name)?.columns ?? fail(op, 'missing'));
        if (referencing(op.table.name, cols).length > 0) fail(op, 'a foreign key stands on it');
        break;
      }
      case 'add_foreign_key':
        if (!refOk(find(op.table), op.references)) fail(op, 'references a missing table/column');
        break;
      case 'create_index': {
        const t = find(op.table) ?? fail(op, 'no table');
        if (!op.columns.every((c) => c.kind !== 'column' || t.columns.some((col) => col.name === c.name)))
          fail(op, 'missing column');
        break;
      }
      case 'drop_enum':
        if (
          state.tables.some((t) => t.columns.some((c) => c.type.kind === 'enum' && c.type.name.name === op.name.name))
        )
          fail(op, 'still used');
        break;
      case 'add_enum_value': {
        const e = state.enums.find((x) => x.name.name === op.name.name) ?? fail(op, 'no enum');
        if (e.values.includes(op.value)) fail(op, 'value exists');
        const anchor = op.before ?? op.after;
        if (anchor !== undefined && !e.values.includes(anchor)) fail(op, 'anchor missing');
        break;
      }
      case 'drop_enum_value': {
        const e = state.enums.find((x) => x.name.name === op.name.name) ?? fail(op, 'no enum');
        if (!e.values.includes(op.value)) fail(op, 'value missing');
        break;
      }
      default:
        break;
    }
    builder.apply(op);
  }
  return builder.model();
}
