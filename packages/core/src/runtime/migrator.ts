import type { Dialect, HistoryRecord } from '../dialect/dialect.js';
import { CairnError, isCairnError } from '../errors.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { Statement } from '../ops/statement.js';
import type { RevisionGraph } from '../revision/graph.js';
import { type Plan, type PlanStep, planDowngrade, planUpgrade } from '../revision/plan.js';
import type { RevisionMeta } from '../revision/revision.js';
import { planStamp, stampedRevisions } from '../revision/stamp.js';
import type { Target } from '../revision/target.js';
import { VersionRows, type VersionWrite } from '../revision/version-rows.js';
import { type DirtyStep, dirtySteps } from './history-state.js';
import type { MigrationContext } from './migration-context.js';
import { operationApi } from './operation-runner.js';
import { contextWithQueryBuilder, type QueryBuilderFactory } from './query-builder.js';
import { type Row, returnsRows, type Session } from './session.js';
import {
  carryOut,
  decideStep,
  type OutsideReason,
  refuseSingleTransaction,
  type StepDecision,
  type StepFacts,
  type StepSink,
  singleTransactionRefusal,
} from './step-engine.js';

/**
 * The code of one revision, ready to run. Loaded only for the steps of the plan, each while the
 * step before it runs (so a run that stops at a failing step may have loaded the next one).
 */
export interface LoadedMigration {
  /** Runs the upgrade or downgrade. Rejecting fails the step. */
  run(direction: 'up' | 'down', context: MigrationContext): Promise<void>;
  /** SHA-256 of the file, hex, recorded in the history table. */
  readonly checksum: string;
}

/** Where the runner gets migration code: `@cairn/node`'s `fileMigrationLoader` reads files; tests can pass functions. */
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

/** What a run reports before a step has finished (see `MigratorOptions.onEvent`). */
export type MigratorEvent =
  | { readonly kind: 'lock-waiting'; readonly waitedMs: number }
  | { readonly kind: 'lock-acquired'; readonly waitedMs: number }
  | { readonly kind: 'step-started'; readonly revision: string; readonly direction: 'up' | 'down' };

/**
 * How long acquiring the lock may take before `lock-waiting` is reported: an uncontended lock is
 * held in a few milliseconds, so a longer wait means another process has it.
 */
