import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cairn, initProject, ok, writeFiles } from './helpers.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const A_SQL = [
  '-- cairn:revision a',
  '-- cairn:downRevision',
  '-- cairn:message create t_a',
  '',
  '-- cairn:up',
  "CREATE TABLE t_a (id integer, note text DEFAULT 'why?');",
  '',
  '-- cairn:down',
  'DROP TABLE t_a;',
  '',
].join('\n');

const B_TS = [
  "import { defineMigration } from '@cairn/core';",
  'export default defineMigration({',
  "  revision: 'b',",
  "  downRevision: 'a',",
  "  message: 'users',",
  '  async upgrade(ctx) {',
  "    await ctx.sql('CREATE TABLE t_users (name text, age integer, nick text)');",
  "    await ctx.sql(\"INSERT INTO t_users (name, age, nick) VALUES (?, ?, 'who?'), ('x', ?, ?)\", [\"o'brien; drop table x\", 42, null, 'n']);",
  '  },',
  '  async downgrade(ctx) {',
  "    await ctx.sql('DROP TABLE t_users');",
  '  },',
  '});',
  '',
].join('\n');

/** a (`.sql`) → b (`.ts`, parameterised inserts). */
function project(): string {
  const dir = initProject();
  writeFiles(dir, {
    'migrations/20260101000000_a_a.sql': A_SQL,
    'migrations/20260101000001_b_users.ts': B_TS,
  });
  return dir;
}

function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** History rows differ only in their times between renders: replace them. */
function normalise(script: string): string {
  return script.replace(/'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z'/g, "'<time>'");
}

function historyInsert(rev: string, direction: string, sum: string): string {
  return (
    'INSERT INTO "cairn_history" (revision, direction, checksum, started_at, finished_at, status, error, duration_ms, tool_version) ' +
    `VALUES ('${rev}', '${direction}', '${sum}', '<time>', '<time>', 'succeeded', NULL, NULL, '${VERSION}');`
  );
}

/** What a database holds, for comparing an online run with an executed script. */
function snapshot(db: Database.Database): { schema: string[]; rows: string[]; users: unknown[]; history: string[] } {
  const schema = (
    db.prepare("SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { sql: string }[]
  ).map((r) => r.sql);
  const rows = (db.prepare('SELECT version_num FROM cairn_version ORDER BY 1').all() as { version_num: string }[]).map(
    (r) => r.version_num,
  );
  const hasUsers = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 't_users'").get() !== undefined;
  const users = hasUsers ? db.prepare('SELECT * FROM t_users ORDER BY name').all() : [];
  const history = (
    db.prepare('SELECT revision, direction, checksum, status, tool_version FROM cairn_history ORDER BY id').all() as {
      revision: string;
      direction: string;
      checksum: string;
      status: string;
      tool_version: string;
    }[]
  ).map((r) => `${r.revision}:${r.direction}:${r.checksum}:${r.status}:${r.tool_version}`);
  return { schema, rows, users, history };
}

function databaseFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('cairn.db'));
}

