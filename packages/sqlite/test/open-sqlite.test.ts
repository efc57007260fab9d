import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { statement } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../src/open-sqlite.js';
import { parseSqliteUrl, redactUrl } from '../src/sqlite-url.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('open');

describe('parseSqliteUrl', () => {
  it.each([
    [':memory:', { kind: 'memory' }],
    ['sqlite::memory:', { kind: 'memory' }],
    ['sqlite:./rel/path.db', { kind: 'file', path: '/base/rel/path.db' }],
    ['sqlite:rel/path.db', { kind: 'file', path: '/base/rel/path.db' }],
    ['sqlite:../up.db', { kind: 'file', path: '/up.db' }],
    ['sqlite:///abs/path.db', { kind: 'file', path: '/abs/path.db' }],
    ['sqlite:/abs/path.db', { kind: 'file', path: '/abs/path.db' }],
    ['file:///abs/my%20db.db', { kind: 'file', path: '/abs/my db.db' }],
    ['plain.db', { kind: 'file', path: '/base/plain.db' }],
    ['./dir/plain.db', { kind: 'file', path: '/base/dir/plain.db' }],
    ['/abs/plain.db', { kind: 'file', path: '/abs/plain.db' }],
  ])('%s', (url, location) => {
    expect(parseSqliteUrl(url, '/base')).toEqual(location);
  });

  it.each([
    ['sqlite:', /names no file/],
    ['sqlite://', /names no file/],
    ['sqlite://host/x.db', /no host \('host'\)/],
    ['sqlite:x.db?mode=ro', /query parameters/],
    ['file:///x.db?mode=ro', /query parameters/],
    ['file://remote/x.db', /not a valid local file: URL/],
    ['postgres://u@h/db', /scheme 'postgres:' is not SQLite/],
  ])('refuses %s with CONFIG_ERROR naming the URL', (url, why) => {
    try {
      parseSqliteUrl(url, '/base');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_ERROR', details: { url } });
      expect((error as Error).message).toContain(`'${url}'`);
      expect((error as Error).message).toMatch(why);
    }
  });

  it('never prints a password', () => {
    expect(redactUrl('postgres://user:s3cret@host/db')).toBe('postgres://user:***@host/db');
    expect(() => parseSqliteUrl('mysql://root:s3cret@localhost/db', '/base')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });
});

describe('openSqlite', () => {
  it('opens a relative sqlite: URL against baseDir in WAL mode with the default busy timeout', async () => {
    mkdirSync(join(dir, 'sub'));
    const { db, session, close } = await openSqlite('sqlite:./sub/app.db', { baseDir: dir });
    expect(db.name).toBe(join(dir, 'sub', 'app.db'));
    expect(await session.query(statement('PRAGMA journal_mode'))).toEqual([{ journal_mode: 'wal' }]);
    expect(await session.query(statement('PRAGMA busy_timeout'))).toEqual([{ timeout: 5000 }]);
    await close();
    await close();
    expect(db.open).toBe(false);
  });

  it('opens absolute sqlite:///, file: and plain paths, with a configured busy timeout', async () => {
    const path = join(dir, 'abs.db');
    for (const url of [`sqlite://${path}`, pathToFileURL(path).href, path]) {
      const { db, session, close } = await openSqlite(url, { busyTimeoutMs: 1234 });
      expect(db.name).toBe(path);
      expect(await session.query(statement('PRAGMA busy_timeout'))).toEqual([{ timeout: 1234 }]);
      await close();
    }
  });

  it('opens :memory: without WAL', async () => {
    const { session, close } = await openSqlite(':memory:');
    expect(await session.query(statement('PRAGMA journal_mode'))).toEqual([{ journal_mode: 'memory' }]);
    await close();
  });

  it.each([
    ['a directory', () => dir],
    ['a file in a missing directory', () => join(dir, 'missing', 'x.db')],
    [
      'a path under a regular file',
      () => {
        writeFileSync(join(dir, 'regular'), 'x');
        return join(dir, 'regular', 'x.db');
      },
    ],
    [
      'a file that is not a database',
      () => {
        const path = join(dir, 'garbage.db');
        writeFileSync(path, 'this is not an SQLite database, just some text that is long enough'.repeat(10));
        return path;
      },
    ],
  ])('refuses %s with CONFIG_ERROR naming the URL', async (_label, make) => {
    const url = make();
    const error = await openSqlite(url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', details: { url } });
    expect((error as Error).message).toContain(`cannot open the SQLite database '${url}'`);
    expect((error as Error).cause).toBeDefined();
  });

  it('refuses a bad busy timeout', async () => {
    await expect(openSqlite(':memory:', { busyTimeoutMs: -1 })).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
  });
});
