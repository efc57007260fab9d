import {
  CairnError,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  columnList,
  constraintPrefix,
  type ForeignKeyDefinition,
  type IndexDefinition,
  type QualifiedName,
  type Quoting,
  qualifiedName,
  REFERENTIAL_ACTION_SQL,
  siblingName,
  type TableDefinition,
} from '@cairn/core';

/*
 * SQL text for tables, columns and indexes, shared by the compiler rules and the table rebuild.
 * Every name and literal goes through the context's quoting (the dialect's quote.ts).
 */

/**
 * The declared SQLite type of a portable column type. Affinity (what SQLite actually stores)
 * follows from the text: INTEGER for the integers, TEXT for text/varchar/char/enum, REAL for
 * real/double, BLOB for binary, NUMERIC for everything else (BOOLEAN, NUMERIC, DATE, TIME,
 * TIMESTAMP, JSON, UUID). Lengths are written but never enforced by SQLite.
 */
export function sqliteType(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'boolean':
      return 'BOOLEAN';
    case 'text':
      return 'TEXT';
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'char':
      return `CHAR(${type.length})`;
    case 'numeric':
      if (type.precision === undefined) return 'NUMERIC';
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case 'real':
      return 'REAL';
    case 'double':
      return 'DOUBLE';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
      return type.withTimeZone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    case 'json':
      return 'JSON';
    case 'uuid':
      return 'UUID';
    case 'binary':
      return 'BLOB';
    case 'enum':
      return 'TEXT';
    case 'raw':
      return type.dialects?.sqlite ?? type.sql;
  }
}

/** True for an auto-numbered integer column (`serial`, `identity`). */
export function isIdentity(column: ColumnDefinition): boolean {
  const type = column.type;
  return (type.kind === 'smallint' || type.kind === 'integer' || type.kind === 'bigint') && type.identity !== undefined;
}

/** `DEFAULT …`: literals quoted, expressions parenthesised (SQLite requires it), CURRENT_TIMESTAMP as is. */
export function renderDefault(value: ColumnDefault, q: Quoting): string {
  switch (value.kind) {
    case 'literal':
      return `DEFAULT ${q.quoteLiteral(value.value)}`;
    case 'expression':
      return `DEFAULT (${value.sql})`;
    case 'current_timestamp':
      return 'DEFAULT CURRENT_TIMESTAMP';
  }
}

/**
 * One column definition. `inlinePrimaryKey` makes it `INTEGER PRIMARY KEY AUTOINCREMENT` (the
 * rowid alias; only for the single identity column of a table's primary key). An enum column
 * carries its values as a column CHECK named after the enum, which is how `describeTable` finds
 * the enum again.
 */
export function renderColumn(
  column: ColumnDefinition,
  q: Quoting,
  inlinePrimaryKey?: { readonly name?: string },
): string {
  const parts = [q.quoteIdentifier(column.name)];
  const type = inlinePrimaryKey !== undefined ? 'INTEGER' : sqliteType(column.type);
  if (type !== '') parts.push(type);
  if (inlinePrimaryKey !== undefined)
    parts.push(`${constraintPrefix(inlinePrimaryKey.name, q)}PRIMARY KEY AUTOINCREMENT`);
  if (!column.nullable) parts.push('NOT NULL');
  if (column.default !== undefined) parts.push(renderDefault(column.default, q));
  if (column.type.kind === 'enum') {
    const values = column.type.values.map((v) => q.quoteLiteral(v)).join(', ');
    parts.push(
      `CONSTRAINT ${q.quoteIdentifier(column.type.name.name)} CHECK (${q.quoteIdentifier(column.name)} IN (${values}))`,
    );
  }
  return parts.join(' ');
}

const ACTIONS = REFERENTIAL_ACTION_SQL;

/**
 * A table-level FOREIGN KEY clause. SQLite foreign keys cannot reference another schema, so the
 * referenced table is written unqualified (it must live in the same database file).
 */
export function renderForeignKey(key: ForeignKeyDefinition, q: Quoting): string {
  let sql = `${constraintPrefix(key.name, q)}FOREIGN KEY ${columnList(key.columns, q)} REFERENCES ${q.quoteIdentifier(
    key.references.table.name,
  )} ${columnList(key.references.columns, q)}`;
  if (key.onDelete !== undefined) sql += ` ON DELETE ${ACTIONS[key.onDelete]}`;
  if (key.onUpdate !== undefined) sql += ` ON UPDATE ${ACTIONS[key.onUpdate]}`;
  return sql;
}

/**
 * The identity column that becomes `INTEGER PRIMARY KEY AUTOINCREMENT`, if any. SQLite numbers
 * rows only through the rowid, so an identity column must be the table's whole primary key;
 * anything else is refused rather than silently left un-numbered.
 */
function identityColumn(table: TableDefinition): string | undefined {
  const identities = table.columns.filter(isIdentity);
  if (identities.length === 0) return undefined;
  const pk = table.primaryKey?.columns ?? [];
  const [first] = identities;
  if (identities.length > 1 || pk.length !== 1 || pk[0] !== first!.name) {
    throw new CairnError(
      'USAGE',
      `table '${table.name.name}': SQLite auto-numbers a column only when it is the table's single-column primary key (INTEGER PRIMARY KEY AUTOINCREMENT); ${identities
        .map((c) => `'${c.name}'`)
        .join(', ')} ${identities.length > 1 ? 'are' : 'is'} not — make it the primary key or use a plain integer`,
      { details: { table: table.name.name, columns: identities.map((c) => c.name) } },
    );
  }
  return first!.name;
}

/**
 * `CREATE TABLE` for a definition, under `as` (the rebuild creates it under a temporary name).
 * Comments are not written: SQLite has no comment catalog.
 */
export function renderCreateTable(table: TableDefinition, q: Quoting, as: QualifiedName = table.name): string {
  const identity = identityColumn(table);
  const parts = table.columns.map((c) =>
    renderColumn(c, q, c.name === identity ? { name: table.primaryKey?.name } : undefined),
  );
  if (table.primaryKey !== undefined && identity === undefined)
    parts.push(`${constraintPrefix(table.primaryKey.name, q)}PRIMARY KEY ${columnList(table.primaryKey.columns, q)}`);
  for (const unique of table.uniques)
    parts.push(`${constraintPrefix(unique.name, q)}UNIQUE ${columnList(unique.columns, q)}`);
  for (const check of table.checks) parts.push(`${constraintPrefix(check.name, q)}CHECK (${check.expression})`);
  for (const key of table.foreignKeys) parts.push(renderForeignKey(key, q));
  return `CREATE TABLE ${qualifiedName(as, q)} (${parts.join(', ')})`;
}

/** `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "s"."i" ON "t" (…) [WHERE …]`. */
export function renderCreateIndex(index: IndexDefinition, q: Quoting, ifNotExists = false): string {
  const keys = index.columns.map((key) => {
    const base = key.kind === 'column' ? q.quoteIdentifier(key.name) : `(${key.sql})`;
    return key.order === undefined ? base : `${base} ${key.order.toUpperCase()}`;
  });
  let sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(
    siblingName(index.table, index.name),
    q,
  )} ON ${q.quoteIdentifier(index.table.name)} (${keys.join(', ')})`;
  if (index.where !== undefined) sql += ` WHERE ${index.where}`;
  return sql;
}
