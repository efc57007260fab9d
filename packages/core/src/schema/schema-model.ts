import { CairnError } from '../errors.js';
import type { ColumnDefinition } from '../ops/column.js';
import type { ColumnDefault } from '../ops/column-default.js';
import type { ColumnType } from '../ops/column-type.js';
import type { IndexDefinition } from '../ops/index-definition.js';
import { formatQualifiedName, type QualifiedName } from '../ops/qualified-name.js';
import { freezeData, isRecord } from '../ops/validate.js';
import { isSchemaEnum, isSchemaTable, type SchemaEnum, type SchemaTable } from './define.js';
import type { EnumDefinition, SchemaModel, TableModel } from './model.js';
import {
  checkColumns,
  conventionName,
  DEFAULT_MAX_IDENTIFIER_LENGTH,
  identifierBytes,
  type NamingConvention,
  shortHash,
  toNamingConvention,
} from './naming.js';
import { nameKey } from './schema-builder.js';

/** Options of `schemaModel`. */
export interface SchemaModelOptions {
  /**
   * The dialect's `capabilities.maxIdentifierLength`, in bytes. Generated names longer than this
   * are shortened with a hash; a name the schema spells out that is longer is an error.
   * Default: 63 (PostgreSQL's, the smallest built-in limit).
   */
  readonly maxIdentifierLength?: number;
  /** Templates for the names the schema leaves out; kinds not given keep the default. */
  readonly namingConvention?: Partial<NamingConvention>;
}

/** The rename hints of a schema module (`renamedFrom`), kept beside the model that has none. */
export interface SchemaRenames {
  /** `from` is the previous name of `to`, in `to`'s schema. Sorted by `to`. */
  readonly tables: readonly { readonly from: QualifiedName; readonly to: QualifiedName }[];
  /** Columns of `table` (its new name). Sorted by table, then `to`. */
  readonly columns: readonly { readonly table: QualifiedName; readonly from: string; readonly to: string }[];
  /** Values of `enum`. Sorted by enum, then `to`. */
  readonly enumValues: readonly { readonly enum: QualifiedName; readonly from: string; readonly to: string }[];
}

/** What `schemaModel` returns. */
export interface DesiredSchema {
  /** Sorted, frozen, every constraint and index named: the shape `introspect` returns. */
  readonly model: SchemaModel;
  readonly renames: SchemaRenames;
}

function invalid(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('INVALID_SCHEMA', `Invalid schema: ${message}`, { details });
}

const show = formatQualifiedName;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNames(a: QualifiedName, b: QualifiedName): number {
  return compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name);
}

/**
 * The tables and enums among a module's exports: values built by `table()` and `defineEnum()` (or
 * `enumType()`), arrays of them, and the properties of a `default` export object. Anything else
 * (helpers, constants) is ignored; one object exported under two names counts once.
 */
function collect(exports: unknown): { tables: SchemaTable[]; enums: SchemaEnum[] } {
  const tables = new Set<SchemaTable>();
  const enums = new Set<SchemaEnum>();
  const visit = (value: unknown, depth: number): void => {
    if (isSchemaTable(value)) tables.add(value);
    else if (isSchemaEnum(value)) enums.add(value);
    else if (Array.isArray(value) && depth < 2) for (const item of value) visit(item, depth + 1);
  };
  if (isRecord(exports) || (typeof exports === 'object' && exports !== null)) {
    for (const [key, value] of Object.entries(exports)) {
      if (key === 'default' && isRecord(value)) for (const item of Object.values(value)) visit(item, 1);
      else visit(value, 0);
    }
  }
  return { tables: [...tables], enums: [...enums] };
}

