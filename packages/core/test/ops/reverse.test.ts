import { describe, expect, it } from 'vitest';
import { column } from '../../src/ops/column.js';
import { integer, text } from '../../src/ops/column-type.js';
import {
  addColumn,
  alterColumn,
  bulkInsert,
  commentTable,
  dropCheck,
  dropColumn,
  dropEnum,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  execute,
  type Operation,
  type OperationKind,
  renameTable,
} from '../../src/ops/operation.js';
import { reverse, reverseAll } from '../../src/ops/reverse.js';
import { accountTable, caught, isDeepFrozen, SAMPLES } from './fixtures.js';

const { kind: _createKind, ...accountDefinition } = SAMPLES.create_table;

/** The expected downgrade of each sample, written out by hand. */
const EXPECTED: { readonly [K in OperationKind]: readonly unknown[] | 'IRREVERSIBLE' } = {
  create_table: [{ kind: 'drop_table', name: { schema: 'app', name: 'account' }, definition: accountDefinition }],
  drop_table: [SAMPLES.create_table],
  rename_table: [{ kind: 'rename_table', name: { schema: 'app', name: 'user_account' }, newName: 'account' }],
  comment_table: [{ kind: 'comment_table', name: { name: 'account' }, comment: null, previous: 'users' }],
  add_column: [
    {
      kind: 'drop_column',
      table: { name: 'account' },
      column: 'phone',
      definition: {
        name: 'phone',
        type: { kind: 'varchar', length: 32 },
        nullable: true,
        default: { kind: 'literal', value: '' },
      },
    },
  ],
  drop_column: [
    {
      kind: 'add_column',
      table: { name: 'account' },
      column: { name: 'phone', type: { kind: 'varchar', length: 32 }, nullable: false },
    },
  ],
  rename_column: [{ kind: 'rename_column', table: { name: 'account' }, column: 'phone_number', newName: 'phone' }],
  alter_column: [
    {
      kind: 'alter_column',
      table: { name: 'account' },
      column: 'age',
      type: { to: { kind: 'text' }, from: { kind: 'integer' }, using: 'age::text', reverseUsing: 'age::integer' },
      nullable: { to: true, from: false },
      default: { to: null, from: { kind: 'literal', value: 0 } },
      comment: { to: null, from: 'years' },
    },
  ],
  create_index: [
    {
      kind: 'drop_index',
      name: 'account_email_idx',
      table: { name: 'account' },
      concurrently: true,
      ifExists: true,
      definition: {
        name: 'account_email_idx',
        table: { name: 'account' },
        columns: [
          { kind: 'column', name: 'email' },
          { kind: 'expression', sql: 'lower(email)' },
        ],
        unique: true,
        where: 'deleted_at IS NULL',
      },
    },
  ],
  drop_index: [
    {
      kind: 'create_index',
      name: 'account_email_idx',
      table: { name: 'account' },
      columns: [{ kind: 'column', name: 'email' }],
      ifNotExists: true,
    },
  ],
  add_primary_key: [
    {
      kind: 'drop_primary_key',
      table: { name: 'account' },
      name: 'account_pkey',
      definition: { name: 'account_pkey', columns: ['id'] },
    },
  ],
  drop_primary_key: [{ kind: 'add_primary_key', table: { name: 'account' }, columns: ['id'] }],
  add_unique: [
    {
      kind: 'drop_unique',
      table: { name: 'account' },
      name: 'account_email_key',
      definition: { name: 'account_email_key', columns: ['email'] },
    },
  ],
  drop_unique: [{ kind: 'add_unique', table: { name: 'account' }, name: 'account_email_key', columns: ['email'] }],
  add_foreign_key: [
    {
      kind: 'drop_foreign_key',
      table: { name: 'post' },
      name: 'post_author_fk',
      definition: {
        name: 'post_author_fk',
        columns: ['author_id'],
        references: { table: { name: 'account' }, columns: ['id'] },
        onDelete: 'cascade',
        onUpdate: 'restrict',
      },
    },
  ],
  drop_foreign_key: [
    {
      kind: 'add_foreign_key',
      table: { name: 'post' },
      name: 'post_author_fk',
      columns: ['author_id'],
      references: { table: { name: 'account' }, columns: ['id'] },
    },
  ],
  add_check: [
    {
      kind: 'drop_check',
      table: { name: 'account' },
      name: 'account_age_check',
      definition: { name: 'account_age_check', expression: 'age >= 0' },
    },
  ],
  drop_check: [{ kind: 'add_check', table: { name: 'account' }, name: 'account_age_check', expression: 'age >= 0' }],
  create_enum: [{ kind: 'drop_enum', name: { schema: 'app', name: 'mood' }, values: ['happy', 'sad'] }],
  drop_enum: [{ kind: 'create_enum', name: { name: 'mood' }, values: ['happy', 'sad'] }],
  add_enum_value: [{ kind: 'drop_enum_value', name: { name: 'mood' }, value: 'ok' }],
  rename_enum_value: [{ kind: 'rename_enum_value', name: { name: 'mood' }, from: 'blue', to: 'sad' }],
  drop_enum_value: 'IRREVERSIBLE',
  execute: [
    {
      kind: 'execute',
      sql: 'UPDATE account SET plan_id = NULL WHERE plan_id = ?',
      params: [1],
      down: { sql: 'UPDATE account SET plan_id = ? WHERE plan_id IS NULL', params: [1] },
    },
  ],
  bulk_insert: [
    {
      kind: 'bulk_delete',
      table: { name: 'plan' },
      key: ['id'],
      rows: [
        { id: 1, name: 'free', price: 0 },
        { id: 2, name: 'pro', price: 9.5 },
      ],
    },
  ],
  bulk_delete: [
    { kind: 'bulk_insert', table: { name: 'plan' }, rows: [{ id: 2, name: 'pro', price: 9.5 }], key: ['id'] },
  ],
};