describe('--sql (offline mode)', () => {
  it('upgrade --sql prints the script of .sql and .ts migrations without touching the database', () => {
    const dir = project();
    const script = ok(dir, ['upgrade', '--sql']);
    expect(databaseFiles(dir)).toEqual([]);
    const sumA = checksum(A_SQL);
    const sumB = checksum(B_TS);
    const lines = normalise(script).split('\n');
    // The history table's DDL belongs to the SQLite dialect; its shape is checked there.
    expect(lines[1]).toMatch(/^CREATE TABLE IF NOT EXISTS "cairn_history" \(.*\);$/);
    lines[1] = '<history table>';
    expect(lines).toEqual([
      'CREATE TABLE IF NOT EXISTS "cairn_version" (version_num VARCHAR(255) NOT NULL, CONSTRAINT "cairn_version_pkc" PRIMARY KEY (version_num));',
      '<history table>',
      '',
      'BEGIN;',
      '-- Running upgrade  -> a',
      "CREATE TABLE t_a (id integer, note text DEFAULT 'why?');",
      `INSERT INTO "cairn_version" (version_num) VALUES ('a');`,
      historyInsert('a', 'up', sumA),
      'COMMIT;',
      '',
      'BEGIN;',
      '-- Running upgrade a -> b',
      'CREATE TABLE t_users (name text, age integer, nick text);',
      "INSERT INTO t_users (name, age, nick) VALUES ('o''brien; drop table x', 42, 'who?'), ('x', NULL, 'n');",
      `UPDATE "cairn_version" SET version_num = 'b' WHERE version_num = 'a';`,
      historyInsert('b', 'up', sumB),
      'COMMIT;',
      '',
    ]);
    expect(JSON.parse(ok(dir, ['upgrade', '--sql', '--json']))).toEqual({ sql: expect.stringContaining('BEGIN;\n') });
    expect(ok(dir, ['upgrade', 'a:b', '--sql'])).toMatch(/^BEGIN;\n-- Running upgrade a -> b\n/);
    expect(databaseFiles(dir)).toEqual([]);
  });

  it('produces, when executed, the database an online upgrade and downgrade produce', () => {
    const online = project();
    const offline = project();
    const upgradeScript = ok(offline, ['upgrade', '--sql']);
    const downgradeScript = ok(offline, ['downgrade', 'b:a', '--sql']);
    expect(databaseFiles(offline)).toEqual([]);

    const db = new Database(':memory:');
    try {
      ok(online, ['upgrade']);
      db.exec(upgradeScript);
      const reference = new Database(join(online, 'cairn.db'), { readonly: true });
      const up = snapshot(reference);
      reference.close();
      expect(up.rows).toEqual(['b']);
      expect(up.users).toHaveLength(2);
      expect(snapshot(db)).toEqual(up);

      ok(online, ['downgrade']);
      db.exec(downgradeScript);
      const after = new Database(join(online, 'cairn.db'), { readonly: true });
      const down = snapshot(after);
      after.close();
      expect(down.rows).toEqual(['a']);
      expect(snapshot(db)).toEqual(down);
    } finally {
      db.close();
    }
  });

  it('downgrade --sql needs FROM:TO', () => {
    const dir = project();
    expect(normalise(ok(dir, ['downgrade', 'b:a', '--sql']))).toBe(
      [
        'BEGIN;',
        '-- Running downgrade b -> a',
        'DROP TABLE t_users;',
        `UPDATE "cairn_version" SET version_num = 'a' WHERE version_num = 'b';`,
        historyInsert('b', 'down', checksum(B_TS)),
        'COMMIT;',
        '',
      ].join('\n'),
    );
    for (const args of [
      ['downgrade', '--sql'],
      ['downgrade', 'a', '--sql'],
    ]) {
      const result = cairn(dir, args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/downgrade --sql needs FROM:TO/);
    }
    expect(databaseFiles(dir)).toEqual([]);
  });

  it('stamp --sql writes the version rows only; --purge is refused', () => {
    const dir = project();
    const fromBase = normalise(ok(dir, ['stamp', 'b', '--sql']));
    expect(fromBase).toMatch(/^CREATE TABLE IF NOT EXISTS "cairn_version"/);
    expect(fromBase).toContain(
      [
        'BEGIN;',
        '-- Running stamp_revision  -> b',
        `INSERT INTO "cairn_version" (version_num) VALUES ('b');`,
        historyInsert('b', 'stamp', ''),
        'COMMIT;',
        '',
      ].join('\n'),
    );
    expect(normalise(ok(dir, ['stamp', 'a:b', '--sql']))).toBe(
      [
        'BEGIN;',
        '-- Running stamp_revision a -> b',
        `UPDATE "cairn_version" SET version_num = 'b' WHERE version_num = 'a';`,
        historyInsert('b', 'stamp', ''),
        'COMMIT;',
        '',
      ].join('\n'),
    );
    const purge = cairn(dir, ['stamp', 'b', '--sql', '--purge']);
    expect(purge.status).toBe(2);
    expect(purge.stderr).toMatch(/--purge cannot be used with --sql/);
    expect(databaseFiles(dir)).toEqual([]);
  });

  it('refuses what offline mode cannot know, and ranges without --sql', () => {
    const dir = project();
    expect(cairn(dir, ['upgrade', 'current:head', '--sql']).stderr).toMatch(/'current'.*needs a database connection/);
    expect(cairn(dir, ['upgrade', '--sql', '--dry-run']).status).toBe(2);
    expect(databaseFiles(dir)).toEqual([]);
    const json = JSON.parse(cairn(dir, ['upgrade', 'a:b', '--json']).stdout);
    expect(json.error.code).toBe('INVALID_TARGET');
  });
});
