import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCairnError, statement } from '@cairn/core';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteLocker } from '../src/locker.js';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('locker');
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const opened: SqliteConnection[] = [];

async function open(file: string): Promise<SqliteConnection> {
  const connection = await openSqlite(join(dir, file));
  opened.push(connection);
  return connection;
}

afterEach(async () => {
  for (const connection of opened.splice(0)) await connection.close();
});

describe('sqliteLocker', () => {
  it('holds the write lock: a second connection times out after ~timeoutMs, then acquires after release', async () => {
    const first = await open('two.db');
    const second = await open('two.db');
    await first.session.execute(statement('CREATE TABLE t (x INTEGER)'));

    const release = await sqliteLocker(first.session).acquire('migrate', { timeoutMs: 1000 });
    expect(first.db.inTransaction).toBe(true);

    const timeoutMs = 600;
    const started = performance.now();
    const error = await sqliteLocker(second.session)
      .acquire('migrate', { timeoutMs })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(isCairnError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain(join(dir, 'two.db'));
    expect((error as Error).message).toMatch(/another cairn process.*retry.*raise the lock timeout/);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs);
    expect(elapsed).toBeLessThan(timeoutMs + 2000);
    // The connection's own busy timeout is back to openSqlite's default after the attempt.
    expect(await second.session.query(statement('PRAGMA busy_timeout'))).toEqual([{ timeout: 5000 }]);
    expect(second.db.inTransaction).toBe(false);

    // Readers are not blocked while the lock is held (WAL).
    expect(await second.session.query(statement('SELECT count(*) AS n FROM t'))).toEqual([{ n: 0 }]);

    await first.session.execute(statement('INSERT INTO t VALUES (1)'));
    await release();
    await release();
    expect(first.db.inTransaction).toBe(false);

    const releaseSecond = await sqliteLocker(second.session).acquire('migrate', { timeoutMs: 1000 });
    expect(await second.session.query(statement('SELECT x FROM t'))).toEqual([{ x: 1 }]);
    await releaseSecond();
  });

  it('acquires as soon as the holder releases while waiting', async () => {
    const first = await open('wait.db');
    const second = await open('wait.db');
    const release = await sqliteLocker(first.session).acquire('migrate', { timeoutMs: 1000 });
    setTimeout(() => void release(), 200);
    const started = performance.now();
    const releaseSecond = await sqliteLocker(second.session, { pollMs: 20 }).acquire('migrate', { timeoutMs: 3000 });
    expect(performance.now() - started).toBeLessThan(1500);
    await releaseSecond();
  });

  it('release is a no-op when the transaction is already gone', async () => {
    const first = await open('gone.db');
    const release = await sqliteLocker(first.session).acquire('migrate', { timeoutMs: 1000 });
    await first.session.execute(statement('ROLLBACK'));
    await expect(release()).resolves.toBeUndefined();
  });

  it('ends the transaction when the COMMIT itself fails, and reports the failure', async () => {
    const { session } = await open('commit-fails.db');
    // A session whose COMMIT fails once, as after an I/O error; everything else is the real one.
    let failCommit = true;
    const failing = {
      query: session.query.bind(session),
      execute: (s: Parameters<typeof session.execute>[0]) => {
        if (s.sql === 'COMMIT' && failCommit) {
          failCommit = false;
          return Promise.reject(new Error('disk I/O error'));
        }
        return session.execute(s);
      },
    };
    const release = await sqliteLocker(failing).acquire('migrate', { timeoutMs: 1000 });
    await session.execute(statement('CREATE TABLE t (id INTEGER)'));
    await expect(release()).rejects.toThrow(/disk I\/O error/);
    // The transaction was rolled back, not left open: a new one can begin, and t is gone.
    await session.execute(statement('BEGIN IMMEDIATE'));
    await session.execute(statement('COMMIT'));
    expect(await session.query(statement("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'"))).toEqual([
      { n: 0 },
    ]);
  });

  it('suspends foreign-key enforcement for the run and restores it afterwards', async () => {
    const { session } = await open('fk-suspend.db');
    await session.execute(statement('PRAGMA foreign_keys = ON'));
    const release = await sqliteLocker(session).acquire('migrate', { timeoutMs: 1000 });
    expect(await session.query(statement('PRAGMA foreign_keys'))).toEqual([{ foreign_keys: 0 }]);
    await release();
    expect(await session.query(statement('PRAGMA foreign_keys'))).toEqual([{ foreign_keys: 1 }]);
  });

  it('passes other driver errors through unchanged', async () => {
    const first = await open('nested.db');
    await first.session.execute(statement('BEGIN'));
    await expect(sqliteLocker(first.session).acquire('migrate', { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('within a transaction'),
    });
    await first.session.execute(statement('ROLLBACK'));
  });

  it('is released by SQLite when the holding process is killed', async () => {
    const file = join(dir, 'killed.db');
    await (await open('killed.db')).session.execute(statement('CREATE TABLE t (x INTEGER)'));
    const script = [
      "const Database = require('better-sqlite3');",
      'const db = new Database(process.env.CAIRN_TEST_DB);',
      "db.exec('BEGIN IMMEDIATE');",
      "db.exec('INSERT INTO t VALUES (1)');",
      "console.log('locked');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child: ChildProcess = spawn(process.execPath, ['-e', script], {
      cwd: packageDir,
      env: { ...process.env, CAIRN_TEST_DB: file },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
      expect(chunk.toString().trim()).toBe('locked');

      const parent = await open('killed.db');
      await expect(sqliteLocker(parent.session).acquire('migrate', { timeoutMs: 300 })).rejects.toMatchObject({
        code: 'LOCK_TIMEOUT',
      });

      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      const [, signal] = await exited;
      expect(signal).toBe('SIGKILL');

      const release = await sqliteLocker(parent.session).acquire('migrate', { timeoutMs: 2000 });
      // The killed holder's uncommitted write is gone with its lock.
      expect(await parent.session.query(statement('SELECT count(*) AS n FROM t'))).toEqual([{ n: 0 }]);
      await release();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
