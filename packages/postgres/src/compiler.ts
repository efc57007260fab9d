import { Buffer } from 'node:buffer';
import {
  CairnError,
  type ColumnTypeChange,
  type CompileRules,
  columnList,
  compilerFromRules,
  constraintPrefix,
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
} from '@cairn/core';
import { MAX_IDENTIFIER_BYTES } from './quote.js';
import {
  commentOnColumn,
  commentOnTable,
  identityOf,
  postgresType,
  renderColumn,
  renderCreateTable,
  renderDefault,
  renderForeignKeyBody,
  renderIdentity,
} from './render.js';

/*
 * The PostgreSQL compiler: one pure rule per operation kind (style rules 2 and 3), all native DDL
 * — PostgreSQL alters columns and constraints in place, so no rule needs `ctx.tableBefore`.
 * Names are schema-qualified when the operation gives a schema, otherwise they resolve through
 * the connection's `search_path`. Type mapping: see `postgresType` (render.ts).
 *
 * Transactions: every statement is transactional except `CREATE INDEX CONCURRENTLY` and
 * `DROP INDEX CONCURRENTLY`, which PostgreSQL refuses inside a transaction block. `ALTER TYPE …
 * ADD VALUE` stays transactional: since PostgreSQL 12 it may run in a transaction, it just cannot
 * be *used* (as a literal, default, CHECK, UPDATE) before that transaction commits (SQLSTATE
 * 55P04). cairn commits each migration on its own by default, so a value added by one migration
 * can be used by the next; using it in the same migration fails with PostgreSQL's own error.
 * Marking it non-transactional instead would split the migration and lose its atomicity, and
 * PostgreSQL 11 and older (which refuse it in a transaction) are out of support.
 */

type Rule<K extends keyof CompileRules> = CompileRules[K];

/** PostgreSQL's limit on bound parameters per statement (the protocol's Int16 count). */
const MAX_PARAMS = 65535;
/** Most rows in one multi-row `INSERT … VALUES`. */
const MAX_ROWS_PER_INSERT = 1000;

function usage(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('USAGE', message, { details });
}

function alterTable(table: QualifiedName, ctx: RuleContext, action: string): Statement {
  return statement(`ALTER TABLE ${qualifiedName(table, ctx)} ${action}`);
}

/** Enum labels share the identifier limit; PostgreSQL refuses longer ones with its own error. */
function enumLabel(label: string, name: QualifiedName, ctx: RuleContext): string {
  const bytes = Buffer.byteLength(label, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES)
    throw usage(
      `enum '${formatQualifiedName(name)}': the label ${JSON.stringify(label)} is ${bytes} bytes long; PostgreSQL enum labels are at most ${MAX_IDENTIFIER_BYTES} bytes (UTF-8)`,
      { enum: formatQualifiedName(name), label, bytes },
    );
  return ctx.quoteLiteral(label);
}

function isIntegerKind(kind: string): boolean {
  return kind === 'smallint' || kind === 'integer' || kind === 'bigint';
}

/** The identity sub-command of a type change (`ADD GENERATED …`, `SET GENERATED …`, `DROP IDENTITY`), if any. */
function identityChange(change: ColumnTypeChange): string | undefined {
  const to = identityOf(change.to);
  if (change.from === undefined) {
    if (to !== undefined) return `ADD ${renderIdentity(to)}`;
    return isIntegerKind(change.to.kind) ? 'DROP IDENTITY IF EXISTS' : undefined;
  }
  const from = identityOf(change.from);
  if (to === from) return undefined;
  if (to === undefined) return 'DROP IDENTITY';
  if (from === undefined) return `ADD ${renderIdentity(to)}`;
  return `SET GENERATED ${to === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`;
}

/**
 * `alter_column` as separate `ALTER TABLE` statements, in this order: drop the old default when
 * both type and default change (the old default may not cast to the new type), the type
 * (`USING` when given; skipped when only the identity changes), the identity (`ADD GENERATED`,
 * `SET GENERATED`, `DROP IDENTITY`), nullability, the new default, the comment.
 *
 * Identity without `type.from`: the old identity is unknown, so an identity target is added with
 * `ADD GENERATED` (which fails if the column already is one) and a plain target drops it with
 * `DROP IDENTITY IF EXISTS` (integer targets only: no other type can be an identity).
 */
