import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  branchedSqlMigrations,
  cairn,
  cairnConcurrently,
  initProject,
  ok,
  sqlMigration,
  writeFiles,
} from './helpers.js';

/** The project's SQLite file, read directly (not through cairn). */
function inspect(dir: string): { tables: string[]; rows: string[]; history: string[] } {
  const db = new Database(join(dir, 'cairn.db'), { readonly: true });
  try {
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
    const rows = (
      db.prepare('SELECT version_num FROM cairn_version ORDER BY version_num').all() as { version_num: string }[]
    ).map((r) => r.version_num);
    const history = (
      db.prepare('SELECT revision, direction, status FROM cairn_history ORDER BY id').all() as {
        revision: string;
        direction: string;
        status: string;
      }[]
    ).map((r) => `${r.revision}:${r.direction}:${r.status}`);
    return { tables, rows, history };
  } finally {
    db.close();
  }
}

/** a → b → (c1 → d1), (c2 → d2) as .sql files, created one second apart. */
function branchedProject(): string {
  const dir = initProject();
  writeFiles(dir, branchedSqlMigrations());
  return dir;
}

describe('upgrade, downgrade, stamp and current on SQLite', () => {
  it('walks a branched history up and down and keeps the version table true', () => {
    const dir = branchedProject();
    expect(cairn(dir, ['upgrade']).stderr).toMatch(/'head' is ambiguous/);
    expect(ok(dir, ['upgrade', 'heads'])).toBe(
      [
        'Running upgrade  -> a, create t_a',
        'Running upgrade a -> b, create t_b',
        'Running upgrade b -> c1, create t_c1',
        'Running upgrade c1 -> d1, create t_d1',
        'Running upgrade b -> c2, create t_c2',
        'Running upgrade c2 -> d2, create t_d2',
        '',
      ].join('\n'),
    );
    expect(ok(dir, ['current'])).toBe('d1 (head)\nd2 (head)\n');
    expect(JSON.parse(ok(dir, ['current', '--json']))).toEqual({ current: ['d1', 'd2'] });
    ok(dir, ['current', '--check-heads']);

    expect(cairn(dir, ['downgrade']).stderr).toMatch(/ambiguous.*name the branch/);
    const down = JSON.parse(ok(dir, ['downgrade', 'c1@-1', '--json']));
    expect(down.steps.map((s: { revision: string }) => s.revision)).toEqual(['d1']);
    expect(down.current).toEqual(['c1', 'd2']);
    expect(cairn(dir, ['current', '--check-heads']).status).toBe(1);
    expect(inspect(dir).tables).toEqual(['t_a', 't_b', 't_c1', 't_c2', 't_d2']);

    ok(dir, ['downgrade', 'base']);
    expect(inspect(dir)).toMatchObject({ tables: [], rows: [] });
  });

  it('takes a relative target as a plain argument, as Alembic does (downgrade -2)', () => {
    const dir = branchedProject();
    ok(dir, ['upgrade', 'd1']);
    expect(ok(dir, ['current'])).toBe('d1 (head)\n');
    // Before an option or after one: never read as a group of short options.
    expect(JSON.parse(ok(dir, ['downgrade', '-2', '--json'])).current).toEqual(['b']);
    ok(dir, ['upgrade', 'd1']);
    expect(JSON.parse(ok(dir, ['downgrade', '--json', '-1'])).current).toEqual(['c1']);
    // Other options are still checked.
    expect(cairn(dir, ['downgrade', '-1', '-x']).stderr).toMatch(/unknown option -x for cairn downgrade/);
  });

  it('stamps without running anything, and dry-runs without writing', () => {
    const dir = branchedProject();
    expect(JSON.parse(ok(dir, ['stamp', 'b', '--json'])).current).toEqual(['b']);
    expect(inspect(dir)).toMatchObject({ tables: [], rows: ['b'], history: ['b:stamp:succeeded'] });
    expect(ok(dir, ['upgrade', 'c2', '--dry-run'])).toBe('Would run upgrade b -> c2\n');
    expect(ok(dir, ['history', '-i', '-r', ':c1'])).toBe(
      'b -> c1, create t_c1\na -> b (current) (branchpoint), create t_b\n<base> -> a, create t_a\n',
    );
    expect(ok(dir, ['history', '-i', '-r', 'current:c2'])).toBe(
      'b -> c2, create t_c2\na -> b (current) (branchpoint), create t_b\n',
    );
    expect(cairn(dir, ['stamp', 'a', 'd1']).stderr).toMatch(/STAMP|stamp only the newest/);
    expect(inspect(dir).rows).toEqual(['b']);
  });

  it('stops at a migration that fails halfway; the version table and history tell the truth', () => {
    const dir = branchedProject();
    writeFiles(dir, {
      'migrations/20260101000002_c1_c1.sql': sqlMigration(
        'c1',
        'b',
        'CREATE TABLE t_c1 (id integer);\nINSERT INTO no_such_table VALUES (1);',
      ),
    });
    const result = cairn(dir, ['upgrade', 'heads']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('Running upgrade  -> a, create t_a\nRunning upgrade a -> b, create t_b\n');
    expect(result.stderr).toMatch(
      /^FAILED: upgrade of migrations\/20260101000002_c1_c1\.sql failed: no such table: no_such_table/,
    );
    expect(result.stderr).toContain('while running: INSERT INTO no_such_table VALUES (1)');
    expect(inspect(dir)).toEqual({
      tables: ['t_a', 't_b'],
      rows: ['b'],
      history: ['a:up:succeeded', 'b:up:succeeded', 'c1:up:failed'],
    });

    const json = JSON.parse(cairn(dir, ['upgrade', 'heads', '--json']).stdout);
    expect(json.error.code).toBe('MIGRATION_FAILED');
    expect(json.error.details).toMatchObject({ revision: 'c1', steps: [], notRun: ['d1', 'c2', 'd2'], current: ['b'] });
  });

  it('runs TypeScript migrations with parameterised SQL, without @cairn/core installed in the project', () => {
    const dir = initProject();
    writeFiles(dir, {
      'migrations/20260101000000_a_users.ts': [
        "import { defineMigration } from '@cairn/core';",
        'export default defineMigration({',
        "  revision: 'a',",
        '  downRevision: null,',
        "  message: 'users',",
        '  async upgrade(ctx) {',
        "    await ctx.sql('CREATE TABLE t_users (name text)');",
        "    await ctx.sql('INSERT INTO t_users (name) VALUES (?)', [\"o'brien; drop table x\"]);",
        '  },',
        '  async downgrade(ctx) {',
        "    await ctx.sql('DROP TABLE t_users');",
        '  },',
        '});',
      ].join('\n'),
    });
    ok(dir, ['upgrade']);
    const db = new Database(join(dir, 'cairn.db'), { readonly: true });
    expect(db.prepare('SELECT name FROM t_users').all()).toEqual([{ name: "o'brien; drop table x" }]);
    db.close();
    ok(dir, ['downgrade']);
    expect(inspect(dir)).toMatchObject({ tables: [], rows: [] });
  });

  it('check fails on several heads and on applied migrations edited after they ran', () => {
    const dir = branchedProject();
    const heads = cairn(dir, ['check', '--json']);
    expect(heads.status).toBe(1);
    expect(JSON.parse(heads.stdout).error.details.findings.map((f: { kind: string }) => f.kind)).toEqual([
      'multipleHeads',
    ]);

    writeFiles(dir, { 'migrations/20260101000006_m_merge.sql': sqlMigration('m', 'd1, d2', 'SELECT 1;') });
    ok(dir, ['upgrade']);
    expect(ok(dir, ['check'])).toBe('No problems found.\n');

    // An edit that keeps the metadata but changes what ran.
    writeFiles(dir, {
      'migrations/20260101000001_b_b.sql': sqlMigration('b', 'a', 'CREATE TABLE t_b (id integer, extra text);'),
    });
    const edited = cairn(dir, ['check']);
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain('migrations/20260101000001_b_b.sql changed after it was applied');
    // Stamping b over it says the database is at b by other means: nothing to compare any more.
    ok(dir, ['stamp', 'b', '--purge']);
    expect(ok(dir, ['check'])).toBe('No problems found.\n');
  });

  it('runs ctx.op operations through the SQLite compiler, rebuilding a table where SQLite cannot ALTER', () => {
    const dir = initProject();
    writeFiles(dir, {
      'migrations/20260101000000_a_account.ts': [
        "import { column, defineMigration, integer, varchar } from '@cairn/core';",
        'export default defineMigration({',
        "  revision: 'a',",
        '  downRevision: null,',
        '  async upgrade({ op }) {',
        "    await op.createTable({ name: 't_account', columns: [column('id', integer(), { nullable: false }), column('email', varchar(255), { nullable: false })], primaryKey: ['id'] });",
        "    await op.createIndex('t_account_email', 't_account', ['email'], { unique: true });",
        "    await op.bulkInsert('t_account', [{ id: 1, email: 'a@example.com' }]);",
        '  },',
        '  async downgrade({ op }) {',
        "    await op.dropTable('t_account');",
        '  },',
        '});',
      ].join('\n'),
      'migrations/20260101000001_b_nullable.ts': [
        "import { defineMigration } from '@cairn/core';",
        'export default defineMigration({',
        "  revision: 'b',",
        "  downRevision: 'a',",
        '  async upgrade({ op }) {',
        "    await op.alterColumn('t_account', 'email', { nullable: { to: true, from: false } });",
        '  },',
        '  async downgrade({ op }) {',
        "    await op.alterColumn('t_account', 'email', { nullable: { to: false, from: true } });",
        '  },',
        '});',
      ].join('\n'),
    });
    ok(dir, ['upgrade']);
    const db = new Database(join(dir, 'cairn.db'));
    db.prepare('INSERT INTO t_account (id, email) VALUES (2, NULL)').run();
    expect(db.prepare('SELECT id, email FROM t_account ORDER BY id').all()).toEqual([
      { id: 1, email: 'a@example.com' },
      { id: 2, email: null },
    ]);
    expect(() => db.prepare("INSERT INTO t_account (id, email) VALUES (3, 'a@example.com')").run()).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM t_account WHERE id = 2').run();
    db.close();
    ok(dir, ['downgrade']);
    const after = new Database(join(dir, 'cairn.db'));
    expect(() => after.prepare('INSERT INTO t_account (id, email) VALUES (4, NULL)').run()).toThrow(/NOT NULL/);
    after.close();
  });

  it('applies each migration once when four processes upgrade at once', async () => {
    const dir = branchedProject();
    const runs = await cairnConcurrently(dir, ['upgrade', 'heads', '--json'], 4);
    for (const run of runs) expect(run.code).toBe(0);
    const applied = runs.flatMap((r) =>
      (JSON.parse(r.stdout) as { steps: { revision: string }[] }).steps.map((s) => s.revision),
    );
    expect(applied.sort()).toEqual(['a', 'b', 'c1', 'c2', 'd1', 'd2']);
    expect(inspect(dir)).toMatchObject({ rows: ['d1', 'd2'], tables: ['t_a', 't_b', 't_c1', 't_c2', 't_d1', 't_d2'] });
  });
});
