import { isCairnError, type Session, statement } from '@cairn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryLockKey, classifyError, openPostgres, type PostgresConnection, postgresLocker } from '../src/index.js';
import { testDatabase } from './database.js';

describe('postgresLocker', () => {
  const database = testDatabase();
  const open: PostgresConnection[] = [];
  const connect = async (schema?: string) => {
    const conn = await openPostgres(database.url(), schema === undefined ? {} : { schema });
    open.push(conn);
    return conn;
  };
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
  });
  const timeoutOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('derives a stable signed 64-bit key from key, database and schema', () => {
    const key = advisoryLockKey('cairn', 'app', 'public');
    expect(key).toBe(advisoryLockKey('cairn', 'app', 'public'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
    expect(advisoryLockKey('cairn', 'app', 'other')).not.toBe(key);
    expect(advisoryLockKey('cairn', 'other', 'public')).not.toBe(key);
    expect(advisoryLockKey('other', 'app', 'public')).not.toBe(key);
  });

  it('polls with pg_try_advisory_lock: the waiter never sits in a blocking lock call', async () => {
    const a = await connect();
    const b = await connect();
    const release = await postgresLocker(a.session).acquire('poll', { timeoutMs: 1000 });
    const waiting = timeoutOf(postgresLocker(b.session, { pollMs: 20 }).acquire('poll', { timeoutMs: 400 }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    // While B waits, no backend is blocked on an advisory lock (a blocking pg_advisory_lock would be).
    const [row] = await a.session.query<{ n: string }>(
      statement(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      ),
    );
    expect(Number(row!.n)).toBe(0);
    const error = await waiting;
    expect(isCairnError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain(database.name());
    await release();
    await release(); // idempotent
  });

  it('is released when the holding connection is killed', async () => {
    const holder = await connect();
    const other = await connect();
    await postgresLocker(holder.session).acquire('kill', { timeoutMs: 1000 });
    const [pid] = await holder.session.query<{ pid: number }>(statement('SELECT pg_backend_pid() AS pid'));
    expect(isCairnError(await timeoutOf(postgresLocker(other.session).acquire('kill', { timeoutMs: 200 })))).toBe(true);
    await other.session.query(statement('SELECT pg_terminate_backend($1)', [pid!.pid]));
    const release = await postgresLocker(other.session, { pollMs: 20 }).acquire('kill', { timeoutMs: 5000 });
    await release();
  });

  it('treats a release on a dead connection as done', async () => {
    const holder = await connect();
    const other = await connect();
    const release = await postgresLocker(holder.session).acquire('dead', { timeoutMs: 1000 });
    const [pid] = await holder.session.query<{ pid: number }>(statement('SELECT pg_backend_pid() AS pid'));
    await other.session.query(statement('SELECT pg_terminate_backend($1)', [pid!.pid]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(release()).resolves.toBeUndefined();
  });

  it('keeps projects in different schemas apart', async () => {
    const setup = await connect();
    await setup.session.execute(statement('CREATE SCHEMA IF NOT EXISTS lk_one'));
    await setup.session.execute(statement('CREATE SCHEMA IF NOT EXISTS lk_two'));
    const one = await connect('lk_one');
    const two = await connect('lk_two');
    const first = await postgresLocker(one.session).acquire('cairn', { timeoutMs: 500 });
    const second = await postgresLocker(two.session).acquire('cairn', { timeoutMs: 500 });
    await first();
    await second();
  });

  it('lets the same key be taken again after release, on either connection', async () => {
    const a = await connect();
    const b = await connect();
    const first = await postgresLocker(a.session).acquire('again', { timeoutMs: 500 });
    await first();
    const second = await postgresLocker(b.session).acquire('again', { timeoutMs: 500 });
    await second();
    const [row] = await a.session.query<{ n: string }>(
      statement("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"),
    );
    expect(Number(row!.n)).toBe(0);
  });
});

describe('classifyError', () => {
  it('maps lock_not_available to LOCK_TIMEOUT and nothing else', () => {
    expect(classifyError({ code: '55P03' })).toBe('LOCK_TIMEOUT');
    expect(classifyError({ code: '23505' })).toBeUndefined();
    expect(classifyError(new Error('x'))).toBeUndefined();
    expect(classifyError(null)).toBeUndefined();
  });
});

describe('postgresLocker behind a transaction pooler', () => {
  it('refuses when statements land on different backends', async () => {
    let pid = 100;
    const sent: string[] = [];
    const session = {
      async query(s: { sql: string }) {
        sent.push(s.sql);
        pid += 1;
        return [{ database: 'app', schema: 'public', pid, locked: true, unlocked: false }];
      },
      async execute() {
        return {};
      },
    } as unknown as Session;
    const error = await postgresLocker(session)
      .acquire('cairn', { timeoutMs: 100 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/transaction-pooling proxy/);
    expect(sent.at(-1)).toMatch(/pg_advisory_unlock/);
  });
});
