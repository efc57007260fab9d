import { isCairnError, statement } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { openMysql, parseMysqlUrl, quoteLiteral } from '../src/index.js';
import { setUpSession } from '../src/open-mysql.js';
import { testDatabase } from './database.js';

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('did not throw');
};

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port, database and parameters', () => {
    expect(parseMysqlUrl('mysql://app:s%40cret@db.example:3307/my%20db?ssl=true&connectTimeout=5000')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 's@cret',
      database: 'my db',
      ssl: true,
      connectTimeoutMs: 5000,
      display: 'mysql://app:***@db.example:3307/my%20db?ssl=true&connectTimeout=5000',
    });
    expect(parseMysqlUrl('mariadb://root@[::1]/app')).toMatchObject({
      host: '::1',
      port: 3306,
      user: 'root',
      password: '',
      ssl: false,
    });
  });

  it('refuses malformed URLs with CONFIG_ERROR naming the url option, never showing the password', () => {
    const cases: [string, RegExp][] = [
      ['not a url', /is not a URL/],
      ['postgres://u:pw@h/db', /scheme 'postgres:'/],
      ['mysql://u:pw@h', /names no database/],
      ['mysql://u:pw@h/', /names no database/],
      ['mysql://u:pw@h/db?sslmode=require', /query parameter 'sslmode'.*ssl and connectTimeout/],
      ['mysql://u:pw@h/db?ssl=yes', /ssl=yes/],
      ['mysql://u:pw@h/db?connectTimeout=-1', /connectTimeout=-1/],
      ['mysql://u:pw@h/d%zz', /percent-encoding in its database name/],
    ];
    for (const [url, message] of cases) {
      const error = refusal(() => parseMysqlUrl(url));
      expect(isCairnError(error, 'CONFIG_ERROR'), url).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/--url/);
      expect((error as Error).message).not.toContain(':pw@');
      expect((error as { details: Record<string, unknown> }).details.option).toBe('url');
    }
  });
});

describe('openMysql', () => {
  const database = testDatabase();

  it('opens a session in the URL database, in UTC, and closes idempotently', async () => {
    const conn = await openMysql(database.url());
    const [row] = await conn.session.query<{ db: string; tz: string }>(
      statement('SELECT DATABASE() AS db, @@session.time_zone AS tz'),
    );
    expect(row).toEqual({ db: database.name(), tz: '+00:00' });
    await conn.close();
    await conn.close();
  });

  it('reports an unreachable server or a missing database as CONFIG_ERROR with the password masked', async () => {
    const missing = await openMysql(`${database.url()}_missing`).then(
      () => expect.fail('connected'),
      (e: unknown) => e,
    );
    expect(isCairnError(missing, 'CONFIG_ERROR')).toBe(true);
    expect((missing as Error).message).toMatch(/Unknown database/);
    const refused = await openMysql('mysql://u:topsecret@127.0.0.1:1/db?connectTimeout=2000').then(
      () => expect.fail('connected'),
      (e: unknown) => e,
    );
    expect(isCairnError(refused, 'CONFIG_ERROR')).toBe(true);
    expect((refused as Error).message).toContain('mysql://u:***@127.0.0.1:1/db');
    expect((refused as Error).message).not.toContain('topsecret');
  });

  it("takes NO_BACKSLASH_ESCAPES out of the session mode, so cairn's literals mean what they say", async () => {
    const conn = await openMysql(database.url());
    try {
      await conn.session.execute(statement("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"));
      const [before] = await conn.session.query<{ v: string }>(statement(`SELECT ${quoteLiteral('a\\b')} AS v`));
      expect(before?.v).toBe('a\\\\b');
      await setUpSession(conn.session);
      const [after] = await conn.session.query<{ v: string; mode: string }>(
        statement(`SELECT ${quoteLiteral('a\\b')} AS v, @@sql_mode AS mode`),
      );
      expect(after?.v).toBe('a\\b');
      expect(after?.mode).not.toContain('NO_BACKSLASH_ESCAPES');
      expect(after?.mode).toContain('STRICT_TRANS_TABLES');
    } finally {
      await conn.close();
    }
  });
});
