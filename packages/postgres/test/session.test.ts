import { isCairnError, statement } from '@cairn/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPassword, openPostgres, type PgClient, type PostgresConnection, pgSession } from '../src/index.js';
import { SERVER, testDatabase } from './database.js';

describe('pgSession', () => {
  const database = testDatabase();
  let conn: PostgresConnection;
  beforeAll(async () => {
    conn = await openPostgres(database.url());
    await conn.session.execute(statement('CREATE TABLE s_t (id integer PRIMARY KEY, name text)'));
  });
  afterAll(async () => {
    await conn?.close();
  });
  const count = async () => {
    const [row] = await conn.session.query<{ n: string }>(statement('SELECT count(*) AS n FROM s_t'));
    return Number(row!.n);
  };

  it('binds $n parameters and reports rowsAffected', async () => {
    const { session } = conn;
    expect(await session.execute(statement('INSERT INTO s_t VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']))).toEqual({
      rowsAffected: 2,
    });
    expect(await session.query(statement('SELECT id, name FROM s_t WHERE id = $1', [2n]))).toEqual([
      { id: 2, name: 'b' },
    ]);
    expect(await session.execute(statement('DELETE FROM s_t'))).toEqual({ rowsAffected: 2 });
  });

  it('refuses several statements in one call', async () => {
    await expect(conn.session.execute(statement('SELECT 1; SELECT 2'))).rejects.toThrow(/multiple commands/);
  });

  it('commits, rolls back, and nests with savepoints', async () => {
    const { session } = conn;
    await session.transaction!(async (tx) => {
      await tx.execute(statement('INSERT INTO s_t VALUES (1, $1)', ['kept']));
      await expect(
        tx.transaction!(async (inner) => {
          await inner.execute(statement('INSERT INTO s_t VALUES (2, $1)', ['undone']));
          throw new Error('inner boom');
        }),
      ).rejects.toThrow('inner boom');
      // The outer transaction is still usable after the savepoint rolled back.
      await tx.execute(statement('INSERT INTO s_t VALUES (3, $1)', ['kept too']));
    });
    expect(await count()).toBe(2);
    await expect(
      session.transaction!(async (tx) => {
        await tx.execute(statement('INSERT INTO s_t VALUES (4, $1)', ['gone']));
        await tx.execute(statement('INSERT INTO s_t VALUES (4, $1)', ['duplicate']));
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(2);
    // The session is out of the failed transaction.
    expect(await session.query(statement('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('on a pipelining client, sends BEGIN and SAVEPOINT with the next statement instead of waiting for them', async () => {
    // Counts, at each call, the earlier statements still unanswered: 1 means this statement left
    // before the one ahead of it was answered, i.e. both travelled in one round trip.
    const unanswered: number[] = [];
    let inFlight = 0;
    const counting: PgClient = {
      pipeline: true,
      query: (config) => {
        unanswered.push(inFlight++);
        return conn.client.query(config).finally(() => inFlight--);
      },
    };
    const session = pgSession(counting);
    expect(session.pipelined).toBe(true);
    const before = await count();
    await session.transaction!(async (tx) => {
      await tx.execute(statement('INSERT INTO s_t VALUES (10, $1)', ['a']));
      await tx.transaction!(async (inner) => {
        await inner.execute(statement('INSERT INTO s_t VALUES (11, $1)', ['b']));
      });
    });
    // BEGIN, INSERT (BEGIN unanswered), SAVEPOINT, INSERT (SAVEPOINT unanswered), RELEASE, COMMIT.
    expect(unanswered).toEqual([0, 1, 0, 1, 0, 0]);
    expect(await count()).toBe(before + 2);
    await session.execute(statement('DELETE FROM s_t WHERE id >= 10'));
  });

  it('reports a failed opening sent ahead on the statement that follows it, and rolls back', async () => {
    const { session } = conn;
    const before = await count();
    const error = await session.transaction!(async (tx) => {
      await tx.execute(statement('INSERT INTO s_t VALUES (20, $1)', ['gone']));
      await tx.query(statement('SELECT * FROM nowhere')).catch(() => undefined);
      // The transaction is aborted, so the SAVEPOINT sent ahead fails: the INSERT behind it reports that.
      await tx.transaction!((inner) => inner.execute(statement('INSERT INTO s_t VALUES (21, $1)', ['never'])));
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '25P02' });
    expect(await count()).toBe(before);
    expect(await session.query(statement('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('passes driver errors through unchanged', async () => {
    await expect(conn.session.query(statement('SELECT * FROM nowhere'))).rejects.toMatchObject({ code: '42P01' });
  });

  it("accepts pg's Client and PoolClient as they are (checked by the compiler)", () => {
    const asPgClient = (client: pg.Client | pg.PoolClient): PgClient => client;
    expect(typeof asPgClient).toBe('function');
  });

  it('works over any client with the structural query method', async () => {
    const seen: unknown[] = [];
    const session = pgSession({
      async query(config) {
        seen.push(config);
        return { rows: [{ x: 1 }], rowCount: null };
      },
    });
    expect(await session.execute(statement('SELECT $1', [5n]))).toEqual({});
    expect(seen).toEqual([{ text: 'SELECT $1', values: ['5'], queryMode: 'extended' }]);
    // Its own transaction control goes through the simple protocol: one message, not five.
    seen.length = 0;
    await session.transaction!((tx) => tx.execute(statement('SELECT 1')));
    expect(seen).toEqual([
      { text: 'BEGIN', values: [] },
      { text: 'SELECT 1', values: [], queryMode: 'extended' },
      { text: 'COMMIT', values: [] },
    ]);
  });
});

describe('openPostgres', () => {
  const database = testDatabase();

  it('sets search_path to the schema', async () => {
    const setup = await openPostgres(database.url());
    await setup.session.execute(statement('CREATE SCHEMA IF NOT EXISTS "App"'));
    await setup.close();
    const conn = await openPostgres(database.url(), { schema: 'App' });
    try {
      expect(await conn.session.query(statement('SELECT current_schema() AS s'))).toEqual([{ s: 'App' }]);
    } finally {
      await conn.close();
      await conn.close();
    }
  });

  it('sets lock_timeout for the session, and refuses a bad value', async () => {
    const conn = await openPostgres(database.url(), { lockTimeoutMs: 1500 });
    try {
      expect(await conn.session.query(statement('SHOW lock_timeout'))).toEqual([{ lock_timeout: '1500ms' }]);
    } finally {
      await conn.close();
    }
    const error = await openPostgres(database.url(), { lockTimeoutMs: -1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
  });

  it('reports connection failures as CONFIG_ERROR naming the URL, password masked', async () => {
    const url = `${SERVER.replace('postgres://postgres@', 'postgres://postgres:s3cret@')}/cairn_no_such_database`;
    const error = await openPostgres(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('cairn_no_such_database');
    expect(message).toContain(':***@');
    expect(message).not.toContain('s3cret');
    expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain('s3cret');
  });

  it('reports an unreachable server as CONFIG_ERROR', async () => {
    const error = await openPostgres('postgres://u:pw@127.0.0.1:1/db').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
    expect((error as Error).message).toContain('postgres://u:***@127.0.0.1:1/db');
  });

  it('masks passwords', () => {
    expect(maskPassword('postgres://u:secret@h:5432/db?sslmode=require')).toBe(
      'postgres://u:***@h:5432/db?sslmode=require',
    );
    expect(maskPassword('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(maskPassword('not a url u:secret@h')).toBe('not a url u:***@h');
  });
});
