import {
  type AlterColumn,
  CairnError,
  type ColumnDefinition,
  type CompileRules,
  columnList,
  compilerFromRules,
  constraintPrefix,
  formatQualifiedName,
  keyedDeletes,
  multiRowInserts,
  type OperationCompiler,
  type QualifiedName,
  qualifiedName,
  type RuleContext,
  type SqlValue,
  type Statement,
  siblingName,
  statement,
} from '@cairn/core';
import {
  identityNeedsKey,
  identityOf,
  leadsAKey,
  renderColumn,
  renderCreateTable,
  renderForeignKeyBody,
} from './render.js';

/*
 * The MySQL/MariaDB compiler: one pure rule per operation kind. Every statement is DDL that
 * commits implicitly (`transactionalDdl: false`); the runner records progress instead of relying
 * on a rollback. Names are written `db`.`table` when the operation gives a schema (a MySQL
 * database), otherwise they resolve in the connection's current database.
 *
 * Only `alter_column` reads the model (`ctx.tableBefore`): `MODIFY COLUMN` replaces the whole
 * column definition, so the parts the operation does not change must be restated, or MySQL
 * drops them (a `MODIFY c varchar(50) NULL` loses the column's NOT NULL, default *and* comment).
 * `drop_primary_key` looks at the model when it has one, to refuse dropping the key an
 * `AUTO_INCREMENT` column needs. Rules never catch what `tableBefore` throws: the runner may fetch
 * the table through it.
 */

type Rule<K extends keyof CompileRules> = CompileRules[K];

/** MySQL's limit on placeholders per prepared statement (a 16-bit count). */
const MAX_PARAMS = 65535;
/** Most rows in one multi-row `INSERT … VALUES`. */
const MAX_ROWS_PER_INSERT = 1000;

function alterTable(table: QualifiedName, ctx: RuleContext, action: string): Statement {
  return statement(`ALTER TABLE ${qualifiedName(table, ctx)} ${action}`);
}

function usage(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('USAGE', message, { details });
}

/** The column `name` of `columns`: exact first, then ignoring case (MySQL column names are case-insensitive). */
function findColumn(columns: readonly ColumnDefinition[], name: string): ColumnDefinition | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/**
 * A `USING` MySQL can honour: the column itself, or the column cast to a type
 * (`CAST(col AS …)`, `col::type`) — which is what `MODIFY` does to every value anyway.
 */
function isPlainConversion(using: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const name = `(?:${escaped}|\`${escaped.replaceAll('`', '``')}\`|"${escaped}")`;
  const cast = new RegExp(
    `^\\s*(?:CAST\\s*\\(\\s*${name}\\s+AS\\s+[\\w\\s(),]+\\)|${name}(?:\\s*::\\s*[\\w\\s(),]+)?)\\s*$`,
    'i',
  );
  return cast.test(using);
}

/**
 * `alter_column` as one `ALTER TABLE … MODIFY COLUMN` restating the whole column: the column as
 * the model has it (`ctx.tableBefore`), with the operation's changes applied — type (identity
 * included), nullability, default (`to: null` drops it) and comment (`to: null` drops it).
 *
 * Refused with a `CairnError`:
 * - `NEEDS_MODEL` when the model does not know the table (an offline script without the
 *   migrations that created it): the rest of the column cannot be restated;
 * - `USAGE` when the table has no such column; when the table has a CHECK named like the column
 *   (on MariaDB a column-level CHECK, which `MODIFY` would silently drop); when a `USING` is
 *   more than a cast of the column (MySQL has no `USING`: `MODIFY` converts each value with its
 *   own cast rules — write the conversion as `op.execute('UPDATE …')` around the type change);
 *   when the new type is auto-numbered and the column leads no key.
 */
