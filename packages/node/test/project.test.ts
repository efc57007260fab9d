import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isCairnError } from '@cairn/core';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../src/index.js';

// From dist, as shipped (typed from src, so the typecheck needs no build): the TypeScript loader
// registers its module hooks by URL beside itself, and Node's loader thread needs them compiled.
const DIST = '../dist/index.js';
const { openProject } = (await import(DIST)) as typeof import('../src/index.js');

// The programmatic API as an app calls it at start-up or in its tests, on each dialect's real
// database: a project directory with a configuration and migration files, opened with
// `openProject`, moved up, down and stamped from code.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(config: Record<string, unknown>, migrations: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-node-test-'));
  made.push(dir);
  const files = { 'cairn.config.json': JSON.stringify(config), ...migrations };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `a` creates table `t_a`, `b` (after `a`, a TypeScript migration) adds a row, `c` fails. */
function migrations(options: { failing?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {
    'migrations/20260101000000_a_create.sql': [
      '-- cairn:revision a',
      '-- cairn:downRevision',
      '-- cairn:message create t_a',
      '-- cairn:up',
      'CREATE TABLE t_a (id integer PRIMARY KEY, note varchar(20));',
      '-- cairn:down',
      'DROP TABLE t_a;',
      '',
    ].join('\n'),
    'migrations/20260101000001_b_row.ts': [
      "import { defineMigration } from '@cairn/core';",
      '',
      'export default defineMigration({',
      "  revision: 'b',",
      "  downRevision: 'a',",
      "  message: 'a row',",
      '  async upgrade({ op }) {',
      "    await op.bulkInsert('t_a', [{ id: 1, note: 'from b' }]);",
      '  },',
      '  async downgrade({ op }) {',
      "    await op.execute('DELETE FROM t_a WHERE id = 1');",
      '  },',
      '});',
      '',
    ].join('\n'),
  };
  if (options.failing) {
    files['migrations/20260101000002_c_fails.ts'] = [
      "import { defineMigration } from '@cairn/core';",
      'export default defineMigration({',
      "  revision: 'c',",
      "  downRevision: 'b',",
      '  async upgrade() {',
      "    throw new Error('c is broken');",
      '  },',
      '});',
      '',
    ].join('\n');
  }
  return files;
}

interface Target {
  readonly name: string;
  readonly config: () => Record<string, unknown>;
  readonly rows: (sql: string) => Promise<Record<string, unknown>[]>;
}

const PG_ADMIN = process.env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_SERVER = process.env.CAIRN_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const pgDatabase = `cairn_node_${suffix}`;
const mysqlDatabase = `cairn_node_${suffix}`;
const pgUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${pgDatabase}`);
const sqliteDir = mkdtempSync(join(tmpdir(), 'cairn-node-sqlite-'));
made.push(sqliteDir);
let sqliteFiles = 0;

async function pgAdmin<T>(work: (client: pg.Client) => Promise<T>, url = PG_ADMIN): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin<T>(work: (c: mysql.Connection) => Promise<T>, database?: string): Promise<T> {
  const connection = await mysql.createConnection(
    database === undefined ? MYSQL_SERVER : `${MYSQL_SERVER}/${database}`,
  );
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  await pgAdmin((c) => c.query(`CREATE DATABASE ${pgDatabase}`));
  await mysqlAdmin((c) => c.query(`CREATE DATABASE \`${mysqlDatabase}\``));
});
afterAll(async () => {
  await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`));
  await mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS \`${mysqlDatabase}\``));
});

