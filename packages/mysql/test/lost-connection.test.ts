import { isCairnError, Migrator, RevisionGraph, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlConnection, mysqlDialect, openMysql } from '../src/index.js';
import { testDatabase } from './database.js';

// A connection killed in the middle of a step (KILL CONNECTION, a server restart, wait_timeout).
// MySQL's DDL commits as it runs, so the step was recorded as started: it must stay dirty.
describe('a connection lost in the middle of a run', () => {
  const database = testDatabase();
  let watcher: MysqlConnection;
  beforeAll(async () => {
    watcher = await openMysql(database.url());
  });
  afterAll(async () => {
    await watcher?.close();
  });

  const revisions = ['a', 'b', 'c'];
  const graph = RevisionGraph.from(
    revisions.map((revision, k) => ({
      revision,
      downRevision: k === 0 ? [] : [revisions[k - 1]!],
      branchLabels: [],
      dependsOn: [],
      message: `create lc_${revision}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
      transaction: true,
    })),
  );
  let sleepInB = true;
  const migrator = (conn: MysqlConnection) =>
    new Migrator({
      graph,
      dialect: mysqlDialect({ lock: { pollMs: 20 } }),
      session: conn.session,
      toolVersion: 'test',
      loader: {
        async load(meta) {
          return {
            checksum: `sum-${meta.revision}`,
            async run(direction, ctx) {
              if (direction === 'down') return;
              await ctx.sql(`CREATE TABLE lc_${meta.revision} (id integer)`);
              // b waits long enough to be killed mid-step (first run only).
              if (meta.revision === 'b' && sleepInB) await ctx.sql('SELECT SLEEP(5)');
            },
          };
        },
      },
    });

  it('rejects with the step’s own error and leaves the step dirty, with the way out named', async () => {
    const victim = await openMysql(database.url());
    // Its outcome is taken at once: the run may reject while the kill is still being answered.
    const running = migrator(victim)
      .upgrade('head')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    for (let tries = 0; ; tries++) {
      const [row] = await watcher.session.query<{ id: number }>(
        statement(
          "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)' AND DB = DATABASE()",
        ),
      );
      if (row !== undefined) {
        await watcher.session.execute(statement(`KILL CONNECTION ${Number(row.id)}`));
        break;
      }
      if (tries > 200) throw new Error('b never started sleeping');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const error = await running;
    await victim.close();
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', details: { revision: 'b', direction: 'up' } });
    expect((error as Error).message).toMatch(
      /^upgrade of revision 'b' failed: [\s\S]*\nthe failure could not be recorded in the history table either \(.+\)$/,
    );

    // b's table committed as it was created, and its start was recorded: the database is dirty.
    const rows = (sql: string) => watcher.session.query(statement(sql));
    expect(await rows('SELECT version_num FROM cairn_version')).toEqual([{ version_num: 'a' }]);
    expect(
      await rows(
        "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'lc\\_%' ORDER BY 1",
      ),
    ).toEqual([{ t: 'lc_a' }, { t: 'lc_b' }]);
    sleepInB = false;
    const again = await openMysql(database.url());
    try {
      const refused = await migrator(again)
        .upgrade('head')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isCairnError(refused) && refused.code).toBe('DIRTY_DATABASE');
      expect((refused as Error).message).toMatch(
        /the upgrade of 'b' ran outside a transaction and never finished[\s\S]*cairn resolve b --applied/,
      );
      // b's only change (its table) is in place: resolved as applied, the run goes on from there.
      await migrator(again).resolve('b', 'applied');
      const rest = await migrator(again).upgrade('head');
      expect(rest.applied.map((s) => s.revision)).toEqual(['c']);
    } finally {
      await again.close();
    }
  }, 10_000);
});
