import {
  bigint,
  bigserial,
  boolean,
  type ColumnDefault,
  type ColumnDefinition,
  type ColumnType,
  char,
  column,
  createEnum,
  createTable,
  currentTimestampDefault,
  double,
  enumType,
  expressionDefault,
  integer,
  json,
  literalDefault,
  numeric,
  rawType,
  real,
  serial,
  smallint,
  smallserial,
  text,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeTable,
  openPostgres,
  type PostgresConnection,
  postgresDialect,
  postgresNormalizer,
} from '../src/index.js';
import { testDatabase } from './database.js';
import { ruleContext } from './rule-context.js';

const { columnType, columnDefault } = postgresNormalizer;
const mood = enumType('mood', ['happy', 'sad']);

describe('postgresNormalizer.columnType', () => {
  const cases: readonly (readonly [string, ColumnType, ColumnType])[] = [
    ['int4', rawType('int4'), integer()],
    ['INT in capitals', rawType('INT'), integer()],
    ['pg_catalog.int8', rawType('pg_catalog.int8'), bigint()],
    ['int2', rawType('int2'), smallint()],
    ['character varying(10)', rawType('character varying(10)'), varchar(10)],
    ['varchar(10)', rawType('varchar( 10 )'), varchar(10)],
    ['bare varchar', rawType('varchar'), rawType('character varying')],
    ['bpchar(3)', rawType('bpchar(3)'), char(3)],
    ['bare char is char(1)', rawType('char'), char(1)],
    ['"char" is its own type', rawType('"char"'), rawType('"char"')],
    ['jsonb is json()', rawType('jsonb'), json()],
    ['json() stays', json(), json()],
    ['json stays raw (not jsonb)', rawType('json'), rawType('json')],
    ['serial', rawType('serial'), serial()],
    ['serial8', rawType('serial8'), bigserial()],
    ['bigserial', rawType('BIGSERIAL'), bigserial()],
    ['smallserial', rawType('smallserial'), smallserial()],
    ['serial() keeps its identity', serial(), integer({ identity: 'by_default' })],
    ['always identity stays', bigint({ identity: 'always' }), bigint({ identity: 'always' })],
    ['numeric(p) has scale 0', numeric(10), numeric(10, 0)],
    ['bare numeric', numeric(), numeric()],
    ['decimal(10, 2)', rawType('decimal(10, 2)'), numeric(10, 2)],
    ['negative scale stays raw', rawType('numeric(5,-2)'), rawType('numeric(5,-2)')],
    ['float8', rawType('float8'), double()],
    ['float(24)', rawType('float(24)'), real()],
    ['float(25)', rawType('float(25)'), double()],
    ['float4', rawType('float4'), real()],
    ['double  precision', rawType('double  precision'), double()],
    ['bool', rawType('bool'), boolean()],
    ['timestamptz', rawType('timestamptz'), timestamp({ withTimeZone: true })],
    ['timestamp with time zone', rawType('Timestamp With Time Zone'), timestamp({ withTimeZone: true })],
    ['timestamp(3)', rawType('timestamp(3)'), rawType('timestamp(3) without time zone')],
    ['timestamptz(3)', rawType('timestamptz(3)'), rawType('timestamp(3) with time zone')],
    ['timetz', rawType('timetz'), rawType('time with time zone')],
    ['varbit(5)', rawType('varbit(5)'), rawType('bit varying(5)')],
    ['int4[]', rawType('int4[]'), rawType('integer[]')],
    ['varchar(3)[][] has one []', rawType('varchar(3)[][]'), rawType('character varying(3)[]')],
    ['other dialects dropped', rawType('tsvector', { sqlite: 'text' }), rawType('tsvector')],
    ['postgres spelling used', rawType('BIGINT UNSIGNED', { postgres: 'int8' }), bigint()],
    ['type modifier keeps its case', rawType('geometry(Point, 4326)'), rawType('geometry(Point,4326)')],
    ['unquoted names fold', rawType('Public.CITEXT'), rawType('public.citext')],
    ['quoted names do not', rawType('"MyType"'), rawType('"MyType"')],
    ['enum stays', mood, mood],
    ['text', text(), text()],
    ['uuid', uuid(), uuid()],
  ];
  it.each(cases)('%s', (_label, declared, expected) => {
    expect(columnType(declared)).toStrictEqual(expected);
    // Normalising twice changes nothing: autogenerate applies it to what was normalised before.
    expect(columnType(columnType(declared))).toStrictEqual(expected);
  });
});