let sqliteFile = '';
const TARGETS: readonly Target[] = [
  {
    name: 'sqlite',
    config: () => {
      sqliteFile = join(sqliteDir, `db${sqliteFiles++}.sqlite`);
      return { dialect: 'sqlite', url: `sqlite:${sqliteFile}` };
    },
    rows: async (sql) => {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(sqliteFile, { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
  },
  {
    name: 'postgres',
    config: () => ({ dialect: 'postgres', url: pgUrl }),
    rows: async (sql) => pgAdmin(async (c) => (await c.query(sql)).rows, pgUrl),
  },
  {
    name: 'mysql',
    config: () => ({ dialect: 'mysql', url: `${MYSQL_SERVER}/${mysqlDatabase}` }),
    rows: async (sql) => mysqlAdmin(async (c) => (await c.query(sql))[0] as Record<string, unknown>[], mysqlDatabase),
  },
];

describe.each(TARGETS)('openProject on $name', (target) => {
  it('upgrades, reports progress in order, downgrades and stamps from code', async () => {
    // The cases of one dialect share its database, one after the other: this one ends at base.
    const dir = project(target.config(), migrations());
    const events: ProgressEvent[] = [];
    const cairn = await openProject({ cwd: dir, env: {}, onProgress: (event) => events.push(event) });
    expect(cairn.config.dialect.name).toBe(target.name);
    expect(await cairn.current()).toEqual([]);

    const up = await cairn.upgrade();
    expect(up.applied.map((s) => s.revision)).toEqual(['a', 'b']);
    expect(up.current).toEqual(['b']);
    // Every call opens its own connection and says so; a run holds the lock before its steps,
    // and each step is announced before it runs and reported once it committed.
    const said = events.map((e) =>
      e.kind === 'step-started'
        ? `started ${e.revision}`
        : e.kind === 'step-finished'
          ? `finished ${e.step.revision}`
          : e.kind,
    );
    expect(said).toEqual([
      'connected',
      'connected',
      'lock-acquired',
      'started a',
      'finished a',
      'started b',
      'finished b',
    ]);
    expect(await target.rows('SELECT id, note FROM t_a')).toEqual([{ id: 1, note: 'from b' }]);
    expect(await cairn.current()).toEqual(['b']);

    const down = await cairn.downgrade();
    expect(down.applied).toMatchObject([{ revision: 'b', direction: 'down' }]);
    expect(await target.rows('SELECT id FROM t_a')).toEqual([]);

    await cairn.stamp('base');
    expect(await cairn.current()).toEqual([]);
    await cairn.stamp('b');
    expect(await cairn.current()).toEqual(['b']);
    await cairn.downgrade('base');
    expect(await cairn.current()).toEqual([]);
    await cairn.check();
    const entries = await cairn.history({ indicateCurrent: true });
    expect(entries.map((e) => e.revision)).toEqual(['b', 'a']);
  });

  it('rejects with the failing step’s MIGRATION_FAILED, after the steps before it committed', async () => {
    const dir = project(target.config(), migrations({ failing: true }));
    const cairn = await openProject({ cwd: dir, env: {} });
    const failure = await cairn.upgrade('head').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isCairnError(failure, 'MIGRATION_FAILED')).toBe(true);
    const error = failure as Error & { details: Record<string, unknown>; result: { current: string[] } };
    expect(error.message).toContain('c is broken');
    expect(error.details).toMatchObject({ revision: 'c', notRun: [], current: ['b'] });
    expect(error.result.current).toEqual(['b']);
    expect(Object.keys(error)).not.toContain('result');
    expect(() => JSON.stringify(error)).not.toThrow();
    // The version table holds exactly what committed, and nothing is left locked: a second
    // project object over the same database gets the lock at once. On MySQL, whose DDL cannot
    // roll back, the step that failed outside a transaction leaves the database dirty.
    const again = await openProject({ cwd: dir, env: {}, lockTimeoutMs: 2_000 });
    expect(await again.current()).toEqual(['b']);
    await expect(again.upgrade('b')).resolves.toMatchObject({ applied: [] });
    if (target.name === 'mysql') {
      const dirty = await again.upgrade().catch((e: unknown) => e);
      expect(isCairnError(dirty, 'DIRTY_DATABASE')).toBe(true);
    }
  });
});

describe('openProject errors', () => {
  it('a progress listener that throws does not stop the run', async () => {
    const dir = project({ dialect: 'sqlite', url: `sqlite:${join(sqliteDir, 'listener.sqlite')}` }, migrations());
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const cairn = await openProject({
        cwd: dir,
        env: {},
        onProgress: () => {
          throw new Error('listener broke');
        },
      });
      await expect(cairn.upgrade()).resolves.toMatchObject({ current: ['b'] });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toContain('listener broke');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('says it waits while another process holds the lock, then runs', async () => {
    const file = join(sqliteDir, 'contended.sqlite');
    const dir = project({ dialect: 'sqlite', url: `sqlite:${file}` }, migrations());
    const kinds: string[] = [];
    const cairn = await openProject({ cwd: dir, env: {}, onProgress: (event) => kinds.push(event.kind) });
    await cairn.current();
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        resolve();
      }, 600),
    );
    await expect(cairn.upgrade()).resolves.toMatchObject({ current: ['b'] });
    await released;
    expect(kinds.slice(0, 4)).toEqual(['connected', 'connected', 'lock-waiting', 'lock-acquired']);
  });

  it("refuses an empty 'url' before reading the configuration", async () => {
    const dir = project({ dialect: 'sqlite', url: `sqlite:${join(sqliteDir, 'url.sqlite')}` }, migrations());
    await expect(openProject({ cwd: dir, env: {} })).resolves.toBeDefined();
    const failure = await openProject({ cwd: dir, env: {}, url: '' }).catch((error: unknown) => error);
    expect(isCairnError(failure, 'CONFIG_ERROR')).toBe(true);
    expect((failure as { details: unknown }).details).toEqual({ option: 'url' });
  });

  it('check reports a version row that no file defines, instead of failing on it', async () => {
    const file = join(sqliteDir, 'unknown-row.sqlite');
    const dir = project({ dialect: 'sqlite', url: `sqlite:${file}` }, migrations());
    const cairn = await openProject({ cwd: dir, env: {} });
    await cairn.upgrade();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.prepare("INSERT INTO cairn_version (version_num) VALUES ('gone')").run();
    db.close();
    const check = await cairn.check().catch((error: unknown) => error);
    expect(isCairnError(check, 'CHECK_FAILED')).toBe(true);
    expect((check as { details: { findings: unknown[] } }).details.findings).toEqual([
      expect.objectContaining({ kind: 'unknownVersionRow', revision: 'gone' }),
    ]);
  });

  it('rejects with CONFIG_ERROR for a directory without a configuration, naming what it looked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-node-empty-'));
    made.push(dir);
    const failure = await openProject({ cwd: dir, env: {} }).catch((error: unknown) => error);
    expect(isCairnError(failure, 'CONFIG_ERROR')).toBe(true);
    expect((failure as Error).message).toContain('cairn.config');
  });

  it('rejects an unknown target with its code, and check with CHECK_FAILED when there are two heads', async () => {
    const dir = project(
      { dialect: 'sqlite', url: `sqlite:${join(sqliteDir, 'errors.sqlite')}` },
      {
        ...migrations(),
        'migrations/20260101000003_x_branch.sql': [
          '-- cairn:revision x',
          '-- cairn:downRevision a',
          '-- cairn:up',
          'SELECT 1;',
          '-- cairn:down',
          'SELECT 1;',
          '',
        ].join('\n'),
      },
    );
    const cairn = await openProject({ cwd: dir, env: {} });
    const unknown = await cairn.upgrade('nope').catch((error: unknown) => error);
    expect(isCairnError(unknown)).toBe(true);
    expect((unknown as Error).message).toContain("'nope'");
    const check = await cairn.check().catch((error: unknown) => error);
    expect(isCairnError(check, 'CHECK_FAILED')).toBe(true);
    expect((check as { details: { findings: { kind: string }[] } }).details.findings).toEqual([
      expect.objectContaining({ kind: 'multipleHeads' }),
    ]);
  });
});
