import {
  CairnError,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  columnList,
  constraintPrefix,
  type ForeignKeyDefinition,
  formatQualifiedName,
  type QualifiedName,
  type Quoting,
  qualifiedName,
  REFERENTIAL_ACTION_SQL,
  type TableDefinition,
} from '@cairn/core';

/*
 * SQL text for types, columns, tables and constraints, shared by the compiler rules. Every name
 * and literal goes through the context's quoting (the dialect's quote.ts).
 */

/** MySQL's `DECIMAL` limits. */
const MAX_DECIMAL_PRECISION = 65;
const MAX_DECIMAL_SCALE = 30;
/** Most characters in one `ENUM` member. */
const MAX_ENUM_LABEL = 255;

/**
 * The MySQL/MariaDB type of a portable column type (identity is `AUTO_INCREMENT`, rendered by
 * `renderColumn`):
 *
 * | portable | MySQL | why |
 * | --- | --- | --- |
 * | smallint, integer, bigint | `smallint`, `int`, `bigint` | |
 * | boolean | `tinyint(1)` | MySQL's `BOOLEAN` is this alias; it reads back so |
 * | text | `longtext` | unbounded like PostgreSQL's `text` (`text` stops at 64 KB); Django does the same |
 * | varchar(n), char(n) | `varchar(n)`, `char(n)` | lengths in characters |
 * | numeric(p, s) | `decimal(p,s)`; `numeric()` → `decimal(65,30)` | MySQL has no unconstrained decimal (plain `decimal` is `decimal(10,0)`), so the widest one |
 * | real, double | `float`, `double` | MySQL's `REAL` is `DOUBLE` unless `REAL_AS_FLOAT` |
 * | date, time | `date`, `time(6)` | microseconds, like PostgreSQL |
 * | timestamp | `datetime(6)`, with or without `withTimeZone` | see below |
 * | json | `json` | MySQL 8: a binary JSON type. MariaDB: an alias of `longtext` with a `CHECK (json_valid(col))` named after the column, which the introspector folds back into `json` |
 * | uuid | `char(36)` | the text form; MySQL 8 has no uuid type (MariaDB 10.7's `UUID` is not portable) |
 * | binary | `longblob` | unbounded like `bytea`; `varbinary(n)` needs a length the type does not carry (use `rawType('varbinary(16)')`) |
 * | enum | `enum('a','b')` | inline: MySQL has no named enum types |
 * | raw | its `mysql` spelling, else `sql` | |
 *
 * Time zones: MySQL has no type that stores an instant with its offset. `TIMESTAMP` converts
 * from the session's time zone to UTC and back, but ends in 2038 and carries implicit defaults
 * on some servers, so cairn uses `datetime(6)` for both kinds of `timestamp`: it stores the
 * wall-clock value it is given. cairn's connections (`openMysql`) run in UTC, so its own times
 * and `CURRENT_TIMESTAMP` defaults are UTC; applications should store UTC too. `withTimeZone`
 * therefore does not survive a round trip, and `mysqlNormalizer` maps it to `false`.
 *
 * @example mysqlType(numeric(10, 2), ctx) // 'decimal(10,2)'
 */
export function mysqlType(type: ColumnType, q: Quoting): string {
  switch (type.kind) {
    case 'smallint':
    case 'bigint':
    case 'date':
    case 'double':
    case 'json':
      return type.kind;
    case 'integer':
      return 'int';
    case 'boolean':
      return 'tinyint(1)';
    case 'text':
      return 'longtext';
    case 'varchar':
      return `varchar(${type.length})`;
    case 'char':
      return `char(${type.length})`;
    case 'numeric': {
      const precision = type.precision ?? MAX_DECIMAL_PRECISION;
      const scale = type.scale ?? (type.precision === undefined ? MAX_DECIMAL_SCALE : 0);
      if (precision > MAX_DECIMAL_PRECISION || scale > MAX_DECIMAL_SCALE)
        throw new CairnError(
          'USAGE',
          `numeric(${type.precision}${type.scale === undefined ? '' : `, ${type.scale}`}) is wider than MySQL's DECIMAL allows (precision at most ${MAX_DECIMAL_PRECISION}, scale at most ${MAX_DECIMAL_SCALE}); choose a smaller precision or scale, or use double()`,
          { details: { precision: type.precision, scale: type.scale } },
        );
      return `decimal(${precision},${scale})`;
    }
    case 'real':
      return 'float';
    case 'time':
      return 'time(6)';
    case 'timestamp':
      return 'datetime(6)';
    case 'uuid':
      return 'char(36)';
    case 'binary':
      return 'longblob';
    case 'enum':
      return `enum(${type.values.map((value) => enumLabel(value, type.name, q)).join(',')})`;
    case 'raw':
      return type.dialects?.mysql ?? type.sql;
  }
}

