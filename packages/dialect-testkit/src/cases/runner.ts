import { Migrator, type MigratorOptions } from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';
import { branchedGraph, caseTables, existingTables, historyOf, stepRecords, tableLoader } from '../fixtures.js';

const ALL = ['a', 'b', 'c1', 'd1', 'c2', 'd2'];

/** The runner against a real database: what each step leaves in the schema and the tables. */
export function runnerCases(options: DialectSuiteOptions): void {
  const { dialect } = options;
  const state = dialect.state;

  describe(`${dialect.name}: running migrations`, () => {
    let conn: TestConnection;
    beforeAll(async () => {
      conn = await options.connect();
    });
    afterAll(async () => {
      await conn?.close();
    });

    const migrator = (
      prefix: string,
      extra: Partial<MigratorOptions> = {},
      loading: Parameters<typeof tableLoader>[2] = {},
    ) => {
      const tables = caseTables(prefix);
      const m = new Migrator({
        graph: branchedGraph(),
        dialect,
        session: conn.session,
        loader: tableLoader(state, tables, loading),
        versionTable: tables.versionTable,
        historyTable: tables.historyTable,
        toolVersion: 'testkit',
        ...extra,
      });
      return { m, tables };
    };

    it('upgrades through branches and a label, then downgrades one branch and all of them', async () => {
      const { m, tables } = migrator('rn1');
      expect(await m.current()).toEqual([]);

      const first = await m.upgrade('c1branch@head');
      expect(first.failed).toBeUndefined();
      expect(first.applied.map((s) => s.revision)).toEqual(['a', 'b', 'c1', 'd1']);
      expect(await m.current()).toEqual(['d1']);

      const second = await m.upgrade('heads');
      expect(second.applied.map((s) => s.revision)).toEqual(['c2', 'd2']);
      expect(await m.current()).toEqual(['d1', 'd2']);
      expect(await existingTables(conn.session, state, tables, ALL)).toEqual(ALL);

      const branch = await m.downgrade('c1branch@base');
      expect(branch.applied.map((s) => s.revision)).toEqual(['d1', 'c1']);
      expect(await m.current()).toEqual(['d2']);
      expect(await existingTables(conn.session, state, tables, ALL)).toEqual(['a', 'b', 'c2', 'd2']);

      const all = await m.downgrade('base');
      expect(all.applied.map((s) => s.revision)).toEqual(['d2', 'c2', 'b', 'a']);
      expect(await m.current()).toEqual([]);
      expect(await existingTables(conn.session, state, tables, ALL)).toEqual([]);

      const history = await historyOf(conn.session, state, tables);
      expect(history).toEqual([
        ...['a', 'b', 'c1', 'd1', 'c2', 'd2'].flatMap((r) => stepRecords(dialect, r, 'up')),
        ...['d1', 'c1', 'd2', 'c2', 'b', 'a'].flatMap((r) => stepRecords(dialect, r, 'down')),
      ]);
    });

    it('a progress listener that throws neither stops the run nor leaves the lock held', async () => {
      const broken = () => {
        throw new Error('listener broke');
      };
      const warn = console.warn;
      const warned: unknown[] = [];
      console.warn = (...args: unknown[]) => warned.push(args[0]);
      try {
        const { m, tables } = migrator('rn9', { onEvent: broken, onStep: broken });
        const run = await m.upgrade('c1branch@head', { singleTransaction: dialect.capabilities.transactionalDdl });
        expect(run.failed).toBeUndefined();
        expect(run.current).toEqual(['d1']);
        // The lock was given back: another run over the same tables gets it at once.
        const again = migrator('rn9', { lockTimeoutMs: 1_000 }).m;
        expect((await again.downgrade('base')).current).toEqual([]);
        expect(await existingTables(conn.session, state, tables, ALL)).toEqual([]);
        expect(warned.length).toBeGreaterThan(0);
      } finally {
        console.warn = warn;
      }
    });

    it('stamps without running migrations, and purges', async () => {
      const { m, tables } = migrator('rn2');
      const stamped = await m.stamp(['d1', 'c2']);
      expect(stamped.current).toEqual(['c2', 'd1']);
      expect(await existingTables(conn.session, state, tables, ALL)).toEqual([]);
      const moved = await m.stamp(['b']);
      expect(moved.current).toEqual(['b']);
      const purged = await m.stamp(['d2'], { purge: true });
      expect(purged.current).toEqual(['d2']);
      expect(await historyOf(conn.session, state, tables)).toEqual([
        'd1:stamp:succeeded',
        'c2:stamp:succeeded',
        'b:stamp:succeeded',
        'd2:stamp:succeeded',
      ]);
    });

    it('stops at a migration that throws, keeping what completed and recording the failure', async () => {
      const { m, tables } = migrator('rn3', {}, { failOn: 'c1' });
      const result = await m.upgrade('heads');
      expect(result.applied.map((s) => s.revision)).toEqual(['a', 'b']);
      expect(result.failed?.revision).toBe('c1');
      expect(result.failed?.error.code).toBe('MIGRATION_FAILED');
      expect(result.failed?.error.message).toContain('boom in c1');
      expect(result.notRun).toEqual(['d1', 'c2', 'd2']);
      expect(await m.current()).toEqual(['b']);
      const expected = dialect.capabilities.transactionalDdl ? ['a', 'b'] : ['a', 'b', 'c1'];
      expect(await existingTables(conn.session, state, tables, ALL)).toEqual(expected);
      expect(await historyOf(conn.session, state, tables)).toEqual([
        ...stepRecords(dialect, 'a', 'up'),
        ...stepRecords(dialect, 'b', 'up'),
        ...stepRecords(dialect, 'c1', 'up', 'failed'),
      ]);
    });

    it('fails a step whose version write matches no row, with VERSION_TABLE_CONFLICT', async () => {
      const { m, tables } = migrator('rn6', {}, { moveVersionOn: 'b' });
      const result = await m.upgrade('heads');
      expect(result.applied.map((s) => s.revision)).toEqual(['a']);
      expect(result.failed?.revision).toBe('b');
      expect(result.failed?.error.code).toBe('VERSION_TABLE_CONFLICT');
      expect(result.failed?.error.message).toMatch(/expected to update 'a' to 'b' in the version table but 0 rows/);
      expect(await historyOf(conn.session, state, tables)).toEqual([
        ...stepRecords(dialect, 'a', 'up'),
        ...stepRecords(dialect, 'b', 'up', 'failed'),
      ]);
      if (dialect.capabilities.transactionalDdl) {
        // The step rolled back whole: its table, the foreign move, and its own version write.
        expect(await m.current()).toEqual(['a']);
        expect(await existingTables(conn.session, state, tables, ALL)).toEqual(['a']);
      } else {
        // Its DDL and the move committed as they ran; only the version write and record rolled back.
        expect(await m.current()).toEqual(['elsewhere']);
        expect(await existingTables(conn.session, state, tables, ALL)).toEqual(['a', 'b']);
      }
    });

    const singleRun = (prefix: string) => migrator(prefix, {}, { failOn: 'c1' });
    // Registered by capability: a test that cannot fail is not registered at all.
    if (dialect.capabilities.transactionalDdl) {
      it('rolls the whole run back with singleTransaction when a step fails', async () => {
        const { m, tables } = singleRun('rn4');
        const result = await m.upgrade('heads', { singleTransaction: true });
        expect(result.applied).toEqual([]);
        expect(result.failed?.revision).toBe('c1');
        expect(await m.current()).toEqual([]);
        expect(await existingTables(conn.session, state, tables, ALL)).toEqual([]);
        expect(await historyOf(conn.session, state, tables)).toEqual(['c1:up:failed']);
      });
    } else {
      it('refuses singleTransaction up front, since DDL commits implicitly', async () => {
        const { m, tables } = singleRun('rn4');
        await expect(m.upgrade('heads', { singleTransaction: true })).rejects.toThrow(/cannot make the run atomic/);
        expect(await m.current()).toEqual([]);
        expect(await existingTables(conn.session, state, tables, ALL)).toEqual([]);
      });
    }

    it('loads only the migrations of the plan', async () => {
      const loads: string[] = [];
      const { m } = migrator('rn5', {}, { loads });
      await m.stamp(['b']);
      await m.upgrade('c2branch@head');
      expect(loads).toEqual(['c2', 'd2']);
    });
  });
}
