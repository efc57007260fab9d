import {
  bigint,
  CairnError,
  type CheckDefinition,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  type EnumDefinition,
  type ForeignKeyDefinition,
  type IndexColumn,
  type IndexDefinition,
  type IntrospectOptions,
  integer,
  type PrimaryKeyDefinition,
  type QualifiedName,
  type ReferentialAction,
  type SchemaModel,
  type Session,
  smallint,
  statement,
  type TableModel,
  type UniqueDefinition,
} from '@cairn/core';
import { defaultFromText, stripEnclosingParens, typeFromText } from './catalog-text.js';
import { quoteIdentifier } from './quote.js';

/*
 * Reads tables and enums from `pg_catalog` (never `information_schema`: it hides what the role
 * may not use, loses type detail and is slow — design/dialects.md §2.3) in a fixed number of
 * bulk queries, whatever the number of tables: columns, constraints, indexes and enums, each for
 * the whole schema (`introspect`) or one table (`describeTable`), stitched together here. Needs
 * PostgreSQL 12 or later (`pg_attribute.attgenerated`), like the compiler.
 *
 * Names. A name carries `schema` exactly when its schema is not the connection's current schema
 * (`current_schema()`, where the unqualified names migrations write resolve): tables, referenced
 * tables, enums and index tables alike, in both functions, so `describeTable` of a table equals
 * its entry in `introspect`. `introspect({ schema: 'app' })` from a connection whose current
 * schema is `public` thus returns `{ schema: 'app', name }` names.
 *
 * search_path. `format_type` and `pg_get_expr` leave out the schema of whatever the session's
 * `search_path` makes visible, so the same column would read as `mood` or `app.mood` depending
 * on who connects. The catalog queries therefore run with the path pinned to
 * `pg_catalog, <current schema>, pg_temp`: built-in types print bare (`integer`), the current
 * schema's objects unqualified (as the names above) and every other schema's qualified, whatever
 * else the connection's path lists. The pin is `set_config(…, true)` in a transaction of its own
 * (a savepoint inside the caller's), which is rolled back at the end: reading writes nothing, and
 * the rollback undoes the setting even where a released savepoint would keep it (a session
 * without `transaction` gets the old path set back instead).
 *
 * Documented normalisations (where what reads back differs from what the DDL said):
 * - types as `typeFromText` maps `format_type` (catalog-text.ts): cairn's portable types where
 *   one fits (`jsonb` is `json()`, `character(n)` `char(n)`, `bytea` `binary()`), otherwise
 *   `rawType(<format_type text>)` (`json`, `timestamp(3) without time zone`, `integer[]`); a
 *   column of an enum type is `enumType(name, labels in enumsortorder)`;
 * - identity columns are integers with `identity` (`a` → `always`, `d` → `by_default`). A serial
 *   (a `nextval` default of a sequence owned by the column) is `identity: 'by_default'` without
 *   a default: that is what `serial()` means in the IR, and the compiler creates it as an
 *   identity, so a legacy serial column and `serial()` compare equal;
 * - defaults as `defaultFromText` reads `pg_get_expr` (literals without their casts, `now()` as
 *   `current_timestamp`, other expressions without enclosing parentheses);
 * - check expressions and index predicates are PostgreSQL's deparsed text (`ratio >= 0` on a
 *   double column reads back `ratio >= (0)::double precision`), without enclosing parentheses;
 * - `ON DELETE/UPDATE NO ACTION` is the absent action; constraint names are always present
 *   (PostgreSQL names every constraint, `<table>_pkey` and so on when the DDL did not);
 * - indexes that back a primary key, unique or exclusion constraint are those constraints, not
 *   `indexes`; an index's access method, operator classes, collations, `NULLS FIRST/LAST` and
 *   `INCLUDE` columns are not modelled and are not read; `ASC` is the absent order;
 * - generated columns (`attgenerated`) are skipped, as SQLite skips its generated columns; so are
 *   exclusion constraints and triggers (PostgreSQL never rebuilds a table, so nothing needs them).
 */

