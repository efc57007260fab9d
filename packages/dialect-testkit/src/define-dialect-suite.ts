import type { Dialect, OperationKind, Session } from '@cairn/core';
import { compileCases } from './cases/compile.js';
import { lockCases } from './cases/lock.js';
import { lostConnectionCases } from './cases/lost-connection.js';
import { nonAtomicCases } from './cases/non-atomic.js';
import { offlineCases } from './cases/offline.js';
import { operationCases } from './cases/operations.js';
import { type ReflectionOptions, roundTripCases } from './cases/round-trip.js';
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
  /**
   * The operation kinds the dialect's compiler refuses, each with the reason (e.g. SQLite's enum
   * value changes). A listed kind must throw a `CairnError`; every other kind must compile.
   * Default: none.
   */
  readonly unsupported?: Partial<Record<OperationKind, string>>;
  /**
   * Where `describeTable` legitimately reads back something other than what was created (see
   * `ReflectionOptions`). Default: no differences.
   */
  readonly reflection?: ReflectionOptions;
  /**
   * How to lose a connection in the middle of a step, for the lost-connection case: `sleep` is a
   * statement that keeps a step busy for seconds (`SELECT pg_sleep(5)`), `killSleeping` ends,
   * from another connection, the connection running it, and says whether it found one. Absent
   * (an embedded database such as SQLite): the case is not registered.
   */
  readonly lostConnection?: {
    readonly sleep: string;
    killSleeping(session: Session): Promise<boolean>;
  };
  /**
   * Runs an offline (`--sql`) script with the database's own command-line client against the
   * test database (the one `connect` opens), stopping at its first error and rejecting with the
   * client's message: `psql -v ON_ERROR_STOP=1`, `mariadb`, `sqlite3 -bail` (`runNativeClient`
   * spawns one). The offline case then checks that the script of every migration shape leaves
   * what the online run leaves. Absent: that case is not registered.
   *
   * @example runScript: (script) => runNativeClient('sqlite3', ['-bail', file], script)
   */
  runScript?(script: string): Promise<void>;
}

/**
 * Registers the conformance suite with vitest: version-table behaviour through branches,
 * merges, stamps and downgrades; a failure in the middle of a run; steps outside a transaction
 * (started/succeeded records, the dirty state and `resolve`); migrations written with
 * `ctx.op` (compiled by the dialect, including changes that need a table rebuild); a sample of
 * every operation kind compiled (well-formed statements or a `CairnError`, purely); tables
 * created and read back with `describeTable`; lock contention and many runners at once; a
 * connection lost in the middle of a step (where `lostConnection` says how); `--sql` scripts of
 * every migration shape run by the database's own client, against the online run (where
 * `runScript` says how). Call it at the top level of a test file.
 *
 * @example
 * defineDialectSuite({ dialect: sqliteDialect(), connect: async () => openSqlite(file) });
 */
export function defineDialectSuite(options: DialectSuiteOptions): void {
  runnerCases(options);
  nonAtomicCases(options);
  operationCases(options);
  compileCases(options);
  roundTripCases(options);
  lockCases(options);
  lostConnectionCases(options);
  offlineCases(options);
}
