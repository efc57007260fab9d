import { isCairnError, type Session, statement } from '@cairn/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classifyError,
  type MysqlConnection,
  mysqlLocker,
  mysqlLockName,
  openMysql,
  quoteIdentifier,
} from '../src/index.js';
import { testDatabase } from './database.js';

describe('mysqlLocker', () => {
  const database = testDatabase();
  const open: MysqlConnection[] = [];
  const connect = async (url = database.url()) => {
    const conn = await openMysql(url);
    open.push(conn);
    return conn;
  };
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
  });
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const holder = async (session: Session, name: string) => {
    const [row] = await session.query<{ id: number | null }>(statement('SELECT IS_USED_LOCK(?) AS id', [name]));
    return row?.id ?? null;
  };

  it('names the lock cairn:<40 hex>, by key and database, within 64 characters', () => {
    const name = mysqlLockName('cairn', 'app');
    expect(name).toMatch(/^cairn:[0-9a-f]{40}$/);
    expect(name).toBe(mysqlLockName('cairn', 'app'));
    expect(mysqlLockName('cairn', 'other')).not.toBe(name);
    expect(mysqlLockName('other', 'app')).not.toBe(name);
    expect(mysqlLockName('cairn', 'x'.repeat(64)).length).toBeLessThanOrEqual(64);
  });

  it('makes a second connection wait, polling, then time out with LOCK_TIMEOUT naming the database', async () => {
    const a = await connect();
    const b = await connect();
    const release = await mysqlLocker(a.session).acquire('contend', { timeoutMs: 1000 });
    const started = performance.now();
    const error = await outcome(mysqlLocker(b.session, { pollMs: 20 }).acquire('contend', { timeoutMs: 300 }));
    const waited = performance.now() - started;
    expect(isCairnError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain(database.name());
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(2000);
    await release();
    await release(); // idempotent
    const again = await mysqlLocker(b.session).acquire('contend', { timeoutMs: 500 });
    await again();
  });

  it('hands the lock over as soon as it is released, while the other connection polls', async () => {
    const a = await connect();
    const b = await connect();
    const release = await mysqlLocker(a.session).acquire('handover', { timeoutMs: 500 });
    const waiting = mysqlLocker(b.session, { pollMs: 20 }).acquire('handover', { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await release();
    const second = await waiting;
    const [id] = await b.session.query<{ id: number }>(statement('SELECT CONNECTION_ID() AS id'));
    expect(await holder(a.session, mysqlLockName('handover', database.name()))).toBe(id?.id);
    await second();
    expect(await holder(a.session, mysqlLockName('handover', database.name()))).toBeNull();
  });

  it('survives COMMIT, ROLLBACK and the implicit commit of DDL on its connection', async () => {
    const a = await connect();
    const b = await connect();
    const release = await mysqlLocker(a.session).acquire('ddl', { timeoutMs: 500 });
    await a.session.transaction!(async (tx) => {
      await tx.execute(statement('CREATE TABLE lock_ddl (id int)'));
    });
    await outcome(
      a.session.transaction!(async (tx) => {
        await tx.execute(statement('DROP TABLE lock_ddl'));
        throw new Error('rolled back');
      }),
    );
    expect(isCairnError(await outcome(mysqlLocker(b.session).acquire('ddl', { timeoutMs: 100 })), 'LOCK_TIMEOUT')).toBe(
      true,
    );
    await release();
  });

  it('is released after a failing statement, on every path of a run', async () => {
    const a = await connect();
    const b = await connect();
    const release = await mysqlLocker(a.session).acquire('failing', { timeoutMs: 500 });
    const failure = await outcome(a.session.execute(statement('SELECT * FROM no_such_table')));
    expect(failure).toBeInstanceOf(Error);
    await release();
    const second = await mysqlLocker(b.session).acquire('failing', { timeoutMs: 500 });
    await second();
  });

  it('is released by the server when the holding connection closes, and a release after that is a no-op', async () => {
    const a = await connect();
    const b = await connect();
    const release = await mysqlLocker(a.session).acquire('closed', { timeoutMs: 500 });
    await a.close();
    await expect(release()).resolves.toBeUndefined();
    const second = await mysqlLocker(b.session).acquire('closed', { timeoutMs: 1000 });
    await second();
  });

  it('keeps two databases on one server apart', async () => {
    const setup = await connect();
    const other = `${database.name()}_lk`;
    await setup.session.execute(statement(`CREATE DATABASE ${quoteIdentifier(other)}`));
    try {
      const one = await connect();
      const two = await connect(database.url().replace(/[^/]+$/, other));
      const first = await mysqlLocker(one.session).acquire('cairn', { timeoutMs: 300 });
      const second = await mysqlLocker(two.session).acquire('cairn', { timeoutMs: 300 });
      await first();
      await second();
    } finally {
      await setup.session.execute(statement(`DROP DATABASE ${quoteIdentifier(other)}`));
    }
  });

  it('refuses a session whose statements reach different connections (a pool), releasing what it took', async () => {
    const a = await connect();
    const b = await connect();
    let turn = 0;
    const pooled: Session = {
      query: (s) => {
        turn += 1;
        return (turn % 2 === 1 ? a : b).session.query(s);
      },
      execute: (s) => a.session.execute(s),
    };
    const error = await outcome(mysqlLocker(pooled).acquire('pooled', { timeoutMs: 300 }));
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/different server connections.*dedicated connection/);
    expect(await holder(a.session, mysqlLockName('pooled', database.name()))).toBeNull();
  });
});

describe('classifyError', () => {
  it('maps lock wait timeouts, deadlocks and NOWAIT to LOCK_TIMEOUT, and nothing else', () => {
    for (const errno of [1205, 1213, 3572, 3058]) expect(classifyError({ errno, code: 'x' })).toBe('LOCK_TIMEOUT');
    expect(classifyError({ errno: 1062 })).toBeUndefined();
    expect(classifyError({ code: 'ECONNRESET' })).toBeUndefined();
    expect(classifyError(new Error('x'))).toBeUndefined();
    expect(classifyError(null)).toBeUndefined();
  });

  const database = testDatabase();
  it('classifies a real lock wait timeout from the server', async () => {
    let a: MysqlConnection | undefined;
    let b: MysqlConnection | undefined;
    try {
      a = await openMysql(database.url());
      b = await openMysql(database.url());
      await a.session.execute(statement('CREATE TABLE rows_locked (id int PRIMARY KEY) ENGINE=InnoDB'));
      await a.session.execute(statement('INSERT INTO rows_locked VALUES (1)'));
      await b.session.execute(statement('SET SESSION innodb_lock_wait_timeout = 1'));
      const session = b.session;
      const error = await a.session.transaction!(async (tx) => {
        await tx.execute(statement('UPDATE rows_locked SET id = 1 WHERE id = 1'));
        return session.execute(statement('UPDATE rows_locked SET id = 1 WHERE id = 1')).then(
          () => undefined,
          (e: unknown) => e,
        );
      });
      expect(classifyError(error)).toBe('LOCK_TIMEOUT');
    } finally {
      await a?.close();
      await b?.close();
    }
  });
});
