import {
  CairnError,
  type CheckDefinition,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  type ForeignKeyDefinition,
  type IndexColumn,
  type IndexDefinition,
  type IntrospectOptions,
  type QualifiedName,
  type ReferentialAction,
  type SchemaModel,
  type Session,
  statement,
  type TableModel,
  type UniqueDefinition,
} from '@cairn/core';
import { typeFromColumnType } from './column-types.js';
import { stringLiteral, stripOuterParens, unquoteIdentifiers } from './sql-text.js';

/*
 * Reads MySQL/MariaDB tables into the IR from information_schema, in one bulk query per view for
 * the whole database (TABLES, COLUMNS, TABLE_CONSTRAINTS, KEY_COLUMN_USAGE,
 * REFERENTIAL_CONSTRAINTS, CHECK_CONSTRAINTS, STATISTICS); `describeTable` runs the same queries
 * filtered to one table. Documented normalisations (what comes back differs from what was
 * created):
 *
 * - Types: see `typeFromColumnType` (cairn's own spellings map back to portable types, anything
 *   else is `rawType(<canonical COLUMN_TYPE>)`). An ENUM column is
 *   `enumType('<table>_<column>', values)`: MySQL enums have no name, and that one is stable.
 *   MariaDB's `json` is `longtext` + a column CHECK `json_valid(col)` named after the column:
 *   it reads back as `json`, and that CHECK is not reported. A column whose character set or
 *   collation differs from its table's, a generated column, an `ON UPDATE` column and an
 *   invisible column read back as a raw type that spells the whole attribute (`varchar(10)
 *   CHARACTER SET latin1 COLLATE latin1_bin`, `int GENERATED ALWAYS AS (a + 1) VIRTUAL`,
 *   `datetime(6) ON UPDATE CURRENT_TIMESTAMP(6)`, `int INVISIBLE`), so that a `MODIFY COLUMN`
 *   built from it keeps them.
 * - Defaults: MariaDB's `COLUMN_DEFAULT` is an SQL expression (`'text'`, `5`, `NULL` for none,
 *   `current_timestamp(6)`, `(1 + 1)`), MySQL 8's is the bare value (expressions marked
 *   `DEFAULT_GENERATED` in `EXTRA`); both parse to: no default, a literal (numbers as numbers,
 *   `0`/`1` on a boolean column as `false`/`true`), `current_timestamp`, or an expression without
 *   its outer parentheses.
 * - Primary keys carry no name (MySQL calls every one `PRIMARY`).
 * - A unique index whose keys are plain ascending columns is a unique constraint (`uniques`):
 *   MySQL makes no difference between the two. One with a descending or expression key is an
 *   index with `unique: true`. Prefix lengths (`SUB_PART`) are not modelled; FULLTEXT and
 *   SPATIAL indexes are left out. The index MySQL creates for a foreign key (named after it, on
 *   exactly its columns) is part of the key, not an index.
 * - Foreign keys: `RESTRICT` and `NO ACTION` are the absent action (InnoDB treats them alike,
 *   and MariaDB reports an unspecified action as `RESTRICT`).
 * - CHECK clauses come back as the server prints them (MariaDB lower-cases keywords and may
 *   rewrite expressions: `lower(b)` → `lcase(b)`), with the backticks around plain identifiers
 *   that are not keywords removed: `` `ratio` >= 0 `` → `ratio >= 0`. A MariaDB column-level
 *   CHECK (written inside a column definition) is named after its column and listed like the
 *   others; `alter_column` refuses to `MODIFY` such a column, which would drop it.
 * - Comments: an empty comment is no comment.
 */

/** What differs between the servers, read once per session. */
interface Flavour {
  readonly mariadb: boolean;
  /** The server's keywords (upper case), or undefined when it does not list them. */
  readonly keywords: ReadonlySet<string> | undefined;
}

const flavours = new WeakMap<Session, Promise<Flavour>>();

function flavourOf(session: Session): Promise<Flavour> {
  let flavour = flavours.get(session);
  if (flavour === undefined) {
    flavour = readFlavour(session);
    flavours.set(session, flavour);
    // A failed read (a dropped connection) is not remembered.
    flavour.catch(() => flavours.delete(session));
  }
  return flavour;
}

