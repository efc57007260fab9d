import type { Dialect, HistoryRecord, QualifiedName } from '../dialect/dialect.js';
import { CairnError, isCairnError } from '../errors.js';
import type { RevisionGraph } from '../revision/graph.js';
import { type Plan, type PlanStep, planDowngrade, planUpgrade } from '../revision/plan.js';
import type { RevisionMeta } from '../revision/revision.js';
import { planStamp, stampedRevisions } from '../revision/stamp.js';
import type { Target } from '../revision/target.js';
import type { VersionWrite } from '../revision/version-rows.js';
import type { MigrationContext } from '../script/define-migration.js';
import { operationApi } from './operation-runner.js';
import { contextWithQueryBuilder, type QueryBuilderFactory } from './query-builder.js';
import { type Row, returnsRows, type Session, type Statement } from './session.js';

/** The code of one revision, ready to run. Loaded only for the steps that run. */
export interface LoadedMigration {
  /** Runs the upgrade or downgrade. Rejecting fails the step. */
  run(direction: 'up' | 'down', context: MigrationContext): Promise<void>;
  /** SHA-256 of the file, hex, recorded in the history table. */
  readonly checksum: string;
}

/** Where the runner gets migration code: the CLI loads files, tests can pass functions. */
export interface MigrationLoader {
  load(revision: RevisionMeta): Promise<LoadedMigration>;
}

/** One step that ran to the end. */
export interface StepResult {
  readonly revision: string;
  readonly direction: 'up' | 'down' | 'stamp';
  readonly durationMs: number;
}

/**
 * What a run did. Returned, not thrown: a failing step is reported here with everything that
 * ran before it, and the version table holds exactly the steps in `applied`.
 */
export interface RunResult {
  readonly applied: readonly StepResult[];
  readonly failed?: { readonly revision: string; readonly direction: 'up' | 'down'; readonly error: CairnError };
  /** Steps of the plan that did not run (after a failure), in plan order. */
  readonly notRun: readonly string[];
  /** The version table's rows after the run. */
  readonly current: readonly string[];
}

/** Options of a `Migrator`. */
export interface MigratorOptions {
  readonly graph: RevisionGraph;
  readonly dialect: Dialect;
  readonly session: Session;
  readonly loader: MigrationLoader;
  /** Default: `{ name: 'cairn_version' }`. */
  readonly versionTable?: QualifiedName;
  /** Default: `{ name: 'cairn_history' }`. */
  readonly historyTable?: QualifiedName;
  /** How long to wait for another process's lock. Default: 60,000 ms. */
  readonly lockTimeoutMs?: number;
  /** Recorded in every history row. */
  readonly toolVersion: string;
  /** Called after every step that succeeded (progress output). */
  readonly onStep?: (step: StepResult) => void;
  /** The clock, for tests. Default: `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Makes `ctx.knex` for a step, the first time its migration reads it (never otherwise). Without
   * it, `ctx.knex` fails with a message.
   */
  readonly queryBuilder?: QueryBuilderFactory;
}

/**
 * Runs migrations against one database. Every writing method takes the dialect's lock for the
 * whole run, creates cairn's tables if they are missing, re-reads the version table *after* the
 * lock is held (so N processes running `upgrade head` at once apply each migration once), plans,
 * and runs each step — its migration code, its version-table writes and its history row — in
 * one transaction. The lock is released on every path.
 */
export class Migrator {
  readonly #options: MigratorOptions;
  readonly #versionTable: QualifiedName;
  readonly #historyTable: QualifiedName;

  constructor(options: MigratorOptions) {
    this.#options = options;
    this.#versionTable = options.versionTable ?? { name: 'cairn_version' };
    this.#historyTable = options.historyTable ?? { name: 'cairn_history' };
  }