/** One row per column; a table without columns (`CREATE TABLE t ()`) has one row with null column fields. */
type ColumnRow = {
  readonly table_schema: string;
  readonly table_name: string;
  readonly table_comment: string | null;
  readonly name: string | null;
  readonly type: string | null;
  readonly not_null: boolean | null;
  readonly identity: string | null;
  readonly default_sql: string | null;
  readonly comment: string | null;
  readonly is_enum: boolean | null;
  readonly type_schema: string | null;
  readonly type_name: string | null;
  readonly serial: boolean | null;
};

type ConstraintRow = {
  readonly table_schema: string;
  readonly table_name: string;
  readonly name: string;
  readonly type: 'p' | 'u' | 'c' | 'f';
  /** JSON array of column names, in key order. */
  readonly columns: string | null;
  readonly ref_schema: string | null;
  readonly ref_table: string | null;
  readonly ref_columns: string | null;
  readonly on_update: string;
  readonly on_delete: string;
  readonly expression: string | null;
};

type IndexRow = {
  readonly table_schema: string;
  readonly table_name: string;
  readonly name: string;
  readonly unique: boolean;
  /** JSON array of `[column name | null, expression | null, descending]`, in key order. */
  readonly keys: string;
  readonly predicate: string | null;
};

type EnumRow = {
  readonly schema: string;
  readonly name: string;
  readonly labels: string | null;
  readonly listed: boolean;
};

/** What the queries read: the tables of one schema, or one table by oid. */
interface Scope {
  /** A condition on `c` (the table's `pg_class` row) and `n` (its `pg_namespace` row), using `$1`. */
  readonly tables: string;
  /** A condition on `tn` (an enum's namespace) saying the enum is part of the model's `enums`. */
  readonly listedEnums: string;
  /** `$1`: the schema name, or the table's oid as text. */
  readonly param: string;
  /** `current_schema()` before the pin: names in it are left unqualified. */
  readonly current: string | null;
}

const RELKINDS = `c.relkind IN ('r', 'p')`;

/*
 * Comments are joined from `pg_description` rather than read with `obj_description` and
 * `col_description`: those run a query of their own per row, which made this query three times
 * slower on 15,000 columns.
 */
function columnsQuery(scope: Scope): string {
  return `SELECT n.nspname AS table_schema, c.relname AS table_name,
    td.description AS table_comment,
    a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
    a.attnotnull AS not_null, a.attidentity AS identity,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_sql,
    cd.description AS comment,
    t.typtype = 'e' AS is_enum, tn.nspname AS type_schema, t.typname AS type_name,
    EXISTS (
      SELECT 1 FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'a'
        AND pg_get_expr(ad.adbin, ad.adrelid) = 'nextval(' || quote_literal(s.oid::regclass::text) || '::regclass)'
    ) AS serial
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
  LEFT JOIN pg_description td ON td.objoid = c.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
  LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
  WHERE ${RELKINDS} AND ${scope.tables}
  ORDER BY c.relname, a.attnum`;
}

/**
 * JSON array of the names of `rel`'s columns `keys` (an int2[]), in order. Lists come back as
 * JSON text, not SQL arrays, so that whatever driver is under the `Session` returns a plain string.
 */
function columnNames(keys: string, rel: string): string {
  return `(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum)::text`;
}

/*
 * `contype` 'n' (NOT NULL constraints, PostgreSQL 18), 'x' (exclusion) and 't' (constraint
 * triggers) are not modelled. Check expressions come from `pg_get_expr(conbin)` rather than
 * `pg_get_constraintdef`, which would also need its `CHECK (…)`, `NO INHERIT` and `NOT VALID`
 * parsed away.
 */
function constraintsQuery(scope: Scope): string {
  return `SELECT n.nspname AS table_schema, c.relname AS table_name, con.conname AS name, con.contype AS type,
    ${columnNames('con.conkey', 'con.conrelid')} AS columns,
    fn.nspname AS ref_schema, fc.relname AS ref_table,
    ${columnNames('con.confkey', 'con.confrelid')} AS ref_columns,
    con.confupdtype AS on_update, con.confdeltype AS on_delete,
    CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS expression
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE con.contype IN ('p', 'u', 'c', 'f') AND ${RELKINDS} AND ${scope.tables}
  ORDER BY c.relname, con.conname`;
}