export const LOCK_WAIT_NOTICE_MS = 200;

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
  /** Called after every step that succeeded, stamps included (progress output). */
  readonly onStep?: (step: StepResult) => void;
  /**
   * Told what a run does before it is done, in order: `lock-waiting` when the lock is not free
   * after `LOCK_WAIT_NOTICE_MS` (another process holds it), `lock-acquired` once it is held,
   * and `step-started` before each step's migration runs. Each committed step is `onStep`'s.
   */
  readonly onEvent?: (event: MigratorEvent) => void;
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
    const { session } = this.#options;
    await this.#ensureTables(session);
    return this.#sortedRows(session);
  }

  async #sortedRows(session: Session): Promise<string[]> {
    const { graph } = this.#options;
    const rank = (id: string) => graph.indexOf(id) ?? Number.MAX_SAFE_INTEGER;
    return (await this.#readRows(session)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * What `check` needs in one read: the version rows (canonical order), the checksum each
   * applied revision had when it last ran up (from the history table: a file whose checksum
   * differs was edited after it ran; stamped revisions, and revisions no successful upgrade
   * recorded, have none), and the dirty steps, if any.
   */
  async inspect(): Promise<{ current: string[]; appliedChecksums: Map<string, string>; dirty: DirtyStep[] }> {
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
    return { current: await this.#sortedRows(session), appliedChecksums: checksums, dirty: dirtySteps(records) };
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
      for (const step of applied) this.#told(step);
      return { applied, notRun: [], current: await this.#readRows(session) };
    });
  }

  /**
   * `resolve REVISION`: after a step that ran outside a transaction failed or was killed
   * part-way (`DIRTY_DATABASE`) and the database has been repaired by hand, records what state it
   * is in now: `applied` moves the version table as the step would have, `rolled-back` leaves it.
   * Either way a `resolved` history record clears the dirty state.
   */
  async resolve(revision: string, outcome: 'applied' | 'rolled-back'): Promise<RunResult> {
    return this.#locked(async (session) => {
      const dirty = await this.#dirtySteps(session);
      const exact = dirty.find((d) => d.revision === revision);
      const prefixed = dirty.filter((d) => d.revision.startsWith(revision));
      if (exact === undefined && prefixed.length > 1) {
        throw new CairnError(
          'USAGE',
          `'${revision}' matches more than one step waiting to be resolved (${listSteps(prefixed)}); give more of the revision id`,
          { details: { revision, dirty } },
        );
      }
      const step = exact ?? prefixed[0];
      if (step === undefined) {
        throw new CairnError(
          'USAGE',
          dirty.length === 0
            ? `the database is not dirty: no step is waiting to be resolved, so there is nothing to do for '${revision}'`
            : `'${revision}' is not the step waiting to be resolved; that is ${listSteps(dirty)}`,
          { details: { revision, dirty } },
        );
      }
      const started = this.#now();
      const { graph } = this.#options;
      const work = async (tx: Session): Promise<void> => {
        if (outcome === 'applied') {
          const rows = VersionRows.fromRows(graph, await this.#readRows(tx));
          const index = graph.indexOf(step.revision)!;
          const writes = step.direction === 'up' ? rows.up(index) : rows.down(index);
          for (const write of writes) await this.#write(tx, write);
        }
        await this.#history(tx, {
          revision: step.revision,
          direction: step.direction,
          checksum: '',
          started,
          status: 'resolved',
          error: `marked ${outcome} by cairn resolve`,
        });
      };
      await (session.transaction ? session.transaction(work) : work(session));
      return { applied: [], notRun: [], current: await this.#readRows(session) };
    });
  }

  async #run(plan: (rows: string[]) => Plan, singleTransaction: boolean): Promise<RunResult> {
    return this.#locked(async (session) => {
      const steps = plan(await this.#readRows(session)).steps;
      if (steps.length > 0) await this.#refuseDirty(session);
      if (singleTransaction) {
        refuseSingleTransaction(
          this.#options.dialect,
          steps.map((step) => this.#options.graph.get(step.revision)),
        );
      }
      const applied: StepResult[] = [];
      let failed: RunResult['failed'];
      const runSteps = async (outer: Session): Promise<void> => {
        let loading = steps[0] && this.#load(steps[0], 'now');
        for (const [i, step] of steps.entries()) {
          const migration = loading!;
          const next = steps[i + 1];
          // The next step's migration is read while this one waits for the database.
          loading = next && this.#load(next, 'after-io');
          // Inside a single transaction a failing step aborts the whole run, so a step needs no
          // transaction (savepoint) of its own: nesting one per step only costs time.
          this.#tell({ kind: 'step-started', revision: step.revision, direction: step.direction });
          const outcome = await this.#step(outer, step, migration, singleTransaction);
          if ('error' in outcome) {
            failed = outcome;
            if (singleTransaction) throw outcome.error;
            return;
          }
          applied.push(outcome);
          this.#told(outcome);
        }
      };
      if (singleTransaction && session.transaction) {
        try {
          await session.transaction(runSteps);
        } catch (error) {
          if (failed === undefined) throw error;
          // Everything rolled back with the failing step: nothing counts as applied.
          await this.#recordFailure(session, failed);
          applied.length = 0;
        }
      } else {
        await runSteps(session);
        if (failed) await this.#recordFailure(session, failed);
      }
      const ran = new Set(applied.map((s) => s.revision));
      const notRun = steps.map((s) => s.revision).filter((r) => !ran.has(r) && r !== failed?.revision);
      const result: RunResult = { applied, notRun, current: await this.#readRows(session) };
      return failed ? { ...result, failed } : result;
    });
  }

  async #dirtySteps(session: Session): Promise<DirtyStep[]> {
    return dirtySteps(await this.#query(session, this.#options.dialect.state.readUnsettledHistory(this.#historyTable)));
  }

  /** A dirty database is refused: running on top of a half-applied step would compound it. */
  async #refuseDirty(session: Session): Promise<void> {
    const dirty = await this.#dirtySteps(session);
    const [first] = dirty;
    if (first === undefined) return;
    const { graph } = this.#options;
    const file = graph.has(first.revision) ? graph.get(first.revision).file : undefined;
    throw new CairnError(
      'DIRTY_DATABASE',
      `the database is dirty: ${listSteps(dirty)} ran outside a transaction and ${first.failed ? 'failed part-way' : 'never finished (the process died or was killed)'}${file ? ` (${file})` : ''}, so the database may hold part of it. Look at what it did, repair the database by hand, then run 'cairn resolve ${first.revision} --applied' if its changes are now all in place, or 'cairn resolve ${first.revision} --rolled-back' if none are`,
      { details: { dirty, file } },
    );
  }

  /**
   * Runs one step and returns its failure instead of throwing it, as the step engine decides
   * (`decideStep`): atomic in a transaction of its own, within the run's single transaction, or
   * outside one. A statement that cannot run inside a transaction is found when it is reached:
   * the step's transaction has rolled back by then, and the step starts again, decided anew with
   * that reason (outside a transaction, or refused within the run's).
   */
  async #step(
    session: Session,
    step: PlanStep,
    loading: Promise<LoadedMigration>,
    singleTransaction: boolean,
  ): Promise<StepOutcome> {
    const meta = this.#options.graph.get(step.revision);
    const started = this.#now();
    let migration: LoadedMigration;
    try {
      migration = await loading;
    } catch (error) {
      return { revision: step.revision, direction: step.direction, error: asLoadError(meta, error) };
    }
    const failure = (error: unknown) => ({
      revision: step.revision,
      direction: step.direction,
      error: this.#migrationError(meta, step.direction, error),
    });
    const facts: StepFacts = {
      transactionalDdl: this.#options.dialect.capabilities.transactionalDdl,
      transactions: session.transaction !== undefined,
      declaredTransactional: meta.transaction,
      singleTransaction,
    };
    let decision = decideStep(facts);
    for (;;) {
      if (decision.kind === 'refused') return failure(singleTransactionRefusal(meta, decision.reason));
      try {
        await this.#carryOut(session, decision, step, meta, migration, started);
        return this.#success(step, started);
      } catch (error) {
        if (!(error instanceof NeedsNoTransaction) || decision.kind === 'outside') return failure(error);
        decision = decideStep({ ...facts, outside: error.reason });
      }
    }
  }

  /**
   * The online sink: performs a step's decision on the session. Outside a transaction, the
   * dialect first leaves the one its lock may hold (`outsideTransaction`), and a failure after
   * the `started` record is reported as leaving the database dirty.
   */
  async #carryOut(
    session: Session,
    decision: Exclude<StepDecision, { kind: 'refused' }>,
    step: PlanStep,
    meta: RevisionMeta,
    migration: LoadedMigration,
    started: Date,
  ): Promise<void> {
    const mode = decision.kind === 'outside' ? 'autocommit' : 'transaction';
    const record = { revision: step.revision, direction: step.direction, checksum: migration.checksum, started };
    let recordedStart = false;
    const sink: StepSink<Session> = {
      started: async (s) => {
        await this.#history(s, { ...record, status: 'started', error: null });
        recordedStart = true;
      },
      migration: (s) => this.#runMigration(s, migration, meta, step.direction, mode),
      finish: (s) => this.#finishStep(s, step, migration.checksum, started),
      transaction: (s, work) => (s.transaction ? s.transaction(work) : work(s)),
    };
    if (decision.kind !== 'outside') return carryOut(decision.actions, sink, session);
    const { dialect } = this.#options;
    const outside =
      dialect.outsideTransaction?.bind(dialect) ?? ((s: Session, work: (s: Session) => Promise<void>) => work(s));
    await outside(session, async (s) => {
      try {
        await carryOut(decision.actions, sink, s);
      } catch (error) {
        if (!recordedStart) throw error;
        throw partWay(this.#migrationError(meta, step.direction, error), meta, step.direction);
      }
    });
  }

  async #runMigration(
    session: Session,
    migration: LoadedMigration,
    meta: RevisionMeta,
    direction: 'up' | 'down',
    mode: 'transaction' | 'autocommit',
  ): Promise<void> {
    const { dialect, queryBuilder } = this.#options;
    const context = migrationContext(dialect, session, queryBuilder, mode);
    try {
      await migration.run(direction, context.ctx);
    } catch (error) {
      if (context.outsideNeeded || (mode === 'transaction' && this.#needsNoTransaction(error)))
        throw new NeedsNoTransaction(context.outsideNeeded);
      throw this.#migrationError(meta, direction, error);
    }
    // A migration that caught the signal itself still cannot stay in the transaction.
    if (context.outsideNeeded) throw new NeedsNoTransaction(context.outsideNeeded);
  }

  /**
   * The dialect's check, then the step's version writes and its `succeeded` record. None of them
   * needs another's answer, so a pipelined session gets them all at once (one round trip); a
   * version write that matched the wrong number of rows is caught from its result afterwards,
   * still inside the step's transaction, which the error rolls back.
   */
  async #finishStep(tx: Session, step: PlanStep, checksum: string, started: Date): Promise<void> {
    await this.#options.dialect.verifyStep?.(tx);
    const record = { revision: step.revision, direction: step.direction, checksum, started };
    const writes = step.writes.map((write) => () => this.#write(tx, write));
    const all = [...writes, () => this.#history(tx, { ...record, status: 'succeeded', error: null })];
    if (tx.pipelined) await Promise.all(all.map((send) => send()));
    else for (const send of all) await send();
  }

  #success(step: PlanStep, started: Date): StepResult {
    return {
      revision: step.revision,
      direction: step.direction,
      durationMs: this.#now().getTime() - started.getTime(),
    };
  }

  /**
   * Starts loading `step`'s migration: now, or once the event loop has handled pending I/O — that
   * is, after the step running now has sent its statements, so the load overlaps the wait for them.
   */
  #load(step: PlanStep, start: 'now' | 'after-io'): Promise<LoadedMigration> {
    const meta = this.#options.graph.get(step.revision);
    const ready = start === 'now' ? Promise.resolve() : new Promise<void>((resolve) => afterIo(resolve));
    const loading = ready.then(() => this.#options.loader.load(meta));
    // Awaited by its step; a run that stops before reaching it must not leave a failure unhandled.
    loading.catch(() => undefined);
    return loading;
  }

  /** Whether a driver error says the statement cannot run inside a transaction block. */
  #needsNoTransaction(error: unknown): boolean {
    const cause = (error as { cause?: unknown } | null)?.cause ?? error;
    const classify = this.#options.dialect.classifyError;
    return classify !== undefined && (classify(error) ?? classify(cause)) === 'TRANSACTION_NOT_ALLOWED';
  }

  /**
   * Records a failed step in the history table. When that fails too — most often because the
   * step's failure was the connection itself (a terminated backend, a restart) — the run rejects
   * with the step's own error, which says what went wrong, noting that it could not be recorded;
   * the error of the history insert would only hide it.
   */
  async #recordFailure(session: Session, failed: StepFailure): Promise<void> {
    const { revision, direction, error } = failed;
    const checksum = typeof error.details.checksum === 'string' ? error.details.checksum : '';
    try {
      await this.#history(session, {
        revision,
        direction,
        checksum,
        started: this.#now(),
        status: 'failed',
        error: error.message,
      });
    } catch (recording) {
      const reason = recording instanceof Error ? recording.message.split('\n')[0] : String(recording);
      throw new CairnError(
        error.code,
        `${error.message}\nthe failure could not be recorded in the history table either (${reason})`,
        { details: { ...error.details, revision, direction }, cause: error.cause ?? error },
      );
    }
  }

  async #locked<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const { dialect, session } = this.#options;
    const asked = Date.now();
    const notice =
      this.#options.onEvent === undefined
        ? undefined
        : setTimeout(() => this.#tell({ kind: 'lock-waiting', waitedMs: Date.now() - asked }), LOCK_WAIT_NOTICE_MS);
    let release: () => Promise<void>;
    try {
      release = await dialect.locker(session).acquire('cairn', { timeoutMs: this.#options.lockTimeoutMs ?? 60_000 });
    } finally {
      clearTimeout(notice);
    }
    try {
      this.#tell({ kind: 'lock-acquired', waitedMs: Date.now() - asked });
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
    const finishedAt = entry.status === 'started' ? null : this.#now();
    const record: HistoryRecord = {
      revision: entry.revision,
      direction: entry.direction,
      checksum: entry.checksum,
      startedAt: entry.started,
      finishedAt,
      status: entry.status,
      error: entry.error,
      durationMs: finishedAt === null ? null : finishedAt.getTime() - entry.started.getTime(),
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
      `${direction === 'up' ? 'upgrade' : 'downgrade'} of ${meta.file ?? `revision '${meta.revision}'`} failed: ${message}${failedSql ? `\n  while running: ${shortStatement(failedSql)}` : ''}\nthe step was rolled back where the database allows it; the version table is at the last completed step`,
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
    return new CairnError(code, `${message}\n  while running: ${shortStatement(s.sql)}`, {
      details: { statement: s.sql },
      cause: error,
    });
  }

  /**
   * `onEvent` and `onStep`, called so that a listener cannot break a run: one that throws (from a
   * timer, while the lock is held, between two steps) would leak the lock, crash the process or
   * roll back steps that succeeded. Its error is written to the console instead.
   */
  #tell(event: MigratorEvent): void {
    const listener = this.#options.onEvent;
    if (listener !== undefined) guarded(() => listener(event), event.kind);
  }

  #told(step: StepResult): void {
    const listener = this.#options.onStep;
    if (listener !== undefined) guarded(() => listener(step), 'step');
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

type StepFailure = NonNullable<RunResult['failed']>;
type StepOutcome = StepResult | StepFailure;

/**
 * Raised inside a step's transaction when a statement cannot run there: the compiler marked it
 * `transactional: false`, or the database refused it in a transaction block. The step's
 * transaction rolls back and the step is decided again with this reason.
 */
class NeedsNoTransaction extends Error {
  readonly reason: OutsideReason;

  constructor(statement: Statement | undefined) {
    super('this statement cannot run inside a transaction');
    this.reason = { kind: 'statement', statement };
  }
}

/**
 * Calls `callback` after the event loop has handled pending I/O: Node's (and Bun's) `setImmediate`,
 * which runs right after the poll phase; elsewhere a zero timeout.
 */
const afterIo: (callback: () => void) => unknown =
  (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate ??
  ((callback) => setTimeout(callback, 0));

/** Adds to a failure outside a transaction that the database may hold part of the step. */
function guarded(call: () => void, what: string): void {
  try {
    call();
  } catch (error) {
    // console, not process.emitWarning: core runs wherever a Session does, not only on Node.
    console.warn(`cairn: a progress listener threw on '${what}'; the run goes on:`, error);
  }
}

function partWay(error: CairnError, meta: RevisionMeta, direction: 'up' | 'down'): CairnError {
  return new CairnError(
    error.code,
    `${error.message}\nthis step ran outside a transaction, so the database may hold part of it and is marked dirty: repair it by hand, then run 'cairn resolve ${meta.revision} --applied' (or '--rolled-back')`,
    { details: { ...error.details, revision: meta.revision, direction, dirty: true }, cause: error.cause ?? error },
  );
}

/**
 * A statement as error messages show it: whole when short, else its first lines and how much
 * was left out (a PostgreSQL enum-value removal is a 300-line block). `details.statement` keeps
 * the full text.
 */
function shortStatement(sql: string): string {
  const lines = sql.trim().split('\n');
  if (lines.length <= 6 && sql.length <= 600) return sql;
  const shown = lines.slice(0, 3).join('\n').slice(0, 400);
  return `${shown}\n  … (${lines.length} lines; the whole statement is in the error's details)`;
}

function listSteps(steps: readonly DirtyStep[]): string {
  const named = steps.map((s) => `the ${s.direction === 'up' ? 'upgrade' : 'downgrade'} of '${s.revision}'`);
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}

/**
 * What a migration's `upgrade`/`downgrade` receive: `sql(text, params)` runs one parameterised
 * statement on the step's own connection and transaction, and returns its rows. In a
 * `transaction` context a statement marked `transactional: false` is not run: it raises
 * `NeedsNoTransaction` (and `outsideNeeded` remembers it, should the migration catch it).
 */
function migrationContext(
  dialect: Dialect,
  session: Session,
  queryBuilder: QueryBuilderFactory | undefined,
  mode: 'transaction' | 'autocommit',
): { readonly ctx: MigrationContext; readonly outsideNeeded: Statement | undefined } {
  let outsideNeeded: Statement | undefined;
  const annotated = async <T>(s: Statement, result: () => Promise<T>): Promise<T> => {
    if (mode === 'transaction' && s.transactional === false) {
      outsideNeeded = s;
      throw new NeedsNoTransaction(s);
    }
    try {
      return await result();
    } catch (error) {
      // Kept on the error so the step's failure message can show the statement.
      if (error !== null && typeof error === 'object') Object.assign(error, { cairnStatement: s });
      throw error;
    }
  };
  const run = (s: Statement): Promise<readonly Row[]> =>
    annotated(s, () => (returnsRows(s.sql) ? session.query(s) : session.execute(s).then(() => [])));
  const sql = (text: string, params: readonly unknown[] = []) => run({ sql: text, params });
  // The query builder's statements run on the step's session too, with the same error annotation.
  const builderSession: Session = {
    query: (s) => annotated(s, () => session.query(s)),
    execute: (s) => annotated(s, () => session.execute(s)),
  };
  const describe = dialect.describeTable?.bind(dialect);
  const op = () => operationApi(dialect, run, describe && ((name) => describe(session, name)));
  const ctx = contextWithQueryBuilder({ sql, op, session }, dialect, builderSession, queryBuilder);
  return {
    ctx,
    get outsideNeeded() {
      return outsideNeeded;
    },
  };
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
