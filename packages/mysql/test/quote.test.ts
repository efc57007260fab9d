import { isCairnError, type Session, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_IDENTIFIER_LENGTH,
  type MysqlConnection,
  mysqlDateTime,
  openMysql,
  quoteIdentifier,
  quoteLiteral,
} from '../src/index.js';
import { testDatabase } from './database.js';

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('did not throw');
};

describe('quoteIdentifier', () => {
  it('wraps in backticks and doubles embedded ones', () => {
    expect(quoteIdentifier('account')).toBe('`account`');
    expect(quoteIdentifier('my `table`')).toBe('`my ``table```');
    expect(quoteIdentifier('select')).toBe('`select`');
    expect(quoteIdentifier('x'.repeat(64))).toBe(`\`${'x'.repeat(64)}\``);
    expect(quoteIdentifier('é'.repeat(64))).toBe(`\`${'é'.repeat(64)}\``);
  });

  it('refuses a name over 64 characters, naming it, instead of truncating', () => {
    const name = `${'a'.repeat(60)}_long`;
    const error = refusal(() => quoteIdentifier(name));
    expect(isCairnError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toContain(JSON.stringify(name));
    expect((error as Error).message).toMatch(/65 characters long.*at most 64.*never truncates/);
    expect(MAX_IDENTIFIER_LENGTH).toBe(64);
  });

  it('refuses empty names, NUL, a trailing space and characters beyond the BMP', () => {
    for (const name of ['', 'a\0b', 'name ', 'emoji😀'])
      expect(
        isCairnError(
          refusal(() => quoteIdentifier(name)),
          'USAGE',
        ),
      ).toBe(true);
  });
});

describe('quoteLiteral', () => {
  it('renders each kind of value', () => {
    expect(quoteLiteral(null)).toBe('NULL');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('C:\\temp')).toBe("'C:\\\\temp'");
    expect(quoteLiteral('a\0b')).toBe("'a\\0b'");
    expect(quoteLiteral(true)).toBe('TRUE');
    expect(quoteLiteral(false)).toBe('FALSE');
    expect(quoteLiteral(1.5)).toBe('1.5');
    expect(quoteLiteral(-3)).toBe('-3');
    expect(quoteLiteral(12345678901234567890n)).toBe('12345678901234567890');
    expect(quoteLiteral(new Date('2026-01-02T03:04:05.678Z'))).toBe("'2026-01-02 03:04:05.678000'");
    expect(quoteLiteral(Buffer.from([0, 255, 16]))).toBe("X'00ff10'");
  });

  it('refuses values it has no literal for', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, undefined, {}, [1], new Date('nope')])
      expect(
        isCairnError(
          refusal(() => quoteLiteral(value)),
          'USAGE',
        ),
      ).toBe(true);
  });

  it('mysqlDateTime is the UTC wall clock with microseconds', () => {
    expect(mysqlDateTime(new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 1)))).toBe('2026-12-31 23:59:59.001000');
  });
});

describe('quoting against the server (default sql_mode)', () => {
  const database = testDatabase();
  let conn: MysqlConnection;
  let session: Session;
  beforeAll(async () => {
    conn = await openMysql(database.url());
    session = conn.session;
  });
  afterAll(async () => {
    await conn?.close();
  });

  it('reads every literal back as the value it renders', async () => {
    const strings = ["it's", 'C:\\temp\\', "\\'", 'a\0b', 'line\nbreak\ttab', '%_\\%\\_', 'ünïcødé 😀', '"double"', ''];
    for (const value of strings) {
      const [row] = await session.query<{ v: string }>(statement(`SELECT ${quoteLiteral(value)} AS v`));
      expect(row?.v).toBe(value);
    }
    const [numbers] = await session.query<{ a: string; b: number; c: number }>(
      statement(
        `SELECT ${quoteLiteral(12345678901234567890n)} AS a, ${quoteLiteral(true)} AS b, ${quoteLiteral(-1.25)} AS c`,
      ),
    );
    expect(String(numbers?.a)).toBe('12345678901234567890');
    expect(Number(numbers?.b)).toBe(1);
    expect(Number(numbers?.c)).toBe(-1.25);
    const [bytes] = await session.query<{ v: Buffer }>(statement(`SELECT ${quoteLiteral(Buffer.from([0, 255]))} AS v`));
    expect([...(bytes?.v ?? [])]).toEqual([0, 255]);
  });

  it('stores a Date literal in a datetime(6) column as the same instant (UTC session)', async () => {
    const when = new Date('2026-03-04T05:06:07.891Z');
    await session.execute(statement('CREATE TABLE dates (at datetime(6))'));
    await session.execute(statement(`INSERT INTO dates VALUES (${quoteLiteral(when)})`));
    const [row] = await session.query<{ at: Date }>(statement('SELECT at FROM dates'));
    expect(row?.at.toISOString()).toBe(when.toISOString());
  });

  it('creates and reads tables and columns under awkward names, up to 64 characters', async () => {
    const table = 'we`ird ta"ble';
    const longest = 'c'.repeat(64);
    await session.execute(
      statement(
        `CREATE TABLE ${quoteIdentifier(table)} (${quoteIdentifier(longest)} int, ${quoteIdentifier('select')} int)`,
      ),
    );
    await session.execute(statement(`INSERT INTO ${quoteIdentifier(table)} VALUES (1, 2)`));
    const [row] = await session.query<Record<string, number>>(statement(`SELECT * FROM ${quoteIdentifier(table)}`));
    expect(row).toEqual({ [longest]: 1, select: 2 });
  });
});