const alterColumn: Rule<'alter_column'> = (op, ctx) => {
  const column = `ALTER COLUMN ${ctx.quoteIdentifier(op.column)}`;
  const out: Statement[] = [];
  const typeChange = op.type;
  const defaultDroppedEarly = typeChange !== undefined && op.default !== undefined;
  if (defaultDroppedEarly) out.push(alterTable(op.table, ctx, `${column} DROP DEFAULT`));
  if (typeChange !== undefined) {
    const to = postgresType(typeChange.to, ctx);
    const from = typeChange.from === undefined ? undefined : postgresType(typeChange.from, ctx);
    if (from !== to || typeChange.using !== undefined)
      out.push(
        alterTable(
          op.table,
          ctx,
          `${column} TYPE ${to}${typeChange.using === undefined ? '' : ` USING ${typeChange.using}`}`,
        ),
      );
    const identity = identityChange(typeChange);
    if (identity !== undefined) out.push(alterTable(op.table, ctx, `${column} ${identity}`));
  }
  if (op.nullable !== undefined)
    out.push(alterTable(op.table, ctx, `${column} ${op.nullable.to ? 'DROP' : 'SET'} NOT NULL`));
  if (op.default !== undefined) {
    if (op.default.to !== null)
      out.push(alterTable(op.table, ctx, `${column} SET DEFAULT ${renderDefault(op.default.to, ctx)}`));
    else if (!defaultDroppedEarly) out.push(alterTable(op.table, ctx, `${column} DROP DEFAULT`));
  }
  if (op.comment !== undefined) out.push(statement(commentOnColumn(op.table, op.column, op.comment.to, ctx)));
  return out;
};

/** Groups consecutive rows with the same columns into `INSERT … VALUES` chunks with `$n` parameters. */
function insertRows(
  table: string,
  rows: readonly Readonly<Record<string, SqlValue>>[],
  ctx: RuleContext,
): readonly Statement[] {
  return multiRowInserts(table, rows, ctx, {
    placeholder: (n) => `$${n}`,
    maxParams: MAX_PARAMS,
    maxRows: MAX_ROWS_PER_INSERT,
  });
}

function dropEnumValueRefused(op: { readonly name: QualifiedName; readonly value: string }): CairnError {
  const name = formatQualifiedName(op.name);
  return usage(
    `drop_enum_value '${op.value}' of enum '${name}': PostgreSQL cannot remove an enum value. Removing one means recreating the type and converting every column that uses it (a rewrite of those tables under ACCESS EXCLUSIVE), and the operation does not say which columns those are. Write the steps in the migration instead: ` +
      `(1) op.execute("UPDATE … SET col = 'other' WHERE col = '${op.value}'") for each column holding the value; ` +
      `(2) op.execute('ALTER TYPE … RENAME TO ${op.name.name}_old'); ` +
      `(3) op.createEnum(${JSON.stringify(op.name.name)}, [the remaining values]); ` +
      `(4) for each column: drop its default, op.alterColumn(table, column, { type: { to: enumType(${JSON.stringify(op.name.name)}, [...]), using: 'col::text::${op.name.name}' } }), then set the default again; ` +
      `(5) op.dropEnum('${op.name.name}_old'). Views, CHECKs, partial indexes and functions using the type must be dropped and recreated around it`,
    { operation: 'drop_enum_value', enum: name, value: op.value },
  );
}

