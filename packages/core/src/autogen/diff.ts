import type { Normalizer } from '../dialect/dialect.js';
import type { ColumnDefinition } from '../ops/column.js';
import type { ColumnType } from '../ops/column-type.js';
import type {
  CheckDefinition,
  ForeignKeyDefinition,
  PrimaryKeyDefinition,
  UniqueDefinition,
} from '../ops/constraint.js';
import type { IndexDefinition } from '../ops/index-definition.js';
import type { ColumnChange, Operation } from '../ops/operation.js';
import { formatQualifiedName, type QualifiedName } from '../ops/qualified-name.js';
import { reverse } from '../ops/reverse.js';
import { freezeData } from '../ops/validate.js';
import type { SchemaModel, TableModel } from '../schema/model.js';
import { nameKey, SchemaBuilder } from '../schema/schema-builder.js';
import { planEnumValues } from './enum-plan.js';
import { sameSql } from './expressions.js';
import { tableFilter } from './filter.js';
import {
  DEFAULT_DIFF_CAPABILITIES,
  type DiffCapabilities,
  type DiffOptions,
  type SchemaDiff,
  STATE_TABLES,
} from './options.js';
import { components, dependencyOrder, inOneCycle } from './order.js';
import { resolveRenames } from './renames.js';

/**
 * The phases of an upgrade, in the order they run (autogenerate.md §4). Each phase lists its
 * operations table by table (tables sorted by schema, then name), so the output is deterministic.
 */
interface Phases {
  /** Create enums, rename, move and add enum values. */
  readonly enums: Operation[];
  /** Drop foreign keys that go, change, or stand on a key that changes. */
  readonly dropForeignKeys: Operation[];
  readonly dropChecks: Operation[];
  readonly dropIndexes: Operation[];
  readonly dropUniques: Operation[];
  readonly dropPrimaryKeys: Operation[];
  /** Referencing tables first; their indexes and cycle foreign keys are already gone. */
  readonly dropTables: Operation[];
  /** Tables, then columns (from hints). */
  readonly renames: Operation[];
  /** Referenced tables first. */
  readonly createTables: Operation[];
  readonly addColumns: Operation[];
  readonly alterColumns: Operation[];
  readonly dropColumns: Operation[];
  readonly addPrimaryKeys: Operation[];
  readonly addUniques: Operation[];
  readonly addChecks: Operation[];
  readonly addIndexes: Operation[];
  readonly addForeignKeys: Operation[];
  /** Remove enum values, then drop enums. */
  readonly dropEnumValues: Operation[];
  readonly dropEnums: Operation[];
  readonly comments: Operation[];
}

const PHASE_ORDER: readonly (keyof Phases)[] = [
  'enums',
  'dropForeignKeys',
  'dropChecks',
  'dropIndexes',
  'dropUniques',
  'dropPrimaryKeys',
  'dropTables',
  'renames',
  'createTables',
  'addColumns',
  'alterColumns',
  'dropColumns',
  'addPrimaryKeys',
  'addUniques',
  'addChecks',
  'addIndexes',
  'addForeignKeys',
  'dropEnumValues',
  'dropEnums',
  'comments',
];

/** JSON with object keys sorted: equal data gives equal text whatever order its keys were built in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}

function replay(model: SchemaModel, ops: readonly Operation[]): SchemaModel {
  const builder = new SchemaBuilder(model);
  for (const op of ops) builder.apply(op);
  return builder.model();
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const display = (name: QualifiedName): string => `'${formatQualifiedName(name)}'`;
const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, at) => item === b[at]);

/** What the comparison of one diff shares: the options and the notes and operations so far. */
class Comparison {
  readonly notes: string[] = [];
  readonly phases: Phases = Object.fromEntries(PHASE_ORDER.map((phase) => [phase, []])) as unknown as Phases;
  readonly inverses = new Map<Operation, Operation>();
  /** Per kept table (its new key): columns whose keys or types change, so foreign keys on them are re-made. */
  readonly touched = new Map<string, Set<string>>();

  constructor(
    readonly caps: DiffCapabilities,
    readonly normalizer: Normalizer | undefined,
  ) {}

  push(phase: keyof Phases, op: Operation): void {
    this.phases[phase].push(freezeData(op));
  }

