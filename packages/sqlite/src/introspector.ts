import {
  bigint,
  binary,
  boolean,
  type CheckDefinition,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  char,
  date,
  double,
  enumType,
  type ForeignKeyDefinition,
  type IndexColumn,
  type IndexDefinition,
  type IntrospectOptions,
  integer,
  json,
  numeric,
  type PrimaryKeyDefinition,
  type QualifiedName,
  type ReferentialAction,
  real,
  type SchemaModel,
  type Session,
  smallint,
  statement,
  type TableModel,
  text,
  time,
  timestamp,
  type UniqueDefinition,
  uuid,
  varchar,
} from '@cairn/core';
import { quoteIdentifier } from './quote.js';
import { closingParen, is, nameOf, splitTopLevel, type Token, textBetween, tokenize } from './sql-tokens.js';

/*
 * Reads one table of an SQLite database into the IR's `TableModel`: what the table rebuild
 * needs and what autogenerate compares. Documented normalisations (what comes back differs from
 * what was created):
 * - types map back one-to-one from cairn's own spellings (render-table.ts); any other declared
 *   type is `rawType(<declared text>)`; a TEXT column with a column CHECK `CONSTRAINT "e"
 *   CHECK ("col" IN (…))` is `enumType('e', […])`; an `INTEGER PRIMARY KEY AUTOINCREMENT` column
 *   is `integer({ identity: 'by_default' })` (smallint/bigint/`always` identities come back so);
 * - `DEFAULT NULL` is no default; a quoted text default is a string literal, a number a number
 *   literal (on a BOOLEAN column 1/0 are `true`/`false`), `CURRENT_TIMESTAMP` the portable
 *   default, anything else an expression (SQLite itself drops the parentheses of
 *   `DEFAULT (expr)`, so `expressionDefault('(1)')` reads back as the literal 1);
 * - `ON DELETE/UPDATE NO ACTION` is the absent action; an index key's explicit `ASC` is absent;
 * - column-level CHECKs other than an enum's become table checks; comments do not exist;
 * - the implicit indexes of PRIMARY KEY/UNIQUE constraints (`sqlite_autoindex_*`) are the
 *   constraints, not `indexes`; generated and hidden columns are not modelled and are skipped.
 */

type XInfoRow = {
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly dflt_value: string | null;
  readonly pk: number;
  readonly hidden: number;
};

type ForeignKeyRow = {
  readonly id: number;
  readonly seq: number;
  readonly table: string;
  readonly from: string;
  readonly to: string | null;
  readonly on_update: string;
  readonly on_delete: string;
};

interface ParsedTable {
  primaryKeyName?: string;
  autoincrement: boolean;
  readonly uniques: UniqueDefinition[];
  readonly checks: CheckDefinition[];
  readonly foreignKeyNames: { readonly name?: string; readonly columns: readonly string[] }[];
  /** Column name → enum found in its column CHECK. */
  readonly enums: Map<string, { readonly name: string; readonly values: readonly string[] }>;
}

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  'NO ACTION': undefined,
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
};

/**
 * The table `name` as it is in the database, or `undefined` when there is no such table. Reads
 * `sqlite_schema` (CREATE text: constraint names, CHECKs, AUTOINCREMENT, index expressions),
 * `pragma_table_xinfo`, `pragma_index_list`/`pragma_index_info`/`pragma_index_xinfo` and
 * `pragma_foreign_key_list`. A `schema` names an attached database.
 *
 * @example const before = await describeTable(session, { name: 'account' });
 */