describe('reverse', () => {
  it.each(Object.keys(SAMPLES) as OperationKind[])('%s', (kind) => {
    const op: Operation = SAMPLES[kind];
    const expected = EXPECTED[kind];
    if (expected === 'IRREVERSIBLE') {
      expect(caught(() => reverse(op)).code).toBe('IRREVERSIBLE');
      return;
    }
    const reversed = reverse(op);
    expect(reversed).toStrictEqual(expected);
    expect(reversed.every(isDeepFrozen)).toBe(true);
    expect(JSON.parse(JSON.stringify(reversed))).toStrictEqual(reversed);
  });

  it.each(
    (Object.keys(SAMPLES) as OperationKind[]).filter((kind) => !['add_enum_value', 'drop_enum_value'].includes(kind)),
  )('%s: reversing twice gives the operation back', (kind) => {
    const op: Operation = SAMPLES[kind];
    const twice = reverse(op).flatMap((reversed) => reverse(reversed));
    expect(twice).toStrictEqual([op]);
  });

  it('keeps a table’s schema when reversing a rename', () => {
    expect(reverse(renameTable('t', 'u'))).toStrictEqual([{ kind: 'rename_table', name: { name: 'u' }, newName: 't' }]);
  });

  it('reverses only the aspects an alter changes', () => {
    expect(reverse(alterColumn('t', 'c', { nullable: { to: false, from: true } }))).toStrictEqual([
      { kind: 'alter_column', table: { name: 't' }, column: 'c', nullable: { to: true, from: false } },
    ]);
  });

  it('shares nothing with an unfrozen operation read from JSON', () => {
    const op = JSON.parse(JSON.stringify(SAMPLES.add_column)) as Operation;
    const [reversed] = reverse(op);
    expect(Object.isFrozen((op as { column: object }).column)).toBe(false);
    expect(isDeepFrozen(reversed)).toBe(true);
  });

  it('refuses an unknown kind with USAGE', () => {
    const error = caught(() => reverse({ kind: 'drop_database' } as unknown as Operation));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/"drop_database" is not an operation kind/);
  });
});

describe('reverse refuses what it cannot derive', () => {
  const cases: [string, Operation, RegExp][] = [
    [
      'drop_table',
      dropTable({ schema: 'app', name: 'account' }),
      /^cannot derive the downgrade of drop_table 'app.account': the operation does not carry the table's definition\. Pass \{ definition \} to op.dropTable, or write the downgrade by hand\.$/,
    ],
    [
      'drop_column',
      dropColumn('account', 'phone'),
      /drop_column 'phone' on 'account': .*column's definition.*op.dropColumn/,
    ],
    ['drop_index', dropIndex('i', 't'), /drop_index 'i' on 't': .*index's definition.*op.dropIndex/],
    ['drop_primary_key', dropPrimaryKey('t'), /drop_primary_key on 't': .*key's columns.*op.dropPrimaryKey/],
    ['drop_unique', dropUnique('u', 't'), /drop_unique 'u' on 't'.*op.dropUnique/],
    ['drop_foreign_key', dropForeignKey('fk', 't'), /drop_foreign_key 'fk' on 't'.*op.dropForeignKey/],
    ['drop_check', dropCheck('ck', 't'), /drop_check 'ck' on 't'.*op.dropCheck/],
    ['drop_enum', dropEnum('mood'), /drop_enum 'mood': .*enum's values.*\{ values \} to op.dropEnum/],
    ['drop_enum_value', SAMPLES.drop_enum_value, /drop_enum_value 'meh' of 'mood': which rows held the value is lost/],
    ['comment_table', commentTable('t', 'x'), /comment_table 't': the previous comment is unknown/],
    [
      'alter_column',
      alterColumn('t', 'c', { type: integer(), nullable: { to: false, from: true }, default: 1 }),
      /alter_column 'c' on 't': the previous type, default of the column are unknown\. Give each change as \{ to, from \}/,
    ],
    [
      'execute',
      execute('DELETE   FROM\n t'),
      /execute "DELETE FROM t": it has no down SQL\. Pass \{ down \} to op.execute/,
    ],
    ['bulk_insert', bulkInsert('t', [{ id: 1 }]), /bulk_insert into 't': .*Pass \{ key \}/],
  ];

  it.each(cases)('%s', (kind, op, message) => {
    const error = caught(() => reverse(op));
    expect(error.code).toBe('IRREVERSIBLE');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/write the downgrade by hand\.$/);
    expect(error.details.operation).toBe(kind);
  });
});

describe('reverseAll', () => {
  it('reverses a sequence, last operation first', () => {
    const ops = [
      addColumn('t', column('a', text())),
      renameTable('t', 'u'),
      addColumn('u', column('b', integer())),
    ] as const;
    expect(reverseAll(ops).map((op) => op.kind)).toEqual(['drop_column', 'rename_table', 'drop_column']);
    expect(reverseAll(reverseAll(ops))).toStrictEqual([...ops]);
  });

  it('fails at the first irreversible operation', () => {
    expect(caught(() => reverseAll([addColumn('t', column('a', text())), dropTable('x')])).code).toBe('IRREVERSIBLE');
  });

  it('leaves the fixture definition usable as a create', () => {
    expect(reverse(dropTable('account', { definition: { ...accountTable, name: 'account' } }))[0]?.kind).toBe(
      'create_table',
    );
  });
});
