import { Migrator, RevisionGraph, statement } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresConnection, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';

// A connection that dies in the middle of a step (pg_terminate_backend, a server restart, a
// proxy timing out): the pipelined session has statements in flight and openings held back.
describe('a connection lost in the middle of a run', () => {
  const database = testDatabase();
  let watcher: PostgresConnection;
  beforeAll(async () => {
    watcher = await openPostgres(database.url());
  });
  afterAll(async () => {
    await watcher?.close();
  });

  const graph = RevisionGraph.from(
    ['a', 'b', 'c'].map((revision, k) => ({
      revision,
      downRevision: k === 0 ? [] : [['a', 'b', 'c'][k - 1]!],
      branchLabels: [],
      dependsOn: [],
      message: `create lc_${revision}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
      transaction: true,
    })),
  );
  let sleepInB = true;
  const migrator = (conn: PostgresConnection) =>
    new Migrator({
      graph,
      dialect: postgresDialect(),
      session: conn.session,
      toolVersion: 'test',
      loader: {
        async load(meta) {
          return {
            checksum: `sum-${meta.revision}`,
            async run(direction, ctx) {
              if (direction === 'down') return;
              await ctx.sql(`CREATE TABLE lc_${meta.revision} (id integer)`);
              // b waits long enough to be killed mid-step, inside its transaction (first run only).
              if (meta.revision === 'b' && sleepInB) await ctx.sql('SELECT pg_sleep(5)');
            },
          };
        },
      },
    });

  it('rejects with the step’s own error, keeps what had committed, and the next run finishes', async () => {
    const victim = await openPostgres(database.url());
    // Its outcome is taken at once: the run may reject while the kill is still being answered.
    const running = migrator(victim)
      .upgrade('head')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // Wait until b is sleeping, then end its backend.
    for (let tries = 0; ; tries++) {
      const [row] = await watcher.session.query<{ pid: number }>(
        statement(
          "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND datname = current_database()",
        ),
      );
      if (row !== undefined) {
        await watcher.session.query(statement('SELECT pg_terminate_backend($1)', [row.pid]));
        break;
      }
      if (tries > 200) throw new Error('b never started sleeping');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const error = await running;
    await victim.close();
    // b's own failure is what the run reports, not the history insert that could not follow it.
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', details: { revision: 'b', direction: 'up' } });
    expect((error as Error).message).toMatch(
      /^upgrade of revision 'b' failed: terminating connection due to administrator command\n[\s\S]*\nthe failure could not be recorded in the history table either \(.+\)$/,
    );

    const rows = async (sql: string) => watcher.session.query(statement(sql));
    expect(await rows('SELECT version_num FROM cairn_version')).toEqual([{ version_num: 'a' }]);
    expect(await rows("SELECT tablename FROM pg_tables WHERE tablename LIKE 'lc\\_%' ORDER BY 1")).toEqual([
      { tablename: 'lc_a' },
    ]);
    // The advisory lock went with the backend: a new connection runs the rest at once.
    sleepInB = false;
    const again = await openPostgres(database.url());
    try {
      const rest = await migrator(again).upgrade('head');
      expect(rest.failed).toBeUndefined();
      expect(rest.applied.map((s) => s.revision)).toEqual(['b', 'c']);
    } finally {
      await again.close();
    }
    expect(await rows('SELECT version_num FROM cairn_version')).toEqual([{ version_num: 'c' }]);
  }, 10_000);
});