  touch(table: QualifiedName, columns: readonly string[]): void {
    const key = nameKey(table);
    const set = this.touched.get(key) ?? new Set<string>();
    for (const column of columns) set.add(column);
    this.touched.set(key, set);
  }

  isTouched(table: QualifiedName, columns: readonly string[]): boolean {
    const set = this.touched.get(nameKey(table));
    return set !== undefined && columns.some((column) => set.has(column));
  }

  /** The type as compared: normalised, and an enum type by name alone where enums are types of their own. */
  typeKey(type: ColumnType): string {
    const normal = this.normalizer ? this.normalizer.columnType(type) : type;
    return stableJson(normal.kind === 'enum' && this.caps.enumTypes ? { kind: 'enum', name: normal.name } : normal);
  }

  defaultKey(column: ColumnDefinition): string {
    const type = this.normalizer ? this.normalizer.columnType(column.type) : column.type;
    const value = this.normalizer ? this.normalizer.columnDefault(column.default, type) : column.default;
    return value === undefined ? 'none' : stableJson(value);
  }
}

/**
 * Pairs the objects of one kind on both sides: by name where the object has one, and unnamed
 * objects by `signature`. Each pair is `[before, after]`, either absent; `at` is the index of
 * `before` in its list.
 */
function pairUp<T extends { readonly name?: string }>(
  before: readonly T[],
  after: readonly T[],
  signature: (item: T) => string,
): { before?: T; at: number; after?: T }[] {
  const key = (item: T) => (item.name === undefined ? `\u0001${signature(item)}` : `\u0000${item.name}`);
  const afterByKey = new Map(after.map((item) => [key(item), item]));
  const pairs: { before?: T; at: number; after?: T }[] = [];
  const matched = new Set<string>();
  before.forEach((item, at) => {
    const k = key(item);
    const other = matched.has(k) ? undefined : afterByKey.get(k);
    if (other !== undefined) matched.add(k);
    pairs.push({ before: item, at, after: other });
  });
  for (const item of after) if (!matched.has(key(item))) pairs.push({ at: -1, after: item });
  return pairs;
}

const action = (value: string | undefined): string => value ?? 'no_action';

function sameForeignKey(a: ForeignKeyDefinition, b: ForeignKeyDefinition): boolean {
  return (
    sameList(a.columns, b.columns) &&
    nameKey(a.references.table) === nameKey(b.references.table) &&
    sameList(a.references.columns, b.references.columns) &&
    action(a.onDelete) === action(b.onDelete) &&
    action(a.onUpdate) === action(b.onUpdate)
  );
}

const fkSignature = (key: ForeignKeyDefinition): string =>
  stableJson([key.columns, nameKey(key.references.table), key.references.columns]);

function indexKeyText(index: IndexDefinition): string {
  return stableJson(
    index.columns.map((key) => [key.kind === 'column' ? key.name : `(${key.sql})`, key.order ?? 'asc']),
  );
}

/** The table as `create_table` / `drop_table` carry it: no indexes or triggers, the given foreign keys. */
function definitionOf(table: TableModel, foreignKeys: readonly ForeignKeyDefinition[]) {
  return {
    name: table.name,
    columns: table.columns,
    primaryKey: table.primaryKey,
    uniques: table.uniques,
    checks: table.checks,
    foreignKeys,
    comment: table.comment,
  };
}

/**
 * Compares two schema models and gives the operations that turn `from` into `to` (`upgrade`),
 * those that turn it back (`downgrade`: the upgrade's operations reversed, last first), and notes
 * on what was not compared or not changed. Pure: same input, same output.
 *
 * - Every column type and default is compared through `options.normalizer`, on both sides; the
 *   operations carry each side's own spelling (drops carry what they drop, changes what was there).
 * - Tables and columns are matched by name, constraints and indexes by name (unnamed ones by their
 *   columns or expression); renames only from `options.renames`. A drop and an add of the same
 *   shape get a note suggesting the hint, never a rename.
 * - The upgrade runs in the order of autogenerate.md §4: enums and their new values first; foreign
 *   keys, checks, indexes, uniques and primary keys dropped before their tables and columns; tables
 *   created in foreign-key order (referencing tables dropped first), with the foreign keys of a
 *   cycle added after all tables (dropped before them); enum values removed and enums dropped last.
 * - What cannot be compared or changed reliably (triggers, unnamed constraints, column order) is a
 *   note, never an operation.
 *
 * Throws `CairnError('USAGE')` for a rename hint that does not fit the two models.
 *
 * @example diffSchemas(emptySchema, model).upgrade // the create_enum, create_table, create_index … operations
 */