  /** The version table's rows (creating the table if it is missing), in canonical order. */
  async current(): Promise<string[]> {
    const { session, graph } = this.#options;
    await this.#ensureTables(session);
    const rank = (id: string) => graph.indexOf(id) ?? Number.MAX_SAFE_INTEGER;
    return (await this.#readRows(session)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * The checksum each applied revision had when it last ran up (from the history table), for
   * `check`: a file whose checksum differs was edited after it ran. Stamped revisions, and
   * revisions no successful upgrade recorded, have none.
   */
  async appliedChecksums(): Promise<Map<string, string>> {
    const { session, dialect } = this.#options;
    await this.#ensureTables(session);
    const records = await this.#query(session, dialect.state.readHistory(this.#historyTable));
    const checksums = new Map<string, string>();
    for (const record of records) {
      if (record.status !== 'succeeded') continue;
      const revision = String(record.revision);
      if (record.direction === 'up' && record.checksum) checksums.set(revision, String(record.checksum));
      else checksums.delete(revision);
    }
    return checksums;
  }

  /** `upgrade TARGET` (default `head`). */
  upgrade(
    target: Target | string = 'head',
    options: { readonly singleTransaction?: boolean } = {},
  ): Promise<RunResult> {
    return this.#run((rows) => planUpgrade(this.#options.graph, rows, target), options.singleTransaction ?? false);
  }

  /** `downgrade TARGET` (default `-1`). */
  downgrade(
    target: Target | string = '-1',
    options: { readonly singleTransaction?: boolean } = {},
  ): Promise<RunResult> {
    return this.#run((rows) => planDowngrade(this.#options.graph, rows, target), options.singleTransaction ?? false);
  }

  /** The plan `upgrade`/`downgrade` would run now, without running it (`--dry-run`). */
  async plan(direction: 'up' | 'down', target: Target | string): Promise<Plan> {
    const rows = await this.current();
    const { graph } = this.#options;
    return direction === 'up' ? planUpgrade(graph, rows, target) : planDowngrade(graph, rows, target);
  }

  /** `stamp TARGET...`: sets the version table without running migrations. */
  async stamp(targets: readonly (Target | string)[], options: { readonly purge?: boolean } = {}): Promise<RunResult> {
    return this.#locked(async (session) => {
      const rows = await this.#readRows(session);
      const plan = planStamp(this.#options.graph, rows, targets, options);
      const started = this.#now();
      const stamped = stampedRevisions(rows, plan.rowsAfter);
      const work = async (tx: Session): Promise<void> => {
        if (options.purge) {
          for (const row of rows) await this.#write(tx, { kind: 'delete', revision: row });
          for (const write of plan.writes) await this.#write(tx, write);
        } else {
          for (const write of plan.writes) await this.#write(tx, write);
        }
        for (const revision of stamped) {
          await this.#history(tx, {
            revision,
            direction: 'stamp',
            checksum: '',
            started,
            status: 'succeeded',
            error: null,
          });
        }
      };
      await (session.transaction ? session.transaction(work) : work(session));
      const durationMs = this.#now().getTime() - started.getTime();
      const applied = stamped.map((revision) => ({ revision, direction: 'stamp' as const, durationMs }));
      return { applied, notRun: [], current: await this.#readRows(session) };
    });
  }

