import { join } from 'node:path';
import {
  bigint,
  binary,
  boolean,
  char,
  column,
  createIndex,
  createTable,
  currentTimestampDefault,
  date,
  double,
  enumType,
  expressionDefault,
  integer,
  json,
  numeric,
  rawType,
  real,
  type Session,
  serial,
  smallint,
  statement,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFromText, describeTable, typeFromDeclared } from '../src/introspector.js';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { apply } from './apply.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('introspector');
let connection: SqliteConnection;
let session: Session;

beforeAll(async () => {
  connection = await openSqlite(join(dir, 'describe.db'));
  session = connection.session;
});
afterAll(() => connection.close());

const parent = createTable({
  name: 'parent',
  columns: [column('a', integer(), { nullable: false }), column('b', text(), { nullable: false })],
  primaryKey: { name: 'parent_pk', columns: ['a', 'b'] },
});

const child = createTable({
  name: 'child',
  columns: [
    column('id', serial(), { nullable: false }),
    column('small', smallint()),
    column('big', bigint(), { default: -5 }),
    column('flag', boolean(), { nullable: false, default: true }),
    column('title', text(), { default: "it's" }),
    column('code', varchar(12)),
    column('iso', char(2)),
    column('price', numeric(10, 2), { default: 1.5 }),
    column('plain_numeric', numeric()),
    column('ratio', real()),
    column('precise', double()),
    column('born', date()),
    column('alarm', time()),
    column('created_at', timestamp(), { default: currentTimestampDefault() }),
    column('seen_at', timestamp({ withTimeZone: true })),
    column('doc', json(), { default: expressionDefault("json_object('a', 1)") }),
    column('uid', uuid()),
    column('bytes', binary()),
    column('mood', enumType('mood', ['happy', "it's"]), { default: 'happy' }),
    column('geo', rawType('GEOMETRY')),
    column('pa', integer()),
    column('pb', text()),
  ],
  primaryKey: ['id'],
  uniques: [
    { name: 'child_code_key', columns: ['code'] },
    { name: 'child_iso_uid_key', columns: ['iso', 'uid'] },
  ],
  checks: [{ name: 'child_price_check', expression: 'price >= 0' }, { expression: 'small <> 0' }],
  foreignKeys: [
    {
      name: 'child_parent_fk',
      columns: ['pa', 'pb'],
      references: { table: 'parent', columns: ['a', 'b'] },
      onDelete: 'cascade',
    },
    { columns: ['small'], references: { table: 'child', columns: ['id'] }, onUpdate: 'set_null', onDelete: 'restrict' },
  ],
});

describe('describeTable', () => {
  it('returns undefined for a missing table', async () => {
    expect(await describeTable(session, { name: 'nope' })).toBeUndefined();
  });

  it('round-trips create_table and create_index', async () => {
    const partial = createIndex('child_title_idx', 'child', ['title', { kind: 'column', name: 'big', order: 'desc' }], {
      where: 'flag = 1',
    });
    const expression = createIndex('child_lower_code_idx', 'child', [{ kind: 'expression', sql: 'lower(code)' }], {
      unique: true,
    });
    await apply(session, parent, child, partial, expression);
    const { kind: _kind, ...definition } = child;
    const { kind: _p, concurrently: _c, ifNotExists: _i, ...partialIndex } = partial;
    const { kind: _e, concurrently: _ec, ifNotExists: _ei, ...expressionIndex } = expression;
    expect(await describeTable(session, { name: 'child' })).toEqual({
      ...definition,
      indexes: [partialIndex, expressionIndex],
    });
    const { kind: _pk, ...parentDefinition } = parent;
    expect(await describeTable(session, { name: 'parent' })).toEqual({ ...parentDefinition, indexes: [] });
  });

  it('normalises what SQLite cannot tell apart, as documented', async () => {
    await session.execute(
      statement(
        `CREATE TABLE odd (id INTEGER PRIMARY KEY, n INT DEFAULT NULL, s varchar ( 10 ) UNIQUE, x CHECK (x > 1), f INTEGER REFERENCES parent ON DELETE NO ACTION, t TEXT DEFAULT (('a'||'b')))`,
      ),
    );
    await session.execute(statement('CREATE INDEX odd_n ON odd (n ASC)'));
    expect(await describeTable(session, { name: 'odd' })).toEqual({
      name: { name: 'odd' },
      columns: [
        { name: 'id', type: { kind: 'integer' }, nullable: true },
        { name: 'n', type: { kind: 'integer' }, nullable: true },
        { name: 's', type: { kind: 'varchar', length: 10 }, nullable: true },
        { name: 'x', type: { kind: 'raw', sql: '' }, nullable: true },
        { name: 'f', type: { kind: 'integer' }, nullable: true },
        { name: 't', type: { kind: 'text' }, nullable: true, default: { kind: 'expression', sql: "('a'||'b')" } },
      ],
      primaryKey: { columns: ['id'] },
      uniques: [{ columns: ['s'] }],
      checks: [{ expression: 'x > 1' }],
      foreignKeys: [{ columns: ['f'], references: { table: { name: 'parent' }, columns: ['a', 'b'] } }],
      indexes: [{ name: 'odd_n', table: { name: 'odd' }, columns: [{ kind: 'column', name: 'n' }] }],
    });
  });
});

describe('typeFromDeclared / defaultFromText', () => {
  it.each([
    ['INT', integer()],
    ['numeric(5,1)', numeric(5, 1)],
    ['DOUBLE PRECISION', rawType('DOUBLE PRECISION')],
    ['TIMESTAMPTZ', timestamp({ withTimeZone: true })],
  ])('%s', (declared, type) => {
    expect(typeFromDeclared(declared)).toEqual(type);
  });

  it.each([
    [null, undefined],
    ["'it''s'", { kind: 'literal', value: "it's" }],
    ['-2.5e3', { kind: 'literal', value: -2500 }],
    ['current_timestamp', { kind: 'current_timestamp' }],
    ['(1 + 1)', { kind: 'expression', sql: '(1 + 1)' }],
    ["'a' || 'b'", { kind: 'expression', sql: "'a' || 'b'" }],
  ])('%s', (textValue, expected) => {
    expect(defaultFromText(textValue, text())).toEqual(expected);
  });
});
