import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { branchedSqlMigrations, cairn, cairnConcurrently, ok, sqlMigration, tempDir, writeFiles } from './helpers.js';

/**
 * The CLI against the real local MariaDB server. Each project gets a database of its own
 * (`cairn_cli_<pid>_<name>`), dropped after the file, so this runs in parallel with the others.
 */
const SERVER = process.env.CAIRN_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const prefix = `cairn_cli_${process.pid}_${Date.now().toString(36)}`;
const made: string[] = [];

async function admin<T>(work: (c: mysql.Connection) => Promise<T>, database?: string): Promise<T> {
  const connection = await mysql.createConnection(database === undefined ? SERVER : `${SERVER}/${database}`);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

afterAll(async () => {
  for (const name of made) await admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
});

/** A project on a new database, by default with the branched history a → b → (c1 → d1), (c2 → d2). */
async function project(
  name: string,
  files: Readonly<Record<string, string>> = branchedSqlMigrations(),
): Promise<{ dir: string; database: string }> {
  const database = `${prefix}_${name}`;
  await admin((c) => c.query(`CREATE DATABASE \`${database}\``));
  made.push(database);
  const dir = tempDir();
  writeFiles(dir, {
    'cairn.config.json': JSON.stringify({ dialect: 'mysql', url: `${SERVER}/${database}`, migrations: 'migrations' }),
    ...files,
  });
  return { dir, database };
}

async function inspect(database: string): Promise<{ tables: string[]; rows: string[]; history: string[] }> {
  return admin(async (c) => {
    const [tables] = await c.query(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%' ORDER BY 1",
    );
    const [rows] = await c.query('SELECT version_num FROM cairn_version ORDER BY version_num');
    const [history] = await c.query('SELECT revision, direction, status FROM cairn_history ORDER BY id');
    return {
      tables: (tables as { t: string }[]).map((r) => r.t),
      rows: (rows as { version_num: string }[]).map((r) => r.version_num),
      history: (history as { revision: string; direction: string; status: string }[]).map(
        (r) => `${r.revision}:${r.direction}:${r.status}`,
      ),
    };
  }, database);
}

describe('the CLI on MariaDB', () => {
  it('upgrades a branched history, downgrades one branch, stamps, and reports a failing migration as dirty', async () => {
    const { dir, database } = await project('walk');
    ok(dir, ['upgrade', 'heads']);
    expect(ok(dir, ['current'])).toBe('d1 (head)\nd2 (head)\n');
    ok(dir, ['downgrade', 'c1@base']);
    expect(await inspect(database)).toMatchObject({ tables: ['t_a', 't_b', 't_c2', 't_d2'], rows: ['d2'] });
    // MySQL's DDL commits implicitly: every step is recorded as started, then succeeded.
    expect((await inspect(database)).history.slice(0, 2)).toEqual(['a:up:started', 'a:up:succeeded']);
    expect(JSON.parse(ok(dir, ['stamp', 'b', '--json'])).current).toEqual(['b']);

    ok(dir, ['downgrade', 'base']);
    writeFiles(dir, {
      'migrations/20260101000002_c1_c1.sql': sqlMigration(
        'c1',
        'b',
        'CREATE TABLE t_c1 (id integer);\nINSERT INTO no_such_table VALUES (1);',
      ),
    });
    const failed = cairn(dir, ['upgrade', 'c1']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/upgrade of migrations\/20260101000002_c1_c1\.sql failed: .*no_such_table/);
    expect(failed.stderr).toContain('outside a transaction');
    const after = await inspect(database);
    expect(after.rows).toEqual(['b']);
    // t_c1 stays: its CREATE TABLE committed before the INSERT failed.
    expect(after.tables).toEqual(['t_a', 't_b', 't_c1', 't_c2', 't_d2']);
    expect(after.history.slice(-2)).toEqual(['c1:up:started', 'c1:up:failed']);

    const refused = cairn(dir, ['upgrade', 'heads']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("the database is dirty: the upgrade of 'c1'");
    // Repaired by hand, and said so.
    await admin((c) => c.query('DROP TABLE t_c1'), database);
    ok(dir, ['resolve', 'c1', '--rolled-back']);
    // --single-transaction is refused alike online and with --sql: MySQL's DDL commits implicitly.
    const online = cairn(dir, ['upgrade', 'c1', '--single-transaction']);
    const offline = cairn(dir, ['upgrade', '--sql', 'b:c1', '--single-transaction']);
    expect(online.stderr).toContain('cannot make the run atomic');
    expect(offline.stderr).toContain('cannot make the run atomic');
    expect([offline.status, offline.stdout]).toEqual([online.status, '']);
    expect(online.status).not.toBe(0);
  });

  it('applies each migration once when eight processes upgrade at once', async () => {
    const { dir, database } = await project('race');
    const runs = await cairnConcurrently(dir, ['upgrade', 'heads', '--json'], 8);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const applied = runs.flatMap((r) =>
      (JSON.parse(r.stdout) as { steps: { revision: string }[] }).steps.map((s) => s.revision),
    );
    expect(applied.sort()).toEqual(['a', 'b', 'c1', 'c2', 'd1', 'd2']);
    expect(await inspect(database)).toMatchObject({
      rows: ['d1', 'd2'],
      tables: ['t_a', 't_b', 't_c1', 't_c2', 't_d1', 't_d2'],
    });
  });

  it('changes an ENUM column with its whole definition kept, through ctx.op', async () => {
    const { dir, database } = await project('enum', {
      'migrations/20260101000000_a_a.sql': sqlMigration('a', ''),
      'migrations/20260101000001_e_enum.ts': [
        "import { defineMigration, column, enumType, text } from '@cairn/core';",
        'export default defineMigration({',
        "  revision: 'e',",
        "  downRevision: 'a',",
        "  message: 'enum',",
        '  async upgrade({ op, sql }) {',
        "    await op.createTable({ name: 'person', columns: [column('name', text()), column('m', enumType('mood', ['happy', 'sad']), { nullable: false, default: 'happy', comment: 'feeling' })] });",
        "    await sql(\"INSERT INTO person (name, m) VALUES ('ann', 'sad')\");",
        "    await op.alterColumn('person', 'm', { type: enumType('mood', ['happy', 'sad', 'meh']) });",
        '  },',
        '  async downgrade({ op }) {',
        "    await op.dropTable('person');",
        '  },',
        '});',
      ].join('\n'),
    });
    ok(dir, ['upgrade']);
    const [rows] = await admin(
      (c) =>
        c.query(
          "SELECT column_type AS t, is_nullable AS n, column_default AS d, column_comment AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'person' AND column_name = 'm'",
        ),
      database,
    );
    expect(rows).toEqual([{ t: "enum('happy','sad','meh')", n: 'NO', d: "'happy'", c: 'feeling' }]);
    ok(dir, ['downgrade', 'base']);
    expect((await inspect(database)).rows).toEqual([]);
  });
});