async function readFlavour(session: Session): Promise<Flavour> {
  const [row] = await session.query<{ version: unknown }>(statement('SELECT VERSION() AS version'));
  const mariadb = /mariadb/i.test(text(row?.version) ?? '');
  let keywords: Set<string> | undefined;
  try {
    // MariaDB 10.6+ and MySQL 8.0 list their keywords; older servers have no such view.
    const rows = await session.query<{ word: unknown }>(
      statement('SELECT WORD AS word FROM information_schema.KEYWORDS'),
    );
    keywords = new Set(rows.map((r) => (text(r.word) ?? '').toUpperCase()));
  } catch {
    keywords = undefined;
  }
  return { mariadb, keywords };
}

/** information_schema values as strings: MySQL 8 may hand some text columns over as bytes. */
function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(text(value));
}

type Raw = Readonly<Record<string, unknown>>;

/** The rows of the seven views for `schema` (and `table`, when given). */
interface Catalog {
  readonly tables: readonly Raw[];
  readonly columns: readonly Raw[];
  readonly constraints: readonly Raw[];
  readonly keyColumns: readonly Raw[];
  readonly referential: readonly Raw[];
  readonly checks: readonly Raw[];
  readonly statistics: readonly Raw[];
}

async function readCatalog(session: Session, flavour: Flavour, schema: string, table?: string): Promise<Catalog> {
  const where = (schemaColumn: string, tableColumn = 'TABLE_NAME') =>
    table === undefined ? `${schemaColumn} = ?` : `${schemaColumn} = ? AND ${tableColumn} = ?`;
  const params = table === undefined ? [schema] : [schema, table];
  const run = (sql: string, values: readonly unknown[] = params) => session.query<Raw>(statement(sql, values));
  const tables = await run(
    `SELECT TABLE_NAME AS table_name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE ${where('TABLE_SCHEMA')} AND TABLE_TYPE = 'BASE TABLE'`,
  );
  if (tables.length === 0)
    return { tables, columns: [], constraints: [], keyColumns: [], referential: [], checks: [], statistics: [] };
  const columns = await run(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS position, COLUMN_TYPE AS column_type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS default_value, EXTRA AS extra, COLUMN_COMMENT AS comment, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, GENERATION_EXPRESSION AS generation FROM information_schema.COLUMNS WHERE ${where('TABLE_SCHEMA')} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const constraints = await run(
    `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE ${where('TABLE_SCHEMA')}`,
  );
  const keyColumns = await run(
    `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS position, REFERENCED_TABLE_SCHEMA AS ref_schema, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column FROM information_schema.KEY_COLUMN_USAGE WHERE ${where('TABLE_SCHEMA')} AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
  );
  const referential = await run(
    `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, UPDATE_RULE AS on_update, DELETE_RULE AS on_delete FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE ${where('CONSTRAINT_SCHEMA')}`,
  );
  // MariaDB's view has the table (CHECK names are per table there); MySQL 8's does not (its
  // CHECK names are unique per schema), so the table comes from TABLE_CONSTRAINTS by name.
  const checks = flavour.mariadb
    ? await run(
        `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, LEVEL AS level, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE ${where('CONSTRAINT_SCHEMA')}`,
      )
    : await run(
        'SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?',
        [schema],
      );
  const statistics = await run(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq, COLUMN_NAME AS column_name, COLLATION AS collation, SUB_PART AS sub_part, INDEX_TYPE AS index_type${
      flavour.mariadb ? '' : ', EXPRESSION AS expression'
    } FROM information_schema.STATISTICS WHERE ${where('TABLE_SCHEMA')} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  return { tables, columns, constraints, keyColumns, referential, checks, statistics };
}

/** Groups rows by their `table_name`. */
function byTable(rows: readonly Raw[]): Map<string, Raw[]> {
  const map = new Map<string, Raw[]>();
  for (const row of rows) {
    const name = text(row.table_name) ?? '';
    const list = map.get(name);
    if (list === undefined) map.set(name, [row]);
    else list.push(row);
  }
  return map;
}

/** Groups rows by `key`, keeping first-seen order. */
function groupBy(rows: readonly Raw[], key: (row: Raw) => string): Map<string, Raw[]> {
  const map = new Map<string, Raw[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list === undefined) map.set(k, [row]);
    else list.push(row);
  }
  return map;
}

/** Builds every table of a catalog, sorted by name. */
function buildTables(catalog: Catalog, flavour: Flavour, schema: string, nameOf: (table: string) => QualifiedName) {
  const columns = byTable(catalog.columns);
  const constraints = byTable(catalog.constraints);
  const keyColumns = byTable(catalog.keyColumns);
  const referential = byTable(catalog.referential);
  const statistics = byTable(catalog.statistics);
  let checks: Map<string, Raw[]>;
  if (flavour.mariadb) checks = byTable(catalog.checks);
  else {
    // MySQL 8: CHECK names are unique per schema; TABLE_CONSTRAINTS says whose each is.
    const owner = new Map(
      catalog.constraints
        .filter((row) => text(row.type) === 'CHECK')
        .map((row) => [text(row.name) ?? '', text(row.table_name) ?? ''] as const),
    );
    checks = byTable(
      catalog.checks
        .filter((row) => owner.has(text(row.name) ?? ''))
        .map((row) => ({ ...row, table_name: owner.get(text(row.name) ?? '') })),
    );
  }
  const tableRows = new Map(catalog.tables.map((row) => [text(row.table_name) ?? '', row] as const));
  return [...tableRows.keys()].sort().map((table) =>
    buildTable(
      {
        table: tableRows.get(table)!,
        columns: columns.get(table) ?? [],
        constraints: constraints.get(table) ?? [],
        keyColumns: keyColumns.get(table) ?? [],
        referential: referential.get(table) ?? [],
        checks: checks.get(table) ?? [],
        statistics: statistics.get(table) ?? [],
      },
      flavour,
      schema,
      nameOf(table),
    ),
  );
}

interface TableRows {
  readonly table: Raw;
  readonly columns: readonly Raw[];
  readonly constraints: readonly Raw[];
  readonly keyColumns: readonly Raw[];
  readonly referential: readonly Raw[];
  readonly checks: readonly Raw[];
  readonly statistics: readonly Raw[];
}

function buildTable(rows: TableRows, flavour: Flavour, schema: string, name: QualifiedName): TableModel {
  const tableName = name.name;
  const tableCollation = text(rows.table.collation);

  // MariaDB's json: longtext + CHECK (json_valid(`col`)) named after the column.
  const jsonColumns = new Set<string>();
  const checks: CheckDefinition[] = [];
  for (const row of rows.checks) {
    const checkName = text(row.name) ?? '';
    const clause = text(row.clause) ?? '';
    const jsonCheck = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(stripOuterParens(clause));
    const column = rows.columns.find((c) => text(c.name) === checkName);
    if (
      flavour.mariadb &&
      jsonCheck !== null &&
      jsonCheck[1]!.replaceAll('``', '`') === checkName &&
      column !== undefined &&
      /^longtext$/i.test(text(column.column_type) ?? '')
    ) {
      jsonColumns.add(checkName);
      continue;
    }
    checks.push({ name: checkName, expression: unquoteIdentifiers(stripOuterParens(clause), flavour.keywords) });
  }

  const columns = rows.columns.map((row) =>
    readColumn(row, { tableName, tableCollation, flavour, json: jsonColumns.has(text(row.name) ?? '') }),
  );

  // Indexes, from STATISTICS: PRIMARY, unique constraints, the foreign keys' own, the rest.
  const foreignKeys = readForeignKeys(rows, schema);
  const indexRows = groupBy(rows.statistics, (row) => text(row.name) ?? '');
  let primaryKey: TableModel['primaryKey'];
  const uniques: UniqueDefinition[] = [];
  const indexes: IndexDefinition[] = [];
  for (const [indexName, keys] of indexRows) {
    const ordered = [...keys].sort((a, b) => num(a.seq) - num(b.seq));
    if (indexName === 'PRIMARY') {
      primaryKey = { columns: ordered.map((k) => text(k.column_name) ?? '') };
      continue;
    }
    const type = (text(ordered[0]?.index_type) ?? '').toUpperCase();
    if (type === 'FULLTEXT' || type === 'SPATIAL') continue;
    const unique = num(ordered[0]?.non_unique) === 0;
    const keyColumns: IndexColumn[] = ordered.map((k) => {
      const column = text(k.column_name);
      const order = text(k.collation) === 'D' ? ({ order: 'desc' } as const) : {};
      if (column === undefined)
        return { kind: 'expression', sql: stripOuterParens(text(k.expression) ?? ''), ...order } as const;
      return { kind: 'column', name: column, ...order } as const;
    });
    const plainColumns = keyColumns.every((k) => k.kind === 'column' && k.order === undefined);
    const ownForeignKey = foreignKeys.some(
      (key) =>
        key.name === indexName &&
        !unique &&
        plainColumns &&
        key.columns.length === keyColumns.length &&
        key.columns.every((c, i) => keyColumns[i]?.kind === 'column' && keyColumns[i].name === c),
    );
    if (ownForeignKey) continue;
    if (unique && plainColumns)
      uniques.push({ name: indexName, columns: keyColumns.map((k) => (k.kind === 'column' ? k.name : '')) });
    else
      indexes.push({
        name: indexName,
        table: name,
        columns: keyColumns,
        ...(unique ? { unique: true } : {}),
      });
  }

  const comment = text(rows.table.comment);
  return {
    name,
    columns,
    ...(primaryKey === undefined ? {} : { primaryKey }),
    uniques,
    checks,
    foreignKeys,
    indexes,
    ...(comment === undefined || comment === '' ? {} : { comment }),
  };
}

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  'NO ACTION': undefined,
  RESTRICT: undefined,
  CASCADE: 'cascade',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
};