/** One `ENUM` member, refused when MySQL would change it silently or refuse it. */
function enumLabel(label: string, name: QualifiedName, q: Quoting): string {
  const enumName = formatQualifiedName(name);
  if (label !== label.trimEnd())
    throw new CairnError(
      'USAGE',
      `enum '${enumName}': the value ${JSON.stringify(label)} ends with spaces, which MySQL silently removes from ENUM members; remove them`,
      { details: { enum: enumName, value: label } },
    );
  if (label.length > MAX_ENUM_LABEL)
    throw new CairnError(
      'USAGE',
      `enum '${enumName}': the value ${JSON.stringify(label.slice(0, 40))}… is ${label.length} characters long; MySQL ENUM members are at most ${MAX_ENUM_LABEL}`,
      { details: { enum: enumName, value: label } },
    );
  return q.quoteLiteral(label);
}

/** The identity mode of an integer type, or `undefined` for a plain or non-integer type. */
export function identityOf(type: ColumnType): 'by_default' | 'always' | undefined {
  return type.kind === 'smallint' || type.kind === 'integer' || type.kind === 'bigint' ? type.identity : undefined;
}

/**
 * True for types MySQL gives only expression defaults (`DEFAULT ('x')`): BLOB, TEXT, JSON and
 * GEOMETRY. MySQL 8 refuses a literal default on them; MariaDB accepts both forms and reads
 * either back as the literal.
 */
function needsExpressionDefault(type: ColumnType): boolean {
  if (type.kind === 'text' || type.kind === 'json' || type.kind === 'binary') return true;
  if (type.kind !== 'raw') return false;
  return /^\s*(tiny|medium|long)?(text|blob)\b|^\s*(json|geometry|point|linestring|polygon|multi\w+|geometrycollection)\b/i.test(
    type.dialects?.mysql ?? type.sql,
  );
}

/** The fractional-seconds precision of a `datetime`/`timestamp` type, for `CURRENT_TIMESTAMP(n)`. */
function timePrecision(type: ColumnType): number | undefined {
  if (type.kind === 'timestamp') return 6;
  if (type.kind !== 'raw') return undefined;
  const match = /^\s*(?:datetime|timestamp)\s*(?:\(\s*(\d)\s*\))?/i.exec(type.dialects?.mysql ?? type.sql);
  return match === null ? undefined : Number(match[1] ?? 0);
}

/**
 * The expression after `DEFAULT`: a literal quoted (parenthesised on BLOB/TEXT/JSON columns, the
 * only form MySQL 8 accepts there), an expression parenthesised (MySQL 8.0.13+ needs it, MariaDB
 * accepts it), `CURRENT_TIMESTAMP(6)` on cairn's `datetime(6)` (MySQL requires the default's
 * precision to match the column's).
 */
export function renderDefault(value: ColumnDefault, type: ColumnType, q: Quoting): string {
  switch (value.kind) {
    case 'literal': {
      const literal = q.quoteLiteral(value.value);
      return needsExpressionDefault(type) ? `(${literal})` : literal;
    }
    case 'expression':
      return `(${value.sql})`;
    case 'current_timestamp': {
      const precision = timePrecision(type);
      return precision === undefined || precision === 0 ? 'CURRENT_TIMESTAMP' : `CURRENT_TIMESTAMP(${precision})`;
    }
  }
}

/**
 * One column definition: name, type, `AUTO_INCREMENT`, `NOT NULL`, `DEFAULT`, `COMMENT`. This is
 * the whole column as MySQL knows it, which is what `MODIFY COLUMN` needs. Both identity modes
 * are `AUTO_INCREMENT`, which takes explicit values either way (MySQL has nothing like
 * `GENERATED ALWAYS`). An identity column with a default is refused: MySQL allows only one of
 * the two.
 */