/** Whether a literal default suits the column's type; `undefined` when it does, else why not. */
function defaultProblem(type: ColumnType, value: ColumnDefault): string | undefined {
  if ((type.kind === 'smallint' || type.kind === 'integer' || type.kind === 'bigint') && type.identity !== undefined)
    return 'an identity column takes no default';
  if (value.kind === 'expression') return undefined;
  if (value.kind === 'current_timestamp')
    return ['timestamp', 'date', 'time', 'text', 'varchar', 'char', 'raw'].includes(type.kind)
      ? undefined
      : `CURRENT_TIMESTAMP does not fit a ${type.kind} column`;
  const literal = value.value;
  const isNumeric = typeof literal === 'number' || (typeof literal === 'string' && /^-?\d+(\.\d+)?$/.test(literal));
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return (typeof literal === 'number' && Number.isInteger(literal)) ||
        (typeof literal === 'string' && /^-?\d+$/.test(literal))
        ? undefined
        : `${JSON.stringify(literal)} is not an integer`;
    case 'numeric':
    case 'real':
    case 'double':
      return isNumeric ? undefined : `${JSON.stringify(literal)} is not a number`;
    case 'boolean':
      return typeof literal === 'boolean' ? undefined : `${JSON.stringify(literal)} is not true or false`;
    case 'text':
    case 'binary':
    case 'date':
    case 'time':
    case 'timestamp':
      return typeof literal === 'string' ? undefined : `${JSON.stringify(literal)} is not a string`;
    case 'varchar':
    case 'char':
      if (typeof literal !== 'string') return `${JSON.stringify(literal)} is not a string`;
      return [...literal].length > type.length ? `'${literal}' is longer than ${type.kind}(${type.length})` : undefined;
    case 'uuid':
      return typeof literal === 'string' &&
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(literal)
        ? undefined
        : `${JSON.stringify(literal)} is not a UUID`;
    case 'json':
      if (typeof literal !== 'string') return `${JSON.stringify(literal)} is not JSON text (write it as a string)`;
      try {
        JSON.parse(literal);
        return undefined;
      } catch {
        return `'${literal}' is not valid JSON`;
      }
    case 'enum':
      return typeof literal === 'string' && type.values.includes(literal)
        ? undefined
        : `${JSON.stringify(literal)} is not a value of enum '${show(type.name)}'`;
    case 'raw':
      return undefined;
  }
}

/**
 * Turns a schema module's exports into the model autogenerate compares with the database, plus the
 * rename hints. Tables and enums may be exported in any order; the model is sorted by schema, then
 * name, each table's lists keep their declaration order, every unnamed constraint and index gets
 * its convention name (`namingConvention`, `maxIdentifierLength`), and primary key columns are
 * NOT NULL, as every database makes them.
 *
 * Throws `CairnError('INVALID_SCHEMA')`, naming the table and column, for: two tables or enums
 * with one name; a constraint or index on a column the table lacks; a foreign key to a missing
 * table or column, or to columns that are not the referenced table's primary key or a unique key;
 * an enum column whose enum is not exported (or has other values); a literal default that does not
 * fit its column; a default on an identity column; two objects of one table (or two indexes,
 * uniques or primary keys of one schema) with one name; a name over the limit; a rename hint that
 * names an object the schema still defines.
 *
 * @example
 * import * as models from './models.js';
 * const { model, renames } = schemaModel(models, { maxIdentifierLength: dialect.capabilities.maxIdentifierLength });
 */
export function schemaModel(exports: unknown, options: SchemaModelOptions = {}): DesiredSchema {
  const limit = options.maxIdentifierLength ?? DEFAULT_MAX_IDENTIFIER_LENGTH;
  if (!Number.isSafeInteger(limit) || limit < 16)
    throw new CairnError('USAGE', `schemaModel: maxIdentifierLength must be an integer of at least 16, got ${limit}`, {
      details: { argument: 'maxIdentifierLength' },
    });
  const convention = toNamingConvention(options.namingConvention);
  const { tables, enums } = collect(exports);

  const checkLength = (name: string, what: string, details: Readonly<Record<string, unknown>>) => {
    if (identifierBytes(name) > limit)
      throw invalid(`${what} is ${identifierBytes(name)} bytes long; the dialect allows ${limit}`, details);
  };

  const enumByKey = new Map<string, SchemaEnum>();
  for (const item of enums) {
    const key = nameKey(item.name);
    const other = enumByKey.get(key);
    if (other !== undefined) {
      if (other.values.join('\u0000') === item.values.join('\u0000') && !other.renamedValues && !item.renamedValues)
        continue; // the same enumType() spelt twice, e.g. inline in a column and exported
      throw invalid(`two enums are named '${show(item.name)}'`, { enum: item.name });
    }
    checkLength(item.name.name, `enum '${show(item.name)}'`, { enum: item.name });
    enumByKey.set(key, item);
  }

  const tableByKey = new Map<string, SchemaTable>();
  for (const item of tables) {
    const key = nameKey(item.name);
    if (tableByKey.has(key)) throw invalid(`two tables are named '${show(item.name)}'`, { table: item.name });
    tableByKey.set(key, item);
  }

  const models = [...tableByKey.values()]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((item) => tableModel(item, tableByKey, enumByKey, convention, limit, checkLength));
  checkSchemaNamespaces(models);

  const renames = collectRenames([...tableByKey.values()], [...enumByKey.values()], tableByKey);
  const model: SchemaModel = freezeData({
    tables: models,
    enums: [...enumByKey.values()]
      .sort((a, b) => compareNames(a.name, b.name))
      .map((item): EnumDefinition => ({ name: item.name, values: [...item.values] })),
  });
  return freezeData({ model, renames });
}