function readForeignKeys(rows: TableRows, schema: string): ForeignKeyDefinition[] {
  const keys: ForeignKeyDefinition[] = [];
  for (const [keyName, parts] of groupBy(rows.keyColumns, (row) => text(row.name) ?? '')) {
    const ordered = [...parts].sort((a, b) => num(a.position) - num(b.position));
    const first = ordered[0]!;
    const rules = rows.referential.find((row) => text(row.name) === keyName);
    const refSchema = text(first.ref_schema);
    const refTable = text(first.ref_table) ?? '';
    const onDelete = ACTIONS[text(rules?.on_delete) ?? ''];
    const onUpdate = ACTIONS[text(rules?.on_update) ?? ''];
    keys.push({
      name: keyName,
      columns: ordered.map((row) => text(row.column_name) ?? ''),
      references: {
        table:
          refSchema === undefined || refSchema === schema ? { name: refTable } : { schema: refSchema, name: refTable },
        columns: ordered.map((row) => text(row.ref_column) ?? ''),
      },
      ...(onDelete === undefined ? {} : { onDelete }),
      ...(onUpdate === undefined ? {} : { onUpdate }),
    });
  }
  return keys;
}

interface ColumnContext {
  readonly tableName: string;
  readonly tableCollation: string | undefined;
  readonly flavour: Flavour;
  /** MariaDB's json: a longtext with its json_valid CHECK. */
  readonly json: boolean;
}

