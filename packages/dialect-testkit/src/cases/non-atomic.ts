import { isCairnError, type LoadedMigration, type MigrationLoader, Migrator } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';
import { caseTables, existingTables, historyOf, linearGraph } from '../fixtures.js';

/** n1 → n2 → n3, where n2 declares `transaction: false`: it can never be atomic. */
const chain = () => linearGraph(['n1', 'n2', 'n3'], ['n2']);

/**
 * Steps that run outside a transaction — `transaction: false` here; every step on a dialect whose
 * DDL commits implicitly — are recorded as `started` before and `succeeded` after. One that fails
 * part-way leaves the database dirty: the next run refuses, naming the step, until `resolve`
 * records whether the repaired database has the step applied or rolled back.
 */
export function nonAtomicCases(options: DialectSuiteOptions): void {
  const { dialect } = options;
  const state = dialect.state;

  describe(`${dialect.name}: steps outside a transaction`, () => {
    let conn: TestConnection;
    beforeAll(async () => {
      conn = await options.connect();
    });
    afterAll(async () => {
      await conn?.close();
    });

    const setup = (prefix: string) => {
      const tables = caseTables(prefix);
      const failing = { n2: false, n3: false };
      const loader: MigrationLoader = {
        async load(meta): Promise<LoadedMigration> {
          const name = state.quoteIdentifier(tables.table(meta.revision));
          return {
            checksum: `sum-${meta.revision}`,
            async run(direction, ctx) {
              if (direction === 'down') {
                await ctx.sql(`DROP TABLE ${name}`);
                return;
              }
              await ctx.sql(`CREATE TABLE ${name} (id integer)`);
              if (failing[meta.revision as 'n2' | 'n3']) throw new Error('boom after creating the table');
            },
          };
        },
      };
      const m = new Migrator({
        graph: chain(),
        dialect,
        session: conn.session,
        loader,
        versionTable: tables.versionTable,
        historyTable: tables.historyTable,
        toolVersion: 'testkit',
      });
      return { m, tables, failing };
    };
    const atomic = (rev: string) => dialect.capabilities.transactionalDdl && rev !== 'n2';
    const records = (rev: string, direction: 'up' | 'down') =>
      atomic(rev)
        ? [`${rev}:${direction}:succeeded`]
        : [`${rev}:${direction}:started`, `${rev}:${direction}:succeeded`];

    it('records a step outside a transaction as started, then succeeded, and downgrades it the same way', async () => {
      const { m, tables } = setup('na1');
      const up = await m.upgrade('head');
      expect(up.failed).toBeUndefined();
      expect(up.applied.map((s) => s.revision)).toEqual(['n1', 'n2', 'n3']);
      expect(await historyOf(conn.session, state, tables)).toEqual([
        ...records('n1', 'up'),
        ...records('n2', 'up'),
        ...records('n3', 'up'),
      ]);
      const down = await m.downgrade('base');
      expect(down.failed).toBeUndefined();
      expect(await m.current()).toEqual([]);
      expect(await existingTables(conn.session, state, tables, ['n1', 'n2', 'n3'])).toEqual([]);
    });

    it('a failure part-way leaves the database dirty; the next run refuses and names the step', async () => {
      const { m, tables, failing } = setup('na2');
      failing.n2 = true;
      const run = await m.upgrade('head');
      expect(run.applied.map((s) => s.revision)).toEqual(['n1']);
      expect(run.failed?.revision).toBe('n2');
      expect(run.failed?.error.message).toMatch(/outside a transaction/);
      expect(run.failed?.error.message).toMatch(/cairn resolve n2/);
      expect(run.notRun).toEqual(['n3']);
      // Nothing rolled it back: the table n2 created is there, the version table is at n1.
      expect(await existingTables(conn.session, state, tables, ['n1', 'n2', 'n3'])).toEqual(['n1', 'n2']);
      expect(await m.current()).toEqual(['n1']);
      expect((await historyOf(conn.session, state, tables)).slice(-2)).toEqual(['n2:up:started', 'n2:up:failed']);

      failing.n2 = false;
      const refused = await m.upgrade('head').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isCairnError(refused) && refused.code).toBe('DIRTY_DATABASE');
      expect((refused as Error).message).toMatch(/upgrade of 'n2'/);
      expect((refused as Error).message).toMatch(/cairn resolve n2 --applied/);
      // Refused before anything ran.
      expect(await m.current()).toEqual(['n1']);

      // The user repairs the database by hand (drops what n2 left) and says so.
      await conn.session.execute({ sql: `DROP TABLE ${state.quoteIdentifier(tables.table('n2'))}`, params: [] });
      const resolved = await m.resolve('n2', 'rolled-back');
      expect(resolved.current).toEqual(['n1']);
      const again = await m.upgrade('head');
      expect(again.failed).toBeUndefined();
      expect(again.applied.map((s) => s.revision)).toEqual(['n2', 'n3']);
      expect(await m.current()).toEqual(['n3']);
    });

    it('resolve --applied moves the version table as the step would have', async () => {
      const { m, failing } = setup('na3');
      failing.n2 = true;
      await m.upgrade('head');
      // n2's only change (its table) is in place: the step is, in effect, applied.
      const resolved = await m.resolve('n2', 'applied');
      expect(resolved.current).toEqual(['n2']);
      failing.n2 = false;
      const rest = await m.upgrade('head');
      expect(rest.applied.map((s) => s.revision)).toEqual(['n3']);
      await expect(m.resolve('n2', 'applied')).rejects.toThrow(/not dirty/);
    });

    it('a step whose process died after recording its start leaves the database dirty', async () => {
      const { m, tables } = setup('na4');
      await m.upgrade('n1');
      // What a killed process leaves: the start of a step outside a transaction, and no end.
      const recordStart = (revision: string) =>
        conn.session.execute(
          state.insertHistory(
            {
              revision,
              direction: 'up',
              checksum: `sum-${revision}`,
              startedAt: new Date(),
              finishedAt: null,
              status: 'started',
              error: null,
              durationMs: null,
              toolVersion: 'testkit',
            },
            tables.historyTable,
          ),
        );
      // The dirty check reads only what follows each revision's last settled record.
      const unsettled = async () =>
        (await conn.session.query(state.readUnsettledHistory(tables.historyTable))).map(
          (r) => `${String(r.revision)}:${String(r.direction)}:${String(r.status)}`,
        );
      expect(await unsettled()).toEqual([]);
      await recordStart('n2');
      expect(await unsettled()).toEqual(['n2:up:started']);
      await expect(m.upgrade('head')).rejects.toThrow(/never finished \(the process died or was killed\)/);
      // A plan with nothing to do is not refused: `upgrade` to where the database already is.
      expect((await m.upgrade('n1')).applied).toEqual([]);

      // Two steps waiting (as a history written by hand could leave): a prefix of both is refused
      // instead of resolving whichever comes first; the full ids resolve each.
      await recordStart('n3');
      expect(await unsettled()).toEqual(['n2:up:started', 'n3:up:started']);
      await expect(m.resolve('n', 'rolled-back')).rejects.toThrow(
        /'n' matches more than one step waiting to be resolved \(the upgrade of 'n2' and the upgrade of 'n3'\)/,
      );
      await m.resolve('n3', 'rolled-back');
      expect(await unsettled()).toEqual(['n2:up:started']);
      await m.resolve('n2', 'rolled-back');
      expect(await unsettled()).toEqual([]);
      expect((await m.upgrade('head')).applied.map((s) => s.revision)).toEqual(['n2', 'n3']);
    });

    // Registered only where steps can be atomic: on other dialects every step is non-atomic.
    if (dialect.capabilities.transactionalDdl) {
      it('a failure of an atomic step rolls back and leaves nothing dirty', async () => {
        const { m, tables, failing } = setup('na5');
        failing.n3 = true;
        const run = await m.upgrade('head');
        expect(run.failed?.revision).toBe('n3');
        expect(await existingTables(conn.session, state, tables, ['n3'])).toEqual([]);
        expect((await historyOf(conn.session, state, tables)).slice(-1)).toEqual(['n3:up:failed']);
        failing.n3 = false;
        const again = await m.upgrade('head');
        expect(again.applied.map((s) => s.revision)).toEqual(['n3']);
      });
    }
  });
}