export function diffSchemas(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): SchemaDiff {
  const given = options.capabilities ?? {};
  const caps: DiffCapabilities = {
    comments: given.comments ?? DEFAULT_DIFF_CAPABILITIES.comments,
    enumTypes: given.enumTypes ?? DEFAULT_DIFF_CAPABILITIES.enumTypes,
    namedPrimaryKeys: given.namedPrimaryKeys ?? DEFAULT_DIFF_CAPABILITIES.namedPrimaryKeys,
    partialIndexes: given.partialIndexes ?? DEFAULT_DIFF_CAPABILITIES.partialIndexes,
  };
  const keep = tableFilter({
    include: options.include,
    exclude: options.exclude,
    always: options.stateTables ?? STATE_TABLES,
  });
  // Sorted by schema, then name, whatever order the caller's lists are in: the output is deterministic.
  const sorted = <T extends { readonly name: QualifiedName }>(items: readonly T[]) =>
    [...items].sort(
      (a, b) => compareText(a.name.schema ?? '', b.name.schema ?? '') || compareText(a.name.name, b.name.name),
    );
  const fromModel: SchemaModel = { tables: sorted(from.tables.filter((t) => keep(t.name))), enums: sorted(from.enums) };
  const toModel: SchemaModel = { tables: sorted(to.tables.filter((t) => keep(t.name))), enums: sorted(to.enums) };
  const cmp = new Comparison(caps, options.normalizer);

  const renames = resolveRenames(fromModel, toModel, options.renames ?? {}, caps.enumTypes);
  cmp.notes.push(...renames.notes);
  compareEnums(cmp, fromModel, toModel, renames.enumValues);

  // Three views of the `from` side: as it is after the enum changes (what drops carry), after the
  // renames too (what is compared with `to`); list positions agree between the two.
  const fromE = replay(fromModel, cmp.phases.enums);
  const fromR = replay(fromE, renames.operations);
  for (const op of renames.operations) cmp.push('renames', op);
  const eName = new Map<string, QualifiedName>();
  const eColumn = new Map<string, Map<string, string>>();
  for (const op of renames.operations) {
    if (op.kind === 'rename_table') eName.set(nameKey({ ...op.name, name: op.newName }), op.name);
    if (op.kind === 'rename_column') {
      const columns = eColumn.get(nameKey(op.table)) ?? new Map<string, string>();
      columns.set(op.column, op.newName);
      eColumn.set(nameKey(op.table), columns);
    }
  }
  const eTables = new Map(fromE.tables.map((t) => [nameKey(t.name), t]));
  const rTables = new Map(fromR.tables.map((t) => [nameKey(t.name), t]));
  const toTables = new Map(toModel.tables.map((t) => [nameKey(t.name), t]));
  const before = (key: string): TableModel => eTables.get(nameKey(eName.get(key) ?? rTables.get(key)!.name))!;

  const kept = toModel.tables.filter((t) => rTables.has(nameKey(t.name)));
  for (const table of kept) compareTable(cmp, before(nameKey(table.name)), rTables.get(nameKey(table.name))!, table);
  for (const table of kept)
    compareForeignKeys(cmp, before(nameKey(table.name)), rTables.get(nameKey(table.name))!, table);

  const created = toModel.tables.filter((t) => !rTables.has(nameKey(t.name)));
  const dropped = fromR.tables.filter((t) => !toTables.has(nameKey(t.name)));
  createTables(cmp, created, rTables);
  /** An `E`-side reference, as the kept table and columns it names after the renames. */
  const renamedReference = (reference: ForeignKeyDefinition['references']) => {
    const eKey = nameKey(reference.table);
    const rKey = [...eName].find(([, old]) => nameKey(old) === eKey)?.[0] ?? eKey;
    const columns = eColumn.get(rKey);
    return {
      table: rTables.get(rKey)?.name,
      columns: reference.columns.map((c) => columns?.get(c) ?? c),
    };
  };
  dropTables(
    cmp,
    dropped.map((t) => eTables.get(nameKey(t.name))!),
    toTables,
    renamedReference,
  );
  suggestTableRenames(cmp, created, dropped);

  const upgrade = PHASE_ORDER.flatMap((phase) => cmp.phases[phase]);
  const downgrade = [...upgrade]
    .reverse()
    .flatMap((op) => (cmp.inverses.has(op) ? [cmp.inverses.get(op)!] : reverse(op)));
  return freezeData({ upgrade, downgrade, notes: cmp.notes });
}