function readColumn(row: Raw, context: ColumnContext): ColumnDefinition {
  const name = text(row.name) ?? '';
  const columnType = text(row.column_type) ?? '';
  const extra = text(row.extra) ?? '';
  const generation = text(row.generation);
  const generated = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.exec(extra);
  const onUpdate = /\bon update (current_timestamp(?:\(\d*\))?)/i.exec(extra);
  const invisible = /\bINVISIBLE\b/i.test(extra);
  const collation = text(row.collation);
  const ownCollation =
    !context.json &&
    collation !== undefined &&
    context.tableCollation !== undefined &&
    collation !== context.tableCollation;
  const identity = /\bauto_increment\b/i.test(extra);

  let type: ColumnType;
  if (generated !== null || onUpdate !== null || invisible || ownCollation) {
    // Attributes the portable types cannot carry: kept in a raw type, so MODIFY restates them.
    let spelling = columnType;
    if (ownCollation) spelling += ` CHARACTER SET ${text(row.charset)} COLLATE ${collation}`;
    if (generated !== null)
      spelling += ` GENERATED ALWAYS AS (${generation ?? ''}) ${generated[1]!.toUpperCase() === 'STORED' || generated[1]!.toUpperCase() === 'PERSISTENT' ? 'STORED' : 'VIRTUAL'}`;
    if (identity) spelling += ' AUTO_INCREMENT';
    if (onUpdate !== null) spelling += ` ON UPDATE ${onUpdate[1]!.toUpperCase()}`;
    if (invisible) spelling += ' INVISIBLE';
    type = Object.freeze({ kind: 'raw', sql: spelling });
  } else if (context.json) {
    type = Object.freeze({ kind: 'json' });
  } else {
    type = typeFromColumnType(columnType, `${context.tableName}_${name}`, identity);
  }

  const value =
    generated === null
      ? context.flavour.mariadb
        ? mariadbDefault(text(row.default_value), type)
        : mysqlDefault(text(row.default_value), extra, type)
      : undefined;
  const comment = text(row.comment);
  return {
    name,
    type,
    nullable: text(row.nullable) === 'YES',
    ...(value === undefined ? {} : { default: value }),
    ...(comment === undefined || comment === '' ? {} : { comment }),
  };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const CURRENT_TIMESTAMP = /^(current_timestamp|now|localtime|localtimestamp)(\(\s*\d*\s*\))?$/i;

/**
 * A number literal (`5`, `-1.50`, `1e3`) as a `literal` default: a JavaScript number when it is
 * exact enough (an integer beyond 2^53 keeps its digits as text), `true`/`false` for `1`/`0` on
 * a boolean column. `undefined` when `textValue` is not a number.
 */
export function literalFromText(textValue: string, type: ColumnType): ColumnDefault | undefined {
  if (!NUMBER.test(textValue)) return undefined;
  const value = Number(textValue);
  if (type.kind === 'boolean' && (value === 0 || value === 1)) return { kind: 'literal', value: value === 1 };
  // An integer beyond 2^53 would be rounded: keep its digits.
  if (/^[+-]?\d+$/.test(textValue) && !Number.isSafeInteger(value)) return { kind: 'literal', value: textValue };
  return { kind: 'literal', value };
}

/**
 * MariaDB's `COLUMN_DEFAULT` (an SQL expression since 10.2.7) back to a `ColumnDefault`: `NULL`
 * (or no value) is no default, a quoted string a string literal, a number a number literal,
 * `current_timestamp(…)` the portable default, anything else an expression.
 */
export function mariadbDefault(value: string | undefined, type: ColumnType): ColumnDefault | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.toUpperCase() === 'NULL') return undefined;
  const literal = stringLiteral(trimmed);
  if (literal !== undefined) return { kind: 'literal', value: literal };
  return literalFromText(trimmed, type) ?? expressionOrNow(trimmed);
}

