import { join } from 'node:path';
import { type HistoryRecord, type Session, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { sqliteStateCompiler } from '../src/state.js';
import { tempDir } from './temp-dir.js';

const state = sqliteStateCompiler();
const version = { name: 'cairn_version' };
const history = { name: 'cairn_history' };

describe('golden SQL', () => {
  it('createVersionTable', () => {
    expect(state.createVersionTable(version)).toEqual([
      {
        sql: 'CREATE TABLE IF NOT EXISTS "cairn_version" (version_num VARCHAR(255) NOT NULL, CONSTRAINT "cairn_version_pkc" PRIMARY KEY (version_num))',
        params: [],
      },
    ]);
  });

  it('createHistoryTable', () => {
    expect(state.createHistoryTable(history)).toEqual([
      {
        sql:
          'CREATE TABLE IF NOT EXISTS "cairn_history" (id INTEGER PRIMARY KEY AUTOINCREMENT, revision VARCHAR(255) NOT NULL, ' +
          "direction VARCHAR(5) NOT NULL CHECK (direction IN ('up', 'down', 'stamp')), checksum VARCHAR(64) NOT NULL, " +
          "started_at TEXT NOT NULL, finished_at TEXT, status VARCHAR(9) NOT NULL CHECK (status IN ('started', 'succeeded', 'failed', 'resolved')), " +
          'error TEXT, duration_ms INTEGER, tool_version VARCHAR(64) NOT NULL)',
        params: [],
      },
    ]);
  });

  it('readVersionRows', () => {
    expect(state.readVersionRows(version)).toEqual({ sql: 'SELECT version_num FROM "cairn_version"', params: [] });
  });

  it('versionWrite', () => {
    expect(state.versionWrite({ kind: 'insert', revision: 'abc' }, version)).toEqual({
      sql: 'INSERT INTO "cairn_version" (version_num) VALUES (?)',
      params: ['abc'],
    });
    expect(state.versionWrite({ kind: 'update', from: 'abc', to: 'def' }, version)).toEqual({
      sql: 'UPDATE "cairn_version" SET version_num = ? WHERE version_num = ?',
      params: ['def', 'abc'],
    });
    expect(state.versionWrite({ kind: 'delete', revision: 'def' }, version)).toEqual({
      sql: 'DELETE FROM "cairn_version" WHERE version_num = ?',
      params: ['def'],
    });
  });

  it('insertHistory', () => {
    const record: HistoryRecord = {
      revision: 'abc',
      direction: 'up',
      checksum: 'f'.repeat(64),
      startedAt: new Date('2025-01-02T03:04:05.678Z'),
      finishedAt: null,
      status: 'started',
      error: null,
      durationMs: null,
      toolVersion: '0.1.0',
    };
    expect(state.insertHistory(record, history)).toEqual({
      sql: 'INSERT INTO "cairn_history" (revision, direction, checksum, started_at, finished_at, status, error, duration_ms, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: ['abc', 'up', 'f'.repeat(64), '2025-01-02T03:04:05.678Z', null, 'started', null, null, '0.1.0'],
    });
  });

  it('readHistory', () => {
    expect(state.readHistory(history)).toEqual({
      sql: 'SELECT revision, direction, checksum, status FROM "cairn_history" ORDER BY id',
      params: [],
    });
  });

  it('quotes configured names, schemas and the derived constraint name', () => {
    const odd = { schema: 'aux', name: 'my "versions"' };
    expect(state.createVersionTable(odd)[0]?.sql).toBe(
      'CREATE TABLE IF NOT EXISTS "aux"."my ""versions""" (version_num VARCHAR(255) NOT NULL, CONSTRAINT "my ""versions""_pkc" PRIMARY KEY (version_num))',
    );
    expect(state.readVersionRows(odd).sql).toBe('SELECT version_num FROM "aux"."my ""versions"""');
    expect(() => state.readVersionRows({ name: 'bad\0name' })).toThrow(/NUL/);
  });

  it('is pure: statements are frozen and equal across calls', () => {
    const a = state.versionWrite({ kind: 'insert', revision: 'x' }, version);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.params)).toBe(true);
    expect(state.versionWrite({ kind: 'insert', revision: 'x' }, version)).toEqual(a);
  });
});

