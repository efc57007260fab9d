import { describe, expect, it } from 'vitest';
import { branchedSqlMigrations, cairn, cairnConcurrently, ok, sqlMigration, tempDir, writeFiles } from './helpers.js';
import { postgresTestDatabase } from './postgres-database.js';

/**
 * The CLI against the real local PostgreSQL server. This file creates its own database and drops
 * it afterwards, so it runs in parallel with the other test files.
 */
const { url, admin } = postgresTestDatabase('cairn_cli');

/** A project on its own schema of the test database, with the branched history a → b → (c1 → d1), (c2 → d2). */
async function project(schema: string): Promise<string> {
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`), url);
  const dir = tempDir();
  writeFiles(dir, {
    'cairn.config.json': JSON.stringify({
      dialect: 'postgres',
      url: `${url}?options=-c%20search_path%3D${schema}`,
      migrations: 'migrations',
    }),
    ...branchedSqlMigrations(),
  });
  return dir;
}

async function inspect(schema: string): Promise<{ tables: string[]; rows: string[]; history: string[] }> {
  return admin(async (c) => {
    const tables = await c.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 't\\_%' ORDER BY table_name`,
      [schema],
    );
    const rows = await c.query(`SELECT version_num FROM ${schema}.cairn_version ORDER BY version_num`);
    const history = await c.query(`SELECT revision, direction, status FROM ${schema}.cairn_history ORDER BY id`);
    return {
      tables: tables.rows.map((r) => r.table_name as string),
      rows: rows.rows.map((r) => r.version_num as string),
      history: history.rows.map((r) => `${r.revision}:${r.direction}:${r.status}`),
    };
  }, url);
}

describe('the CLI on PostgreSQL', () => {
  it('upgrades a branched history, downgrades one branch, stamps, and reports a failing migration', async () => {
    const dir = await project('walk');
    ok(dir, ['upgrade', 'heads']);
    expect(ok(dir, ['current'])).toBe('d1 (head)\nd2 (head)\n');
    ok(dir, ['downgrade', 'c1@base']);
    expect(await inspect('walk')).toMatchObject({ tables: ['t_a', 't_b', 't_c2', 't_d2'], rows: ['d2'] });
    expect(JSON.parse(ok(dir, ['stamp', 'b', '--json'])).current).toEqual(['b']);

    writeFiles(dir, {
      'migrations/20260101000002_c1_c1.sql': sqlMigration(
        'c1',
        'b',
        'CREATE TABLE t_c1 (id integer);\nINSERT INTO no_such_table VALUES (1);',
      ),
    });
    ok(dir, ['downgrade', 'base']);
    const failed = cairn(dir, ['upgrade', 'c1']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(
      /upgrade of migrations\/20260101000002_c1_c1\.sql failed: relation "no_such_table" does not exist/,
    );
    const after = await inspect('walk');
    expect(after.rows).toEqual(['b']);
    // t_c2 and t_d2 stay: the stamp moved the version table without running their downgrades.
    expect(after.tables).toEqual(['t_a', 't_b', 't_c2', 't_d2']);
    expect(after.history.at(-1)).toBe('c1:up:failed');
  });

  it('applies each migration once when eight processes upgrade at once', async () => {
    const dir = await project('race');
    const runs = await cairnConcurrently(dir, ['upgrade', 'heads', '--json'], 8);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const applied = runs.flatMap((r) =>
      (JSON.parse(r.stdout) as { steps: { revision: string }[] }).steps.map((s) => s.revision),
    );
    expect(applied.sort()).toEqual(['a', 'b', 'c1', 'c2', 'd1', 'd2']);
    expect(await inspect('race')).toMatchObject({
      rows: ['d1', 'd2'],
      tables: ['t_a', 't_b', 't_c1', 't_c2', 't_d1', 't_d2'],
    });
  });
});
