import { isCairnError } from '@cairn/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteLiteral } from '../src/index.js';
import { testDatabase } from './database.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('quoteIdentifier', () => {
  it('double-quotes and doubles embedded quotes', () => {
    expect(quoteIdentifier('users')).toBe('"users"');
    expect(quoteIdentifier('select')).toBe('"select"');
    expect(quoteIdentifier('Mixed"Quote')).toBe('"Mixed""Quote"');
    expect(quoteIdentifier('a.b')).toBe('"a.b"');
  });

  it('accepts 63 bytes and refuses 64, counting UTF-8 bytes, not characters', () => {
    expect(quoteIdentifier('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`);
    const long = thrown(() => quoteIdentifier('a'.repeat(64)));
    expect(isCairnError(long, 'USAGE')).toBe(true);
    expect((long as Error).message).toMatch(/64 bytes long.*silently truncate/);
    // 32 two-byte characters: 32 characters, 64 bytes.
    expect(
      isCairnError(
        thrown(() => quoteIdentifier('é'.repeat(32))),
        'USAGE',
      ),
    ).toBe(true);
    expect(quoteIdentifier(`${'é'.repeat(31)}a`)).toBe(`"${'é'.repeat(31)}a"`);
  });

  it('refuses empty names and NUL', () => {
    expect(
      isCairnError(
        thrown(() => quoteIdentifier('')),
        'USAGE',
      ),
    ).toBe(true);
    expect(
      isCairnError(
        thrown(() => quoteIdentifier('a\0b')),
        'USAGE',
      ),
    ).toBe(true);
  });
});

describe('quoteLiteral', () => {
  it('renders scalars', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('back\\slash')).toBe("'back\\slash'");
    expect(quoteLiteral(42)).toBe('42');
    expect(quoteLiteral(-1.5)).toBe('-1.5');
    expect(quoteLiteral(12345678901234567890n)).toBe('12345678901234567890');
    expect(quoteLiteral(true)).toBe('TRUE');
    expect(quoteLiteral(false)).toBe('FALSE');
    expect(quoteLiteral(null)).toBe('NULL');
    expect(quoteLiteral(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("'2026-01-02T03:04:05.000Z'");
    expect(quoteLiteral(Buffer.from([0, 1, 0xff]))).toBe("'\\x0001ff'::bytea");
    expect(quoteLiteral(new Uint8Array([0xab]))).toBe("'\\xab'::bytea");
  });

  it('refuses what has no faithful literal', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, undefined, {}, [], 'a\0b', new Date(Number.NaN)])
      expect(
        isCairnError(
          thrown(() => quoteLiteral(value)),
          'USAGE',
        ),
      ).toBe(true);
  });
});

describe('quoting against the server', () => {
  const database = testDatabase();
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('agrees with quote_ident for names that need quoting', async () => {
    for (const name of ['Mixed"Quote', 'select', 'with space', 'ünïcödé', '"']) {
      const { rows } = await client.query<{ q: string }>('SELECT quote_ident($1) AS q', [name]);
      expect(quoteIdentifier(name)).toBe(rows[0]!.q);
    }
  });

  it('round-trips literals through the server', async () => {
    const values = ["it's", 'back\\slash', 'ünïcödé', "''", 'line\nbreak'];
    for (const value of values) {
      const { rows } = await client.query<{ v: string }>(`SELECT ${quoteLiteral(value)}::text AS v`);
      expect(rows[0]!.v).toBe(value);
    }
    const { rows } = await client.query<{ b: Buffer; t: boolean; d: Date }>(
      `SELECT ${quoteLiteral(Buffer.from([0, 1, 0xff]))} AS b, ${quoteLiteral(true)} AS t, ${quoteLiteral(
        new Date(Date.UTC(2026, 0, 2)),
      )}::timestamptz AS d`,
    );
    expect([...rows[0]!.b]).toEqual([0, 1, 0xff]);
    expect(rows[0]!.t).toBe(true);
    expect(rows[0]!.d.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('refuses a 64-byte name that PostgreSQL would have truncated with only a NOTICE', async () => {
    const name = 'n'.repeat(64);
    expect(() => quoteIdentifier(name)).toThrow(/64 bytes/);
    // What would have happened: the server truncates silently.
    await client.query(`CREATE TABLE "${name}" (id integer)`);
    const { rows } = await client.query<{ relname: string }>(
      "SELECT relname FROM pg_class WHERE relname LIKE 'nnnn%' AND relkind = 'r'",
    );
    expect(rows.map((r) => r.relname)).toEqual(['n'.repeat(63)]);
  });
});
