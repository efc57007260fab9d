import { isCairnError, Migrator } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import type { DialectSuiteOptions } from '../define-dialect-suite.js';
import { branchedGraph, caseTables, existingTables, tableLoader } from '../fixtures.js';

/** The database lock: contention between connections, and many runners at once. */
export function lockCases(options: DialectSuiteOptions): void {
  const { dialect } = options;

  describe(`${dialect.name}: the lock`, () => {
    it('makes a second connection wait, then time out with LOCK_TIMEOUT', async () => {
      const first = await options.connect();
      const second = await options.connect();
      try {
        const release = await dialect.locker(first.session).acquire('cairn', { timeoutMs: 1000 });
        const started = Date.now();
        const error = await dialect
          .locker(second.session)
          .acquire('cairn', { timeoutMs: 300 })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const waited = Date.now() - started;
        expect(isCairnError(error, 'LOCK_TIMEOUT')).toBe(true);
        expect(waited).toBeGreaterThanOrEqual(250);
        expect(waited).toBeLessThan(5000);
        await release();
        const again = await dialect.locker(second.session).acquire('cairn', { timeoutMs: 1000 });
        await again();
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('applies every migration exactly once when several runners upgrade at once', async () => {
      const tables = caseTables('lk2');
      const connections = await Promise.all([1, 2, 3, 4].map(() => options.connect()));
      try {
        const results = await Promise.all(
          connections.map((conn) =>
            new Migrator({
              graph: branchedGraph(),
              dialect,
              session: conn.session,
              loader: tableLoader(dialect.state, tables),
              versionTable: tables.versionTable,
              historyTable: tables.historyTable,
              toolVersion: 'testkit',
              lockTimeoutMs: 20_000,
            }).upgrade('heads'),
          ),
        );
        for (const result of results) expect(result.failed).toBeUndefined();
        const applied = results.flatMap((r) => r.applied.map((s) => s.revision)).sort();
        expect(applied).toEqual(['a', 'b', 'c1', 'c2', 'd1', 'd2']);
        for (const result of results) expect(result.current).toEqual(['d1', 'd2']);
        const all = ['a', 'b', 'c1', 'd1', 'c2', 'd2'];
        expect(await existingTables(connections[0]!.session, dialect.state, tables, all)).toEqual(all);
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
    });
  });
}