/*
 * Key columns only (the first `indnkeyatts`; the rest are INCLUDE columns). `indoption` bit 0 is
 * DESC. An expression key (attnum 0) is printed by `pg_get_indexdef(index, position, false)`.
 */
function indexesQuery(scope: Scope): string {
  return `SELECT n.nspname AS table_schema, c.relname AS table_name, ic.relname AS name, i.indisunique AS unique,
    (SELECT json_agg(json_build_array(
        a.attname,
        CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, false) END,
        (i.indoption[(k.ord - 1)::int] & 1) = 1
      ) ORDER BY k.ord)
      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
      WHERE k.ord <= i.indnkeyatts)::text AS keys,
    pg_get_expr(i.indpred, i.indrelid) AS predicate
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${RELKINDS} AND ${scope.tables}
    AND NOT EXISTS (SELECT 1 FROM pg_constraint con
      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
  ORDER BY c.relname, ic.relname`;
}

/** The enums listed in the model, and every enum a column in scope uses (for its labels). */
function enumsQuery(scope: Scope): string {
  return `SELECT tn.nspname AS schema, t.typname AS name,
    (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)::text AS labels,
    ${scope.listedEnums} AS listed
  FROM pg_type t
  JOIN pg_namespace tn ON tn.oid = t.typnamespace
  WHERE t.typtype = 'e' AND (${scope.listedEnums} OR t.oid IN (
    SELECT a.atttypid FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND ${RELKINDS} AND ${scope.tables}))
  ORDER BY tn.nspname, t.typname`;
}

/** Carries `work`'s result out of the transaction, which is then rolled back. */
class Done {
  constructor(readonly value: unknown) {}
}

/**
 * Runs `work` on a session whose search_path it may pin with `pin` (see the top of this file),
 * and leaves the connection's search_path as it found it: in a transaction (a savepoint inside
 * the caller's) that is rolled back, or, on a session that cannot run transactions, by setting
 * the path for the session and putting the old one back.
 */
async function withPinnableSession<T>(
  session: Session,
  work: (s: Session, pin: (current: string | null) => Promise<void>) => Promise<T>,
): Promise<T> {
  const pinStatement = (current: string | null, local: boolean) =>
    statement("SELECT set_config('search_path', $1, $2)", [
      current === null ? 'pg_catalog, pg_temp' : `pg_catalog, ${quoteIdentifier(current)}, pg_temp`,
      local,
    ]);
  if (session.transaction === undefined) {
    const [saved] = await session.query<{ search_path: string }>(
      statement("SELECT current_setting('search_path') AS search_path"),
    );
    let pinned = false;
    const restore = () => session.query(statement("SELECT set_config('search_path', $1, false)", [saved!.search_path]));
    let result: T;
    try {
      result = await work(session, async (current) => {
        await session.query(pinStatement(current, false));
        pinned = true;
      });
    } catch (error) {
      // Put back on a best-effort basis: the caller needs `work`'s error, not the restore's.
      if (pinned) await restore().catch(() => undefined);
      throw error;
    }
    if (pinned) await restore();
    return result;
  }
  try {
    await session.transaction(async (tx) => {
      throw new Done(
        await work(tx, async (current) => {
          await tx.query(pinStatement(current, true));
        }),
      );
    });
  } catch (error) {
    if (error instanceof Done) return error.value as T;
    throw error;
  }
  // `transaction` resolved although its work always rejects: the session broke its contract.
  throw new CairnError('DRIVER_ERROR', 'the session committed a transaction whose work had failed');
}

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  a: undefined,
  r: 'restrict',
  c: 'cascade',
  n: 'set_null',
  d: 'set_default',
};

