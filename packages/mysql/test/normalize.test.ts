import {
  bigint,
  boolean,
  type ColumnDefault,
  type ColumnType,
  char,
  column,
  createTable,
  currentTimestampDefault,
  enumType,
  expressionDefault,
  integer,
  numeric,
  rawType,
  real,
  serial,
  smallint,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTable, MYSQL_ENUM_NAME, type MysqlConnection, mysqlNormalizer, openMysql } from '../src/index.js';
import { apply } from './apply.js';
import { testDatabase } from './database.js';
import { RESPELLED_COLUMNS } from './respelled.js';

const type = (t: ColumnType) => mysqlNormalizer.columnType(t);
const dflt = (value: ColumnDefault | undefined, t: ColumnType) => mysqlNormalizer.columnDefault(value, type(t));

describe('mysqlNormalizer.columnType', () => {
  it('maps declared types to what describeTable reads back', () => {
    const cases: [ColumnType, ColumnType][] = [
      [integer(), { kind: 'integer' }],
      [serial(), { kind: 'integer', identity: 'by_default' }],
      [bigint({ identity: 'always' }), { kind: 'bigint', identity: 'by_default' }],
      [smallint(), { kind: 'smallint' }],
      [boolean(), { kind: 'boolean' }],
      [uuid(), { kind: 'char', length: 36 }],
      [timestamp({ withTimeZone: true }), { kind: 'timestamp', withTimeZone: false }],
      [numeric(), { kind: 'numeric', precision: 65, scale: 30 }],
      [numeric(12), { kind: 'numeric', precision: 12, scale: 0 }],
      [real(), { kind: 'real' }],
      [time(), { kind: 'time' }],
      [text(), { kind: 'text' }],
      [char(2), { kind: 'char', length: 2 }],
      [enumType('mood', ['a', 'b']), { kind: 'enum', name: { name: MYSQL_ENUM_NAME }, values: ['a', 'b'] }],
      [rawType('INT(11)'), { kind: 'integer' }],
      [rawType('tinyint(1)'), { kind: 'boolean' }],
      [rawType('Double Precision'), { kind: 'double' }],
      [rawType('numeric(8, 2)'), { kind: 'numeric', precision: 8, scale: 2 }],
      [rawType('int(10) unsigned zerofill'), { kind: 'raw', sql: 'int(10) unsigned zerofill' }],
      [rawType('INT(10)  UNSIGNED'), { kind: 'raw', sql: 'int unsigned' }],
      [rawType("ENUM('A', 'b c')"), { kind: 'enum', name: { name: MYSQL_ENUM_NAME }, values: ['A', 'b c'] }],
      [rawType("SET('A','b')"), { kind: 'raw', sql: "set('A','b')" }],
      [rawType('citext', { mysql: 'MEDIUMTEXT' }), { kind: 'raw', sql: 'mediumtext' }],
      [rawType('time'), { kind: 'raw', sql: 'time' }],
      [rawType('int unsigned auto_increment'), { kind: 'raw', sql: 'int unsigned AUTO_INCREMENT' }],
    ];
    for (const [declared, expected] of cases) expect(type(declared), JSON.stringify(declared)).toStrictEqual(expected);
  });

  it('leaves a type MySQL cannot hold as declared (compiling it says why)', () => {
    expect(type(numeric(70, 2))).toStrictEqual(numeric(70, 2));
  });

  it('is idempotent', () => {
    for (const t of [serial(), uuid(), numeric(), rawType('INT(11) unsigned'), enumType('m', ['x'])])
      expect(type(type(t))).toStrictEqual(type(t));
  });
});

describe('mysqlNormalizer.columnDefault', () => {
  it('folds literals to what the column stores', () => {
    expect(dflt({ kind: 'literal', value: 1 }, boolean())).toEqual({ kind: 'literal', value: true });
    expect(dflt({ kind: 'literal', value: '0' }, boolean())).toEqual({ kind: 'literal', value: false });
    expect(dflt({ kind: 'literal', value: true }, integer())).toEqual({ kind: 'literal', value: 1 });
    expect(dflt({ kind: 'literal', value: ' 7 ' }, integer())).toEqual({ kind: 'literal', value: 7 });
    expect(dflt({ kind: 'literal', value: 'abc' }, integer())).toEqual({ kind: 'literal', value: 'abc' });
    expect(dflt({ kind: 'literal', value: 5 }, varchar(3))).toEqual({ kind: 'literal', value: '5' });
    expect(dflt({ kind: 'literal', value: false }, varchar(3))).toEqual({ kind: 'literal', value: '0' });
    expect(dflt({ kind: 'literal', value: 1.5 }, numeric(10, 2))).toEqual({ kind: 'literal', value: 1.5 });
    expect(dflt(undefined, integer())).toBeUndefined();
    expect(dflt(currentTimestampDefault(), timestamp())).toEqual({ kind: 'current_timestamp' });
  });

  it('reads expressions that are only a literal or the current time as such, and strips outer parentheses', () => {
    expect(dflt(expressionDefault('(7)'), integer())).toEqual({ kind: 'literal', value: 7 });
    expect(dflt(expressionDefault("('x')"), varchar(3))).toEqual({ kind: 'literal', value: 'x' });
    expect(dflt(expressionDefault('TRUE'), boolean())).toEqual({ kind: 'literal', value: true });
    expect(dflt(expressionDefault('false'), integer())).toEqual({ kind: 'literal', value: 0 });
    expect(dflt(expressionDefault('(NULL)'), integer())).toBeUndefined();
    expect(dflt(expressionDefault('now(6)'), timestamp())).toEqual({ kind: 'current_timestamp' });
    expect(dflt(expressionDefault('CURRENT_TIMESTAMP()'), timestamp())).toEqual({ kind: 'current_timestamp' });
    expect(dflt(expressionDefault('(uuid())'), uuid())).toEqual({ kind: 'expression', sql: 'uuid()' });
    expect(dflt(expressionDefault('(a) + (b)'), integer())).toEqual({ kind: 'expression', sql: '(a) + (b)' });
  });
});

describe('normalise(declared) equals normalise(reflected) on the server', () => {
  const database = testDatabase();
  let conn: MysqlConnection;
  beforeAll(async () => {
    conn = await openMysql(database.url());
    await apply(conn.session, [
      createTable({
        name: 'spelled',
        columns: [column('id', integer(), { nullable: false }), ...RESPELLED_COLUMNS],
        primaryKey: ['id'],
      }),
    ]);
  });
  afterAll(async () => {
    await conn?.close();
  });

  for (const declared of RESPELLED_COLUMNS) {
    it(`${declared.name}: ${JSON.stringify(declared.type)}${declared.default ? ` default ${JSON.stringify(declared.default)}` : ''}`, async () => {
      const reflected = (await describeTable(conn.session, { name: 'spelled' }))?.columns.find(
        (c) => c.name === declared.name,
      );
      expect(reflected).toBeDefined();
      const normalise = (c: typeof declared) => {
        const t = mysqlNormalizer.columnType(c.type);
        return { type: t, default: mysqlNormalizer.columnDefault(c.default, t), nullable: c.nullable };
      };
      expect(normalise(reflected!)).toStrictEqual(normalise(declared));
    });
  }
});
