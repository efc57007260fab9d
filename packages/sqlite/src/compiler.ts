import {
  CairnError,
  type ColumnDefinition,
  type CompileRules,
  compilerFromRules,
  type ForeignKeyDefinition,
  formatQualifiedName,
  multiRowInserts,
  type OperationCompiler,
  type QualifiedName,
  qualifiedName,
  type RuleContext,
  type SqlValue,
  type Statement,
  siblingName,
  statement,
  type TableModel,
} from '@cairn/core';
import { copyAll, definitionOf, recreateTable, requireTableBefore } from './recreate-table.js';
import { isIdentity, renderColumn, renderCreateIndex, renderCreateTable } from './render-table.js';

/*
 * The SQLite compiler: one pure rule per operation kind (style rules 2 and 3). What SQLite can
 * ALTER is compiled natively; the rest goes through the table rebuild (recreate-table.ts),
 * driven by `ctx.tableBefore`, never by a connection.
 *
 * Type mapping (render-table.ts `sqliteType`): smallint → SMALLINT, integer → INTEGER,
 * bigint → BIGINT, boolean → BOOLEAN (NUMERIC affinity; values stored 1/0), text → TEXT,
 * varchar(n) → VARCHAR(n), char(n) → CHAR(n), numeric(p,s) → NUMERIC(p, s), real → REAL,
 * double → DOUBLE, date → DATE, time → TIME, timestamp → TIMESTAMP (TIMESTAMPTZ with a time
 * zone), json → JSON, uuid → UUID, binary → BLOB, enum → TEXT plus a column
 * `CONSTRAINT "<enum>" CHECK ("col" IN (...))`, raw → its `sqlite` spelling, else its `sql`.
 * Lengths, precisions and time zones are written for the record; SQLite enforces none of them.
 * An identity integer (`serial`, `identity: 'by_default' | 'always'`) becomes
 * `INTEGER PRIMARY KEY AUTOINCREMENT` and must be the table's single-column primary key
 * (otherwise `CairnError('USAGE')`); SQLite cannot refuse explicit ids, so `always` behaves as
 * `by_default`.
 *
 * Not supported by SQLite and ignored: comments (`comment_table`, column comments,
 * `alter_column` of a comment alone compile to nothing), `concurrently` on indexes (SQLite has
 * no concurrent build; the index is built inside the transaction), schemas of referenced
 * tables (SQLite foreign keys stay inside one database file).
 */

type Rule<K extends keyof CompileRules> = CompileRules[K];

/** SQLite's default limit on bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER, 3.32+). */
const MAX_PARAMS = 32766;
/** Most rows in one multi-row `INSERT … VALUES`. */
const MAX_ROWS_PER_INSERT = 500;

function usage(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('USAGE', message, { details });
}

function findColumn(before: TableModel, column: string, kind: string): ColumnDefinition {
  const found = before.columns.find((c) => c.name === column);
  if (found === undefined)
    throw usage(`${kind}: table '${formatQualifiedName(before.name)}' has no column '${column}'`, {
      table: formatQualifiedName(before.name),
      column,
    });
  return found;
}

/** A column as `alter_column` leaves it: optional fields absent, never `undefined`. */
function withoutDefault(column: ColumnDefinition): ColumnDefinition {
  const { default: _default, ...rest } = column;
  return rest;
}

/**
 * `ADD COLUMN` works natively unless SQLite refuses it: an auto-numbered column (it would have
 * to be the primary key), a non-constant default (an expression or CURRENT_TIMESTAMP), or
 * NOT NULL without a default. Those rebuild the table (where NOT NULL without a default still
 * fails if the table has rows — as it should). The IR has no column-level PRIMARY KEY, UNIQUE or
 * REFERENCES, so those refusals cannot arise here.
 */