export async function describeTable(session: Session, name: QualifiedName): Promise<TableModel | undefined> {
  const schemaTable = name.schema === undefined ? 'sqlite_schema' : `${quoteIdentifier(name.schema)}.sqlite_schema`;
  const pragmaArgs = name.schema === undefined ? [name.name] : [name.name, name.schema];
  const pragma = (fn: string, arg = '?') => `pragma_${fn}(${arg}${name.schema === undefined ? '' : ', ?'})`;
  const [tableRow] = await session.query<{ sql: string }>(
    statement(`SELECT sql FROM ${schemaTable} WHERE type = 'table' AND name = ?`, [name.name]),
  );
  if (tableRow === undefined) return undefined;
  const parsed = parseCreateTable(tableRow.sql);

  const xinfo = await session.query<XInfoRow>(
    statement(`SELECT name, type, "notnull", dflt_value, pk, hidden FROM ${pragma('table_xinfo')}`, pragmaArgs),
  );
  const visible = xinfo.filter((row) => row.hidden === 0);
  const pkRows = visible.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk);
  const identity = parsed.autoincrement && pkRows.length === 1 ? pkRows[0]!.name : undefined;
  const columns = visible.map((row) => toColumn(row, parsed, row.name === identity));
  const primaryKey: PrimaryKeyDefinition | undefined =
    pkRows.length === 0
      ? undefined
      : {
          ...(parsed.primaryKeyName === undefined ? {} : { name: parsed.primaryKeyName }),
          columns: pkRows.map((row) => row.name),
        };

  const indexList = await session.query<{ name: string; origin: string }>(
    statement(`SELECT name, origin FROM ${pragma('index_list')}`, pragmaArgs),
  );
  const uniques: UniqueDefinition[] = [];
  const autoUniques = indexList
    .filter((row) => row.origin === 'u')
    .sort((a, b) => autoindexNumber(a.name) - autoindexNumber(b.name));
  for (const row of autoUniques) {
    const info = await session.query<{ name: string }>(
      statement(`SELECT name FROM ${pragma('index_info')} ORDER BY seqno`, [row.name, ...pragmaArgs.slice(1)]),
    );
    const cols = info.map((r) => r.name);
    const named = parsed.uniques.find((u) => sameList(u.columns, cols));
    uniques.push(named?.name === undefined ? { columns: cols } : { name: named.name, columns: cols });
  }

  const indexRows = await session.query<{ name: string; sql: string }>(
    statement(
      `SELECT name, sql FROM ${schemaTable} WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid`,
      [name.name],
    ),
  );
  const indexes: IndexDefinition[] = [];
  for (const row of indexRows) {
    const keys = await session.query<{ cid: number; name: string | null; desc: number }>(
      statement(`SELECT cid, name, "desc" FROM ${pragma('index_xinfo')} WHERE key = 1 ORDER BY seqno`, [
        row.name,
        ...pragmaArgs.slice(1),
      ]),
    );
    indexes.push(parseCreateIndex(row.sql, row.name, name, keys));
  }

  const fkRows = await session.query<ForeignKeyRow>(
    statement(
      `SELECT id, seq, "table", "from", "to", on_update, on_delete FROM ${pragma('foreign_key_list')}`,
      pragmaArgs,
    ),
  );
  const foreignKeys = await groupForeignKeys(session, fkRows, parsed, name);
  const triggerRows = await session.query<{ sql: string }>(
    statement(`SELECT sql FROM ${schemaTable} WHERE type = 'trigger' AND tbl_name = ? ORDER BY rowid`, [name.name]),
  );

  return {
    name: name.schema === undefined ? { name: name.name } : { schema: name.schema, name: name.name },
    columns,
    ...(primaryKey === undefined ? {} : { primaryKey }),
    uniques,
    checks: parsed.checks,
    foreignKeys,
    indexes,
    ...(triggerRows.length === 0 ? {} : { triggers: triggerRows.map((row) => row.sql) }),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item.toLowerCase() === b[i]!.toLowerCase());
}