function nameIn(schema: string, name: string, current: string | null): QualifiedName {
  return schema === current ? { name } : { schema, name };
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

function jsonList<T>(text: string | null): T[] {
  return text === null ? [] : (JSON.parse(text) as T[]);
}

/** Orders names as the schema model does: schema (when present), then name, by code unit. */
function compareNames(a: QualifiedName, b: QualifiedName): number {
  const ka = a.schema === undefined ? a.name : key(a.schema, a.name);
  const kb = b.schema === undefined ? b.name : key(b.schema, b.name);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function withIdentity(type: ColumnType, mode: 'by_default' | 'always'): ColumnType {
  if (type.kind === 'smallint') return smallint({ identity: mode });
  if (type.kind === 'integer') return integer({ identity: mode });
  if (type.kind === 'bigint') return bigint({ identity: mode });
  return type;
}

interface TableParts {
  readonly name: QualifiedName;
  readonly comment: string | null;
  readonly columns: ColumnDefinition[];
  primaryKey?: PrimaryKeyDefinition;
  readonly uniques: UniqueDefinition[];
  readonly checks: CheckDefinition[];
  readonly foreignKeys: ForeignKeyDefinition[];
  readonly indexes: IndexDefinition[];
}

function toColumn(row: ColumnRow, enums: ReadonlyMap<string, readonly string[]>, current: string | null) {
  let type: ColumnType;
  if (row.is_enum === true) {
    const name = nameIn(row.type_schema!, row.type_name!, current);
    // Built directly: the factory refuses an enum without labels, which PostgreSQL allows.
    type = Object.freeze({ kind: 'enum', name, values: enums.get(key(row.type_schema!, row.type_name!)) ?? [] });
  } else type = typeFromText(row.type!);
  if (row.identity === 'a') type = withIdentity(type, 'always');
  else if (row.identity === 'd' || row.serial === true) type = withIdentity(type, 'by_default');
  const value: ColumnDefault | undefined =
    row.default_sql === null || row.serial === true ? undefined : defaultFromText(row.default_sql, type);
  const column: ColumnDefinition = {
    name: row.name!,
    type,
    nullable: row.not_null !== true,
    ...(value === undefined ? {} : { default: value }),
    ...(row.comment === null ? {} : { comment: row.comment }),
  };
  return column;
}

function toIndex(row: IndexRow, table: QualifiedName): IndexDefinition {
  const columns = jsonList<[string | null, string | null, boolean]>(row.keys).map(
    ([column, expression, descending]): IndexColumn => {
      const order = descending ? ({ order: 'desc' } as const) : {};
      return column !== null
        ? { kind: 'column', name: column, ...order }
        : { kind: 'expression', sql: stripEnclosingParens(expression ?? ''), ...order };
    },
  );
  return {
    name: row.name,
    table,
    columns,
    ...(row.unique ? { unique: true } : {}),
    ...(row.predicate === null ? {} : { where: stripEnclosingParens(row.predicate) }),
  };
}

/** Runs the four bulk queries for `scope` and assembles the model. */
async function readScope(session: Session, scope: Scope): Promise<SchemaModel> {
  const params = [scope.param];
  const columnRows = await session.query<ColumnRow>(statement(columnsQuery(scope), params));
  const constraintRows = await session.query<ConstraintRow>(statement(constraintsQuery(scope), params));
  const indexRows = await session.query<IndexRow>(statement(indexesQuery(scope), params));
  const enumRows = await session.query<EnumRow>(statement(enumsQuery(scope), params));

  const labels = new Map<string, readonly string[]>();
  const enums: EnumDefinition[] = [];
  for (const row of enumRows) {
    const values = jsonList<string>(row.labels);
    labels.set(key(row.schema, row.name), values);
    if (row.listed) enums.push({ name: nameIn(row.schema, row.name, scope.current), values });
  }

  const tables = new Map<string, TableParts>();
  for (const row of columnRows) {
    const id = key(row.table_schema, row.table_name);
    let table = tables.get(id);
    if (table === undefined) {
      table = {
        name: nameIn(row.table_schema, row.table_name, scope.current),
        comment: row.table_comment,
        columns: [],
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
      };
      tables.set(id, table);
    }
    if (row.name !== null) table.columns.push(toColumn(row, labels, scope.current));
  }
  for (const row of constraintRows) {
    const table = tables.get(key(row.table_schema, row.table_name));
    if (table === undefined) continue;
    const columns = jsonList<string>(row.columns);
    if (row.type === 'p') table.primaryKey = { name: row.name, columns };
    else if (row.type === 'u') table.uniques.push({ name: row.name, columns });
    else if (row.type === 'c')
      table.checks.push({ name: row.name, expression: stripEnclosingParens(row.expression ?? '') });
    else {
      const onDelete = ACTIONS[row.on_delete];
      const onUpdate = ACTIONS[row.on_update];
      table.foreignKeys.push({
        name: row.name,
        columns,
        references: {
          table: nameIn(row.ref_schema!, row.ref_table!, scope.current),
          columns: jsonList<string>(row.ref_columns),
        },
        ...(onDelete === undefined ? {} : { onDelete }),
        ...(onUpdate === undefined ? {} : { onUpdate }),
      });
    }
  }
  for (const row of indexRows) {
    const table = tables.get(key(row.table_schema, row.table_name));
    if (table !== undefined) table.indexes.push(toIndex(row, table.name));
  }

  const assembled: TableModel[] = [...tables.values()].map((t) => ({
    name: t.name,
    columns: t.columns,
    ...(t.primaryKey === undefined ? {} : { primaryKey: t.primaryKey }),
    uniques: t.uniques,
    checks: t.checks,
    foreignKeys: t.foreignKeys,
    ...(t.comment === null ? {} : { comment: t.comment }),
    indexes: t.indexes,
  }));
  return {
    tables: assembled.sort((a, b) => compareNames(a.name, b.name)),
    enums: enums.sort((a, b) => compareNames(a.name, b.name)),
  };
}

/**
 * Every table (ordinary and partitioned, indexes included) and enum of one schema, read in four
 * bulk `pg_catalog` queries plus two to set up (the current schema, the pinned search_path),
 * whatever the number of tables. `options.schema` defaults to `current_schema()`; a schema that
 * does not exist reads as empty. Names carry `schema` only outside the current schema, and types,
 * defaults and indexes read back as the notes at the top of this file say. cairn's own version
 * and history tables are included. Throws `CairnError('USAGE')` when no schema is given and the
 * connection's search_path names no existing schema.
 *
 * @example const model = await introspect(session); // { tables: [...], enums: [...] }
 */
export async function introspect(session: Session, options: IntrospectOptions = {}): Promise<SchemaModel> {
  return withPinnableSession(session, async (s, pin) => {
    const [row] = await s.query<{ current_schema: string | null }>(
      statement('SELECT current_schema() AS current_schema'),
    );
    const current = row?.current_schema ?? null;
    const schema = options.schema ?? current;
    if (schema === null)
      throw new CairnError(
        'USAGE',
        "cannot introspect the current schema: the connection's search_path names no schema that exists; pass { schema } or fix the search_path",
        { details: {} },
      );
    await pin(current);
    return readScope(s, { tables: 'n.nspname = $1', listedEnums: 'tn.nspname = $1', param: schema, current });
  });
}

/**
 * The current definition of one table, or `undefined` when there is none: `name` resolves as an
 * unqualified name in the migration's SQL would (through the connection's search_path) and must
 * be an ordinary or partitioned table. The same bulk queries as `introspect`, filtered to the
 * table's oid, so the result equals the table's entry in `introspect` (names relative to the
 * current schema; see the top of this file).
 *
 * @example const before = await describeTable(session, { name: 'account' });
 */
export async function describeTable(session: Session, name: QualifiedName): Promise<TableModel | undefined> {
  const target =
    name.schema === undefined
      ? quoteIdentifier(name.name)
      : `${quoteIdentifier(name.schema)}.${quoteIdentifier(name.name)}`;
  return withPinnableSession(session, async (s, pin) => {
    // Resolved before the pin: an unqualified name means what the caller's search_path makes it.
    const [row] = await s.query<{ current_schema: string | null; table_oid: string | null }>(
      statement(
        `SELECT current_schema() AS current_schema,
          (SELECT c.oid::text FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1) AND ${RELKINDS}) AS table_oid`,
        [target],
      ),
    );
    if (row === undefined || row.table_oid === null) return undefined;
    const current = row.current_schema;
    await pin(current);
    const model = await readScope(s, {
      tables: 'c.oid = $1::oid',
      listedEnums: 'false',
      param: row.table_oid,
      current,
    });
    return model.tables[0];
  });
}