function compareEnums(
  cmp: Comparison,
  from: SchemaModel,
  to: SchemaModel,
  valueRenames: ReadonlyMap<string, ReadonlyMap<string, string>>,
): void {
  const fromEnums = new Map(from.enums.map((item) => [nameKey(item.name), item]));
  const toKeys = new Set(to.enums.map((item) => nameKey(item.name)));
  for (const target of to.enums) {
    const old = fromEnums.get(nameKey(target.name));
    if (old === undefined) {
      cmp.push('enums', { kind: 'create_enum', name: target.name, values: target.values });
      continue;
    }
    if (cmp.caps.enumTypes) {
      const plan = planEnumValues(old, target, valueRenames.get(formatQualifiedName(target.name)) ?? new Map());
      for (const op of plan.early) cmp.push('enums', op);
      for (const op of plan.late) cmp.push('dropEnumValues', op);
      // The plan's operations are frozen already, so `push` keeps their identity for the inverses.
      for (const [op, inverse] of plan.inverses) cmp.inverses.set(op, inverse);
      cmp.notes.push(...plan.notes);
    } else if (!sameList(old.values, target.values)) {
      // Without enum types the declaration is only a name: its columns change with alter_column.
      cmp.push('enums', { kind: 'drop_enum', name: old.name, values: old.values });
      cmp.push('enums', { kind: 'create_enum', name: target.name, values: target.values });
    }
  }
  for (const old of from.enums)
    if (!toKeys.has(nameKey(old.name)))
      cmp.push('dropEnums', { kind: 'drop_enum', name: old.name, values: old.values });
}

/** Columns, primary key, uniques, checks, indexes and comments of a table both sides have. */
function compareTable(cmp: Comparison, tableE: TableModel, tableR: TableModel, target: TableModel): void {
  const name = target.name;
  const targetColumns = new Map(target.columns.map((c) => [c.name, c]));
  const oldColumns = new Map(tableR.columns.map((c) => [c.name, c]));
  const removed = tableR.columns.filter((c) => !targetColumns.has(c.name));
  const added = target.columns.filter((c) => !oldColumns.has(c.name));
  for (const column of added) {
    cmp.push('addColumns', { kind: 'add_column', table: name, column });
    if (!column.nullable && column.default === undefined)
      cmp.notes.push(
        `${display(name)}: the new column '${column.name}' is NOT NULL without a default, which fails on a table with rows`,
      );
  }
  for (const column of tableR.columns) {
    const next = targetColumns.get(column.name);
    if (next === undefined) continue;
    const changes: {
      type?: ColumnChange<ColumnType>;
      nullable?: ColumnChange<boolean>;
      default?: ColumnChange<unknown>;
    } = {};
    if (cmp.typeKey(column.type) !== cmp.typeKey(next.type)) {
      changes.type = { to: next.type, from: column.type };
      cmp.touch(name, [column.name]);
    }
    if (column.nullable !== next.nullable) changes.nullable = { to: next.nullable, from: column.nullable };
    if (cmp.defaultKey(column) !== cmp.defaultKey(next))
      changes.default = { to: next.default ?? null, from: column.default ?? null };
    if (Object.keys(changes).length > 0)
      cmp.push('alterColumns', { kind: 'alter_column', table: name, column: column.name, ...changes } as Operation);
    if (cmp.caps.comments && (column.comment ?? null) !== (next.comment ?? null))
      cmp.push('comments', {
        kind: 'alter_column',
        table: name,
        column: column.name,
        comment: { to: next.comment ?? null, from: column.comment ?? null },
      });
  }
  for (const column of removed) {
    const original = tableE.columns[tableR.columns.indexOf(column)]!;
    cmp.push('dropColumns', { kind: 'drop_column', table: name, column: column.name, definition: original });
  }
  cmp.touch(
    name,
    removed.map((c) => c.name),
  );
  for (const gone of removed) {
    const like = added.filter((c) => c.nullable === gone.nullable && cmp.typeKey(c.type) === cmp.typeKey(gone.type));
    if (like.length > 0)
      cmp.notes.push(
        `${display(name)}: column '${gone.name}' is dropped and ${like.map((c) => `'${c.name}'`).join(', ')} of the same type added; if it was renamed, give the new column renamedFrom: '${gone.name}'`,
      );
  }
  const expected = [
    ...tableR.columns.filter((c) => targetColumns.has(c.name)).map((c) => c.name),
    ...added.map((c) => c.name),
  ];
  if (
    !sameList(
      expected,
      target.columns.map((c) => c.name),
    )
  )
    cmp.notes.push(`${display(name)}: column order is not compared; the columns keep the order they have`);

  comparePrimaryKey(cmp, tableE, tableR.primaryKey, target);
  compareUniques(cmp, tableE, tableR, target);
  compareChecks(cmp, tableE, tableR, target);
  compareIndexes(cmp, tableE, tableR, target);

  if (cmp.caps.comments && (tableR.comment ?? null) !== (target.comment ?? null))
    cmp.push('comments', {
      kind: 'comment_table',
      name,
      comment: target.comment ?? null,
      previous: tableR.comment ?? null,
    });
  if (stableJson(tableR.triggers ?? []) !== stableJson(target.triggers ?? []))
    cmp.notes.push(`${display(name)}: triggers differ; triggers are not compared, change them with execute`);
}