type LengthCheck = (name: string, what: string, details: Readonly<Record<string, unknown>>) => void;

function tableModel(
  item: SchemaTable,
  tables: ReadonlyMap<string, SchemaTable>,
  enums: ReadonlyMap<string, SchemaEnum>,
  convention: NamingConvention,
  limit: number,
  checkLength: LengthCheck,
): TableModel {
  const tableName = show(item.name);
  const where = `table '${tableName}'`;
  checkLength(item.name.name, where, { table: item.name });
  const known = new Set(item.columns.map((c) => c.name));
  const requireColumns = (columns: readonly string[], what: string) => {
    for (const name of columns)
      if (!known.has(name))
        throw invalid(`${where}: ${what} names column '${name}', which the table does not define`, {
          table: item.name,
          column: name,
        });
  };

  for (const col of item.columns) {
    checkLength(col.name, `${where}, column '${col.name}'`, { table: item.name, column: col.name });
    if (col.type.kind === 'enum') {
      const declared = enums.get(nameKey(col.type.name));
      if (declared === undefined)
        throw invalid(
          `${where}, column '${col.name}' uses enum '${show(col.type.name)}', which the schema does not export (export its defineEnum())`,
          { table: item.name, column: col.name, enum: col.type.name },
        );
      if (declared.values.join('\u0000') !== col.type.values.join('\u0000'))
        throw invalid(
          `${where}, column '${col.name}' uses enum '${show(col.type.name)}' with values other than the exported enum's`,
          { table: item.name, column: col.name, enum: col.type.name },
        );
    }
    if (col.default !== undefined) {
      const problem = defaultProblem(col.type, col.default);
      if (problem !== undefined)
        throw invalid(`${where}, column '${col.name}' has a default of the wrong type: ${problem}`, {
          table: item.name,
          column: col.name,
        });
    }
  }

  const named = (name: string | undefined, generate: () => string, what: string): string => {
    if (name !== undefined) {
      checkLength(name, `${where}: ${what} '${name}'`, { table: item.name, name });
      return name;
    }
    return generate();
  };
  const table = item.name.name;

  const pk = item.primaryKey;
  if (pk) requireColumns(pk.columns, 'the primary key');
  const primaryKey = pk && {
    name: named(pk.name, () => conventionName('pk', { table, columns: pk.columns }, convention, limit), 'primary key'),
    columns: [...pk.columns],
  };
  const uniques = item.uniques.map((unique, index) => {
    requireColumns(unique.columns, `unique constraint ${index + 1}`);
    return {
      name: named(
        unique.name,
        () => conventionName('uq', { table, columns: unique.columns }, convention, limit),
        'unique constraint',
      ),
      columns: [...unique.columns],
    };
  });
  const indexes = item.indexes.map((index, position): IndexDefinition => {
    const columns = index.columns.flatMap((key) => (key.kind === 'column' ? [key.name] : []));
    requireColumns(columns, `index ${index.name === undefined ? position + 1 : `'${index.name}'`}`);
    const parts = index.columns.map((key) => (key.kind === 'column' ? key.name : 'expr'));
    return {
      name: named(
        index.name,
        () =>
          conventionName(
            'ix',
            // An expression or partial index must not take the name of a plain one on the same columns.
            {
              table,
              columns:
                index.where === undefined && parts.every((p) => p !== 'expr')
                  ? parts
                  : [...parts, shortHash(JSON.stringify(index))],
            },
            convention,
            limit,
          ),
        'index',
      ),
      table: item.name,
      columns: index.columns,
      unique: index.unique,
      where: index.where,
    };
  });
  const foreignKeys = item.foreignKeys.map((key) => {
    const what = `the foreign key on (${key.columns.join(', ')})`;
    requireColumns(key.columns, what);
    const target = tables.get(nameKey(key.references.table));
    if (target === undefined)
      throw invalid(
        `${where}: ${what} references table '${show(key.references.table)}', which the schema does not define`,
        { table: item.name, columns: key.columns, references: key.references.table },
      );
    const targetColumns = new Set(target.columns.map((c) => c.name));
    for (const name of key.references.columns)
      if (!targetColumns.has(name))
        throw invalid(
          `${where}: ${what} references column '${name}' of '${show(target.name)}', which that table does not define`,
          { table: item.name, columns: key.columns, references: target.name, column: name },
        );
    const wanted = [...key.references.columns].sort().join('\u0000');
    const keyed = [
      ...(target.primaryKey ? [target.primaryKey.columns] : []),
      ...target.uniques.map((u) => u.columns),
      ...target.indexes
        .filter((i) => i.unique && i.where === undefined && i.columns.every((c) => c.kind === 'column'))
        .map((i) => i.columns.map((c) => (c.kind === 'column' ? c.name : ''))),
    ];
    if (!keyed.some((columns) => [...columns].sort().join('\u0000') === wanted))
      throw invalid(
        `${where}: ${what} references (${key.references.columns.join(', ')}) of '${show(target.name)}', which are not its primary key or a unique key`,
        { table: item.name, columns: key.columns, references: target.name },
      );
    return {
      ...key,
      name: named(
        key.name,
        () =>
          conventionName(
            'fk',
            {
              table,
              columns: key.columns,
              referredTable: key.references.table.name,
              referredColumns: key.references.columns,
            },
            convention,
            limit,
          ),
        'foreign key',
      ),
    };
  });
  const columnNames = item.columns.map((c) => c.name);
  const checks = item.checks.map((check) => ({
    name: named(
      check.name,
      () => conventionName('ck', { table, columns: checkColumns(check.expression, columnNames) }, convention, limit),
      'check',
    ),
    expression: check.expression,
  }));

  // Generated names that collide (two checks on one column) get a hash of their definition; a
  // name the user gave that collides is an error.
  const resolved = disambiguate(item, { primaryKey, uniques, indexes, foreignKeys, checks }, limit);

  const pkColumns = new Set(primaryKey?.columns ?? []);
  const columns = item.columns.map(
    (c): ColumnDefinition => (pkColumns.has(c.name) && c.nullable ? { ...c, nullable: false } : c),
  );
  return {
    name: item.name,
    columns,
    ...(resolved.primaryKey ? { primaryKey: resolved.primaryKey } : {}),
    uniques: resolved.uniques,
    checks: resolved.checks,
    foreignKeys: resolved.foreignKeys,
    ...(item.comment === undefined ? {} : { comment: item.comment }),
    indexes: resolved.indexes,
  };
}

