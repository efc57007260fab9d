import {
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  bulkDelete,
  bulkInsert,
  column,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  currentTimestampDefault,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  enumType,
  execute,
  integer,
  isCairnError,
  OPERATION_KINDS,
  type Operation,
  type OperationKind,
  type OperationOf,
  type QualifiedName,
  type RuleContext,
  renameColumn,
  renameEnumValue,
  renameTable,
  type Statement,
  serial,
  type TableDefinition,
  type TableModel,
  text,
  varchar,
} from '@cairn/core';
import { describe, expect, it } from 'vitest';
import type { DialectSuiteOptions } from '../define-dialect-suite.js';

/*
 * Compiles one sample operation of every kind. Nothing is executed: the samples name tables the
 * database does not have, and the model (`ctx.tableBefore`) is `SAMPLE_TABLE`, so dialects that
 * rebuild tables have what they need. Names are unqualified and the SQL inside the samples
 * (checks, `using`, `where`, `execute`) is plain enough for any dialect.
 */

const ACCOUNT = 'cp_account';
const PLAN = 'cp_plan';
const account: QualifiedName = { name: ACCOUNT };

/** The table every sample operates on (its definition; its indexes are `SAMPLE_TABLE`'s). */
const SAMPLE_DEFINITION: TableDefinition = {
  name: account,
  columns: [
    column('id', serial(), { nullable: false }),
    column('email', varchar(255), { nullable: false, comment: 'login' }),
    column('age', text()),
    column('mood', enumType('cp_mood', ['happy', 'sad'])),
    column('phone', varchar(32), { default: '' }),
    column('plan_id', integer()),
    column('visits', integer(), { nullable: false, default: 0 }),
  ],
  primaryKey: { name: 'cp_account_pkey', columns: ['id'] },
  uniques: [{ name: 'cp_account_email_key', columns: ['email'] }],
  checks: [{ name: 'cp_account_age_check', expression: "age <> ''" }],
  foreignKeys: [
    {
      name: 'cp_account_plan_fk',
      columns: ['plan_id'],
      references: { table: { name: PLAN }, columns: ['id'] },
      onDelete: 'set_null',
    },
  ],
  comment: 'registered users',
};

/** The table every sample operates on, as the model knows it before the operation. */
export const SAMPLE_TABLE: TableModel = {
  ...SAMPLE_DEFINITION,
  indexes: [{ name: 'cp_account_phone_idx', table: account, columns: [{ kind: 'column', name: 'phone' }] }],
};

/**
 * The model a kind's sample sees when it differs from `SAMPLE_TABLE`: `add_primary_key` needs a
 * table without one; `drop_primary_key` one whose key is a plain integer (an auto-numbered
 * column without a primary key is refused by some dialects, e.g. SQLite, where only the primary
 * key numbers itself).
 */
const MODEL_FOR: Partial<Record<OperationKind, (table: TableModel) => TableModel>> = {
  add_primary_key: ({ primaryKey: _primaryKey, ...rest }) => rest,
  drop_primary_key: (table) => ({
    ...table,
    columns: table.columns.map((c) => (c.name === 'id' ? { ...c, type: integer() } : c)),
  }),
};

/**
 * One sample operation of every kind, reversible where the kind allows. A mapped type over the
 * kinds: a kind added to core fails to compile here until it has a sample.
 */