function comparePrimaryKey(
  cmp: Comparison,
  tableE: TableModel,
  old: PrimaryKeyDefinition | undefined,
  target: TableModel,
): void {
  const next = target.primaryKey;
  if (old === undefined && next === undefined) return;
  const sameName =
    !cmp.caps.namedPrimaryKeys || old?.name === undefined || next?.name === undefined || old.name === next.name;
  if (old !== undefined && next !== undefined && sameList(old.columns, next.columns) && sameName) return;
  if (old !== undefined) {
    const original = tableE.primaryKey!;
    cmp.push('dropPrimaryKeys', {
      kind: 'drop_primary_key',
      table: tableE.name,
      name: original.name,
      definition: original,
    });
    cmp.touch(target.name, old.columns);
  }
  if (next !== undefined) {
    cmp.push('addPrimaryKeys', { kind: 'add_primary_key', table: target.name, ...next });
    cmp.touch(target.name, next.columns);
  }
}

function unnamed(cmp: Comparison, table: QualifiedName, what: string, doing: string): void {
  cmp.notes.push(
    `${display(table)}: an unnamed ${what} would be ${doing}, but only a named one can be; name it (or let the naming convention) and generate again`,
  );
}

function compareUniques(cmp: Comparison, tableE: TableModel, tableR: TableModel, target: TableModel): void {
  const signature = (u: UniqueDefinition) => stableJson(u.columns);
  for (const pair of pairUp(tableR.uniques, target.uniques, signature)) {
    if (pair.before && pair.after && sameList(pair.before.columns, pair.after.columns)) continue;
    if (pair.before) {
      const original = tableE.uniques[pair.at]!;
      if (original.name === undefined) unnamed(cmp, target.name, 'unique constraint', 'dropped');
      else
        cmp.push('dropUniques', {
          kind: 'drop_unique',
          table: tableE.name,
          name: original.name,
          definition: original,
        });
      cmp.touch(target.name, pair.before.columns);
    }
    if (pair.after) {
      if (pair.after.name === undefined) unnamed(cmp, target.name, 'unique constraint', 'added');
      else
        cmp.push('addUniques', {
          kind: 'add_unique',
          table: target.name,
          name: pair.after.name,
          columns: pair.after.columns,
        });
      cmp.touch(target.name, pair.after.columns);
    }
  }
}