/**
 * MySQL 8's `COLUMN_DEFAULT` back to a `ColumnDefault`: the bare value, unless `EXTRA` says
 * `DEFAULT_GENERATED` (an expression default, or `CURRENT_TIMESTAMP`). A string inside an
 * expression appears with its character set introducer (`_utf8mb4\'x\'`) and is read as the
 * literal. (Written from the MySQL manual; the test server is MariaDB.)
 */
export function mysqlDefault(value: string | undefined, extra: string, type: ColumnType): ColumnDefault | undefined {
  if (value === undefined) return undefined;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) {
    const inner = stripOuterParens(value);
    // MySQL keeps the printed expression (`_utf8mb4'it\'s'`) with one more level of backslash
    // escaping (`_utf8mb4\'it\\\'s\'`): undo that level, then read the introduced literal.
    if (/^_\w+\\'/.test(inner)) {
      const printed = inner.replace(/\\(.)/gs, '$1');
      const literal = stringLiteral(printed.replace(/^_\w+/, ''));
      if (literal !== undefined) return { kind: 'literal', value: literal };
    }
    return expressionOrNow(inner);
  }
  if (CURRENT_TIMESTAMP.test(value.trim()) && /^(datetime|timestamp)/i.test(typeSpelling(type)))
    return { kind: 'current_timestamp' };
  const numeric =
    type.kind === 'boolean' ||
    type.kind === 'smallint' ||
    type.kind === 'integer' ||
    type.kind === 'bigint' ||
    type.kind === 'numeric' ||
    type.kind === 'real' ||
    type.kind === 'double';
  return (numeric ? literalFromText(value.trim(), type) : undefined) ?? { kind: 'literal', value };
}

