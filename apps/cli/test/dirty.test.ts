import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, cairn, initProject, ok, sqlMigration, writeFiles } from './helpers.js';

// A step that runs outside a transaction (`transaction false`) and stops part-way leaves the
// database dirty: upgrade and downgrade refuse, naming the step, until `cairn resolve`.

function history(dir: string): string[] {
  const db = new Database(join(dir, 'cairn.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT revision, direction, status FROM cairn_history ORDER BY id').all() as {
        revision: string;
        direction: string;
        status: string;
      }[]
    ).map((r) => `${r.revision}:${r.direction}:${r.status}`);
  } finally {
    db.close();
  }
}

/** A `.sql` migration that runs outside a transaction. */
function outsideTransaction(rev: string, parents: string, body: string): string {
  return sqlMigration(rev, parents, body).replace('-- cairn:up', '-- cairn:transaction false\n\n-- cairn:up');
}

describe('a dirty database', () => {
  it('is refused after a step outside a transaction fails part-way, until resolve says what state it is in', () => {
    const dir = initProject();
    writeFiles(dir, {
      'migrations/20260101000000_a_a.sql': sqlMigration('a', ''),
      'migrations/20260101000001_b_b.sql': outsideTransaction(
        'b',
        'a',
        'CREATE TABLE t_b (id integer);\nINSERT INTO no_such_table VALUES (1);',
      ),
      'migrations/20260101000002_c_c.sql': sqlMigration('c', 'b'),
    });
    const failed = cairn(dir, ['upgrade']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('no such table: no_such_table');
    expect(failed.stderr).toContain('this step ran outside a transaction, so the database may hold part of it');
    expect(history(dir)).toEqual(['a:up:succeeded', 'b:up:started', 'b:up:failed']);

    const refused = cairn(dir, ['upgrade']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("the database is dirty: the upgrade of 'b' ran outside a transaction and failed");
    expect(refused.stderr).toContain('migrations/20260101000001_b_b.sql');
    expect(refused.stderr).toContain("'cairn resolve b --applied'");
    const check = JSON.parse(cairn(dir, ['check', '--json']).stdout);
    expect(check.error.code).toBe('CHECK_FAILED');
    expect(check.error.details.findings).toEqual([expect.objectContaining({ kind: 'dirtyDatabase', revision: 'b' })]);
    const json = JSON.parse(cairn(dir, ['downgrade', '--json']).stdout);
    expect(json.error.code).toBe('DIRTY_DATABASE');
    expect(json.error.details.dirty).toEqual([{ revision: 'b', direction: 'up', failed: true }]);

    // Repaired by hand: the half of b that ran is undone.
    const db = new Database(join(dir, 'cairn.db'));
    db.exec('DROP TABLE t_b');
    db.close();
    const usage = cairn(dir, ['resolve', 'b']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('exactly one of --applied and --rolled-back');
    expect(ok(dir, ['resolve', 'b', '--rolled-back'])).toContain('Resolved b as rolled back; the database is at a.');
    expect(cairn(dir, ['resolve', 'b', '--rolled-back']).stderr).toContain('the database is not dirty');

    // Fixed file, and the run goes on.
    writeFiles(dir, {
      'migrations/20260101000001_b_b.sql': outsideTransaction('b', 'a', 'CREATE TABLE t_b (id integer);'),
    });
    ok(dir, ['upgrade']);
    expect(ok(dir, ['current']).trim()).toMatch(/^c /);
    expect(history(dir).slice(-4)).toEqual(['b:up:resolved', 'b:up:started', 'b:up:succeeded', 'c:up:succeeded']);
  });

  it('is refused after the process running a step outside a transaction is killed', async () => {
    const dir = initProject();
    const marker = join(dir, 'inside-b');
    writeFiles(dir, {
      'migrations/20260101000000_a_a.sql': sqlMigration('a', ''),
      'migrations/20260101000001_b_b.ts': [
        "import { writeFileSync } from 'node:fs';",
        "import { defineMigration } from '@cairn/core';",
        'export default defineMigration({',
        "  revision: 'b',",
        "  downRevision: 'a',",
        "  message: 'slow',",
        '  transaction: false,',
        '  async upgrade(ctx) {',
        "    await ctx.sql('CREATE TABLE t_b (id integer)');",
        `    writeFileSync(${JSON.stringify(marker)}, 'x');`,
        '    await new Promise((resolve) => setTimeout(resolve, 60_000));',
        '  },',
        '  async downgrade(ctx) {',
        "    await ctx.sql('DROP TABLE t_b');",
        '  },',
        '});',
      ].join('\n'),
    });
    const child = spawn(process.execPath, [BIN, 'upgrade'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let waited = 0; !existsSync(marker); waited += 50) {
      if (waited > 20_000) throw new Error('the migration never started');
      await sleep(50);
    }
    child.kill('SIGKILL');
    await exited;

    const refused = cairn(dir, ['upgrade']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      "the database is dirty: the upgrade of 'b' ran outside a transaction and never finished (the process died or was killed)",
    );
    // What the killed step did is there; a resolve that says so moves the version table on.
    ok(dir, ['resolve', 'b', '--applied']);
    expect(ok(dir, ['current']).trim()).toMatch(/^b /);
    expect(history(dir)).toEqual(['a:up:succeeded', 'b:up:started', 'b:up:resolved']);
  });
});