const alterColumn: Rule<'alter_column'> = (op, ctx) => {
  const table = formatQualifiedName(op.table);
  const before = ctx.tableBefore(op.table);
  if (before === undefined)
    throw new CairnError(
      'NEEDS_MODEL',
      `alter_column '${op.column}' of table '${table}': MySQL changes a column with MODIFY COLUMN, which restates the whole column (type, nullability, default, comment), and cairn does not know table '${table}' here. Online, cairn reads it from the database; offline (--sql), the migrations from base must create the table, or write the full statement with op.execute('ALTER TABLE … MODIFY COLUMN …')`,
      { details: { operation: 'alter_column', table, column: op.column } },
    );
  const current = findColumn(before.columns, op.column);
  if (current === undefined)
    throw usage(
      `alter_column: table '${table}' has no column '${op.column}' (its columns: ${before.columns.map((c) => c.name).join(', ')})`,
      { operation: 'alter_column', table, column: op.column },
    );
  const using = op.type?.using;
  if (using !== undefined && !isPlainConversion(using, current.name))
    throw usage(
      `alter_column '${current.name}' of table '${table}': MySQL has no USING clause; MODIFY COLUMN converts each value with MySQL's own cast, so USING ${JSON.stringify(using)} cannot be honoured. Convert the values yourself (op.execute with an UPDATE into a new column, or before the type change), then alter the type without 'using'`,
      { operation: 'alter_column', table, column: current.name, using },
    );
  // MariaDB names a column-level CHECK (one written inside the column definition) after its
  // column, and MODIFY COLUMN drops it without a word; the model cannot tell it from a table
  // CHECK that happens to have the column's name (which MODIFY keeps), so neither is guessed.
  const columnCheck = before.checks.find((c) => c.name?.toLowerCase() === current.name.toLowerCase());
  if (columnCheck !== undefined)
    throw usage(
      `alter_column '${current.name}' of table '${table}': the table has a CHECK named like the column ('${columnCheck.name}': ${columnCheck.expression}). MariaDB names a column-level CHECK that way, and MODIFY COLUMN would silently drop it (it cannot be dropped or re-added by name either). Write the change with op.execute('ALTER TABLE … MODIFY COLUMN <the full column> CHECK (${columnCheck.expression})'); if it is a table-level CHECK, drop it and add it again under another name first`,
      { operation: 'alter_column', table, column: current.name, check: columnCheck.name },
    );
  const changed = applyChanges(current, op);
  if (identityOf(changed.type) !== undefined && !leadsAKey(current.name, before))
    throw identityNeedsKey(op.table, current.name, 'alter_column');
  return [alterTable(op.table, ctx, `MODIFY COLUMN ${renderColumn(changed, op.table, ctx)}`)];
};

/** The column after `op`'s changes; absent parts stay as they were. */
function applyChanges(current: ColumnDefinition, op: AlterColumn): ColumnDefinition {
  const type = op.type?.to ?? current.type;
  const nullable = op.nullable?.to ?? current.nullable;
  const value = op.default === undefined ? current.default : (op.default.to ?? undefined);
  const comment = op.comment === undefined ? current.comment : (op.comment.to ?? undefined);
  return {
    name: current.name,
    type,
    nullable,
    ...(value === undefined ? {} : { default: value }),
    ...(comment === undefined ? {} : { comment }),
  };
}

/** Groups consecutive rows with the same columns into `INSERT … VALUES` chunks with `?` parameters. */
function insertRows(
  table: string,
  rows: readonly Readonly<Record<string, SqlValue>>[],
  ctx: RuleContext,
): readonly Statement[] {
  return multiRowInserts(table, rows, ctx, {
    placeholder: () => '?',
    maxParams: MAX_PARAMS,
    maxRows: MAX_ROWS_PER_INSERT,
  });
}