interface Named {
  readonly name: string;
}

interface TableObjects<
  P extends Named | undefined,
  U extends Named,
  I extends Named,
  F extends Named,
  C extends Named,
> {
  primaryKey: P;
  uniques: U[];
  indexes: I[];
  foreignKeys: F[];
  checks: C[];
}

function disambiguate<P extends Named | undefined, U extends Named, I extends Named, F extends Named, C extends Named>(
  item: SchemaTable,
  objects: TableObjects<P, U, I, F, C>,
  limit: number,
): TableObjects<P, U, I, F, C> {
  const given = new Set<string>();
  const userNamed = (name: string | undefined) => name !== undefined;
  const declared = [
    ...(item.primaryKey && userNamed(item.primaryKey.name) ? [item.primaryKey.name] : []),
    ...item.uniques.filter((u) => userNamed(u.name)).map((u) => u.name),
    ...item.indexes.filter((i) => userNamed(i.name)).map((i) => i.name),
    ...item.foreignKeys.filter((k) => userNamed(k.name)).map((k) => k.name),
    ...item.checks.filter((c) => userNamed(c.name)).map((c) => c.name),
  ] as string[];
  for (const name of declared) {
    if (given.has(name))
      throw invalid(`table '${show(item.name)}' has two constraints or indexes named '${name}'`, {
        table: item.name,
        name,
      });
    given.add(name);
  }
  const used = new Set(given);
  const flags = [
    item.primaryKey ? [item.primaryKey.name === undefined] : [],
    item.uniques.map((u) => u.name === undefined),
    item.indexes.map((i) => i.name === undefined),
    item.foreignKeys.map((k) => k.name === undefined),
    item.checks.map((c) => c.name === undefined),
  ];
  const groups: Named[][] = [
    objects.primaryKey ? [objects.primaryKey] : [],
    objects.uniques,
    objects.indexes,
    objects.foreignKeys,
    objects.checks,
  ];
  const counts = new Map<string, number>();
  groups.forEach((group, g) => {
    group.forEach((object, i) => {
      if (flags[g]?.[i]) counts.set(object.name, (counts.get(object.name) ?? 0) + 1);
    });
  });
  const out = groups.map((group, g) =>
    group.map((object, i) => {
      if (!flags[g]?.[i]) return object;
      let name = object.name;
      if ((counts.get(name) ?? 0) > 1 || given.has(name)) {
        const { name: _name, ...definition } = object as Named & Record<string, unknown>;
        name = conventionSuffix(name, shortHash(JSON.stringify(definition)), limit);
      }
      if (used.has(name))
        throw invalid(
          `table '${show(item.name)}' defines two constraints or indexes alike (both would be named '${name}'); drop one or name them`,
          { table: item.name, name },
        );
      used.add(name);
      return { ...object, name };
    }),
  );
  return {
    primaryKey: (out[0]?.[0] ?? undefined) as P,
    uniques: out[1] as U[],
    indexes: out[2] as I[],
    foreignKeys: out[3] as F[],
    checks: out[4] as C[],
  };
}