export const COMPILE_SAMPLES: { readonly [K in OperationKind]: OperationOf<K> } = {
  create_table: createTable({
    name: 'cp_new_table',
    columns: [
      column('id', serial(), { nullable: false }),
      column('name', varchar(40), { nullable: false, default: 'x' }),
      column('plan_id', integer()),
      column('seen_at', integer(), { default: currentTimestampDefault() }),
    ],
    primaryKey: { name: 'cp_new_table_pkey', columns: ['id'] },
    uniques: [{ name: 'cp_new_table_name_key', columns: ['name'] }],
    checks: [{ name: 'cp_new_table_name_check', expression: "name <> ''" }],
    foreignKeys: [
      {
        name: 'cp_new_table_plan_fk',
        columns: ['plan_id'],
        references: { table: PLAN, columns: ['id'] },
        onDelete: 'cascade',
        onUpdate: 'restrict',
      },
    ],
    comment: 'a new table',
  }),
  drop_table: dropTable(ACCOUNT, { definition: SAMPLE_DEFINITION }),
  rename_table: renameTable(ACCOUNT, 'cp_user_account'),
  comment_table: commentTable(ACCOUNT, 'users', { previous: 'registered users' }),
  add_column: addColumn(ACCOUNT, column('nickname', varchar(40), { default: '' })),
  drop_column: dropColumn(ACCOUNT, 'phone', { definition: { type: varchar(32), default: '' } }),
  rename_column: renameColumn(ACCOUNT, 'phone', 'phone_number'),
  alter_column: alterColumn(ACCOUNT, 'age', {
    type: { to: integer(), from: text(), using: 'CAST(age AS integer)', reverseUsing: 'CAST(age AS text)' },
    nullable: { to: false, from: true },
    default: { to: 0, from: null },
    comment: { to: 'years', from: null },
  }),
  // Not partial: MySQL has no partial indexes, and the sample must compile on every dialect.
  create_index: createIndex('cp_account_email_idx', ACCOUNT, ['email', { kind: 'expression', sql: 'lower(email)' }], {
    unique: true,
  }),
  drop_index: dropIndex('cp_account_phone_idx', ACCOUNT, { definition: { columns: ['phone'] } }),
  add_primary_key: addPrimaryKey(ACCOUNT, ['id'], { name: 'cp_account_pkey' }),
  drop_primary_key: dropPrimaryKey(ACCOUNT, { name: 'cp_account_pkey', definition: { columns: ['id'] } }),
  add_unique: addUnique('cp_account_phone_key', ACCOUNT, ['phone']),
  drop_unique: dropUnique('cp_account_email_key', ACCOUNT, { definition: { columns: ['email'] } }),
  add_foreign_key: addForeignKey(
    'cp_account_plan2_fk',
    ACCOUNT,
    ['plan_id'],
    { table: PLAN, columns: ['id'] },
    { onDelete: 'cascade', onUpdate: 'restrict' },
  ),
  drop_foreign_key: dropForeignKey('cp_account_plan_fk', ACCOUNT, {
    definition: { columns: ['plan_id'], references: { table: { name: PLAN }, columns: ['id'] }, onDelete: 'set_null' },
  }),
  add_check: addCheck('cp_account_phone_check', ACCOUNT, "phone <> 'none'"),
  drop_check: dropCheck('cp_account_age_check', ACCOUNT, { definition: { expression: "age <> ''" } }),
  create_enum: createEnum('cp_mood', ['happy', 'sad']),
  drop_enum: dropEnum('cp_mood', { values: ['happy', 'sad'] }),
  add_enum_value: addEnumValue('cp_mood', 'ok', { after: 'happy' }),
  rename_enum_value: renameEnumValue('cp_mood', 'sad', 'blue'),
  drop_enum_value: dropEnumValue('cp_mood', 'sad', { replaceWith: 'happy' }),
  execute: execute(`UPDATE ${ACCOUNT} SET plan_id = NULL WHERE 1 = 0`, [], {
    down: { sql: `UPDATE ${ACCOUNT} SET plan_id = NULL WHERE 1 = 0`, params: [] },
  }),
  bulk_insert: bulkInsert(
    PLAN,
    [
      { id: 1, name: 'free', price: 0 },
      { id: 2, name: 'pro', price: 9.5 },
      { id: 3, name: null, price: null },
    ],
    { key: ['id'] },
  ),
  bulk_delete: bulkDelete(PLAN, ['id'], [{ id: 2, name: 'pro', price: 9.5 }]),
};

/**
 * The rule context of a compile: the dialect's quoting, and a model that knows `SAMPLE_TABLE`
 * (under whatever name is asked: each sample names the table it changes), changed for some
 * kinds by `MODEL_FOR`. `known: false` is a model that knows no table (an offline run).
 */
