import { CairnError } from '../errors.js';
import type { Operation } from '../ops/operation.js';
import { formatQualifiedName } from '../ops/qualified-name.js';
import { freezeData } from '../ops/validate.js';
import type { SchemaModel } from '../schema/model.js';
import type { SchemaRenames } from '../schema/schema-model.js';
import type { RenameHints } from './options.js';

/** The renames the hints ask for, checked against both sides. */
export interface ResolvedRenames {
  /** `rename_table` operations, then `rename_column` operations (on the tables' new names). */
  readonly operations: Operation[];
  /** Per enum (formatted name): new value → old value, the renames to apply. */
  readonly enumValues: Map<string, Map<string, string>>;
  readonly notes: string[];
}

/**
 * The hints `diffSchemas` takes, from the `renamedFrom` hints `schemaModel` collected from a
 * schema module: the bridge between what the user writes and the diff.
 */
export function renameHintsFrom(renames: SchemaRenames): RenameHints {
  const tables = new Map(renames.tables.map(({ from, to }) => [formatQualifiedName(to), from.name]));
  const columns = new Map<string, Map<string, string>>();
  for (const { table, from, to } of renames.columns) {
    const key = formatQualifiedName(table);
    if (!columns.has(key)) columns.set(key, new Map());
    columns.get(key)!.set(to, from);
  }
  const enumValues = new Map<string, Map<string, string>>();
  for (const { enum: type, from, to } of renames.enumValues) {
    const key = formatQualifiedName(type);
    if (!enumValues.has(key)) enumValues.set(key, new Map());
    enumValues.get(key)!.set(to, from);
  }
  return { tables, columns, enumValues };
}

function hintError(hint: string, problem: string): CairnError {
  return new CairnError('USAGE', `rename hint ${hint}: ${problem}`, { details: { hint } });
}

/**
 * Checks every hint and turns those that apply into operations. Old present and new absent on the
 * `from` side: a rename. New present and old absent: nothing (the rename already ran). Both, or
 * neither, or a new name `to` does not have: `CairnError('USAGE')` naming the hint. A column hint
 * on a table that `from` does not have (it is created) is ignored.
 */
export function resolveRenames(
  from: SchemaModel,
  to: SchemaModel,
  hints: RenameHints,
  enumTypes: boolean,
): ResolvedRenames {
  const result: ResolvedRenames = { operations: [], enumValues: new Map(), notes: [] };
  const fromTables = new Map(from.tables.map((table) => [formatQualifiedName(table.name), table]));
  const toTables = new Map(to.tables.map((table) => [formatQualifiedName(table.name), table]));
  /** New table name → the `from` table it is (renamed or not). */
  const before = new Map<string, (typeof from.tables)[number]>();
  for (const key of toTables.keys()) if (fromTables.has(key)) before.set(key, fromTables.get(key)!);

  const columnRenames: Operation[] = [];
  for (const [newName, oldName] of hints.tables ?? []) {
    const hint = `'${oldName}' → '${newName}'`;
    const target = toTables.get(newName);
    if (target === undefined) throw hintError(hint, `the schema has no table '${newName}'`);
    const oldTable = fromTables.get(oldName);
    const hasNew = fromTables.has(newName);
    if (oldTable !== undefined && hasNew)
      throw hintError(hint, `both tables exist in the database; drop one, or remove the hint`);
    if (oldTable === undefined && !hasNew)
      throw hintError(hint, `the database has neither '${oldName}' nor '${newName}'`);
    if (oldTable === undefined) continue;
    if ((oldTable.name.schema ?? '') !== (target.name.schema ?? ''))
      throw hintError(hint, 'a rename stays in its schema; move the table by hand');
    result.operations.push(freezeData({ kind: 'rename_table', name: oldTable.name, newName: target.name.name }));
    before.set(newName, oldTable);
  }
  for (const [tableName, columns] of hints.columns ?? []) {
    const target = toTables.get(tableName);
    for (const [newName, oldName] of columns) {
      const hint = `'${tableName}.${oldName}' → '${tableName}.${newName}'`;
      if (target === undefined) throw hintError(hint, `the schema has no table '${tableName}'`);
      if (!target.columns.some((c) => c.name === newName))
        throw hintError(hint, `the schema's table '${tableName}' has no column '${newName}'`);
      const old = before.get(tableName);
      if (old === undefined) continue;
      const hasOld = old.columns.some((c) => c.name === oldName);
      const hasNew = old.columns.some((c) => c.name === newName);
      if (hasOld && hasNew) throw hintError(hint, 'both columns exist in the database; drop one, or remove the hint');
      if (!hasOld && !hasNew)
        throw hintError(hint, `the database's table '${formatQualifiedName(old.name)}' has neither column`);
      if (hasOld)
        columnRenames.push(freezeData({ kind: 'rename_column', table: target.name, column: oldName, newName }));
    }
  }
  result.operations.push(...columnRenames);

  const fromEnums = new Map(from.enums.map((item) => [formatQualifiedName(item.name), item]));
  const toEnums = new Map(to.enums.map((item) => [formatQualifiedName(item.name), item]));
  for (const [enumName, values] of hints.enumValues ?? []) {
    for (const [newValue, oldValue] of values) {
      const hint = `'${enumName}': '${oldValue}' → '${newValue}'`;
      const target = toEnums.get(enumName);
      if (target === undefined) throw hintError(hint, `the schema has no enum '${enumName}'`);
      if (!target.values.includes(newValue)) throw hintError(hint, `the schema's enum has no value '${newValue}'`);
      const old = fromEnums.get(enumName);
      if (old === undefined) continue;
      const hasOld = old.values.includes(oldValue);
      const hasNew = old.values.includes(newValue);
      if (hasOld && hasNew) throw hintError(hint, 'both values exist in the database; remove the hint');
      if (!hasOld && !hasNew) throw hintError(hint, `the database's enum has neither value`);
      if (!hasOld) continue;
      if (!enumTypes) {
        result.notes.push(
          `enum '${enumName}': '${oldValue}' → '${newValue}' is changed with its columns here, which does not carry rows' values over`,
        );
        continue;
      }
      const renames = result.enumValues.get(enumName) ?? new Map<string, string>();
      renames.set(newValue, oldValue);
      result.enumValues.set(enumName, renames);
    }
  }
  return result;
}