const addColumn: Rule<'add_column'> = (op, ctx) => {
  const column = op.column;
  if (isIdentity(column))
    throw usage(
      `add_column: cannot add auto-numbered column '${column.name}' to '${formatQualifiedName(op.table)}' on SQLite, where only the single-column primary key (INTEGER PRIMARY KEY) numbers itself; add a plain integer column instead`,
      { table: formatQualifiedName(op.table), column: column.name },
    );
  const constantDefault = column.default === undefined || column.default.kind === 'literal';
  const nullableOrDefaulted = column.nullable || column.default !== undefined;
  if (constantDefault && nullableOrDefaulted)
    return [statement(`ALTER TABLE ${qualifiedName(op.table, ctx)} ADD COLUMN ${renderColumn(column, ctx)}`)];
  const before = requireTableBefore(op.kind, op.table, ctx);
  const definition = definitionOf(before);
  return recreateTable(
    before,
    {
      definition: { ...definition, columns: [...definition.columns, column] },
      copy: copyAll(definition, ctx),
      indexes: before.indexes,
    },
    ctx,
  );
};

/**
 * `DROP COLUMN` natively unless the model shows SQLite would refuse: the column is in the
 * primary key, a unique constraint, a foreign key or (as a column key) an index. Then the table
 * is rebuilt without it, dropping those constraints and indexes with it (what PostgreSQL does).
 * Without a model the native form is tried, and SQLite itself refuses the cases it cannot do.
 * Not detected: a table CHECK, partial-index WHERE, expression index, view or trigger using the
 * column — SQLite refuses the native drop and the rebuild alike, with its own message.
 */
const dropColumn: Rule<'drop_column'> = (op, ctx) => {
  const before = ctx.tableBefore(op.table);
  const uses = (columns: readonly string[]) => columns.includes(op.column);
  const indexed = (keys: TableModel['indexes'][number]['columns']) =>
    keys.some((key) => key.kind === 'column' && key.name === op.column);
  const blocked =
    before !== undefined &&
    (uses(before.primaryKey?.columns ?? []) ||
      before.uniques.some((u) => uses(u.columns)) ||
      before.foreignKeys.some((k) => uses(k.columns)) ||
      before.indexes.some((i) => indexed(i.columns)));
  if (before === undefined || !blocked)
    return [statement(`ALTER TABLE ${qualifiedName(op.table, ctx)} DROP COLUMN ${ctx.quoteIdentifier(op.column)}`)];
  findColumn(before, op.column, op.kind);
  const definition = definitionOf(before);
  const columns = definition.columns.filter((c) => c.name !== op.column);
  if (columns.length === 0)
    throw usage(
      `drop_column: '${op.column}' is the last column of '${formatQualifiedName(op.table)}'; drop the table`,
      {
        table: formatQualifiedName(op.table),
        column: op.column,
      },
    );
  const { primaryKey, ...rest } = definition;
  const kept = {
    ...rest,
    columns,
    uniques: definition.uniques.filter((u) => !uses(u.columns)),
    foreignKeys: definition.foreignKeys.filter((k) => !uses(k.columns)),
  };
  return recreateTable(
    before,
    {
      definition: primaryKey === undefined || uses(primaryKey.columns) ? kept : { ...kept, primaryKey },
      copy: copyAll(kept, ctx),
      indexes: before.indexes.filter((i) => !indexed(i.columns)),
    },
    ctx,
  );
};

/**
 * `alter_column` always rebuilds (the declared type, NOT NULL and DEFAULT are part of the table's
 * SQL; SQLite 3.53's native SET/DROP NOT NULL is not used, so older SQLite works too). The type
 * change's `using` is the copy expression for the column. A comment-only change compiles to
 * nothing.
 */