function typeSpelling(type: ColumnType): string {
  if (type.kind === 'timestamp') return 'datetime';
  return type.kind === 'raw' ? type.sql : type.kind;
}

/**
 * An expression default without its outer parentheses; the current time in any of its spellings
 * (`current_timestamp(6)`, `now()`) is the portable `current_timestamp`.
 */
export function expressionOrNow(sql: string): ColumnDefault {
  const inner = stripOuterParens(sql);
  if (CURRENT_TIMESTAMP.test(inner)) return { kind: 'current_timestamp' };
  return { kind: 'expression', sql: inner };
}

/**
 * The table `name` as it is in the database, or `undefined` when there is no such table: the
 * bulk queries of `introspect`, filtered to the one table. A `schema` names the database to read
 * (default: the connection's current one, `DATABASE()`); the returned name keeps it as given.
 * When the exact name is not found, a table whose name differs only in case is used (servers
 * with `lower_case_table_names` store names in lower case).
 *
 * @example const before = await describeTable(session, { name: 'account' });
 */
export async function describeTable(session: Session, name: QualifiedName): Promise<TableModel | undefined> {
  const flavour = await flavourOf(session);
  const schema = name.schema ?? (await currentDatabase(session));
  // information_schema compares names case-insensitively: the exact match is picked here.
  const catalog = await readCatalog(session, flavour, schema, name.name);
  const found = catalog.tables.map((row) => text(row.table_name) ?? '');
  const actual = found.find((t) => t === name.name) ?? (found.length === 1 ? found[0] : undefined);
  if (actual === undefined) return undefined;
  const only = (rows: readonly Raw[]) =>
    rows.filter((row) => row.table_name === undefined || text(row.table_name) === actual);
  const filtered: Catalog = {
    tables: only(catalog.tables),
    columns: only(catalog.columns),
    constraints: only(catalog.constraints),
    keyColumns: only(catalog.keyColumns),
    referential: only(catalog.referential),
    checks: only(catalog.checks),
    statistics: only(catalog.statistics),
  };
  const [table] = buildTables(filtered, flavour, schema, (t) =>
    name.schema === undefined ? { name: t } : { schema: name.schema, name: t },
  );
  return table;
}

/**
 * Every base table of one database (default: the connection's current one), indexes included,
 * sorted by name, in seven bulk queries; names carry no schema (`capabilities.schemas` is
 * false), and references to tables of another database carry theirs. `enums` is empty: MySQL
 * enums are part of their columns (`enumType('<table>_<column>', …)`), not named types.
 *
 * @example const model = await introspect(session);
 */
export async function introspect(session: Session, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const flavour = await flavourOf(session);
  const schema = options.schema ?? (await currentDatabase(session));
  const catalog = await readCatalog(session, flavour, schema);
  return { tables: buildTables(catalog, flavour, schema, (t) => ({ name: t })), enums: [] };
}

async function currentDatabase(session: Session): Promise<string> {
  const [row] = await session.query<{ db: unknown }>(statement('SELECT DATABASE() AS db'));
  const database = text(row?.db);
  if (database === undefined)
    throw new CairnError(
      'CONFIG_ERROR',
      'the MySQL connection has no current database (DATABASE() is NULL); put the database in the connection URL (mysql://user@host:3306/database)',
      { details: { option: 'url' } },
    );
  return database;
}