/** `name` with `_<hash>` inserted before its last `_part` (its kind), then fitted into the limit. */
function conventionSuffix(name: string, hash: string, limit: number): string {
  const cut = name.lastIndexOf('_');
  const [head, tail] = cut <= 0 ? [name, ''] : [name.slice(0, cut), name.slice(cut)];
  const joined = `${head}_${hash}${tail}`;
  if (identifierBytes(joined) <= limit) return joined;
  const room = limit - identifierBytes(`_${hash}${tail}`);
  let kept = '';
  for (const char of head) {
    if (identifierBytes(kept + char) > room) break;
    kept += char;
  }
  return `${kept}_${hash}${tail}`;
}

/**
 * PostgreSQL keeps indexes, and the indexes behind primary keys and uniques, in one namespace per
 * schema: two tables' objects there must differ (the table prefix of the convention sees to it for
 * generated names).
 */
function checkSchemaNamespaces(tables: readonly TableModel[]): void {
  const owners = new Map<string, QualifiedName>();
  for (const t of tables) {
    const names = [
      ...(t.primaryKey?.name ? [t.primaryKey.name] : []),
      ...t.uniques.flatMap((u) => (u.name ? [u.name] : [])),
      ...t.indexes.map((i) => i.name),
    ];
    for (const name of names) {
      const key = `${t.name.schema ?? ''}\u0000${name}`;
      const owner = owners.get(key);
      if (owner !== undefined && nameKey(owner) !== nameKey(t.name))
        throw invalid(
          `tables '${show(owner)}' and '${show(t.name)}' both have an index or key named '${name}'; index names are unique per schema`,
          { table: t.name, name, other: owner },
        );
      owners.set(key, t.name);
    }
  }
}

function collectRenames(
  tables: readonly SchemaTable[],
  enums: readonly SchemaEnum[],
  byKey: ReadonlyMap<string, SchemaTable>,
): SchemaRenames {
  const tableRenames: { from: QualifiedName; to: QualifiedName }[] = [];
  const columnRenames: { table: QualifiedName; from: string; to: string }[] = [];
  const sources = new Map<string, QualifiedName>();
  for (const t of [...tables].sort((a, b) => compareNames(a.name, b.name))) {
    if (t.renamedFrom !== undefined) {
      const from: QualifiedName =
        t.name.schema === undefined ? { name: t.renamedFrom } : { ...t.name, name: t.renamedFrom };
      if (byKey.has(nameKey(from)))
        throw invalid(
          `table '${show(t.name)}' is renamed from '${show(from)}', which the schema still defines; remove one of them or the hint`,
          { table: t.name, renamedFrom: from },
        );
      const other = sources.get(nameKey(from));
      if (other !== undefined)
        throw invalid(`tables '${show(other)}' and '${show(t.name)}' are both renamed from '${show(from)}'`, {
          table: t.name,
          renamedFrom: from,
        });
      sources.set(nameKey(from), t.name);
      tableRenames.push({ from, to: t.name });
    }
    const names = new Set(t.columns.map((c) => c.name));
    const seen = new Map<string, string>();
    for (const [to, from] of Object.entries(t.renamedColumns ?? {}).sort(([a], [b]) => compareText(a, b))) {
      if (names.has(from))
        throw invalid(
          `table '${show(t.name)}', column '${to}' is renamed from '${from}', which the table still defines`,
          { table: t.name, column: to, renamedFrom: from },
        );
      const other = seen.get(from);
      if (other !== undefined)
        throw invalid(`table '${show(t.name)}': columns '${other}' and '${to}' are both renamed from '${from}'`, {
          table: t.name,
          column: to,
          renamedFrom: from,
        });
      seen.set(from, to);
      columnRenames.push({ table: t.name, from, to });
    }
  }
  const enumValues = [...enums]
    .sort((a, b) => compareNames(a.name, b.name))
    .flatMap((e) =>
      Object.entries(e.renamedValues ?? {})
        .sort(([a], [b]) => compareText(a, b))
        .map(([to, from]) => ({ enum: e.name, from, to })),
    );
  return { tables: tableRenames, columns: columnRenames, enumValues };
}
