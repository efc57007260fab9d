import type { Dialect, Session } from '@cairn/core';
import { lockCases } from './cases/lock.js';
import { operationCases } from './cases/operations.js';
import { runnerCases } from './cases/runner.js';

/** A connection the suite opened; `close` must release everything it holds. */
export interface TestConnection {
  readonly session: Session;
  close(): Promise<void>;
}

/** What a dialect package passes to run the conformance suite against its real database. */
export interface DialectSuiteOptions {
  readonly dialect: Dialect;
  /**
   * Opens a new, separate connection to the test database (the lock cases need two). The
   * database must be empty of the suite's tables; each case uses its own table-name prefix, so
   * cases can share one database.
   */
  connect(): Promise<TestConnection>;
}

/**
 * Registers the conformance suite with vitest: version-table behaviour through branches,
 * merges, stamps and downgrades; a failure in the middle of a run; migrations written with
 * `ctx.op` (compiled by the dialect, including changes that need a table rebuild); lock
 * contention and many runners at once. Call it at the top level of a test file.
 *
 * @example
 * defineDialectSuite({ dialect: sqliteDialect(), connect: async () => openSqlite(file) });
 */
export function defineDialectSuite(options: DialectSuiteOptions): void {
  runnerCases(options);
  operationCases(options);
  lockCases(options);
}
