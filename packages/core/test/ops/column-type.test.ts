import { describe, expect, it } from 'vitest';
import {
  bigint,
  bigserial,
  binary,
  boolean,
  char,
  date,
  double,
  enumType,
  integer,
  json,
  numeric,
  rawType,
  real,
  serial,
  smallint,
  smallserial,
  text,
  time,
  timestamp,
  toColumnType,
  uuid,
  varchar,
} from '../../src/ops/column-type.js';
import { caught, isDeepFrozen } from './fixtures.js';

describe('column type factories', () => {
  it.each([
    [integer(), { kind: 'integer' }],
    [integer({ identity: 'always' }), { kind: 'integer', identity: 'always' }],
    [smallint(), { kind: 'smallint' }],
    [bigint(), { kind: 'bigint' }],
    [serial(), { kind: 'integer', identity: 'by_default' }],
    [smallserial(), { kind: 'smallint', identity: 'by_default' }],
    [bigserial(), { kind: 'bigint', identity: 'by_default' }],
    [boolean(), { kind: 'boolean' }],
    [text(), { kind: 'text' }],
    [varchar(255), { kind: 'varchar', length: 255 }],
    [char(2), { kind: 'char', length: 2 }],
    [numeric(), { kind: 'numeric' }],
    [numeric(10), { kind: 'numeric', precision: 10 }],
    [numeric(10, 2), { kind: 'numeric', precision: 10, scale: 2 }],
    [numeric(5, 0), { kind: 'numeric', precision: 5, scale: 0 }],
    [real(), { kind: 'real' }],
    [double(), { kind: 'double' }],
    [date(), { kind: 'date' }],
    [time(), { kind: 'time' }],
    [timestamp(), { kind: 'timestamp', withTimeZone: false }],
    [timestamp({ withTimeZone: true }), { kind: 'timestamp', withTimeZone: true }],
    [json(), { kind: 'json' }],
    [uuid(), { kind: 'uuid' }],
    [binary(), { kind: 'binary' }],
    [enumType('mood', ['happy', 'sad']), { kind: 'enum', name: { name: 'mood' }, values: ['happy', 'sad'] }],
    [
      enumType({ schema: 'app', name: 'mood' }, ['a']),
      { kind: 'enum', name: { schema: 'app', name: 'mood' }, values: ['a'] },
    ],
    [rawType('tsvector'), { kind: 'raw', sql: 'tsvector' }],
    [rawType('tsvector', { sqlite: 'text' }), { kind: 'raw', sql: 'tsvector', dialects: { sqlite: 'text' } }],
  ])('builds %j', (type, expected) => {
    expect(type).toStrictEqual(expected);
    expect(isDeepFrozen(type)).toBe(true);
    expect(JSON.parse(JSON.stringify(type))).toStrictEqual(type);
    expect(toColumnType(JSON.parse(JSON.stringify(type)), 'type')).toStrictEqual(type);
  });

  it('copies the enum values it is given', () => {
    const values = ['happy', 'sad'];
    const type = enumType('mood', values);
    values.push('angry');
    expect(type.values).toEqual(['happy', 'sad']);
    expect(Object.isFrozen(values)).toBe(false);
  });

  it.each([
    [() => varchar(0), /^varchar: length must be a positive integer, got 0$/],
    [() => varchar(-3), /varchar: length must be a positive integer, got -3/],
    [() => varchar(1.5), /varchar: length must be a positive integer, got 1.5/],
    [() => varchar(Number.NaN), /varchar: length must be a positive integer, got NaN/],
    [() => varchar('10' as unknown as number), /varchar: length must be a positive integer, got "10"/],
    [() => char(0), /char: length must be a positive integer/],
    [() => numeric(0), /numeric: precision must be an integer from 1 to 1000, got 0/],
    [() => numeric(1001), /numeric: precision must be an integer from 1 to 1000/],
    [() => numeric(2.5), /numeric: precision/],
    [() => numeric(10, 11), /numeric: scale must be an integer from 0 to the precision \(10\), got 11/],
    [() => numeric(10, -1), /numeric: scale/],
    [() => numeric(undefined, 2), /numeric: scale needs a precision before it/],
    [() => enumType('mood', []), /enumType: values must be a non-empty array of strings/],
    [() => enumType('mood', ['a', 'b', 'a']), /enumType: values lists 'a' twice/],
    [() => enumType('mood', ['a', '']), /enumType: values\[1\] must be a non-empty string/],
    [() => enumType('', ['a']), /enumType: name must be a non-empty string/],
    [() => rawType(''), /rawType: sql must be a non-empty string/],
    [() => rawType('x', { sqlite: '' }), /rawType: dialects.sqlite must be a non-empty string/],
    [
      () => integer({ identity: 'sometimes' as 'always' }),
      /integer: options.identity must be one of 'by_default', 'always'/,
    ],
    [
      () => timestamp({ withTimeZone: 'yes' as unknown as boolean }),
      /timestamp: options.withTimeZone must be true or false/,
    ],
    [() => timestamp({ withTimezone: true } as never), /timestamp: options has no property 'withTimezone'/],
  ])('refuses bad arguments with USAGE (%#)', (build, message) => {
    const error = caught(build);
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
  });
});

describe('toColumnType', () => {
  it('refuses unknown kinds and non-objects, naming the argument', () => {
    expect(caught(() => toColumnType({ kind: 'money' }, 'addColumn: column.type')).message).toMatch(
      /^addColumn: column.type.kind must be one of 'smallint', .*'raw', got "money"$/,
    );
    expect(caught(() => toColumnType('integer', 'x.type')).message).toMatch(/x.type must be a column type/);
  });

  it('re-checks fields written by hand, prefixing the argument path', () => {
    const error = caught(() => toColumnType({ kind: 'varchar', length: 0 }, 'createTable: columns[2].type'));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('createTable: columns[2].type: varchar: length must be a positive integer, got 0');
    expect(error.details).toEqual({ argument: 'createTable: columns[2].type' });
  });

  it('returns a frozen copy, not its argument', () => {
    const input = { kind: 'varchar', length: 10 };
    const parsed = toColumnType(input, 'type');
    expect(parsed).not.toBe(input);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(parsed)).toBe(true);
  });
});