/** The refusal of the enum-value operations: MySQL enums live in each column's type. */
function enumValueRefused(
  kind: 'add_enum_value' | 'rename_enum_value' | 'drop_enum_value',
  name: QualifiedName,
  what: string,
): CairnError {
  const enumName = formatQualifiedName(name);
  return usage(
    `${kind} ${what} of enum '${enumName}': MySQL has no enum types — an ENUM('…') list is part of each column that uses it, and this operation does not say which columns those are. Use op.alterColumn(table, column, { type: { to: enumType(${JSON.stringify(name.name)}, [the full new list of values]) } }) for each such column instead (it restates the column with MODIFY COLUMN).` +
      (kind === 'add_enum_value'
        ? ''
        : ' To rename or remove a value that rows hold: alter the column to a list with both the old and the new value, op.execute an UPDATE moving the rows, then alter it to the final list.'),
    { operation: kind, enum: enumName },
  );
}

/**
 * The MySQL/MariaDB rule for every operation kind. Server differences the rules rely on:
 * `RENAME COLUMN` needs MariaDB 10.5.2+ or MySQL 8.0; `DROP CONSTRAINT` (for CHECKs) MariaDB
 * 10.2+ or MySQL 8.0.19+; `IF [NOT] EXISTS` on indexes and expression index keys exist on one of
 * the two only (MariaDB, resp. MySQL 8.0.13+), and the other refuses them with a syntax error.
 */
