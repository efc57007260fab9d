import { type Session, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorNumber, type MysqlConnection, openMysql } from '../src/index.js';
import { testDatabase } from './database.js';

const database = testDatabase();
let conn: MysqlConnection;
let session: Session;
const count = async (table: string) => {
  const [row] = await session.query<{ n: number }>(statement(`SELECT COUNT(*) AS n FROM ${table}`));
  return Number(row?.n);
};
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (e: unknown) => e,
  );

beforeAll(async () => {
  conn = await openMysql(database.url());
  session = conn.session;
  await session.execute(statement('CREATE TABLE item (id int PRIMARY KEY, name varchar(40), at datetime(6))'));
});
afterAll(async () => {
  await conn?.close();
});

describe('mysql2Session', () => {
  it('returns rows from a query, none for other statements, and rowsAffected (matched rows) from execute', async () => {
    expect(await session.query(statement('INSERT INTO item (id, name) VALUES (1, ?)', ['a']))).toEqual([]);
    expect(
      await session.execute(statement('INSERT INTO item (id, name) VALUES (?, ?), (?, ?)', [2, 'b', 3, 'c'])),
    ).toEqual({
      rowsAffected: 2,
    });
    // Setting a value to what it already is still counts the row (FOUND_ROWS): the runner relies on it.
    expect(await session.execute(statement('UPDATE item SET name = ? WHERE id = ?', ['a', 1]))).toEqual({
      rowsAffected: 1,
    });
    expect(await session.query(statement('SELECT id, name FROM item WHERE id > ? ORDER BY id', [1]))).toEqual([
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
    expect(await session.execute(statement('SELECT 1'))).toEqual({});
    await session.execute(statement('DELETE FROM item'));
  });

  it('binds parameters on the server: quotes, backslashes and a ? inside a literal are data', async () => {
    const tricky = 'it\'s \\\' a ? "test"';
    const [row] = await session.query<{ q: string; v: string; big: string }>(
      statement("SELECT '?' AS q, ? AS v, ? AS big", [tricky, 12345678901234567890n]),
    );
    expect(row).toEqual({ q: '?', v: tricky, big: '12345678901234567890' });
  });

  it('stores and reads a Date as the same instant (UTC)', async () => {
    const at = new Date('2026-05-06T07:08:09.123Z');
    await session.execute(statement('INSERT INTO item (id, at) VALUES (?, ?)', [9, at]));
    const [row] = await session.query<{ at: Date; text: string }>(
      statement("SELECT at, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS text FROM item WHERE id = 9"),
    );
    expect(row?.at.toISOString()).toBe(at.toISOString());
    expect(row?.text).toBe('2026-05-06 07:08:09.123000');
    await session.execute(statement('DELETE FROM item'));
  });

  it('runs one statement per call: a ;-joined batch is refused and nothing of it runs', async () => {
    const error = await rejection(session.execute(statement('INSERT INTO item (id) VALUES (5); DELETE FROM item')));
    expect(errorNumber(error)).toBe(1064);
    expect(await count('item')).toBe(0);
  });

  it('sends statements the server will not prepare as text, with the values escaped on the client', async () => {
    expect(await session.query(statement('EXECUTE IMMEDIATE ?', ['SELECT 2 AS two']))).toEqual([{ two: 2 }]);
    const tables = await session.query(statement('SHOW TABLES LIKE ?', ['it%']));
    expect(tables.map((r) => Object.values(r)[0])).toEqual(['item']);
  });

  it('rejects with the driver error unchanged (its errno), for classifyError', async () => {
    const error = await rejection(session.query(statement('SELECT * FROM missing_table WHERE id = ?', [1])));
    expect(errorNumber(error)).toBe(1146);
  });

  describe('transaction', () => {
    it("commits when work resolves and rolls back when it rejects, with work's error", async () => {
      expect(
        await session.transaction!(async (tx) => {
          await tx.execute(statement('INSERT INTO item (id) VALUES (10)'));
          return 'done';
        }),
      ).toBe('done');
      const boom = new Error('boom');
      expect(
        await rejection(
          session.transaction!(async (tx) => {
            await tx.execute(statement('INSERT INTO item (id) VALUES (11)'));
            throw boom;
          }),
        ),
      ).toBe(boom);
      expect(await count('item')).toBe(1);
    });

    it('nests with savepoints: an inner failure rolls back only the inner work', async () => {
      await session.transaction!(async (tx) => {
        await tx.execute(statement('INSERT INTO item (id) VALUES (20)'));
        await rejection(
          tx.transaction!(async (inner) => {
            await inner.execute(statement('INSERT INTO item (id) VALUES (21)'));
            throw new Error('inner');
          }),
        );
        await tx.transaction!(async (inner) => {
          await inner.execute(statement('INSERT INTO item (id) VALUES (22)'));
        });
      });
      const rows = await session.query<{ id: number }>(statement('SELECT id FROM item WHERE id >= 20 ORDER BY id'));
      expect(rows.map((r) => r.id)).toEqual([20, 22]);
    });

    it('survives the implicit commit of DDL: a dissolved savepoint is not an error, the DDL stays', async () => {
      await session.transaction!(async (tx) => {
        await tx.transaction!(async (inner) => {
          await inner.execute(statement('CREATE TABLE made_inside (id int)'));
        });
      });
      const boom = new Error('after ddl');
      const error = await rejection(
        session.transaction!(async (tx) =>
          tx.transaction!(async (inner) => {
            await inner.execute(statement('CREATE TABLE made_then_failed (id int)'));
            throw boom;
          }),
        ),
      );
      expect(error).toBe(boom);
      // DDL commits implicitly: both tables exist, and the session is usable and outside a transaction.
      expect(await count('made_inside')).toBe(0);
      expect(await count('made_then_failed')).toBe(0);
      const [state] = await session.query<{ n: number }>(statement('SELECT @@in_transaction AS n'));
      expect(Number(state?.n)).toBe(0);
    });
  });
});