const alterColumn: Rule<'alter_column'> = (op, ctx) => {
  if (op.type === undefined && op.nullable === undefined && op.default === undefined) return [];
  const before = requireTableBefore(op.kind, op.table, ctx);
  const current = findColumn(before, op.column, op.kind);
  let changed: ColumnDefinition = {
    ...current,
    type: op.type?.to ?? current.type,
    nullable: op.nullable?.to ?? current.nullable,
  };
  if (op.default !== undefined) {
    changed = withoutDefault(changed);
    if (op.default.to !== null) changed = { ...changed, default: op.default.to };
  }
  const definition = definitionOf(before);
  return recreateTable(
    before,
    {
      definition: { ...definition, columns: definition.columns.map((c) => (c.name === op.column ? changed : c)) },
      copy: copyAll(definition, ctx).map((c) =>
        c.column === op.column && op.type?.using !== undefined ? { column: c.column, from: op.type.using } : c,
      ),
      indexes: before.indexes,
    },
    ctx,
  );
};

/** A rebuild that changes only the table's constraints. */
function rebuildConstraints(
  op: { readonly kind: string; readonly table: QualifiedName },
  ctx: RuleContext,
  change: (before: TableModel) => ReturnType<typeof definitionOf>,
): readonly Statement[] {
  const before = requireTableBefore(op.kind, op.table, ctx);
  const definition = change(before);
  return recreateTable(before, { definition, copy: copyAll(definition, ctx), indexes: before.indexes }, ctx);
}

function missingConstraint(kind: string, what: string, name: string, table: QualifiedName): CairnError {
  return usage(`${kind}: table '${formatQualifiedName(table)}' has no ${what} named '${name}'`, {
    table: formatQualifiedName(table),
    name,
  });
}

function foreignKeyOf(op: {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: ForeignKeyDefinition['references'];
  readonly onDelete?: ForeignKeyDefinition['onDelete'];
  readonly onUpdate?: ForeignKeyDefinition['onUpdate'];
}): ForeignKeyDefinition {
  return {
    name: op.name,
    columns: op.columns,
    references: op.references,
    ...(op.onDelete === undefined ? {} : { onDelete: op.onDelete }),
    ...(op.onUpdate === undefined ? {} : { onUpdate: op.onUpdate }),
  };
}

/** Groups consecutive rows with the same columns into `INSERT … VALUES` chunks. */
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

function enumValuesRefused(kind: string, name: QualifiedName): CairnError {
  return usage(
    `${kind} on enum '${formatQualifiedName(name)}': SQLite has no enum types — each column of the enum carries its values in a CHECK, and the operation does not say which tables use it. Change each column instead: alterColumn(table, column, { type: enumType('${name.name}', [...new values]) }) rebuilds the table with the new CHECK (for a rename or removal, UPDATE the rows with execute() first)`,
    { operation: kind, enum: formatQualifiedName(name) },
  );
}

