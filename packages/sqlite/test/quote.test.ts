import { isCairnError } from '@cairn/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteLiteral } from '../src/quote.js';

describe('quoteIdentifier', () => {
  it.each([
    ['users', '"users"'],
    ['select', '"select"'],
    ['Mixed Case', '"Mixed Case"'],
    ['a"b', '"a""b"'],
    ['""', '""""""'],
    ["it's", '"it\'s"'],
    ['名前', '"名前"'],
    ['semi;colon -- x', '"semi;colon -- x"'],
  ])('%j → %s', (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted);
  });

  it('refuses a NUL character and the empty name', () => {
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/);
    expect(() => quoteIdentifier('')).toThrow(/empty/);
    try {
      quoteIdentifier('a\0b');
    } catch (error) {
      expect(isCairnError(error, 'USAGE')).toBe(true);
    }
  });

  it('round-trips hostile names through a real database', () => {
    const db = new Database(':memory:');
    const names = ['a"b', 'x"); DROP TABLE t; --', 'select', '"'];
    for (const name of names) {
      db.prepare(`CREATE TABLE ${quoteIdentifier(name)} (${quoteIdentifier(`${name}_col`)} INTEGER)`).run();
    }
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([...names].sort());
    db.close();
  });
});

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['', "''"],
    ['back\\slash', "'back\\slash'"],
    ['line\nbreak', "'line\nbreak'"],
    [42, '42'],
    [-1.5, '-1.5'],
    [0, '0'],
    [12345678901234567890n, '12345678901234567890'],
    [true, '1'],
    [false, '0'],
    [null, 'NULL'],
    [new Date('2024-02-29T12:34:56.789Z'), "'2024-02-29T12:34:56.789Z'"],
    [Buffer.from([0, 1, 254, 255]), "X'0001feff'"],
    [new Uint8Array([0xde, 0xad]), "X'dead'"],
    [new Uint8Array([1, 2, 3, 4]).subarray(1, 3), "X'0203'"],
  ] as const)('%s → %s', (value, literal) => {
    expect(quoteLiteral(value)).toBe(literal);
  });

  it.each([
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an object', { a: 1 }],
    ['an array', [1]],
    ['a symbol', Symbol('s')],
    ['an invalid date', new Date('nope')],
    ['a string with NUL', 'a\0b'],
  ])('refuses %s', (_label, value) => {
    expect(() => quoteLiteral(value)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('renders values that SQLite reads back unchanged', () => {
    const db = new Database(':memory:');
    const values: unknown[] = ['it\'s "quoted"', -0.25, 7, null, Buffer.from('hi')];
    for (const value of values) {
      const read = db.prepare(`SELECT ${quoteLiteral(value)} AS v`).get() as { v: unknown };
      expect(read.v).toEqual(value);
    }
    db.close();
  });
});
