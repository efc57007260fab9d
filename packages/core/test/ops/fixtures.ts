import { CairnError } from '../../src/errors.js';
import { column } from '../../src/ops/column.js';
import { currentTimestampDefault } from '../../src/ops/column-default.js';
import { enumType, integer, serial, text, timestamp, varchar } from '../../src/ops/column-type.js';
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
  commentTable,
  createEnum,
  createIndex,
  createTable,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  execute,
  type OperationKind,
  type OperationOf,
  renameColumn,
  renameEnumValue,
  renameTable,
} from '../../src/ops/operation.js';

/** A table definition with every part filled in. */
export const accountTable = {
  name: { schema: 'app', name: 'account' },
  columns: [
    column('id', serial(), { nullable: false }),
    column('email', varchar(255), { nullable: false, comment: 'login' }),
    column('mood', enumType('mood', ['happy', 'sad'])),
    column('created_at', timestamp({ withTimeZone: true }), { nullable: false, default: currentTimestampDefault() }),
    column('plan_id', integer()),
  ],
  primaryKey: { name: 'account_pkey', columns: ['id'] },
  uniques: [{ name: 'account_email_key', columns: ['email'] }],
  checks: [{ name: 'account_email_check', expression: "email <> ''" }],
  foreignKeys: [
    {
      name: 'account_plan_fk',
      columns: ['plan_id'],
      references: { table: { name: 'plan' }, columns: ['id'] },
      onDelete: 'set_null' as const,
    },
  ],
  comment: 'registered users',
};

/**
 * One fully specified (reversible where possible) operation of every kind. Typed as a mapped type
 * over the kinds, so a new kind fails to compile here until it has a sample.
 */
export const SAMPLES: { readonly [K in OperationKind]: OperationOf<K> } = {
  create_table: createTable(accountTable),
  drop_table: dropTable({ schema: 'app', name: 'account' }, { definition: accountTable }),
  rename_table: renameTable({ schema: 'app', name: 'account' }, 'user_account'),
  comment_table: commentTable('account', 'users', { previous: null }),
  add_column: addColumn('account', column('phone', varchar(32), { default: '' })),
  drop_column: dropColumn('account', 'phone', { definition: { type: varchar(32), nullable: false } }),
  rename_column: renameColumn('account', 'phone', 'phone_number'),
  alter_column: alterColumn('account', 'age', {
    type: { to: integer(), from: text(), using: 'age::integer', reverseUsing: 'age::text' },
    nullable: { to: false, from: true },
    default: { to: 0, from: null },
    comment: { to: 'years', from: null },
  }),
  create_index: createIndex('account_email_idx', 'account', ['email', { kind: 'expression', sql: 'lower(email)' }], {
    unique: true,
    where: 'deleted_at IS NULL',
    concurrently: true,
    ifNotExists: true,
  }),
  drop_index: dropIndex('account_email_idx', 'account', { ifExists: true, definition: { columns: ['email'] } }),
  add_primary_key: addPrimaryKey('account', ['id'], { name: 'account_pkey' }),
  drop_primary_key: dropPrimaryKey('account', { definition: { columns: ['id'] } }),
  add_unique: addUnique('account_email_key', 'account', ['email']),
  drop_unique: dropUnique('account_email_key', 'account', { definition: { columns: ['email'] } }),
  add_foreign_key: addForeignKey(
    'post_author_fk',
    'post',
    ['author_id'],
    { table: 'account', columns: ['id'] },
    { onDelete: 'cascade', onUpdate: 'restrict' },
  ),
  drop_foreign_key: dropForeignKey('post_author_fk', 'post', {
    definition: { columns: ['author_id'], references: { table: { name: 'account' }, columns: ['id'] } },
  }),
  add_check: addCheck('account_age_check', 'account', 'age >= 0'),
  drop_check: dropCheck('account_age_check', 'account', { definition: { expression: 'age >= 0' } }),
  create_enum: createEnum({ schema: 'app', name: 'mood' }, ['happy', 'sad']),
  drop_enum: dropEnum('mood', { values: ['happy', 'sad'] }),
  add_enum_value: addEnumValue('mood', 'ok', { after: 'happy', ifNotExists: true }),
  rename_enum_value: renameEnumValue('mood', 'sad', 'blue'),
  drop_enum_value: dropEnumValue('mood', 'meh', { replaceWith: 'sad' }),
  execute: execute('UPDATE account SET plan_id = ? WHERE plan_id IS NULL', [1], {
    down: { sql: 'UPDATE account SET plan_id = NULL WHERE plan_id = ?', params: [1] },
  }),
  bulk_insert: bulkInsert(
    'plan',
    [
      { id: 1, name: 'free', price: 0 },
      { id: 2, name: 'pro', price: 9.5 },
    ],
    { key: ['id'] },
  ),
  bulk_delete: bulkDelete('plan', ['id'], [{ id: 2, name: 'pro', price: 9.5 }]),
};

/** True when every object and array inside `value` is frozen. */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(isDeepFrozen);
}

/** Runs `fn` and returns the thrown `CairnError`; fails when nothing (or something else) is thrown. */
export function caught(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CairnError) return error;
    throw error;
  }
  throw new Error('expected a CairnError, but nothing was thrown');
}