export function renderColumn(column: ColumnDefinition, table: QualifiedName, q: Quoting): string {
  const parts = [q.quoteIdentifier(column.name), mysqlType(column.type, q)];
  if (identityOf(column.type) !== undefined) {
    if (column.default !== undefined)
      throw new CairnError(
        'USAGE',
        `column '${column.name}' of table '${formatQualifiedName(table)}' is auto-numbered (AUTO_INCREMENT) and has a default; MySQL allows only one of the two — drop the default or the identity`,
        { details: { table: formatQualifiedName(table), column: column.name } },
      );
    parts.push('AUTO_INCREMENT');
  }
  if (!column.nullable) parts.push('NOT NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${renderDefault(column.default, column.type, q)}`);
  if (column.comment !== undefined) parts.push(`COMMENT ${q.quoteLiteral(column.comment)}`);
  return parts.join(' ');
}

/** `FOREIGN KEY (…) REFERENCES t (…) [ON DELETE …] [ON UPDATE …]`, without the name. */
export function renderForeignKeyBody(
  key: Omit<ForeignKeyDefinition, 'name'>,
  table: QualifiedName,
  q: Quoting,
): string {
  for (const [clause, action] of [
    ['onDelete', key.onDelete],
    ['onUpdate', key.onUpdate],
  ] as const)
    if (action === 'set_default')
      throw new CairnError(
        'USAGE',
        `the foreign key on (${key.columns.join(', ')}) of table '${formatQualifiedName(table)}' asks for ${clause}: 'set_default', which InnoDB parses but refuses; use 'set_null', 'cascade', 'restrict' or 'no_action'`,
        { details: { table: formatQualifiedName(table), columns: key.columns, [clause]: action } },
      );
  let sql = `FOREIGN KEY ${columnList(key.columns, q)} REFERENCES ${qualifiedName(key.references.table, q)} ${columnList(
    key.references.columns,
    q,
  )}`;
  if (key.onDelete !== undefined) sql += ` ON DELETE ${REFERENTIAL_ACTION_SQL[key.onDelete]}`;
  if (key.onUpdate !== undefined) sql += ` ON UPDATE ${REFERENTIAL_ACTION_SQL[key.onUpdate]}`;
  return sql;
}

/**
 * True when `column` leads a key of `table` (its primary key, a unique constraint, or an index):
 * MySQL requires that of an `AUTO_INCREMENT` column.
 */
export function leadsAKey(
  column: string,
  table: Pick<TableDefinition, 'primaryKey' | 'uniques'> & {
    readonly indexes?: readonly { readonly columns: readonly { kind: string; name?: string }[] }[];
  },
): boolean {
  const same = (name: string | undefined) => name !== undefined && name.toLowerCase() === column.toLowerCase();
  return (
    same(table.primaryKey?.columns[0]) ||
    table.uniques.some((u) => same(u.columns[0])) ||
    (table.indexes ?? []).some((index) => index.columns[0]?.kind === 'column' && same(index.columns[0].name))
  );
}

/** The refusal of an `AUTO_INCREMENT` column that leads no key. */
export function identityNeedsKey(table: QualifiedName, column: string, what: string): CairnError {
  const name = formatQualifiedName(table);
  return new CairnError(
    'USAGE',
    `${what}: column '${column}' of table '${name}' is auto-numbered, and MySQL allows AUTO_INCREMENT only on the first column of a key; make it (the first column of) the primary key or a unique constraint`,
    { details: { table: name, column } },
  );
}

/**
 * `CREATE TABLE` with columns, table constraints, `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` and the
 * table comment. InnoDB is what foreign keys and transactions need; utf8mb4 is full Unicode
 * whatever the server's default character set (MariaDB's is still latin1 on many installs); the
 * collation is the server's default for utf8mb4.
 *
 * The primary key is written without a name: MySQL always names it `PRIMARY` and ignores any
 * other. An `AUTO_INCREMENT` column must lead a key (the primary key or a unique), and a table
 * can have only one: both are checked here with a message, instead of MySQL's "Incorrect table
 * definition".
 */
export function renderCreateTable(table: TableDefinition, q: Quoting): string {
  const identities = table.columns.filter((c) => identityOf(c.type) !== undefined);
  if (identities.length > 1)
    throw new CairnError(
      'USAGE',
      `create_table '${formatQualifiedName(table.name)}': columns ${identities.map((c) => `'${c.name}'`).join(' and ')} are all auto-numbered; MySQL allows one AUTO_INCREMENT column per table`,
      { details: { table: formatQualifiedName(table.name), columns: identities.map((c) => c.name) } },
    );
  for (const column of identities)
    if (!leadsAKey(column.name, table)) throw identityNeedsKey(table.name, column.name, 'create_table');
  const parts = table.columns.map((c) => renderColumn(c, table.name, q));
  if (table.primaryKey !== undefined) parts.push(`PRIMARY KEY ${columnList(table.primaryKey.columns, q)}`);
  for (const unique of table.uniques)
    parts.push(`${constraintPrefix(unique.name, q)}UNIQUE ${columnList(unique.columns, q)}`);
  for (const check of table.checks) parts.push(`${constraintPrefix(check.name, q)}CHECK (${check.expression})`);
  for (const key of table.foreignKeys)
    parts.push(`${constraintPrefix(key.name, q)}${renderForeignKeyBody(key, table.name, q)}`);
  const comment = table.comment === undefined ? '' : ` COMMENT=${q.quoteLiteral(table.comment)}`;
  return `CREATE TABLE ${qualifiedName(table.name, q)} (${parts.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment}`;
}
