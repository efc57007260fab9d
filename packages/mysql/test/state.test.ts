import { type HistoryRecord, type Session, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlConnection, mysqlStateCompiler, openMysql } from '../src/index.js';
import { testDatabase } from './database.js';

const state = mysqlStateCompiler();
const versions = { name: 'cairn_version' };
const history = { name: 'cairn_history' };

const record = (overrides: Partial<HistoryRecord> = {}): HistoryRecord => ({
  revision: 'ae1027a6acf',
  direction: 'up',
  checksum: 'c'.repeat(64),
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  finishedAt: new Date('2026-01-02T03:04:06.001Z'),
  status: 'succeeded',
  error: null,
  durationMs: 323,
  toolVersion: '0.1.0',
  ...overrides,
});

describe('mysqlStateCompiler (pure)', () => {
  it('creates InnoDB utf8mb4_bin tables with MySQL types', () => {
    expect(state.createVersionTable(versions).map((s) => s.sql)).toEqual([
      'CREATE TABLE IF NOT EXISTS `cairn_version` (version_num varchar(255) NOT NULL, CONSTRAINT `cairn_version_pkc` PRIMARY KEY (version_num)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    ]);
    const [create] = state.createHistoryTable({ schema: 'app', name: 'cairn_history' });
    expect(create?.sql).toMatch(
      /^CREATE TABLE IF NOT EXISTS `app`\.`cairn_history` \(id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, /,
    );
    expect(create?.sql).toMatch(/started_at datetime\(6\) NOT NULL, finished_at datetime\(6\), /);
    expect(create?.sql).toMatch(/\) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin$/);
  });

  it('binds history times as UTC datetime text, which MySQL accepts (it refuses ISO text with Z)', () => {
    const insert = state.insertHistory(record(), history);
    expect(insert.sql).toBe(
      'INSERT INTO `cairn_history` (revision, direction, checksum, started_at, finished_at, status, error, duration_ms, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    expect(insert.params).toEqual([
      'ae1027a6acf',
      'up',
      'c'.repeat(64),
      '2026-01-02 03:04:05.678000',
      '2026-01-02 03:04:06.001000',
      'succeeded',
      null,
      323,
      '0.1.0',
    ]);
    expect(state.insertHistory(record({ finishedAt: null, status: 'started' }), history).params[4]).toBeNull();
    // An error text that happens to look like a date is left alone: only the time columns are rebound.
    expect(state.insertHistory(record({ error: '2026-01-02T03:04:05.678Z' }), history).params[6]).toBe(
      '2026-01-02T03:04:05.678Z',
    );
  });
});

describe('mysqlStateCompiler against the server', () => {
  const database = testDatabase();
  let conn: MysqlConnection;
  let session: Session;
  beforeAll(async () => {
    conn = await openMysql(database.url());
    session = conn.session;
    for (let k = 0; k < 2; k += 1)
      for (const s of [...state.createVersionTable(versions), ...state.createHistoryTable(history)])
        await session.execute(s);
  });
  afterAll(async () => {
    await conn?.close();
  });

  it('keeps revision ids exactly: case matters, 255 characters of any script fit the key', async () => {
    const long = 'é'.repeat(255);
    for (const revision of ['ABC', 'abc', long])
      await session.execute(state.versionWrite({ kind: 'insert', revision }, versions));
    const rows = await session.query<{ version_num: string }>(state.readVersionRows(versions));
    expect(rows.map((r) => r.version_num).sort()).toEqual(['ABC', 'abc', long].sort());
    expect(await session.execute(state.versionWrite({ kind: 'update', from: 'abc', to: 'def' }, versions))).toEqual({
      rowsAffected: 1,
    });
    expect(await session.execute(state.versionWrite({ kind: 'delete', revision: 'ABC' }, versions))).toEqual({
      rowsAffected: 1,
    });
  });

  it('stores history records with their instants and reads them oldest first', async () => {
    await session.execute(state.insertHistory(record(), history));
    await session.execute(
      state.insertHistory(record({ revision: 'b', status: 'started', finishedAt: null, durationMs: null }), history),
    );
    const rows = await session.query(state.readHistory(history));
    expect(rows).toEqual([
      { revision: 'ae1027a6acf', direction: 'up', checksum: 'c'.repeat(64), status: 'succeeded' },
      { revision: 'b', direction: 'up', checksum: 'c'.repeat(64), status: 'started' },
    ]);
    const [times] = await session.query<{ started_at: Date; finished_at: Date }>(
      statement("SELECT started_at, finished_at FROM cairn_history WHERE revision = 'ae1027a6acf'"),
    );
    expect(times?.started_at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(times?.finished_at.toISOString()).toBe('2026-01-02T03:04:06.001Z');
  });

  it('refuses a status or direction outside the lists (the CHECKs are enforced)', async () => {
    const bad = { ...state.insertHistory(record(), history) };
    const params = [...bad.params];
    params[5] = 'maybe';
    await expect(session.execute(statement(bad.sql, params))).rejects.toThrow(/CONSTRAINT .*status.* failed/i);
  });
});
