import { describe, expect, it } from 'vitest';
import { column } from '../../src/ops/column.js';
import { expressionDefault, literalDefault } from '../../src/ops/column-default.js';
import { integer, text, varchar } from '../../src/ops/column-type.js';
import {
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
  dropColumn,
  dropEnumValue,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  execute,
  isOperationKind,
  OPERATION_KINDS,
  renameColumn,
  renameEnumValue,
  renameTable,
} from '../../src/ops/operation.js';
import { accountTable, caught, isDeepFrozen, SAMPLES } from './fixtures.js';

describe('operations are frozen plain data', () => {
  it.each(Object.entries(SAMPLES))('%s: has its kind, is deep-frozen and survives JSON', (kind, op) => {
    expect(op.kind).toBe(kind);
    expect(isDeepFrozen(op)).toBe(true);
    expect(JSON.parse(JSON.stringify(op))).toStrictEqual(op);
  });

  it('lists every kind once, in union order', () => {
    expect(OPERATION_KINDS).toEqual(Object.keys(SAMPLES));
    expect(new Set(OPERATION_KINDS).size).toBe(26);
    expect(isOperationKind('create_table')).toBe(true);
    expect(isOperationKind('toString')).toBe(false);
    expect(isOperationKind(undefined)).toBe(false);
  });

  it('never freezes or keeps the caller’s objects', () => {
    const definition = structuredClone(accountTable);
    const op = createTable(definition);
    expect(Object.isFrozen(definition)).toBe(false);
    expect(Object.isFrozen(definition.columns)).toBe(false);
    definition.columns.pop();
    definition.uniques[0]!.columns.push('id');
    expect(op.columns).toHaveLength(5);
    expect(op.uniques[0]!.columns).toEqual(['email']);
  });
});

describe('factories normalise their input', () => {
  it('createTable fills in empty constraint lists and column defaults', () => {
    expect(createTable({ name: 'note', columns: [{ name: 'body', type: text() }] })).toStrictEqual({
      kind: 'create_table',
      name: { name: 'note' },
      columns: [{ name: 'body', type: { kind: 'text' }, nullable: true }],
      uniques: [],
      checks: [],
      foreignKeys: [],
    });
  });

  it('createTable takes a primary key or unique as a bare column list', () => {
    const op = createTable({
      name: 'tag',
      columns: [column('id', integer()), column('label', text())],
      primaryKey: ['id'],
      uniques: [['label']],
    });
    expect(op.primaryKey).toStrictEqual({ columns: ['id'] });
    expect(op.uniques).toStrictEqual([{ columns: ['label'] }]);
  });

  it('a bare default is a literal; a ColumnDefault is kept', () => {
    expect(column('n', integer(), { default: 0 }).default).toStrictEqual({ kind: 'literal', value: 0 });
    expect(column('s', text(), { default: 'now()' }).default).toStrictEqual({ kind: 'literal', value: 'now()' });
    expect(column('b', text(), { default: false }).default).toStrictEqual({ kind: 'literal', value: false });
    expect(column('u', text(), { default: expressionDefault('gen_random_uuid()') }).default).toStrictEqual({
      kind: 'expression',
      sql: 'gen_random_uuid()',
    });
    expect(literalDefault('x')).toStrictEqual({ kind: 'literal', value: 'x' });
  });

  it('alterColumn takes each change alone or as { to, from }', () => {
    expect(alterColumn('t', 'c', { nullable: false, default: null, type: varchar(10), comment: 'x' })).toStrictEqual({
      kind: 'alter_column',
      table: { name: 't' },
      column: 'c',
      type: { to: { kind: 'varchar', length: 10 } },
      nullable: { to: false },
      default: { to: null },
      comment: { to: 'x' },
    });
    expect(alterColumn('t', 'c', { default: { to: 'a', from: { kind: 'current_timestamp' } } }).default).toStrictEqual({
      to: { kind: 'literal', value: 'a' },
      from: { kind: 'current_timestamp' },
    });
  });

  it('index keys: names become column keys, false flags are left out', () => {
    expect(createIndex('i', 't', ['a', { kind: 'column', name: 'b', order: 'desc' }], { unique: false })).toStrictEqual(
      {
        kind: 'create_index',
        name: 'i',
        table: { name: 't' },
        columns: [
          { kind: 'column', name: 'a' },
          { kind: 'column', name: 'b', order: 'desc' },
        ],
      },
    );
  });

  it('a dropping operation fills its definition’s identity from the operation', () => {
    expect(dropColumn({ schema: 's', name: 't' }, 'c', { definition: { type: text() } })).toStrictEqual({
      kind: 'drop_column',
      table: { schema: 's', name: 't' },
      column: 'c',
      definition: { name: 'c', type: { kind: 'text' }, nullable: true },
    });
    expect(dropIndex('i', 't', { definition: { columns: ['a'], unique: true } }).definition).toStrictEqual({
      name: 'i',
      table: { name: 't' },
      columns: [{ kind: 'column', name: 'a' }],
      unique: true,
    });
    expect(dropTable('account', { definition: { ...accountTable, name: undefined } }).definition?.name).toStrictEqual({
      name: 'account',
    });
    expect(dropUnique('u', 't', { definition: { columns: ['a'] } }).definition).toStrictEqual({
      name: 'u',
      columns: ['a'],
    });
    expect(dropPrimaryKey('t', { definition: { name: 'pk', columns: ['id'] } })).toStrictEqual({
      kind: 'drop_primary_key',
      table: { name: 't' },
      name: 'pk',
      definition: { name: 'pk', columns: ['id'] },
    });
  });

  it('execute takes down SQL as text or with parameters', () => {
    expect(execute('DELETE FROM t')).toStrictEqual({ kind: 'execute', sql: 'DELETE FROM t', params: [] });
    expect(execute('SELECT ?', [null], { down: 'SELECT 1' }).down).toStrictEqual({ sql: 'SELECT 1', params: [] });
  });

  it('bulk rows are copied, with undefined cells left out', () => {
    const rows = [{ id: 1, note: undefined as unknown as null }];
    const op = bulkInsert('t', rows);
    expect(op.rows).toStrictEqual([{ id: 1 }]);
    expect(Object.isFrozen(rows[0])).toBe(false);
    expect(bulkInsert('t', []).rows).toEqual([]);
  });
});