/** The PostgreSQL rule for every operation kind. */
export const postgresRules = {
  create_table: (op, ctx) => [
    statement(renderCreateTable(op, ctx)),
    ...(op.comment === undefined ? [] : [statement(commentOnTable(op.name, op.comment, ctx))]),
    ...op.columns.flatMap((c) =>
      c.comment === undefined ? [] : [statement(commentOnColumn(op.name, c.name, c.comment, ctx))],
    ),
  ],
  drop_table: (op, ctx) => [statement(`DROP TABLE ${qualifiedName(op.name, ctx)}`)],
  rename_table: (op, ctx) => [alterTable(op.name, ctx, `RENAME TO ${ctx.quoteIdentifier(op.newName)}`)],
  comment_table: (op, ctx) => [statement(commentOnTable(op.name, op.comment, ctx))],
  add_column: (op, ctx) => [
    alterTable(op.table, ctx, `ADD COLUMN ${renderColumn(op.column, ctx)}`),
    ...(op.column.comment === undefined
      ? []
      : [statement(commentOnColumn(op.table, op.column.name, op.column.comment, ctx))]),
  ],
  drop_column: (op, ctx) => [alterTable(op.table, ctx, `DROP COLUMN ${ctx.quoteIdentifier(op.column)}`)],
  rename_column: (op, ctx) => [
    alterTable(op.table, ctx, `RENAME COLUMN ${ctx.quoteIdentifier(op.column)} TO ${ctx.quoteIdentifier(op.newName)}`),
  ],
  alter_column: alterColumn,
  create_index: (op, ctx) => {
    const keys = op.columns.map((key) => {
      const base = key.kind === 'column' ? ctx.quoteIdentifier(key.name) : `(${key.sql})`;
      return key.order === undefined ? base : `${base} ${key.order.toUpperCase()}`;
    });
    // The index name cannot be qualified here: PostgreSQL puts the index in its table's schema.
    let sql = `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${
      op.ifNotExists ? 'IF NOT EXISTS ' : ''
    }${ctx.quoteIdentifier(op.name)} ON ${qualifiedName(op.table, ctx)} (${keys.join(', ')})`;
    if (op.where !== undefined) sql += ` WHERE ${op.where}`;
    return [statement(sql, [], { transactional: op.concurrently !== true })];
  },
  drop_index: (op, ctx) => [
    statement(
      `DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(
        siblingName(op.table, op.name),
        ctx,
      )}`,
      [],
      { transactional: op.concurrently !== true },
    ),
  ],
  add_primary_key: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}PRIMARY KEY ${columnList(op.columns, ctx)}`),
  ],
  // PostgreSQL names an unnamed primary key `<table>_pkey`.
  drop_primary_key: (op, ctx) => [
    alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name ?? `${op.table.name}_pkey`)}`),
  ],
  add_unique: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}UNIQUE ${columnList(op.columns, ctx)}`),
  ],
  drop_unique: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  add_foreign_key: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}${renderForeignKeyBody(op, ctx)}`),
  ],
  drop_foreign_key: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  add_check: (op, ctx) => [alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}CHECK (${op.expression})`)],
  drop_check: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  create_enum: (op, ctx) => [
    statement(
      `CREATE TYPE ${qualifiedName(op.name, ctx)} AS ENUM (${op.values.map((v) => enumLabel(v, op.name, ctx)).join(', ')})`,
    ),
  ],
  drop_enum: (op, ctx) => [statement(`DROP TYPE ${qualifiedName(op.name, ctx)}`)],
  add_enum_value: (op, ctx) => {
    let sql = `ALTER TYPE ${qualifiedName(op.name, ctx)} ADD VALUE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${enumLabel(
      op.value,
      op.name,
      ctx,
    )}`;
    if (op.before !== undefined) sql += ` BEFORE ${ctx.quoteLiteral(op.before)}`;
    else if (op.after !== undefined) sql += ` AFTER ${ctx.quoteLiteral(op.after)}`;
    return [statement(sql)];
  },
  rename_enum_value: (op, ctx) => [
    statement(
      `ALTER TYPE ${qualifiedName(op.name, ctx)} RENAME VALUE ${ctx.quoteLiteral(op.from)} TO ${enumLabel(op.to, op.name, ctx)}`,
    ),
  ],
  drop_enum_value: (op) => {
    throw dropEnumValueRefused(op);
  },
  execute: (op) => [statement(op.sql, op.params)],
  bulk_insert: (op, ctx) => insertRows(qualifiedName(op.table, ctx), op.rows, ctx),
  bulk_delete: (op, ctx) => {
    const table = qualifiedName(op.table, ctx);
    // `IS NULL` for a NULL key cell (so the row holding NULL matches), `= $n` otherwise, so the
    // key's index can be used.
    return op.rows.map((row) => {
      const params: SqlValue[] = [];
      const where = op.key.map((k) => {
        const value = row[k] ?? null;
        if (value === null) return `${ctx.quoteIdentifier(k)} IS NULL`;
        params.push(value);
        return `${ctx.quoteIdentifier(k)} = $${params.length}`;
      });
      return statement(`DELETE FROM ${table} WHERE ${where.join(' AND ')}`, params);
    });
  },
} satisfies CompileRules;

/** The PostgreSQL operation compiler (`compilerFromRules(postgresRules)`): pure, never touches a session. */
export const postgresCompiler: OperationCompiler = compilerFromRules(postgresRules);