  async #run(plan: (rows: string[]) => Plan, singleTransaction: boolean): Promise<RunResult> {
    return this.#locked(async (session) => {
      const steps = plan(await this.#readRows(session)).steps;
      const applied: StepResult[] = [];
      let failed: RunResult['failed'];
      const runSteps = async (outer: Session): Promise<void> => {
        for (const step of steps) {
          // Inside a single transaction a failing step aborts the whole run, so a step needs no
          // transaction (savepoint) of its own: nesting one per step only costs time.
          const outcome = await this.#step(outer, step, !singleTransaction);
          if ('error' in outcome) {
            failed = outcome;
            if (singleTransaction) throw outcome.error;
            return;
          }
          applied.push(outcome);
          this.#options.onStep?.(outcome);
        }
      };
      if (singleTransaction && session.transaction) {
        try {
          await session.transaction(runSteps);
        } catch (error) {
          if (failed === undefined) throw error;
          // Everything rolled back with the failing step: nothing counts as applied.
          await this.#recordFailure(session, failed.revision, failed.direction, failed.error);
          applied.length = 0;
        }
      } else {
        await runSteps(session);
        if (failed) await this.#recordFailure(session, failed.revision, failed.direction, failed.error);
      }
      const ran = new Set(applied.map((s) => s.revision));
      const notRun = steps.map((s) => s.revision).filter((r) => !ran.has(r) && r !== failed?.revision);
      const result: RunResult = { applied, notRun, current: await this.#readRows(session) };
      return failed ? { ...result, failed } : result;
    });
  }

  /** Runs one step (in its own transaction when `own`); returns the failure instead of throwing it. */
  async #step(
    session: Session,
    step: PlanStep,
    own: boolean,
  ): Promise<StepResult | { revision: string; direction: 'up' | 'down'; error: CairnError }> {
    const meta = this.#options.graph.get(step.revision);
    const started = this.#now();
    let migration: LoadedMigration;
    try {
      migration = await this.#options.loader.load(meta);
    } catch (error) {
      return { revision: step.revision, direction: step.direction, error: asLoadError(meta, error) };
    }
    const work = async (tx: Session): Promise<void> => {
      try {
        await migration.run(step.direction, migrationContext(this.#options.dialect, tx, this.#options.queryBuilder));
      } catch (error) {
        throw this.#migrationError(meta, step.direction, error);
      }
      for (const write of step.writes) await this.#write(tx, write);
      await this.#options.dialect.verifyStep?.(tx);
      await this.#history(tx, {
        revision: step.revision,
        direction: step.direction,
        checksum: migration.checksum,
        started,
        status: 'succeeded',
        error: null,
      });
    };
    try {
      if (own && meta.transaction && session.transaction) await session.transaction(work);
      else await work(session);
    } catch (error) {
      const failure = isCairnError(error) ? error : this.#migrationError(meta, step.direction, error);
      return { revision: step.revision, direction: step.direction, error: failure };
    }
    return {
      revision: step.revision,
      direction: step.direction,
      durationMs: this.#now().getTime() - started.getTime(),
    };
  }

  async #recordFailure(session: Session, revision: string, direction: 'up' | 'down', error: CairnError): Promise<void> {
    const checksum = typeof error.details.checksum === 'string' ? error.details.checksum : '';
    await this.#history(session, {
      revision,
      direction,
      checksum,
      started: this.#now(),
      status: 'failed',
      error: error.message,
    });
  }

  async #locked<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const { dialect, session } = this.#options;
    const release = await dialect
      .locker(session)
      .acquire('cairn', { timeoutMs: this.#options.lockTimeoutMs ?? 60_000 });
    try {
      await this.#ensureTables(session);
      return await work(session);
    } finally {
      await release();
    }
  }

  async #ensureTables(session: Session): Promise<void> {
    const { state } = this.#options.dialect;
    for (const s of state.createVersionTable(this.#versionTable)) await this.#exec(session, s);
    for (const s of state.createHistoryTable(this.#historyTable)) await this.#exec(session, s);
  }

  async #readRows(session: Session): Promise<string[]> {
    const rows = await this.#query(session, this.#options.dialect.state.readVersionRows(this.#versionTable));
    return rows.map((r) => String(r.version_num)).sort();
  }

  /** One version write; an update or delete that touches no row means someone else moved the table. */
  async #write(session: Session, write: VersionWrite): Promise<void> {
    const result = await this.#exec(session, this.#options.dialect.state.versionWrite(write, this.#versionTable));
    if (write.kind !== 'insert' && result.rowsAffected !== undefined && result.rowsAffected !== 1) {
      const what = write.kind === 'update' ? `update '${write.from}' to '${write.to}'` : `delete '${write.revision}'`;
      throw new CairnError(
        'VERSION_TABLE_CONFLICT',
        `expected to ${what} in the version table but ${result.rowsAffected} rows matched; another process changed it without cairn's lock — run the command again`,
        { details: { write, rowsAffected: result.rowsAffected } },
      );
    }
  }

  async #history(
    session: Session,
    entry: Pick<HistoryRecord, 'revision' | 'direction' | 'checksum' | 'status' | 'error'> & { started: Date },
  ): Promise<void> {
    const finishedAt = this.#now();
    const record: HistoryRecord = {
      revision: entry.revision,
      direction: entry.direction,
      checksum: entry.checksum,
      startedAt: entry.started,
      finishedAt,
      status: entry.status,
      error: entry.error,
      durationMs: finishedAt.getTime() - entry.started.getTime(),
      toolVersion: this.#options.toolVersion,
    };
    await this.#exec(session, this.#options.dialect.state.insertHistory(record, this.#historyTable));
  }

  #migrationError(meta: RevisionMeta, direction: 'up' | 'down', error: unknown): CairnError {
    if (isCairnError(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    const failedSql = (error as { cairnStatement?: Statement } | null)?.cairnStatement?.sql;
    return new CairnError(
      'MIGRATION_FAILED',
      `${direction === 'up' ? 'upgrade' : 'downgrade'} of ${meta.file ?? `revision '${meta.revision}'`} failed: ${message}${failedSql ? `\n  while running: ${failedSql}` : ''}\nthe step was rolled back where the database allows it; the version table is at the last completed step`,
      { details: { revision: meta.revision, file: meta.file, direction, statement: failedSql }, cause: error },
    );
  }

  #exec(session: Session, s: Statement): Promise<{ readonly rowsAffected?: number }> {
    return session.execute(s).catch((error: unknown) => {
      throw this.#driverError(error, s);
    });
  }

  #query(session: Session, s: Statement): Promise<readonly Row[]> {
    return session.query(s).catch((error: unknown) => {
      throw this.#driverError(error, s);
    });
  }

  #driverError(error: unknown, s: Statement): CairnError {
    const code = this.#options.dialect.classifyError?.(error) ?? 'DRIVER_ERROR';
    const message = error instanceof Error ? error.message : String(error);
    return new CairnError(code, `${message}\n  while running: ${s.sql}`, {
      details: { statement: s.sql },
      cause: error,
    });
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