describe('factories refuse bad input with USAGE naming the argument', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['table name', () => addColumn('', column('a', text())), /^addColumn: table must be a non-empty string, got ""$/],
    ['qualified name', () => addColumn({ schema: 1 } as never, column('a', text())), /addColumn: table.schema must be/],
    [
      'no columns',
      () => createTable({ name: 't', columns: [] }),
      /createTable: definition.columns must be a non-empty array of columns, got \[\]/,
    ],
    [
      'duplicate column',
      () => createTable({ name: 't', columns: [column('a', text()), column('a', integer())] }),
      /createTable: definition.columns defines column 'a' twice/,
    ],
    [
      'unknown key column',
      () => createTable({ name: 't', columns: [column('a', text())], primaryKey: ['id'] }),
      /createTable: definition.primaryKey names column 'id', which the table does not define/,
    ],
    [
      'bad nested type',
      () => createTable({ name: 't', columns: [{ name: 'a', type: { kind: 'varchar', length: 0 } }] }),
      /createTable: definition.columns\[0\].type: varchar: length must be a positive integer, got 0/,
    ],
    [
      'misspelt column option',
      () => column('a', text(), { nulable: false } as never),
      /column: options has no property 'nulable'/,
    ],
    [
      'foreign key arity',
      () => addForeignKey('fk', 't', ['a', 'b'], { table: 'u', columns: ['id'] }),
      /addForeignKey.references.columns must list as many columns as addForeignKey.columns \(2\)/,
    ],
    [
      'referential action',
      () => addForeignKey('fk', 't', ['a'], { table: 'u', columns: ['id'] }, { onDelete: 'explode' as never }),
      /addForeignKey.onDelete must be one of 'no_action', 'restrict', 'cascade', 'set_null', 'set_default'/,
    ],
    ['unique name', () => addUnique('', 't', ['a']), /addUnique: name must be a non-empty string/],
    ['primary key columns', () => addPrimaryKey('t', []), /addPrimaryKey.columns must be a non-empty array/],
    ['no change', () => alterColumn('t', 'c', {}), /alterColumn: changes must change at least one of type/],
    ['misspelt change', () => alterColumn('t', 'c', { nulable: false } as never), /has no property 'nulable'/],
    [
      'using without a type form',
      () => alterColumn('t', 'c', { type: { to: text(), using: 1 } as never }),
      /alterColumn: changes.type.using must be a non-empty string, got 1/,
    ],
    [
      'nullable type',
      () => alterColumn('t', 'c', { nullable: 'no' as never }),
      /alterColumn: changes.nullable must be true or false/,
    ],
    [
      'mismatched definition',
      () => dropTable('account', { definition: { ...accountTable, name: 'other' } }),
      /dropTable: options.definition.name must match the operation's name \({"name":"account"}\)/,
    ],
    [
      'mismatched column definition',
      () => dropColumn('t', 'a', { definition: { name: 'b', type: text() } }),
      /dropColumn: options.definition.name must match/,
    ],
    [
      'misspelt option',
      () => dropColumn('t', 'a', { defintion: {} } as never),
      /dropColumn: options has no property 'defintion'/,
    ],
    ['rename to itself', () => renameColumn('t', 'a', 'a'), /renameColumn: newName is the current name 'a'/],
    [
      'table rename to itself',
      () => renameTable({ schema: 's', name: 't' }, 't'),
      /renameTable: newName is the current/,
    ],
    ['index keys', () => createIndex('i', 't', []), /createIndex.columns must be a non-empty array/],
    ['index key twice', () => createIndex('i', 't', ['a', 'a']), /createIndex.columns lists column 'a' twice/],
    [
      'index order',
      () => createIndex('i', 't', [{ kind: 'column', name: 'a', order: 'up' as never }]),
      /order must be one of 'asc', 'desc'/,
    ],
    ['enum values', () => createEnum('mood', ['a', 'a']), /createEnum: values lists 'a' twice/],
    [
      'enum position',
      () => addEnumValue('mood', 'x', { before: 'a', after: 'b' }),
      /may give before or after, not both/,
    ],
    ['enum self position', () => addEnumValue('mood', 'x', { after: 'x' }), /places 'x' relative to itself/],
    ['enum rename', () => renameEnumValue('mood', 'a', 'a'), /renameEnumValue: to is the current name 'a'/],
    [
      'enum replacement',
      () => dropEnumValue('mood', 'a', { replaceWith: 'a' }),
      /replaceWith is the dropped value 'a'/,
    ],
    [
      'parameter type',
      () => execute('SELECT ?', [new Date(0)] as never),
      /execute: params\[0\] must be a string, a finite number, a boolean or null/,
    ],
    ['parameter NaN', () => execute('SELECT ?', [Number.NaN]), /execute: params\[0\] .* got NaN/],
    ['empty SQL', () => execute('  '), /execute: sql must be a non-empty string/],
    ['down SQL', () => execute('x', [], { down: { sql: '' } }), /execute: options.down.sql must be a non-empty string/],
    ['comment', () => commentTable('t', 3 as never), /commentTable: comment must be a non-empty string, got 3/],
    [
      'row key',
      () => bulkInsert('t', [{ id: 1 }, { name: 'x' }], { key: ['id'] }),
      /bulkInsert: rows\[1\] lacks key column 'id'/,
    ],
    ['row value', () => bulkInsert('t', [{ id: 10n as never }]), /bulkInsert: rows\[0\].id must be .* got 10n/],
    ['empty row', () => bulkInsert('t', [{}]), /bulkInsert: rows\[0\] has no columns/],
    ['delete key', () => bulkDelete('t', [], [{ id: 1 }]), /bulkDelete: key must be a non-empty array/],
  ];

  it.each(cases)('%s', (_label, build, message) => {
    const error = caught(build);
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
    expect(typeof error.details.argument).toBe('string');
  });
});