function autoindexNumber(name: string): number {
  const match = /_(\d+)$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

async function groupForeignKeys(
  session: Session,
  rows: readonly ForeignKeyRow[],
  parsed: ParsedTable,
  table: QualifiedName,
): Promise<ForeignKeyDefinition[]> {
  const ids = [...new Set(rows.map((row) => row.id))].sort((a, b) => b - a);
  const keys: ForeignKeyDefinition[] = [];
  for (const id of ids) {
    const parts = rows.filter((row) => row.id === id).sort((a, b) => a.seq - b.seq);
    const first = parts[0]!;
    let to = parts.map((row) => row.to);
    if (to.some((column) => column === null)) {
      // `REFERENCES parent` without columns means the parent's primary key.
      const pk = await session.query<{ name: string }>(
        statement('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [first.table]),
      );
      to = pk.map((row) => row.name);
    }
    const columns = parts.map((row) => row.from);
    const named = parsed.foreignKeyNames.find((k) => sameList(k.columns, columns));
    const onDelete = ACTIONS[first.on_delete];
    const onUpdate = ACTIONS[first.on_update];
    keys.push({
      ...(named?.name === undefined ? {} : { name: named.name }),
      columns,
      references: {
        table: table.schema === undefined ? { name: first.table } : { schema: table.schema, name: first.table },
        columns: to as string[],
      },
      ...(onDelete === undefined ? {} : { onDelete }),
      ...(onUpdate === undefined ? {} : { onUpdate }),
    });
  }
  return keys;
}

function toColumn(row: XInfoRow, parsed: ParsedTable, identity: boolean): ColumnDefinition {
  const enumInfo = parsed.enums.get(row.name.toLowerCase());
  const type: ColumnType = identity
    ? integer({ identity: 'by_default' })
    : enumInfo !== undefined
      ? enumType(enumInfo.name, enumInfo.values)
      : typeFromDeclared(row.type);
  const value = defaultFromText(row.dflt_value, type);
  return {
    name: row.name,
    type,
    nullable: row.notnull === 0,
    ...(value === undefined ? {} : { default: value }),
  };
}

/**
 * Every table of the database (or of the attached database `options.schema`), as `describeTable`
 * reads each, sorted by name; SQLite's internal `sqlite_*` tables are left out and there are no
 * enums (they live in CHECKs). SQLite runs in-process, so the per-table pragma queries cost no
 * round trips.
 */
export async function introspect(session: Session, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const schema = options.schema === undefined || options.schema === 'main' ? undefined : options.schema;
  const schemaTable = schema === undefined ? 'sqlite_schema' : `${quoteIdentifier(schema)}.sqlite_schema`;
  const rows = await session.query<{ name: string }>(
    statement(
      `SELECT name FROM ${schemaTable} WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    ),
  );
  const tables: TableModel[] = [];
  for (const row of rows) {
    const table = await describeTable(session, schema === undefined ? { name: row.name } : { schema, name: row.name });
    if (table !== undefined) tables.push(table);
  }
  return { tables, enums: [] };
}

/** cairn's own SQLite spellings back to portable types; anything else is raw. */
export function typeFromDeclared(declared: string): ColumnType {
  const t = declared
    .trim()
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1');
  if (t === 'INTEGER' || t === 'INT') return integer();
  if (t === 'SMALLINT') return smallint();
  if (t === 'BIGINT') return bigint();
  if (t === 'BOOLEAN') return boolean();
  if (t === 'TEXT') return text();
  const varcharMatch = /^VARCHAR\((\d+)\)$/.exec(t);
  if (varcharMatch !== null) return varchar(Number(varcharMatch[1]));
  const charMatch = /^CHAR\((\d+)\)$/.exec(t);
  if (charMatch !== null) return char(Number(charMatch[1]));
  const numericMatch = /^NUMERIC(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  if (numericMatch !== null) {
    const [, precision, scale] = numericMatch;
    return numeric(
      precision === undefined ? undefined : Number(precision),
      scale === undefined ? undefined : Number(scale),
    );
  }
  if (t === 'REAL') return real();
  if (t === 'DOUBLE') return double();
  if (t === 'DATE') return date();
  if (t === 'TIME') return time();
  if (t === 'TIMESTAMP') return timestamp();
  if (t === 'TIMESTAMPTZ') return timestamp({ withTimeZone: true });
  if (t === 'JSON') return json();
  if (t === 'UUID') return uuid();
  if (t === 'BLOB') return binary();
  // Built directly: `rawType` refuses an empty spelling, which SQLite allows (no declared type).
  return Object.freeze({ kind: 'raw', sql: declared.trim() });
}

/** A `dflt_value` (the default as written in the CREATE text) back to a `ColumnDefault`. */
export function defaultFromText(textValue: string | null, type: ColumnType): ColumnDefault | undefined {
  if (textValue === null) return undefined;
  const trimmed = textValue.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'NULL') return undefined;
  if (upper === 'CURRENT_TIMESTAMP') return { kind: 'current_timestamp' };
  if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE' };
  const tokens = tokenize(trimmed);
  if (tokens.length === 1 && tokens[0]!.kind === 'string') return { kind: 'literal', value: tokens[0]!.value };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    if (type.kind === 'boolean' && (value === 0 || value === 1)) return { kind: 'literal', value: value === 1 };
    return { kind: 'literal', value };
  }
  // SQLite records `DEFAULT (expr)` as the text between the parentheses, so this is the expression.
  return { kind: 'expression', sql: trimmed };
}

const TABLE_CONSTRAINTS = new Set(['PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

/** Names of the columns in a `( "a", "b" )` list starting at `open`. */
function nameList(tokens: readonly Token[], open: number, sql: string): { names: string[]; close: number } {
  const close = closingParen(tokens, open);
  const names = splitTopLevel(tokens.slice(open + 1, close)).map((part) => nameOf(part[0]!, sql));
  return { names, close };
}

/** The constraint name of a part that starts `CONSTRAINT name …`, and where the rest begins. */
function leadingName(part: readonly Token[], sql: string): { name?: string; at: number } {
  return is(part[0], 'CONSTRAINT') && part[1] !== undefined ? { name: nameOf(part[1], sql), at: 2 } : { at: 0 };
}

/** Everything `describeTable` needs from the CREATE TABLE text. */
export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((token) => is(token, '('));
  const close = closingParen(tokens, open);
  const parsed: ParsedTable = {
    autoincrement: false,
    uniques: [],
    checks: [],
    foreignKeyNames: [],
    enums: new Map(),
  };
  for (const part of splitTopLevel(tokens.slice(open + 1, close))) {
    const { name, at } = leadingName(part, sql);
    const head = part[at];
    if (head !== undefined && head.kind === 'word' && TABLE_CONSTRAINTS.has(head.value)) {
      tableConstraint(part, at, name, sql, parsed);
    } else {
      columnConstraints(part, sql, parsed);
    }
  }
  return parsed;
}

function tableConstraint(
  part: readonly Token[],
  at: number,
  name: string | undefined,
  sql: string,
  parsed: ParsedTable,
) {
  const head = part[at]!.value;
  const open = part.findIndex((token, i) => i > at && is(token, '('));
  if (open === -1) return;
  if (head === 'CHECK') {
    const close = closingParen(part, open);
    const expression = sql.slice(part[open]!.end, part[close]!.start).trim();
    parsed.checks.push(name === undefined ? { expression } : { name, expression });
    return;
  }
  const { names } = nameList(part, open, sql);
  if (head === 'PRIMARY') parsed.primaryKeyName = name;
  else if (head === 'UNIQUE') parsed.uniques.push(name === undefined ? { columns: names } : { name, columns: names });
  else parsed.foreignKeyNames.push(name === undefined ? { columns: names } : { name, columns: names });
}

/** Column-level constraints: AUTOINCREMENT, a named PRIMARY KEY, CHECKs (an enum's, or a table check). */
function columnConstraints(part: readonly Token[], sql: string, parsed: ParsedTable) {
  const column = part[0] === undefined ? '' : nameOf(part[0], sql);
  for (let i = 1; i < part.length; i += 1) {
    const token = part[i]!;
    if (is(token, 'AUTOINCREMENT')) parsed.autoincrement = true;
    if (is(token, 'CONSTRAINT') && is(part[i + 2], 'PRIMARY')) parsed.primaryKeyName = nameOf(part[i + 1]!, sql);
    if (!is(token, 'CHECK') || !is(part[i + 1], '(')) continue;
    const name = is(part[i - 2], 'CONSTRAINT') ? nameOf(part[i - 1]!, sql) : undefined;
    const close = closingParen(part, i + 1);
    const inner = part.slice(i + 2, close);
    const values = enumValues(inner, column, sql);
    if (name !== undefined && values !== undefined) parsed.enums.set(column.toLowerCase(), { name, values });
    else {
      const expression = textBetween(sql, part[i + 2]!, part[close - 1]!).trim();
      parsed.checks.push(name === undefined ? { expression } : { name, expression });
    }
    i = close;
  }
}

/** `"col" IN ('a', 'b')` → the values, else undefined. */
function enumValues(inner: readonly Token[], column: string, sql: string): string[] | undefined {
  if (inner.length < 4 || inner[0]!.kind === 'string' || nameOf(inner[0]!, sql) !== column) return undefined;
  if (!is(inner[1], 'IN') || !is(inner[2], '(') || closingParen(inner, 2) !== inner.length - 1) return undefined;
  const items = splitTopLevel(inner.slice(3, -1));
  if (!items.every((item) => item.length === 1 && item[0]!.kind === 'string')) return undefined;
  return items.map((item) => item[0]!.value);
}

/** An index from its CREATE INDEX text and its `index_xinfo` key rows. */
function parseCreateIndex(
  sql: string,
  name: string,
  table: QualifiedName,
  keys: readonly { cid: number; name: string | null; desc: number }[],
): IndexDefinition {
  const tokens = tokenize(sql);
  const unique = is(tokens[1], 'UNIQUE');
  const on = tokens.findIndex((token) => is(token, 'ON'));
  const open = tokens.findIndex((token, i) => i > on && is(token, '('));
  const close = closingParen(tokens, open);
  const parts = splitTopLevel(tokens.slice(open + 1, close));
  const columns: IndexColumn[] = keys.map((key, i) => {
    const order = key.desc === 1 ? ({ order: 'desc' } as const) : {};
    if (key.cid >= 0 && key.name !== null) return { kind: 'column', name: key.name, ...order };
    const part = parts[i] ?? [];
    let last = part.length - 1;
    while (last > 0 && (is(part[last], 'ASC') || is(part[last], 'DESC'))) last -= 1;
    let text = textBetween(sql, part[0]!, part[last]!).trim();
    const inner = tokenize(text);
    if (is(inner[0], '(') && closingParen(inner, 0) === inner.length - 1) text = text.slice(1, -1).trim();
    return { kind: 'expression', sql: text, ...order };
  });
  const where = is(tokens[close + 1], 'WHERE') ? sql.slice(tokens[close + 1]!.end).trim() : undefined;
  return {
    name,
    table: table.schema === undefined ? { name: table.name } : { schema: table.schema, name: table.name },
    columns,
    ...(unique ? { unique: true } : {}),
    ...(where === undefined || where === '' ? {} : { where }),
  };
}