/**
 * What a migration's `upgrade`/`downgrade` receive: `sql(text, params)` runs one parameterised
 * statement on the step's own connection and transaction, and returns its rows.
 */
function migrationContext(
  dialect: Dialect,
  session: Session,
  queryBuilder: QueryBuilderFactory | undefined,
): MigrationContext {
  const annotated = async <T>(s: Statement, result: Promise<T>): Promise<T> => {
    try {
      return await result;
    } catch (error) {
      // Kept on the error so the step's failure message can show the statement.
      if (error !== null && typeof error === 'object') Object.assign(error, { cairnStatement: s });
      throw error;
    }
  };
  const run = (s: Statement): Promise<readonly Row[]> =>
    annotated(s, returnsRows(s.sql) ? session.query(s) : session.execute(s).then(() => []));
  const sql = (text: string, params: readonly unknown[] = []) => run({ sql: text, params });
  // The query builder's statements run on the step's session too, with the same error annotation.
  const builderSession: Session = {
    query: (s) => annotated(s, session.query(s)),
    execute: (s) => annotated(s, session.execute(s)),
  };
  const op = operationApi(dialect, session, run, { describe: true });
  return contextWithQueryBuilder({ sql, op, session }, dialect, builderSession, queryBuilder);
}

function asLoadError(meta: RevisionMeta, error: unknown): CairnError {
  if (isCairnError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CairnError(
    'MIGRATION_LOAD_FAILED',
    `could not load ${meta.file ?? `revision '${meta.revision}'`}: ${message}; fix the file and run the command again (nothing of this step ran)`,
    { details: { revision: meta.revision, file: meta.file }, cause: error },
  );
}
