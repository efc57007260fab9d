import { describe, expect, it } from 'vitest';
import { type CompileRules, compilerFromRules, type RuleContext } from '../../src/dialect/rules.js';
import { createTable, type Operation, type OperationKind } from '../../src/ops/operation.js';
import type { QualifiedName } from '../../src/ops/qualified-name.js';
import { statement } from '../../src/ops/statement.js';
import type { TableModel } from '../../src/schema/model.js';
import { accountTable, caught, SAMPLES } from './fixtures.js';

const q = (name: QualifiedName, ctx: RuleContext): string =>
  name.schema === undefined
    ? ctx.quoteIdentifier(name.name)
    : `${ctx.quoteIdentifier(name.schema)}.${ctx.quoteIdentifier(name.name)}`;

/**
 * A toy dialect: each rule reads a field only its own kind has, so the table only compiles if
 * every rule receives its own operation type.
 */
const fakeRules = {
  create_table: (op, ctx) => [statement(`create_table ${q(op.name, ctx)} (${op.columns.length} columns)`)],
  drop_table: (op, ctx) => [statement(`drop_table ${q(op.name, ctx)}`)],
  rename_table: (op, ctx) => [statement(`rename_table ${q(op.name, ctx)} ${ctx.quoteIdentifier(op.newName)}`)],
  comment_table: (op, ctx) => [
    statement(`comment_table ${op.comment === null ? 'NULL' : ctx.quoteLiteral(op.comment)}`),
  ],
  add_column: (op, ctx) => [statement(`add_column ${ctx.quoteIdentifier(op.column.name)}`)],
  drop_column: (op, ctx) => [statement(`drop_column ${ctx.quoteIdentifier(op.column)}`)],
  rename_column: (op) => [statement(`rename_column ${op.column} ${op.newName}`)],
  alter_column: (op, ctx) => {
    // A rebuilding dialect reads the table as it was from the context, never from a connection.
    const before = ctx.tableBefore(op.table);
    return [statement(`alter_column ${op.column} (${before ? before.columns.length : 'unknown'} columns before)`)];
  },
  create_index: (op) => [statement(`create_index ${op.name}`, [], op.concurrently ? { transactional: false } : {})],
  drop_index: (op) => [statement(`drop_index ${op.name}`)],
  add_primary_key: (op) => [statement(`add_primary_key ${op.columns.join(',')}`)],
  drop_primary_key: (op) => [statement(`drop_primary_key ${op.name ?? 'default'}`)],
  add_unique: (op) => [statement(`add_unique ${op.columns.join(',')}`)],
  drop_unique: (op) => [statement(`drop_unique ${op.name}`)],
  add_foreign_key: (op) => [statement(`add_foreign_key ${op.references.table.name}`)],
  drop_foreign_key: (op) => [statement(`drop_foreign_key ${op.name}`)],
  add_check: (op) => [statement(`add_check ${op.expression}`)],
  drop_check: (op) => [statement(`drop_check ${op.name}`)],
  create_enum: () => [],
  drop_enum: (op) => [statement(`drop_enum ${op.name.name}`)],
  add_enum_value: (op) => [statement(`add_enum_value ${op.value}`)],
  rename_enum_value: (op) => [statement(`rename_enum_value ${op.from} ${op.to}`)],
  drop_enum_value: (op) => [statement(`drop_enum_value ${op.value}`)],
  execute: (op) => [statement(op.sql, op.params)],
  bulk_insert: (op) => op.rows.map((row) => statement('bulk_insert', Object.values(row))),
  bulk_delete: (op) => [statement(`bulk_delete ${op.key.join(',')}`)],
} satisfies CompileRules;

function context(tables: Record<string, TableModel> = {}): RuleContext {
  return {
    quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    quoteLiteral: (value) => (typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value)),
    tableBefore: (name) => tables[name.name],
  };
}

describe('compilerFromRules', () => {
  const compiler = compilerFromRules(fakeRules);

  it.each(Object.keys(SAMPLES) as OperationKind[])('dispatches %s to its own rule', (kind) => {
    const op: Operation = SAMPLES[kind];
    const statements = compiler.compile(op, context());
    if (kind === 'create_enum') expect(statements).toEqual([]);
    else if (kind === 'execute') expect(statements[0]?.sql).toBe(SAMPLES.execute.sql);
    else expect(statements[0]?.sql.startsWith(`${kind} `) || statements[0]?.sql === kind).toBe(true);
  });

  it('passes the context: quoting, and the table as it was', () => {
    expect(compiler.compile(SAMPLES.create_table, context())).toEqual([
      { sql: 'create_table "app"."account" (5 columns)', params: [] },
    ]);
    expect(compiler.compile(SAMPLES.comment_table, context())[0]?.sql).toBe("comment_table 'users'");
    const before: TableModel = { ...createTable({ ...accountTable, name: 'account' }), indexes: [] };
    expect(compiler.compile(SAMPLES.alter_column, context({ account: before }))[0]?.sql).toBe(
      'alter_column age (5 columns before)',
    );
    expect(compiler.compile(SAMPLES.alter_column, context())[0]?.sql).toBe('alter_column age (unknown columns before)');
  });

  it('returns the rule’s statements unchanged, in order', () => {
    const statements = compiler.compile(SAMPLES.bulk_insert, context());
    expect(statements.map((s) => s.params)).toEqual([
      [1, 'free', 0],
      [2, 'pro', 9.5],
    ]);
    expect(compiler.compile(SAMPLES.create_index, context())[0]?.transactional).toBe(false);
  });

  it('refuses an unknown kind with USAGE instead of a TypeError', () => {
    const error = caught(() => compiler.compile({ kind: 'truncate' } as unknown as Operation, context()));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('cannot compile "truncate": it is not an operation kind');
  });

  it('is checked for exhaustiveness and per-kind types at compile time', () => {
    const { bulk_delete: _dropped, ...incomplete } = fakeRules;
    // @ts-expect-error bulk_delete is missing, so this is not a CompileRules.
    const missing: CompileRules = incomplete;
    const wrongField = {
      ...fakeRules,
      // @ts-expect-error an add_column operation has no newName.
      add_column: (op) => [statement(op.newName)],
    } satisfies CompileRules;
    expect(missing).toBeDefined();
    expect(wrongField).toBeDefined();
  });
});