describe('postgresNormalizer.columnDefault', () => {
  const lit = (value: string | number | boolean): ColumnDefault => literalDefault(value);
  const expr = (sql: string): ColumnDefault => expressionDefault(sql);
  const now = currentTimestampDefault();
  const cases: readonly (readonly [string, ColumnDefault | undefined, ColumnType, ColumnDefault | undefined])[] = [
    ['no default', undefined, integer(), undefined],
    ['current_timestamp', now, timestamp(), now],
    ['now()', expr('now()'), timestamp(), now],
    ['NOW ( )', expr('NOW ( )'), timestamp(), now],
    ['CURRENT_TIMESTAMP expression', expr('CURRENT_TIMESTAMP'), timestamp(), now],
    ['transaction_timestamp()', expr('transaction_timestamp()'), timestamp(), now],
    ['LOCALTIMESTAMP is not the same', expr('LOCALTIMESTAMP'), timestamp(), expr('LOCALTIMESTAMP')],
    ["'7' on integer", lit('7'), integer(), lit(7)],
    ["' 7 ' on integer", lit(' 7 '), integer(), lit(7)],
    ["'1.50' on numeric", lit('1.50'), numeric(), lit(1.5)],
    ["'1e3' on real", lit('1e3'), real(), lit(1000)],
    ["'0x1F' is not a number", lit('0x1F'), integer(), lit('0x1F')],
    ["'NaN' on double", lit('NaN'), double(), lit('NaN')],
    ['too many digits stay text', lit('9007199254740993'), bigint(), lit('9007199254740993')],
    ['-0', lit(-0), double(), lit(0)],
    ["'yes' on boolean", lit('yes'), boolean(), lit(true)],
    ["'OFF' on boolean", lit('OFF'), boolean(), lit(false)],
    ["'t' on boolean", lit('t'), boolean(), lit(true)],
    ["'maybe' on boolean", lit('maybe'), boolean(), lit('maybe')],
    ["'7' on text stays text", lit('7'), text(), lit('7')],
    ['5 on text stays a number', lit(5), text(), lit(5)],
    [
      'uuid in capitals and braces',
      lit('{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'),
      uuid(),
      lit('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    ],
    [
      'json as jsonb prints it',
      lit('{"bb":1,"a":[1,2.50,1e2,-0],"a":{"y":true,"x":null},"s":"\\u00e9\\n"}'),
      json(),
      lit('{"a": {"x": null, "y": true}, "s": "é\\n", "bb": 1}'),
    ],
    ['invalid json stays', lit('{nope'), json(), lit('{nope')],
    ["'x'::text", expr("'x'::text"), text(), lit('x')],
    ["'x'::character varying on varchar(10)", expr("'x'::character varying"), varchar(10), lit('x')],
    ["'ab'::bpchar on char(2)", expr("'ab'::bpchar"), char(2), lit('ab')],
    ['a bare string', expr("'it''s'"), text(), lit("it's")],
    ["'happy'::mood", expr("'happy'::mood"), mood, lit('happy')],
    ["'happy'::public.mood", expr("'happy'::public.mood"), mood, lit('happy')],
    [
      'an enum of another schema',
      expr("'red'::app.color"),
      enumType({ schema: 'app', name: 'color' }, ['red']),
      lit('red'),
    ],
    ['a cast to another type', expr("'x'::text"), integer(), expr("'x'::text")],
    ["'-5'::integer on double", expr("'-5'::integer"), double(), lit(-5)],
    ["'2.5'::double precision", expr("'2.5'::double precision"), double(), lit(2.5)],
    ["'{}'::text[]", expr("'{}'::text[]"), rawType('text[]'), lit('{}')],
    ["'{}'::character varying[]", expr("'{}'::character varying[]"), rawType('character varying(3)[]'), lit('{}')],
    ["'1 day'::interval", expr("'1 day'::interval"), rawType('interval'), lit('1 day')],
    ['(1 + 2)', expr('(1 + 2)'), integer(), expr('1 + 2')],
    ['((a))', expr('((a))'), integer(), expr('a')],
    ['(a) + (b)', expr('(a) + (b)'), integer(), expr('(a) + (b)')],
    ["a ')' in a string", expr("('(' || ')')"), text(), expr("'(' || ')'")],
    ['(5)', expr('(5)'), integer(), lit(5)],
    ['-5', expr('-5'), integer(), lit(-5)],
    ['TRUE', expr('TRUE'), boolean(), lit(true)],
    ["E'' strings are left alone", expr("E'a\\\\b'"), text(), expr("E'a\\\\b'")],
    ['$$ strings are left alone', expr('$$x$$'), text(), expr('$$x$$')],
    ['gen_random_uuid()', expr('gen_random_uuid()'), uuid(), expr('gen_random_uuid()')],
  ];
  it.each(cases)('%s', (_label, declared, type, expected) => {
    expect(columnDefault(declared, type)).toStrictEqual(expected);
    expect(columnDefault(columnDefault(declared, type), type)).toStrictEqual(expected);
  });
});

describe('normalised declarations equal their normalised reflections', () => {
  const database = testDatabase();
  let conn: PostgresConnection;
  const dialect = postgresDialect();
  beforeAll(async () => {
    conn = await openPostgres(database.url());
  });
  afterAll(async () => {
    await conn?.close();
  });

  const samples: readonly ColumnDefinition[] = [
    column('int4_seven', rawType('int4'), { default: '7' }),
    column('vc', rawType('character varying(10)'), { default: 'x' }),
    column('bp', rawType('bpchar(3)'), { default: 'ab' }),
    column('jb', rawType('jsonb'), { default: '{"b":1,"a":2}' }),
    column('doc', json(), {
      default: '{ "z": [1.50, 1e2, -1.5E-1], "a": {"y": true, "x": null}, "a": 3, "é": "\\t" }',
    }),
    column('ser', rawType('serial')),
    column('bser', rawType('bigserial')),
    column('sser', rawType('smallserial')),
    column('n10', numeric(10), { default: '2' }),
    column('n', numeric(), { default: 1.5 }),
    column('n_text', numeric(), { default: '1.50' }),
    column('n_digits', numeric(), { default: '12345678901234567890.5' }),
    column('n102', numeric(10, 2), { default: 1.5 }),
    column('dbl', double(), { default: '1.5' }),
    column('dbl_neg', double(), { default: -1 }),
    column('dbl_tiny', double(), { default: 1e-7 }),
    column('dbl_nan', double(), { default: 'NaN' }),
    column('f8', rawType('float8'), { default: 0.1 }),
    column('rl', real(), { default: '1e3' }),
    column('bi', bigint(), { default: '-5' }),
    column('bi_big', bigint(), { default: '9007199254740993' }),
    column('si', smallint(), { default: 3 }),
    column('b_yes', boolean(), { default: 'yes' }),
    column('b_expr', boolean(), { default: expressionDefault('false') }),
    column('id', uuid(), { default: '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}' }),
    column('ts_now', timestamp(), { default: expressionDefault('now()') }),
    column('tstz', timestamp({ withTimeZone: true }), { default: currentTimestampDefault() }),
    column('tstz_expr', rawType('timestamptz'), { default: expressionDefault('CURRENT_TIMESTAMP') }),
    column('t_bare', text(), { default: expressionDefault("'x'") }),
    column('t_cast', text(), { default: expressionDefault("'x'::text") }),
    column('t_num', text(), { default: 5 }),
    column('t_bool', text(), { default: true }),
    column('t_quote', text(), { default: "it's" }),
    column('m', mood, { default: 'happy' }),
    column('m_expr', mood, { default: expressionDefault("'sad'::mood") }),
    column('sum', integer(), { default: expressionDefault('(1 + 2)') }),
    column('sum_bare', integer(), { default: expressionDefault('1 + 2') }),
    column('tags', rawType('text[]'), { default: '{}' }),
    column('ts3', rawType('timestamptz(3)')),
    column('ivl', rawType('interval'), { default: '1 day' }),
  ];

  it('for a sample of types and defaults created on the server', async () => {
    for (const op of [createEnum('mood', ['happy', 'sad']), createTable({ name: 'samples', columns: samples })])
      for (const s of dialect.compiler.compile(op, ruleContext())) await conn.session.execute(s);
    const reflected = await describeTable(conn.session, { name: 'samples' });
    expect(reflected?.columns.map((c) => c.name)).toStrictEqual(samples.map((c) => c.name));
    const normalise = (c: ColumnDefinition) => {
      const type = columnType(c.type);
      return { name: c.name, type, default: columnDefault(c.default, type) };
    };
    for (const [index, declared] of samples.entries()) {
      const read = reflected!.columns[index]!;
      expect(normalise(read), declared.name).toStrictEqual(normalise(declared));
      // What the introspector reads is already canonical.
      expect(normalise(read), declared.name).toStrictEqual({ name: read.name, type: read.type, default: read.default });
    }
  });
});