function sampleContext(options: DialectSuiteOptions, kind: OperationKind, known: boolean): RuleContext {
  const state = options.dialect.state;
  return {
    quoteIdentifier: (name) => state.quoteIdentifier(name),
    quoteLiteral: (value) => state.quoteLiteral(value),
    tableBefore: (name) => {
      if (!known) return undefined;
      const table = MODEL_FOR[kind]?.(SAMPLE_TABLE) ?? SAMPLE_TABLE;
      return { ...table, name };
    },
  };
}

/** A deep copy that is not frozen: compiling it must give the same statements. */
function unfrozen<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** What a compile did: its statements, or the error it threw. */
function attempt(run: () => readonly Statement[]): { statements: readonly Statement[] } | { error: unknown } {
  try {
    return { statements: run() };
  } catch (error) {
    return { error };
  }
}

function expectWellFormed(statements: readonly Statement[]): void {
  expect(Array.isArray(statements)).toBe(true);
  for (const stmt of statements) {
    expect(typeof stmt.sql).toBe('string');
    expect(stmt.sql.trim()).not.toBe('');
    expect(Array.isArray(stmt.params)).toBe(true);
    if (stmt.transactional !== undefined) expect(typeof stmt.transactional).toBe('boolean');
  }
}

/** Describes a thrown value for a failure message. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

/**
 * The dialect's compiler over every operation kind: each sample compiles to well-formed
 * statements, or — only for the kinds listed in `options.unsupported` — is refused with a
 * `CairnError`; without a model, a compile that cannot proceed throws a `CairnError` (never a
 * `TypeError`); compiling is pure (same operation and context, deep-equal statements, whether
 * the operation is frozen or not, and the operation is left unchanged).
 */
export function compileCases(options: DialectSuiteOptions): void {
  const { dialect } = options;
  const unsupported: Partial<Record<OperationKind, string>> = options.unsupported ?? {};
  const compile = (op: Operation, known = true) => dialect.compiler.compile(op, sampleContext(options, op.kind, known));

  describe(`${dialect.name}: compiling every operation kind`, () => {
    it('has a sample for every kind, and declares only known kinds unsupported', () => {
      expect(Object.keys(COMPILE_SAMPLES).sort()).toEqual([...OPERATION_KINDS].sort());
      for (const kind of Object.keys(unsupported)) expect(OPERATION_KINDS).toContain(kind);
      for (const reason of Object.values(unsupported)) expect(reason?.trim()).not.toBe('');
    });

    for (const kind of OPERATION_KINDS) {
      const op: Operation = COMPILE_SAMPLES[kind];
      const reason = unsupported[kind];

      if (reason === undefined) {
        it(`compiles ${kind} to well-formed statements, purely`, () => {
          const result = attempt(() => compile(op));
          if ('error' in result) expect.fail(`${kind} failed to compile: ${describeError(result.error)}`);
          expectWellFormed(result.statements);
          expect(compile(op)).toStrictEqual(result.statements);
          const copy = unfrozen(op);
          expect(compile(copy)).toStrictEqual(result.statements);
          expect(copy).toStrictEqual(unfrozen(op));
        });
      } else {
        it(`refuses ${kind} with a CairnError (${reason})`, () => {
          const result = attempt(() => compile(op));
          if (!('error' in result)) expect.fail(`${kind} is declared unsupported (${reason}) but compiled`);
          if (!isCairnError(result.error))
            expect.fail(`${kind} threw ${describeError(result.error)}, not a CairnError`);
          const again = attempt(() => compile(unfrozen(op)));
          expect('error' in again && isCairnError(again.error, result.error.code)).toBe(true);
        });
      }

      it(`compiles ${kind} without a model, or refuses it with a CairnError`, () => {
        const result = attempt(() => compile(op, false));
        if ('error' in result) {
          if (!isCairnError(result.error))
            expect.fail(`${kind} threw ${describeError(result.error)}, not a CairnError`);
        } else {
          expectWellFormed(result.statements);
        }
      });
    }
  });
}
