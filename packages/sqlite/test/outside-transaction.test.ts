import { join } from 'node:path';
import {
  isCairnError,
  type LoadedMigration,
  type MigrationContext,
  type MigrationLoader,
  Migrator,
  RevisionGraph,
  type RevisionMeta,
  statement,
} from '@cairn/core';
import { caseTables, historyOf } from '@cairn/dialect-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { sqliteDialect } from '../src/sqlite-dialect.js';
import { tempDir } from './temp-dir.js';

// `transaction: false` migrations on SQLite: the lock is a `BEGIN IMMEDIATE` transaction, so the
// dialect's `outsideTransaction` commits it, runs the step in autocommit mode and takes it back.

const dir = tempDir('outside');
const dialect = sqliteDialect();
const tables = caseTables('ot');
const opened: SqliteConnection[] = [];

async function open(file: string, busyTimeoutMs?: number): Promise<SqliteConnection> {
  const connection = await openSqlite(join(dir, file), busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  opened.push(connection);
  return connection;
}

afterEach(async () => {
  for (const connection of opened.splice(0)) await connection.close();
});

/** One migration: its upgrade, and whether it runs in a transaction (default `true`). */
interface Step {
  readonly transaction?: boolean;
  up(ctx: MigrationContext): Promise<void>;
}

/** A linear chain of the steps, in the order given, with an in-memory loader. */
function migrator(connection: SqliteConnection, steps: Readonly<Record<string, Step>>): Migrator {
  const ids = Object.keys(steps);
  const graph = RevisionGraph.from(
    ids.map(
      (revision, k): RevisionMeta => ({
        revision,
        downRevision: k === 0 ? [] : [ids[k - 1]!],
        branchLabels: [],
        dependsOn: [],
        message: revision,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
        transaction: steps[revision]!.transaction ?? true,
      }),
    ),
  );
  const loader: MigrationLoader = {
    async load(meta): Promise<LoadedMigration> {
      return {
        checksum: `sum-${meta.revision}`,
        async run(direction, ctx) {
          if (direction === 'up') await steps[meta.revision]!.up(ctx);
        },
      };
    },
  };
  return new Migrator({
    graph,
    dialect,
    session: connection.session,
    loader,
    versionTable: tables.versionTable,
    historyTable: tables.historyTable,
    toolVersion: 'test',
  });
}

/** What `BEGIN IMMEDIATE` on `connection` does now: `'acquired'` (and rolled back at once) or the error code. */
function tryWriteLock(connection: SqliteConnection): string {
  try {
    connection.db.exec('BEGIN IMMEDIATE');
    connection.db.exec('ROLLBACK');
    return 'acquired';
  } catch (error) {
    return String((error as { code?: unknown }).code ?? error);
  }
}

/** Reads through a second connection, which sees only what is committed (WAL). */
function committedTables(reader: SqliteConnection): string[] {
  return (
    reader.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  ).map((r) => r.name);
}

/** The committed version rows; none while the version table itself is not committed. */
function committedVersion(reader: SqliteConnection): string[] {
  if (!committedTables(reader).includes(tables.versionTable.name)) return [];
  return (reader.db.prepare(`SELECT version_num FROM ${tables.versionTable.name}`).all() as { version_num: string }[])
    .map((r) => r.version_num)
    .sort();
}

async function pragma(connection: SqliteConnection, name: string): Promise<unknown> {
  const [row] = await connection.session.query(statement(`PRAGMA ${name}`));
  return row === undefined ? undefined : Object.values(row)[0];
}

const fill: Step = {
  async up(ctx) {
    await ctx.sql('CREATE TABLE junk (b BLOB)');
    await ctx.sql(
      'INSERT INTO junk SELECT randomblob(1000) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 400) SELECT n FROM c)',
    );
  },
};
const empty: Step = {
  async up(ctx) {
    await ctx.sql('DELETE FROM junk');
  },
};

describe('SQLite: migrations declared transaction: false', () => {
  it("a transaction: true migration running VACUUM fails with SQLite's message and is recorded failed", async () => {
    const conn = await open('vacuum-in-transaction.db');
    const run = await migrator(conn, {
      v1: fill,
      v2: {
        async up(ctx) {
          await ctx.sql('VACUUM');
        },
      },
    }).upgrade('head');
    expect(run.applied.map((s) => s.revision)).toEqual(['v1']);
    expect(run.failed?.revision).toBe('v2');
    expect(run.failed?.error.code).toBe('MIGRATION_FAILED');
    expect(run.failed?.error.message).toMatch(/cannot VACUUM from within a transaction/);
    expect(run.failed?.error.cause).toMatchObject({
      code: 'SQLITE_ERROR',
      message: 'cannot VACUUM from within a transaction',
    });
    expect(run.current).toEqual(['v1']);
    expect(await historyOf(conn.session, dialect.state, tables)).toEqual(['v1:up:succeeded', 'v2:up:failed']);
    expect(conn.db.inTransaction).toBe(false);
  });

  it('a transaction: false migration runs VACUUM outside the lock transaction and is recorded started, succeeded', async () => {
    const conn = await open('vacuum.db');
    const seen: { freeBefore?: unknown; freeAfter?: unknown; inTransaction?: boolean } = {};
    const run = await migrator(conn, {
      v1: fill,
      v2: empty,
      v3: {
        transaction: false,
        async up(ctx) {
          seen.inTransaction = conn.db.inTransaction;
          [seen.freeBefore] = (await ctx.sql('PRAGMA freelist_count')).map((r) => r.freelist_count);
          await ctx.sql('VACUUM');
          [seen.freeAfter] = (await ctx.sql('PRAGMA freelist_count')).map((r) => r.freelist_count);
        },
      },
    }).upgrade('head');
    expect(run.failed).toBeUndefined();
    expect(run.applied.map((s) => s.revision)).toEqual(['v1', 'v2', 'v3']);
    expect(run.current).toEqual(['v3']);
    expect(seen.inTransaction).toBe(false);
    // The deleted rows' pages were free before, and VACUUM gave them back.
    expect(seen.freeBefore).toBeGreaterThan(0);
    expect(seen.freeAfter).toBe(0);
    expect(await historyOf(conn.session, dialect.state, tables)).toEqual([
      'v1:up:succeeded',
      'v2:up:succeeded',
      'v3:up:started',
      'v3:up:succeeded',
    ]);
  });

  it('a transaction: false migration changes PRAGMA journal_mode, which has no effect in a transaction', async () => {
    // WAL can only be left with no other connection on the file: each database here has one.
    // Inside the lock's transaction, which has already written (cairn's tables), SQLite ignores
    // the change and answers with the mode it keeps.
    const refused = await open('journal-in-transaction.db');
    let answered: readonly unknown[] = [];
    const inTransaction = await migrator(refused, {
      j1: {
        async up(ctx) {
          answered = await ctx.sql('PRAGMA journal_mode = DELETE');
        },
      },
    }).upgrade('head');
    expect(inTransaction.applied.map((s) => s.revision)).toEqual(['j1']);
    expect(answered).toEqual([{ journal_mode: 'wal' }]);
    expect(await pragma(refused, 'journal_mode')).toBe('wal');

    const conn = await open('journal.db');
    expect(await pragma(conn, 'journal_mode')).toBe('wal');
    let switched: readonly unknown[] = [];
    const run = await migrator(conn, {
      j1: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE before_switch (id INTEGER)');
        },
      },
      j2: {
        transaction: false,
        async up(ctx) {
          switched = await ctx.sql('PRAGMA journal_mode = DELETE');
        },
      },
      j3: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE after_switch (id INTEGER)');
        },
      },
    }).upgrade('head');
    expect(run.failed).toBeUndefined();
    expect(switched).toEqual([{ journal_mode: 'delete' }]);
    expect(await pragma(conn, 'journal_mode')).toBe('delete');
    expect(run.current).toEqual(['j3']);
    expect(await historyOf(conn.session, dialect.state, tables)).toEqual([
      'j1:up:succeeded',
      'j2:up:started',
      'j2:up:succeeded',
      'j3:up:succeeded',
    ]);
    const names = await conn.session.query(
      statement("SELECT name FROM sqlite_master WHERE name IN ('before_switch', 'after_switch') ORDER BY name"),
    );
    expect(names).toEqual([{ name: 'after_switch' }, { name: 'before_switch' }]);
  });

  it('commits the steps before it, holds the lock again for the steps after it, and releases it at the end', async () => {
    const conn = await open('lock.db');
    const other = await open('lock.db', 0);
    const seen: Record<string, { lock: string; tables: string[]; version: string[]; inTransaction: boolean }> = {};
    const look = (step: string) => {
      seen[step] = {
        lock: tryWriteLock(other),
        tables: committedTables(other).filter((t) => t.startsWith('t_')),
        version: committedVersion(other),
        inTransaction: conn.db.inTransaction,
      };
    };
    const run = await migrator(conn, {
      s1: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE t_s1 (id INTEGER)');
          look('s1');
        },
      },
      s2: {
        transaction: false,
        async up(ctx) {
          look('s2 before');
          await ctx.sql('VACUUM');
          await ctx.sql('CREATE TABLE t_s2 (id INTEGER)');
        },
      },
      s3: {
        async up(ctx) {
          look('s3');
          await ctx.sql('CREATE TABLE t_s3 (id INTEGER)');
        },
      },
      s4: {
        async up(ctx) {
          look('s4');
          await ctx.sql('CREATE TABLE t_s4 (id INTEGER)');
        },
      },
    }).upgrade('head');
    expect(run.failed).toBeUndefined();
    expect(run.applied.map((s) => s.revision)).toEqual(['s1', 's2', 's3', 's4']);
    expect(seen).toEqual({
      // Before: the lock is held, and s1 is not visible to others yet.
      s1: { lock: 'SQLITE_BUSY', tables: [], version: [], inTransaction: true },
      // In the step: s1 is committed (table and version row), and the lock transaction is gone.
      's2 before': { lock: 'acquired', tables: ['t_s1'], version: ['s1'], inTransaction: false },
      // After: s2 is committed, and the lock is held again from the start of the next step,
      // before it writes anything (BEGIN IMMEDIATE, not a deferred BEGIN); s3 is not visible.
      s3: { lock: 'SQLITE_BUSY', tables: ['t_s1', 't_s2'], version: ['s2'], inTransaction: true },
      s4: { lock: 'SQLITE_BUSY', tables: ['t_s1', 't_s2'], version: ['s2'], inTransaction: true },
    });
    // The end released the lock and committed everything.
    expect(conn.db.inTransaction).toBe(false);
    expect(tryWriteLock(other)).toBe('acquired');
    expect(committedTables(other).filter((t) => t.startsWith('t_'))).toEqual(['t_s1', 't_s2', 't_s3', 't_s4']);
    expect(committedVersion(other)).toEqual(['s4']);
    expect(await historyOf(conn.session, dialect.state, tables)).toEqual([
      's1:up:succeeded',
      's2:up:started',
      's2:up:succeeded',
      's3:up:succeeded',
      's4:up:succeeded',
    ]);
  });

  it('a step after it that fails rolls back alone, as steps do under the lock', async () => {
    const conn = await open('after-failure.db');
    const run = await migrator(conn, {
      f1: {
        transaction: false,
        async up(ctx) {
          await ctx.sql('VACUUM');
        },
      },
      f2: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE t_f2 (id INTEGER)');
        },
      },
      f3: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE t_f3 (id INTEGER)');
          throw new Error('boom in f3');
        },
      },
      f4: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE t_f4 (id INTEGER)');
        },
      },
    }).upgrade('head');
    expect(run.applied.map((s) => s.revision)).toEqual(['f1', 'f2']);
    expect(run.failed?.revision).toBe('f3');
    expect(run.failed?.error.message).toMatch(/boom in f3/);
    expect(run.notRun).toEqual(['f4']);
    expect(run.current).toEqual(['f2']);
    const names = await conn.session.query(
      statement("SELECT name FROM sqlite_master WHERE name LIKE 't\\_f%' ESCAPE '\\' ORDER BY name"),
    );
    expect(names).toEqual([{ name: 't_f2' }]);
    expect(await historyOf(conn.session, dialect.state, tables)).toEqual([
      'f1:up:started',
      'f1:up:succeeded',
      'f2:up:succeeded',
      'f3:up:failed',
    ]);
    expect(conn.db.inTransaction).toBe(false);
  });

  describe('foreign keys', () => {
    const parentChild = (): Record<string, Step> => ({
      p1: {
        async up(ctx) {
          await ctx.sql('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
          await ctx.sql('CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))');
        },
      },
      p2: {
        transaction: false,
        async up(ctx) {
          await ctx.sql('VACUUM');
        },
      },
    });

    it('PRAGMA foreign_keys is back on after a run that had it on, and steps after it are still checked', async () => {
      const conn = await open('fk-on.db');
      await conn.session.execute(statement('PRAGMA foreign_keys = ON'));
      const during: unknown[] = [];
      const steps = parentChild();
      const run = await migrator(conn, {
        ...steps,
        p2: {
          transaction: false,
          async up(ctx) {
            during.push(await pragma(conn, 'foreign_keys'));
            await steps.p2!.up(ctx);
          },
        },
        p3: {
          async up(ctx) {
            during.push(await pragma(conn, 'foreign_keys'));
            // Enforcement is suspended for the run, so this insert passes; the check after
            // the step still fails it.
            await ctx.sql('INSERT INTO child (parent_id) VALUES (42)');
          },
        },
      }).upgrade('head');
      expect(during).toEqual([0, 0]);
      expect(run.applied.map((s) => s.revision)).toEqual(['p1', 'p2']);
      expect(run.failed?.revision).toBe('p3');
      expect(isCairnError(run.failed?.error, 'FOREIGN_KEY_VIOLATION')).toBe(true);
      expect(await conn.session.query(statement('SELECT count(*) AS n FROM child'))).toEqual([{ n: 0 }]);
      expect(await pragma(conn, 'foreign_keys')).toBe(1);
      expect(conn.db.inTransaction).toBe(false);
      // Enforced again: the same insert now fails at once.
      await expect(conn.session.execute(statement('INSERT INTO child (parent_id) VALUES (42)'))).rejects.toThrow(
        /FOREIGN KEY constraint failed/,
      );
    });

    it('PRAGMA foreign_keys stays off after a run that had it off', async () => {
      const conn = await open('fk-off.db');
      await conn.session.execute(statement('PRAGMA foreign_keys = OFF'));
      const run = await migrator(conn, parentChild()).upgrade('head');
      expect(run.failed).toBeUndefined();
      expect(run.current).toEqual(['p2']);
      expect(await pragma(conn, 'foreign_keys')).toBe(0);
    });
  });
});
