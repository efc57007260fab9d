import { join } from 'node:path';
import { statement } from '@cairn/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { classifyError, isBusyError } from '../src/errors.js';
import { openSqlite } from '../src/open-sqlite.js';
import { sqliteDialect } from '../src/sqlite-dialect.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('dialect');

describe('sqliteDialect', () => {
  it('describes SQLite', () => {
    const dialect = sqliteDialect();
    expect(dialect.name).toBe('sqlite');
    expect(dialect.capabilities).toEqual({
      transactionalDdl: true,
      schemas: false,
      alterColumn: 'recreate-table',
      maxIdentifierLength: 1_000_000,
      comments: false,
      partialIndexes: true,
      namedPrimaryKeys: true,
      enumTypes: false,
    });
    expect(Object.isFrozen(dialect)).toBe(true);
    expect(dialect.state.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(dialect.state.quoteLiteral("a'b")).toBe("'a''b'");
  });

  it('gives a working locker over a session', async () => {
    const { session, close } = await openSqlite(':memory:');
    const release = await sqliteDialect().locker(session).acquire('migrate', { timeoutMs: 100 });
    await session.execute(statement('CREATE TABLE t (x INTEGER)'));
    await release();
    expect(await session.query(statement('SELECT count(*) AS n FROM t'))).toEqual([{ n: 0 }]);
    await close();
  });
});

describe('classifyError', () => {
  it.each([
    ['SQLITE_BUSY', 'LOCK_TIMEOUT'],
    ['SQLITE_BUSY_SNAPSHOT', 'LOCK_TIMEOUT'],
    ['SQLITE_LOCKED', 'LOCK_TIMEOUT'],
    ['SQLITE_LOCKED_SHAREDCACHE', 'LOCK_TIMEOUT'],
    ['SQLITE_BUSYNESS', undefined],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', undefined],
    ['SQLITE_ERROR', undefined],
  ])('%s → %s', (code, expected) => {
    expect(classifyError(new Database.SqliteError('x', code))).toBe(expected);
  });

  it('ignores values that are not driver errors', () => {
    for (const value of [undefined, null, 'SQLITE_BUSY', new Error('SQLITE_BUSY'), { code: 5 }]) {
      expect(classifyError(value)).toBeUndefined();
      expect(isBusyError(value)).toBe(false);
    }
  });

  it('classifies a real busy error from the driver', () => {
    const path = join(dir, 'busy.db');
    const a = new Database(path);
    const b = new Database(path, { timeout: 0 });
    try {
      a.exec('BEGIN IMMEDIATE');
      let caught: unknown;
      try {
        b.exec('BEGIN IMMEDIATE');
      } catch (error) {
        caught = error;
      }
      expect(classifyError(caught)).toBe('LOCK_TIMEOUT');
    } finally {
      a.close();
      b.close();
    }
  });
});