export const mysqlRules = {
  create_table: (op, ctx) => [statement(renderCreateTable(op, ctx))],
  drop_table: (op, ctx) => [statement(`DROP TABLE ${qualifiedName(op.name, ctx)}`)],
  rename_table: (op, ctx) => [
    statement(`RENAME TABLE ${qualifiedName(op.name, ctx)} TO ${qualifiedName(siblingName(op.name, op.newName), ctx)}`),
  ],
  // MySQL stores "no comment" as the empty comment.
  comment_table: (op, ctx) => [alterTable(op.name, ctx, `COMMENT = ${ctx.quoteLiteral(op.comment ?? '')}`)],
  add_column: (op, ctx) => {
    if (identityOf(op.column.type) !== undefined)
      throw usage(
        `add_column '${op.column.name}' to table '${formatQualifiedName(op.table)}': the column is auto-numbered, and MySQL accepts AUTO_INCREMENT only together with the key it leads, in the same statement. Write it with op.execute('ALTER TABLE … ADD COLUMN ${op.column.name} … NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (${op.column.name})')`,
        { operation: 'add_column', table: formatQualifiedName(op.table), column: op.column.name },
      );
    return [alterTable(op.table, ctx, `ADD COLUMN ${renderColumn(op.column, op.table, ctx)}`)];
  },
  drop_column: (op, ctx) => [alterTable(op.table, ctx, `DROP COLUMN ${ctx.quoteIdentifier(op.column)}`)],
  rename_column: (op, ctx) => [
    alterTable(op.table, ctx, `RENAME COLUMN ${ctx.quoteIdentifier(op.column)} TO ${ctx.quoteIdentifier(op.newName)}`),
  ],
  alter_column: alterColumn,
  /**
   * `CREATE [UNIQUE] INDEX … ON t (…)`. Descending keys are kept (MySQL 8.0, MariaDB 10.8+);
   * expression keys are written `((expr))` (MySQL 8.0.13+; MariaDB has none). `concurrently`
   * becomes `LOCK=NONE`: InnoDB builds indexes while writes go on whenever it can, and with
   * `LOCK=NONE` it fails at once instead of blocking writes when it cannot. A partial index
   * (`where`) does not exist in MySQL and is refused.
   */
  create_index: (op, ctx) => {
    if (op.where !== undefined)
      throw usage(
        `create_index '${op.name}' on table '${formatQualifiedName(op.table)}': MySQL and MariaDB have no partial indexes (WHERE ${op.where}); index the whole table, or index a generated column that is NULL for the rows to leave out`,
        { operation: 'create_index', index: op.name, table: formatQualifiedName(op.table), where: op.where },
      );
    const keys = op.columns.map((key) => {
      const base = key.kind === 'column' ? ctx.quoteIdentifier(key.name) : `(${key.sql})`;
      return key.order === undefined ? base : `${base} ${key.order.toUpperCase()}`;
    });
    return [
      statement(
        `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${ctx.quoteIdentifier(
          op.name,
        )} ON ${qualifiedName(op.table, ctx)} (${keys.join(', ')})${op.concurrently ? ' LOCK=NONE' : ''}`,
      ),
    ];
  },
  drop_index: (op, ctx) => [
    statement(
      `DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${ctx.quoteIdentifier(op.name)} ON ${qualifiedName(op.table, ctx)}${
        op.concurrently ? ' LOCK=NONE' : ''
      }`,
    ),
  ],
  // MySQL names every primary key PRIMARY and ignores any other name: none is written.
  add_primary_key: (op, ctx) => [alterTable(op.table, ctx, `ADD PRIMARY KEY ${columnList(op.columns, ctx)}`)],
  drop_primary_key: (op, ctx) => {
    const before = ctx.tableBefore(op.table);
    if (before?.primaryKey !== undefined) {
      const withoutPrimary = { ...before, primaryKey: undefined };
      const orphan = before.columns.find(
        (c) =>
          identityOf(c.type) !== undefined &&
          leadsAKey(c.name, { primaryKey: before.primaryKey, uniques: [] }) &&
          !leadsAKey(c.name, withoutPrimary),
      );
      if (orphan !== undefined)
        throw usage(
          `drop_primary_key of table '${formatQualifiedName(op.table)}': its auto-numbered column '${orphan.name}' needs the key (MySQL allows AUTO_INCREMENT only on a key's first column). First alterColumn('${orphan.name}') to a plain integer, or add a unique constraint on it`,
          { operation: 'drop_primary_key', table: formatQualifiedName(op.table), column: orphan.name },
        );
    }
    return [alterTable(op.table, ctx, 'DROP PRIMARY KEY')];
  },
  add_unique: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}UNIQUE ${columnList(op.columns, ctx)}`),
  ],
  // A unique constraint is a unique index in MySQL: DROP INDEX works on both servers.
  drop_unique: (op, ctx) => [alterTable(op.table, ctx, `DROP INDEX ${ctx.quoteIdentifier(op.name)}`)],
  add_foreign_key: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}${renderForeignKeyBody(op, op.table, ctx)}`),
  ],
  // The index MySQL created for the key, if it had to, stays (it may serve queries).
  drop_foreign_key: (op, ctx) => [alterTable(op.table, ctx, `DROP FOREIGN KEY ${ctx.quoteIdentifier(op.name)}`)],
  add_check: (op, ctx) => [alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}CHECK (${op.expression})`)],
  drop_check: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  // MySQL has no enum types: `enumType` columns carry their ENUM('…') list, so there is nothing to create or drop.
  create_enum: () => [],
  drop_enum: () => [],
  add_enum_value: (op) => {
    throw enumValueRefused('add_enum_value', op.name, `'${op.value}'`);
  },
  rename_enum_value: (op) => {
    throw enumValueRefused('rename_enum_value', op.name, `'${op.from}' → '${op.to}'`);
  },
  drop_enum_value: (op) => {
    throw enumValueRefused('drop_enum_value', op.name, `'${op.value}'`);
  },
  execute: (op) => [statement(op.sql, op.params)],
  bulk_insert: (op, ctx) => insertRows(qualifiedName(op.table, ctx), op.rows, ctx),
  bulk_delete: (op, ctx) => keyedDeletes(qualifiedName(op.table, ctx), op.key, op.rows, ctx, () => '?'),
} satisfies CompileRules;

/**
 * The MySQL/MariaDB operation compiler (`compilerFromRules(mysqlRules)`): pure, never touches a
 * session.
 *
 * @example mysqlCompiler.compile(renameTable('account', 'member'), ctx)[0]!.sql // 'RENAME TABLE `account` TO `member`'
 */
export const mysqlCompiler: OperationCompiler = compilerFromRules(mysqlRules);