function compareChecks(cmp: Comparison, tableE: TableModel, tableR: TableModel, target: TableModel): void {
  const signature = (c: CheckDefinition) => c.expression.replace(/\s+/g, ' ').trim().toLowerCase();
  for (const pair of pairUp(tableR.checks, target.checks, signature)) {
    if (pair.before && pair.after && sameSql(pair.before.expression, pair.after.expression)) continue;
    if (pair.before) {
      const original = tableE.checks[pair.at]!;
      if (original.name === undefined) unnamed(cmp, target.name, 'check', 'dropped');
      else
        cmp.push('dropChecks', { kind: 'drop_check', table: tableE.name, name: original.name, definition: original });
    }
    if (pair.after) {
      if (pair.after.name === undefined) unnamed(cmp, target.name, 'check', 'added');
      else
        cmp.push('addChecks', {
          kind: 'add_check',
          table: target.name,
          name: pair.after.name,
          expression: pair.after.expression,
        });
    }
  }
}

function sameIndex(cmp: Comparison, a: IndexDefinition, b: IndexDefinition): boolean {
  if (a.columns.length !== b.columns.length || (a.unique ?? false) !== (b.unique ?? false)) return false;
  const keysEqual = a.columns.every((key, at) => {
    const other = b.columns[at]!;
    if ((key.order ?? 'asc') !== (other.order ?? 'asc') || key.kind !== other.kind) return false;
    return key.kind === 'column'
      ? key.name === (other as typeof key).name
      : sameSql(key.sql, (other as typeof key).sql);
  });
  if (!keysEqual) return false;
  if (sameSql(a.where, b.where)) return true;
  if (!cmp.caps.partialIndexes) {
    cmp.notes.push(
      `${display(b.table)}: index '${b.name}' has a predicate, which this database does not keep; not compared`,
    );
    return true;
  }
  return false;
}

function compareIndexes(cmp: Comparison, tableE: TableModel, tableR: TableModel, target: TableModel): void {
  for (const pair of pairUp(tableR.indexes, target.indexes, indexKeyText)) {
    if (pair.before && pair.after && sameIndex(cmp, pair.before, pair.after)) continue;
    if (pair.before) {
      const original = tableE.indexes[pair.at]!;
      cmp.push('dropIndexes', { kind: 'drop_index', name: original.name, table: tableE.name, definition: original });
      if (pair.before.unique) cmp.touch(target.name, columnKeys(pair.before));
    }
    if (pair.after) {
      cmp.push('addIndexes', { kind: 'create_index', ...pair.after, table: target.name });
      if (pair.after.unique) cmp.touch(target.name, columnKeys(pair.after));
    }
  }
}

function columnKeys(index: IndexDefinition): string[] {
  return index.columns.flatMap((key) => (key.kind === 'column' ? [key.name] : []));
}

/**
 * The foreign keys of a table both sides have: dropped when they go or change, and dropped and
 * added again when they stand on columns whose type or keys change (the database would refuse
 * to change those under them).
 */
function compareForeignKeys(cmp: Comparison, tableE: TableModel, tableR: TableModel, target: TableModel): void {
  for (const pair of pairUp(tableR.foreignKeys, target.foreignKeys, fkSignature)) {
    const { before: old, after: next } = pair;
    if (
      old &&
      next &&
      sameForeignKey(old, next) &&
      !cmp.isTouched(target.name, old.columns) &&
      !cmp.isTouched(old.references.table, old.references.columns)
    )
      continue;
    if (old) {
      const original = tableE.foreignKeys[pair.at]!;
      if (original.name === undefined) unnamed(cmp, target.name, 'foreign key', 'dropped');
      else
        cmp.push('dropForeignKeys', {
          kind: 'drop_foreign_key',
          table: tableE.name,
          name: original.name,
          definition: original,
        });
    }
    if (next) {
      if (next.name === undefined) unnamed(cmp, target.name, 'foreign key', 'added');
      else cmp.push('addForeignKeys', { kind: 'add_foreign_key', table: target.name, ...next, name: next.name });
    }
  }
}