/** The SQLite rule for every operation kind. */
export const sqliteRules = {
  create_table: (op, ctx) => [statement(renderCreateTable(op, ctx))],
  drop_table: (op, ctx) => [statement(`DROP TABLE ${qualifiedName(op.name, ctx)}`)],
  rename_table: (op, ctx) => [
    statement(`ALTER TABLE ${qualifiedName(op.name, ctx)} RENAME TO ${ctx.quoteIdentifier(op.newName)}`),
  ],
  comment_table: () => [],
  add_column: addColumn,
  drop_column: dropColumn,
  rename_column: (op, ctx) => [
    statement(
      `ALTER TABLE ${qualifiedName(op.table, ctx)} RENAME COLUMN ${ctx.quoteIdentifier(op.column)} TO ${ctx.quoteIdentifier(
        op.newName,
      )}`,
    ),
  ],
  alter_column: alterColumn,
  create_index: (op, ctx) => [statement(renderCreateIndex(op, ctx, op.ifNotExists === true))],
  drop_index: (op, ctx) => [
    statement(`DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(siblingName(op.table, op.name), ctx)}`),
  ],
  add_primary_key: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      if (before.primaryKey !== undefined)
        throw usage(
          `add_primary_key: table '${formatQualifiedName(op.table)}' already has a primary key (${before.primaryKey.columns.join(', ')}); drop it first`,
          { table: formatQualifiedName(op.table) },
        );
      const definition = definitionOf(before);
      return {
        ...definition,
        primaryKey: op.name === undefined ? { columns: op.columns } : { name: op.name, columns: op.columns },
      };
    }),
  drop_primary_key: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const { primaryKey, ...definition } = definitionOf(before);
      if (primaryKey === undefined)
        throw usage(`drop_primary_key: table '${formatQualifiedName(op.table)}' has no primary key`, {
          table: formatQualifiedName(op.table),
        });
      return definition;
    }),
  add_unique: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const definition = definitionOf(before);
      return { ...definition, uniques: [...definition.uniques, { name: op.name, columns: op.columns }] };
    }),
  drop_unique: (op, ctx) => {
    const before = requireTableBefore(op.kind, op.table, ctx);
    if (!before.uniques.some((u) => u.name === op.name)) {
      const index = before.indexes.find((i) => i.name === op.name && i.unique === true);
      if (index === undefined) throw missingConstraint(op.kind, 'unique constraint', op.name, op.table);
      return [statement(`DROP INDEX ${qualifiedName(siblingName(op.table, op.name), ctx)}`)];
    }
    return rebuildConstraints(op, ctx, () => {
      const definition = definitionOf(before);
      return { ...definition, uniques: definition.uniques.filter((u) => u.name !== op.name) };
    });
  },
  add_foreign_key: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const definition = definitionOf(before);
      return { ...definition, foreignKeys: [...definition.foreignKeys, foreignKeyOf(op)] };
    }),
  drop_foreign_key: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const definition = definitionOf(before);
      if (!definition.foreignKeys.some((k) => k.name === op.name))
        throw missingConstraint(op.kind, 'foreign key', op.name, op.table);
      return { ...definition, foreignKeys: definition.foreignKeys.filter((k) => k.name !== op.name) };
    }),
  add_check: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const definition = definitionOf(before);
      return { ...definition, checks: [...definition.checks, { name: op.name, expression: op.expression }] };
    }),
  drop_check: (op, ctx) =>
    rebuildConstraints(op, ctx, (before) => {
      const definition = definitionOf(before);
      if (!definition.checks.some((c) => c.name === op.name))
        throw missingConstraint(op.kind, 'check constraint', op.name, op.table);
      return { ...definition, checks: definition.checks.filter((c) => c.name !== op.name) };
    }),
  // SQLite has no enum types: an enum lives in the CHECK of each column that uses it
  // (render-table.ts), so creating or dropping the type itself has nothing to do.
  create_enum: () => [],
  drop_enum: () => [],
  add_enum_value: (op) => {
    throw enumValuesRefused(op.kind, op.name);
  },
  rename_enum_value: (op) => {
    throw enumValuesRefused(op.kind, op.name);
  },
  drop_enum_value: (op) => {
    throw enumValuesRefused(op.kind, op.name);
  },
  execute: (op) => [statement(op.sql, op.params)],
  bulk_insert: (op, ctx) => insertRows(qualifiedName(op.table, ctx), op.rows, ctx),
  bulk_delete: (op, ctx) => {
    // `IS ?` rather than `= ?`, so a NULL key matches the row holding NULL.
    const where = op.key.map((k) => `${ctx.quoteIdentifier(k)} IS ?`).join(' AND ');
    const sql = `DELETE FROM ${qualifiedName(op.table, ctx)} WHERE ${where}`;
    return op.rows.map((row) =>
      statement(
        sql,
        op.key.map((k) => row[k]),
      ),
    );
  },
} satisfies CompileRules;

/** The SQLite operation compiler (`compilerFromRules(sqliteRules)`): pure, never touches a session. */
export const sqliteCompiler: OperationCompiler = compilerFromRules(sqliteRules);
