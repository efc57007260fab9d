import { join } from 'node:path';
import { type Session, statement } from '@cairn/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { betterSqlite3Session } from '../src/sessions/better-sqlite3.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('session');
let connection: SqliteConnection;
let session: Session;

beforeAll(async () => {
  connection = await openSqlite(join(dir, 'session.db'));
  session = connection.session;
  await session.execute(statement('CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, flag INTEGER, at TEXT)'));
});
afterAll(() => connection.close());
beforeEach(async () => {
  await session.execute(statement('DELETE FROM t'));
});

const labels = async (tx: Session = session) =>
  (await tx.query<{ label: string }>(statement('SELECT label FROM t ORDER BY id'))).map((row) => row.label);

describe('query and execute', () => {
  it('binds positional parameters and returns rows', async () => {
    const result = await session.execute(statement('INSERT INTO t (label) VALUES (?), (?)', ['a', 'b']));
    expect(result).toEqual({ rowsAffected: 2 });
    expect(await session.query(statement('SELECT id, label FROM t WHERE label = ?', ['b']))).toEqual([
      { id: 2, label: 'b' },
    ]);
  });

  it('binds booleans as 1/0 and dates as ISO text, like quoteLiteral', async () => {
    await session.execute(
      statement('INSERT INTO t (label, flag, at) VALUES (?, ?, ?)', ['x', true, new Date('2025-01-01T00:00:00Z')]),
    );
    expect(await session.query(statement('SELECT flag, at FROM t'))).toEqual([
      { flag: 1, at: '2025-01-01T00:00:00.000Z' },
    ]);
  });

  it('runs a statement that returns nothing from query, and reports 0 changes for DDL', async () => {
    expect(await session.query(statement("INSERT INTO t (label) VALUES ('q')"))).toEqual([]);
    expect(await labels()).toEqual(['q']);
    expect(await session.execute(statement('CREATE TABLE IF NOT EXISTS other (x INTEGER)'))).toEqual({
      rowsAffected: 0,
    });
  });

  it('refuses two statements in one call instead of splitting them', async () => {
    await expect(
      session.execute(statement("INSERT INTO t (label) VALUES ('a'); INSERT INTO t (label) VALUES ('b')")),
    ).rejects.toThrow(/more than one statement/);
    expect(await labels()).toEqual([]);
  });

  it('rejects with the driver error unchanged', async () => {
    const error = await session.query(statement('SELECT nope FROM t')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect(error).toMatchObject({ code: 'SQLITE_ERROR', message: 'no such column: nope' });
  });
});

describe('transaction', () => {
  it('commits when work resolves and returns its value', async () => {
    const value = await session.transaction!(async (tx) => {
      await tx.execute(statement("INSERT INTO t (label) VALUES ('in')"));
      return 42;
    });
    expect(value).toBe(42);
    expect(connection.db.inTransaction).toBe(false);
    // A second connection sees it: the outermost savepoint's RELEASE committed.
    const other = new Database(join(dir, 'session.db'));
    expect(other.prepare('SELECT label FROM t').pluck().all()).toEqual(['in']);
    other.close();
  });

  it('rolls back only the inner unit on error and rethrows the same error', async () => {
    const boom = new Error('boom');
    await session.transaction!(async (outer) => {
      await outer.execute(statement("INSERT INTO t (label) VALUES ('outer')"));
      const caught = await outer.transaction!(async (inner) => {
        await inner.execute(statement("INSERT INTO t (label) VALUES ('inner')"));
        await inner.execute(statement('CREATE TABLE rolled_back (x INTEGER)'));
        expect(await labels(inner)).toEqual(['outer', 'inner']);
        throw boom;
      }).catch((error: unknown) => error);
      expect(caught).toBe(boom);
      expect(await labels(outer)).toEqual(['outer']);
      await outer.execute(statement("INSERT INTO t (label) VALUES ('after')"));
    });
    expect(await labels()).toEqual(['outer', 'after']);
    expect(await session.query(statement("SELECT name FROM sqlite_schema WHERE name = 'rolled_back'"))).toEqual([]);
  });

  it('rolls back an outermost unit completely and rethrows a driver error unchanged', async () => {
    const error = await session.transaction!(async (tx) => {
      await tx.execute(statement("INSERT INTO t (label) VALUES ('gone')"));
      await tx.execute(statement('INSERT INTO t (id, label) VALUES (1, ?), (1, ?)', ['a', 'b']));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(connection.db.inTransaction).toBe(false);
    expect(await labels()).toEqual([]);
  });

  it('nests as savepoints inside an outer BEGIN IMMEDIATE and leaves it open', async () => {
    await session.execute(statement('BEGIN IMMEDIATE'));
    await session.transaction!(async (tx) => {
      await tx.execute(statement("INSERT INTO t (label) VALUES ('step1')"));
    });
    await session.transaction!(async (tx) => {
      await tx.execute(statement("INSERT INTO t (label) VALUES ('step2')"));
      throw new Error('step 2 fails');
    }).catch(() => undefined);
    expect(connection.db.inTransaction).toBe(true);
    await session.execute(statement('ROLLBACK'));
    expect(await labels()).toEqual([]);
  });

  it('works over any object with the better-sqlite3 prepare shape', async () => {
    const db = new Database(':memory:');
    const own = betterSqlite3Session(db);
    await own.execute(statement('CREATE TABLE x (v INTEGER)'));
    await own.transaction!(async (tx) => {
      await tx.execute(statement('INSERT INTO x VALUES (1)'));
      await tx.transaction!(async (inner) => inner.execute(statement('INSERT INTO x VALUES (2)')));
    });
    expect(await own.query(statement('SELECT v FROM x ORDER BY v'))).toEqual([{ v: 1 }, { v: 2 }]);
    db.close();
  });
});