/** New tables in foreign-key order; a foreign key that cannot be inline is added after all tables. */
function createTables(cmp: Comparison, created: readonly TableModel[], rTables: ReadonlyMap<string, TableModel>): void {
  const byKey = new Map(created.map((t) => [nameKey(t.name), t]));
  const keys = [...byKey.keys()];
  const edges = (key: string) => byKey.get(key)!.foreignKeys.map((k) => nameKey(k.references.table));
  const component = components(keys, edges);
  for (const key of dependencyOrder(keys, edges)) {
    const table = byKey.get(key)!;
    const inline: ForeignKeyDefinition[] = [];
    for (const fk of table.foreignKeys) {
      const ref = nameKey(fk.references.table);
      const existing = rTables.get(ref);
      const later =
        inOneCycle(component, key, ref) ||
        (existing !== undefined &&
          (fk.references.columns.some((c) => !existing.columns.some((col) => col.name === c)) ||
            cmp.isTouched(existing.name, fk.references.columns)));
      if (!later) inline.push(fk);
      else if (fk.name === undefined) {
        unnamed(cmp, table.name, 'foreign key', 'added after the tables it links');
        inline.push(fk);
      } else cmp.push('addForeignKeys', { kind: 'add_foreign_key', table: table.name, ...fk, name: fk.name });
    }
    cmp.push('createTables', { kind: 'create_table', ...definitionOf(table, inline) });
    for (const index of table.indexes) cmp.push('addIndexes', { kind: 'create_index', ...index, table: table.name });
  }
}

/**
 * Tables that go, referencing tables first, each after its indexes and the foreign keys that
 * must go before it (those of a cycle, and those on a key of a kept table that changes).
 */
function dropTables(
  cmp: Comparison,
  dropped: readonly TableModel[],
  toTables: ReadonlyMap<string, TableModel>,
  renamedReference: (reference: ForeignKeyDefinition['references']) => {
    table?: QualifiedName;
    columns: string[];
  },
): void {
  const byKey = new Map(dropped.map((t) => [nameKey(t.name), t]));
  const keys = [...byKey.keys()];
  const edges = (key: string) => byKey.get(key)!.foreignKeys.map((k) => nameKey(k.references.table));
  const component = components(keys, edges);
  const order = dependencyOrder(keys, edges).reverse();
  // Table order (sorted) for the detached foreign keys and the indexes, drop order for the tables.
  const inlineOf = new Map<string, ForeignKeyDefinition[]>();
  for (const key of keys) {
    const table = byKey.get(key)!;
    const inline: ForeignKeyDefinition[] = [];
    for (const fk of table.foreignKeys) {
      const ref = nameKey(fk.references.table);
      const renamed = byKey.has(ref) ? undefined : renamedReference(fk.references);
      const first =
        inOneCycle(component, key, ref) ||
        (renamed?.table !== undefined &&
          toTables.has(nameKey(renamed.table)) &&
          (cmp.isTouched(renamed.table, renamed.columns) ||
            renamed.columns.some(
              (c) => !toTables.get(nameKey(renamed.table!))!.columns.some((col) => col.name === c),
            )));
      if (!first) inline.push(fk);
      else if (fk.name === undefined) {
        unnamed(cmp, table.name, 'foreign key', 'dropped before the tables it links');
        inline.push(fk);
      } else
        cmp.push('dropForeignKeys', { kind: 'drop_foreign_key', table: table.name, name: fk.name, definition: fk });
    }
    inlineOf.set(key, inline);
    for (const index of table.indexes)
      cmp.push('dropIndexes', { kind: 'drop_index', name: index.name, table: table.name, definition: index });
    if ((table.triggers ?? []).length > 0)
      cmp.notes.push(`${display(table.name)}: its triggers go with it, and the downgrade does not re-create them`);
  }
  for (const key of order) {
    const table = byKey.get(key)!;
    cmp.push('dropTables', {
      kind: 'drop_table',
      name: table.name,
      definition: definitionOf(table, inlineOf.get(key)!),
    });
  }
}

/** A dropped and a created table with the same columns: a note suggesting the hint, never a rename. */
function suggestTableRenames(cmp: Comparison, created: readonly TableModel[], dropped: readonly TableModel[]): void {
  const shape = (t: TableModel) =>
    stableJson(
      t.columns.map((c) => [c.name, cmp.typeKey(c.type)]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
  for (const gone of dropped) {
    const like = created.filter((t) => shape(t) === shape(gone));
    if (like.length > 0)
      cmp.notes.push(
        `table ${display(gone.name)} is dropped and ${like.map((t) => display(t.name)).join(', ')} with the same columns created; if it was renamed, give the new table renamedFrom: '${formatQualifiedName(gone.name)}'`,
      );
  }
}