describe('against a real database file', () => {
  const dir = tempDir('state');
  let connection: SqliteConnection;
  let session: Session;

  beforeAll(async () => {
    connection = await openSqlite(join(dir, 'state.db'));
    session = connection.session;
    for (const table of [version, history]) {
      const create = table === version ? state.createVersionTable(table) : state.createHistoryTable(table);
      // Twice: IF NOT EXISTS makes creation safe to repeat on every run.
      for (const stmt of [...create, ...create]) await session.execute(stmt);
    }
  });
  afterAll(() => connection.close());

  const rows = async () =>
    (await session.query<{ version_num: string }>(state.readVersionRows(version))).map((row) => row.version_num).sort();

  it('applies version writes', async () => {
    expect(await rows()).toEqual([]);
    expect(await session.execute(state.versionWrite({ kind: 'insert', revision: 'a1' }, version))).toEqual({
      rowsAffected: 1,
    });
    await session.execute(state.versionWrite({ kind: 'insert', revision: 'b2' }, version));
    expect(await rows()).toEqual(['a1', 'b2']);
    expect(await session.execute(state.versionWrite({ kind: 'update', from: 'a1', to: 'c3' }, version))).toEqual({
      rowsAffected: 1,
    });
    expect(await rows()).toEqual(['b2', 'c3']);
    expect(await session.execute(state.versionWrite({ kind: 'delete', revision: 'b2' }, version))).toEqual({
      rowsAffected: 1,
    });
    expect(await rows()).toEqual(['c3']);
  });

  it('reports rowsAffected 0 for an update or delete of a missing row', async () => {
    expect(await session.execute(state.versionWrite({ kind: 'update', from: 'zz', to: 'yy' }, version))).toEqual({
      rowsAffected: 0,
    });
    expect(await session.execute(state.versionWrite({ kind: 'delete', revision: 'zz' }, version))).toEqual({
      rowsAffected: 0,
    });
    expect(await rows()).toEqual(['c3']);
  });

  it('refuses a duplicate version row through the primary key', async () => {
    await expect(session.execute(state.versionWrite({ kind: 'insert', revision: 'c3' }, version))).rejects.toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }),
    );
  });

  it('round-trips history records', async () => {
    const started: HistoryRecord = {
      revision: 'c3',
      direction: 'up',
      checksum: 'a'.repeat(64),
      startedAt: new Date('2025-06-01T10:00:00.000Z'),
      finishedAt: null,
      status: 'started',
      error: null,
      durationMs: null,
      toolVersion: '0.1.0',
    };
    const failed: HistoryRecord = {
      ...started,
      direction: 'down',
      finishedAt: new Date('2025-06-01T10:00:01.250Z'),
      status: 'failed',
      error: "no such table: 'it''s'",
      durationMs: 1250,
    };
    const stamp: HistoryRecord = { ...started, direction: 'stamp', checksum: '', status: 'succeeded', durationMs: 0 };
    for (const record of [started, failed, stamp]) await session.execute(state.insertHistory(record, history));
    expect(await session.query(state.readHistory(history))).toEqual([
      { revision: 'c3', direction: 'up', checksum: 'a'.repeat(64), status: 'started' },
      { revision: 'c3', direction: 'down', checksum: 'a'.repeat(64), status: 'failed' },
      { revision: 'c3', direction: 'stamp', checksum: '', status: 'succeeded' },
    ]);
    const read = await session.query(statement('SELECT * FROM "cairn_history" ORDER BY id'));
    expect(read).toEqual([
      {
        id: 1,
        revision: 'c3',
        direction: 'up',
        checksum: 'a'.repeat(64),
        started_at: '2025-06-01T10:00:00.000Z',
        finished_at: null,
        status: 'started',
        error: null,
        duration_ms: null,
        tool_version: '0.1.0',
      },
      {
        id: 2,
        revision: 'c3',
        direction: 'down',
        checksum: 'a'.repeat(64),
        started_at: '2025-06-01T10:00:00.000Z',
        finished_at: '2025-06-01T10:00:01.250Z',
        status: 'failed',
        error: "no such table: 'it''s'",
        duration_ms: 1250,
        tool_version: '0.1.0',
      },
      {
        id: 3,
        revision: 'c3',
        direction: 'stamp',
        checksum: '',
        started_at: '2025-06-01T10:00:00.000Z',
        finished_at: null,
        status: 'succeeded',
        error: null,
        duration_ms: 0,
        tool_version: '0.1.0',
      },
    ]);
  });

  it('enforces the direction and status checks', async () => {
    const bad = {
      ...state.insertHistory(
        {
          revision: 'x',
          direction: 'up',
          checksum: '',
          startedAt: new Date(0),
          finishedAt: null,
          status: 'started',
          error: null,
          durationMs: null,
          toolVersion: '0',
        },
        history,
      ),
    };
    const params = [...bad.params];
    params[1] = 'sideways';
    await expect(session.execute({ sql: bad.sql, params })).rejects.toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
  });
});
