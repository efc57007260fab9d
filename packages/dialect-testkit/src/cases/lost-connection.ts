import { isCairnError, Migrator } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';
import { caseTables, existingTables, linearGraph } from '../fixtures.js';

const REVISIONS = ['a', 'b', 'c'];

/**
 * A connection that dies in the middle of a step (a terminated backend, `KILL CONNECTION`, a
 * restart): the run reports that step's own failure, the version table keeps what had committed,
 * and the next run either finishes (the step rolled back) or refuses until `resolve` (its DDL
 * had committed). Registered where the dialect says how to kill a connection (`lostConnection`).
 */
export function lostConnectionCases(options: DialectSuiteOptions): void {
  const { dialect, lostConnection } = options;
  if (lostConnection === undefined) return;
  const state = dialect.state;

  describe(`${dialect.name}: a connection lost in the middle of a run`, () => {
    let watcher: TestConnection;
    beforeAll(async () => {
      watcher = await options.connect();
    });
    afterAll(async () => {
      await watcher?.close();
    });

    const tables = caseTables('lc');
    const graph = linearGraph(REVISIONS);
    let sleepInB = true;
    const migrator = (conn: TestConnection) =>
      new Migrator({
        graph,
        dialect,
        session: conn.session,
        versionTable: tables.versionTable,
        historyTable: tables.historyTable,
        toolVersion: 'testkit',
        loader: {
          async load(meta) {
            return {
              checksum: `sum-${meta.revision}`,
              async run(_direction, ctx) {
                await ctx.sql(`CREATE TABLE ${state.quoteIdentifier(tables.table(meta.revision))} (id integer)`);
                // b waits long enough to be killed mid-step (first run only).
                if (meta.revision === 'b' && sleepInB) await ctx.sql(lostConnection.sleep);
              },
            };
          },
        },
      });

    it('rejects with the step’s own error; the version table keeps what had committed', async () => {
      const victim = await options.connect();
      // Its outcome is taken at once: the run may reject while the kill is still being answered.
      const running = migrator(victim)
        .upgrade('head')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      for (let tries = 0; !(await lostConnection.killSleeping(watcher.session)); tries++) {
        if (tries > 200) throw new Error(`b never started sleeping (${lostConnection.sleep})`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const error = await running;
      await victim.close();
      // b's failure is what the run reports, not the history insert that could not follow it.
      expect(error).toMatchObject({ code: 'MIGRATION_FAILED', details: { revision: 'b', direction: 'up' } });
      expect((error as Error).message).toMatch(
        /^upgrade of revision 'b' failed: [\s\S]*\nthe failure could not be recorded in the history table either \(.+\)$/,
      );
      const [row] = await watcher.session.query(state.readVersionRows(tables.versionTable));
      expect(row?.version_num).toBe('a');

      sleepInB = false;
      const again = await options.connect();
      try {
        if (dialect.capabilities.transactionalDdl) {
          // b rolled back with its transaction; the advisory lock went with the connection.
          expect(await existingTables(watcher.session, state, tables, REVISIONS)).toEqual(['a']);
        } else {
          // b's table committed as it was created, and its start was recorded: dirty until resolved.
          expect(await existingTables(watcher.session, state, tables, REVISIONS)).toEqual(['a', 'b']);
          const refused = await migrator(again)
            .upgrade('head')
            .then(
              () => undefined,
              (e: unknown) => e,
            );
          expect(isCairnError(refused) && refused.code).toBe('DIRTY_DATABASE');
          expect((refused as Error).message).toMatch(/the upgrade of 'b' ran outside a transaction and never finished/);
          await migrator(again).resolve('b', 'applied');
        }
        const rest = await migrator(again).upgrade('head');
        expect(rest.failed).toBeUndefined();
        expect(rest.current).toEqual(['c']);
        expect(await existingTables(watcher.session, state, tables, REVISIONS)).toEqual(REVISIONS);
      } finally {
        await again.close();
      }
    }, 15_000);
  });
}
