import { resolve } from 'node:path';
import {
  CairnError,
  type DesiredSchema,
  history,
  Migrator,
  type MigratorEvent,
  offlineScript,
  type Plan,
  type RevisionEntry,
  type RevisionGraph,
  type RunResult,
  type StepResult,
} from '@cairn/core';
import { type CheckFinding, findProblems } from './check.js';
import type { ResolvedConfig } from './config.js';
import { openDatabase } from './database.js';
import { knexQueryBuilder } from './knex-builder.js';
import { loadConfig } from './load-config.js';
import { loadModels } from './load-models.js';
import { loadRevisionGraph } from './load-revision-graph.js';
import { fileMigrationLoader } from './migration-loader.js';
import { cairnVersion } from './version.js';

/** Where `openProject` finds the project, and what it overrides. */
export interface OpenProjectOptions {
  /**
   * The directory the configuration is looked for from (upward: `cairn.config.{ts,mts,js,mjs,json}`),
   * and the one file names in messages are relative to. Default: `process.cwd()`.
   */
  readonly cwd?: string;
  /** The configuration file, instead of looking for one (relative to `cwd`). Default: `$CAIRN_CONFIG`, then the search. */
  readonly configFile?: string;
  /** The database URL, over `$DATABASE_URL` and the configuration's `url`. */
  readonly url?: string;
  /** The environment `$CAIRN_CONFIG` and `$DATABASE_URL` are read from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long a writing call waits for another process's lock. Default: 60,000 ms. */
  readonly lockTimeoutMs?: number;
  /** Told what a run does as it does it (the CLI prints these). */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * What a call reports as it goes, in this order: `connected`; for a writing call
 * `lock-waiting` (only when another process holds the lock) and `lock-acquired`; then per step
 * `step-started` before its migration runs and `step-finished` once it committed (stamps send
 * `step-finished` only). `graph` is the project's revision graph, for a step's message or file.
 */
export type ProgressEvent =
  | { readonly kind: 'connected'; readonly dialect: string }
  | { readonly kind: 'lock-waiting'; readonly waitedMs: number }
  | { readonly kind: 'lock-acquired'; readonly waitedMs: number }
  | {
      readonly kind: 'step-started';
      readonly revision: string;
      readonly direction: 'up' | 'down';
      readonly graph: RevisionGraph;
    }
  | { readonly kind: 'step-finished'; readonly step: StepResult; readonly graph: RevisionGraph };

/** How a failed run rejects: the failing step's error, with the run's whole result attached. */
export type RunFailure = CairnError & { readonly result: RunResult };

/** Options of `upgrade` and `downgrade`. */
export interface RunOptions {
  /** One transaction around the whole run instead of one per step (PostgreSQL, SQLite). Default: false. */
  readonly singleTransaction?: boolean;
}

/** What `sql` renders: an upgrade or downgrade to `target` (`[FROM:]TO`), or a stamp. */
export type OfflineRequest =
  | { readonly direction: 'up' | 'down'; readonly target?: string; readonly singleTransaction?: boolean }
  | { readonly direction: 'stamp'; readonly target: readonly string[] };

/**
 * Opens the project a configuration describes: reads and checks the configuration (loading its
 * dialect's descriptor), and nothing else: the migration files are read on first use, and each
 * call that needs the database opens its own connection and closes it before it settles (so a
 * `Project` holds nothing open and needs no closing).
 *
 * @example
 * import { openProject } from '@cairn/node';
 * const cairn = await openProject({ cwd: import.meta.dirname });
 * await cairn.upgrade(); // to 'head'; rejects with the failing step's CairnError
 */
export async function openProject(options: OpenProjectOptions = {}): Promise<Project> {
  if (options.url !== undefined && (typeof options.url !== 'string' || options.url === '')) {
    throw new CairnError('CONFIG_ERROR', "openProject: 'url' must be a non-empty database URL", {
      details: { option: 'url' },
    });
  }
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = await loadConfig(cwd, options.env ?? process.env, {
    ...(options.configFile === undefined ? {} : { config: options.configFile }),
    ...(options.url === undefined ? {} : { url: options.url }),
  });
  return new Project(config, cwd, options);
}

/**
 * A project: its configuration, its migration files and its database. Every method is typed
 * and rejects with a `CairnError` (with a stable `code`) when it fails; a run that stops at a
 * failing step rejects with that step's error, whose `details` say which steps ran
 * (`steps`), which did not (`notRun`) and where the database is (`current`), and whose
 * `result` is the whole `RunResult`.
 */
export class Project {
  readonly config: ResolvedConfig;
  readonly #cwd: string;
  readonly #options: OpenProjectOptions;
  #graph: RevisionGraph | undefined;

  constructor(config: ResolvedConfig, cwd: string, options: OpenProjectOptions = {}) {
    this.config = config;
    this.#cwd = cwd;
    this.#options = options;
  }

  /** The revision graph of the migration files, read (through the metadata cache) on first use. */
  graph(): RevisionGraph {
    this.#graph ??= loadRevisionGraph(this.config, this.#cwd);
    return this.#graph;
  }

  /**
   * The desired schema from the configured schema module (`models`): the model autogenerate
   * compares the database with, and the `renamedFrom` hints. See `loadModels` for the errors.
   */
  async models(): Promise<DesiredSchema> {
    const dialect = await this.config.dialect.create(this.config.settings);
    return loadModels(this.config, this.#cwd, dialect.capabilities.maxIdentifierLength);
  }

  /** Applies migrations up to `target` (default `'head'`). */
  upgrade(target = 'head', options: RunOptions = {}): Promise<RunResult> {
    return this.#run((migrator) => migrator.upgrade(target, { singleTransaction: options.singleTransaction === true }));
  }

  /** Reverts migrations down to `target` (default `'-1'`: one step). */
  downgrade(target = '-1', options: RunOptions = {}): Promise<RunResult> {
    return this.#run((migrator) =>
      migrator.downgrade(target, { singleTransaction: options.singleTransaction === true }),
    );
  }

  /** Sets the version table to `targets` without running migrations. */
  stamp(targets: string | readonly string[], options: { readonly purge?: boolean } = {}): Promise<RunResult> {
    const list = typeof targets === 'string' ? [targets] : targets;
    return this.#run((migrator) => migrator.stamp(list, { purge: options.purge === true }));
  }

  /** Records how a dirty step was repaired by hand (`cairn resolve`). */
  resolve(revision: string, outcome: 'applied' | 'rolled-back'): Promise<RunResult> {
    return this.#run((migrator) => migrator.resolve(revision, outcome));
  }

  /** The steps `upgrade`/`downgrade` to `target` would run now, without running them. */
  plan(direction: 'up' | 'down', target: string): Promise<Plan> {
    return this.withMigrator((migrator) => migrator.plan(direction, target));
  }

  /** The revisions the database is at (its version table's rows), in the graph's order. */
  current(): Promise<string[]> {
    return this.withMigrator((migrator) => migrator.current());
  }

  /**
   * Rejects with `CHECK_FAILED` (the problems in `details.findings`) when the history has
   * several heads, a migration file changed after it was applied, or the database is dirty.
   */
  async check(): Promise<void> {
    const findings: CheckFinding[] = await this.withMigrator((migrator, graph) =>
      findProblems(migrator, graph, this.#cwd),
    );
    if (findings.length > 0) {
      throw new CairnError(
        'CHECK_FAILED',
        `${findings.length === 1 ? 'a problem' : `${findings.length} problems`}:\n${findings.map((f) => `  - ${f.message}`).join('\n')}`,
        { details: { findings } },
      );
    }
  }

  /**
   * The revisions newest first (Alembic's `history`), within `range` (`FROM:TO`) when given;
   * with `indicateCurrent`, the database is read and its revisions are marked `current`.
   */
  async history(
    options: { readonly range?: string; readonly indicateCurrent?: boolean } = {},
  ): Promise<RevisionEntry[]> {
    const range = options.range === undefined ? {} : { range: options.range };
    if (!options.indicateCurrent) return history(this.graph(), range);
    return this.withMigrator(async (migrator, graph) => history(graph, { ...range, rows: await migrator.current() }));
  }

  /**
   * The SQL script a run would execute (`--sql`), without connecting: the dialect's session
   * setup first (PostgreSQL's `SET search_path` for a `schema`), then cairn's statements.
   */
  async sql(request: OfflineRequest): Promise<string> {
    const { dialect, settings } = this.config;
    const common = {
      graph: this.graph(),
      dialect: await dialect.create(settings),
      ...dialect.stateTables(settings),
      toolVersion: cairnVersion(),
      queryBuilder: knexQueryBuilder,
    };
    const sql =
      request.direction === 'stamp'
        ? await offlineScript({ ...common, ...request })
        : await offlineScript({ ...common, ...request, loader: fileMigrationLoader(this.#cwd) });
    const setup = dialect.sessionSetup?.(settings) ?? [];
    if (sql === '' || setup.length === 0) return sql;
    return `${setup.map((s) => `${s.sql};`).join('\n')}\n\n${sql}`;
  }

  /**
   * Opens the database, runs `work` with a `Migrator` over the project's graph, and closes the
   * connection on every path: for what the methods above do not cover.
   */
  async withMigrator<T>(work: (migrator: Migrator, graph: RevisionGraph) => Promise<T>): Promise<T> {
    const graph = this.graph();
    const { dialect, settings } = this.config;
    const database = await openDatabase(this.config);
    const onProgress = this.#listener();
    try {
      onProgress?.({ kind: 'connected', dialect: database.dialect.name });
      const migrator = new Migrator({
        graph,
        dialect: database.dialect,
        session: database.session,
        loader: fileMigrationLoader(this.#cwd),
        ...dialect.stateTables(settings),
        toolVersion: cairnVersion(),
        ...(this.#options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: this.#options.lockTimeoutMs }),
        // Loads knex only when a migration first reads `ctx.knex`.
        queryBuilder: knexQueryBuilder,
        ...(onProgress === undefined
          ? {}
          : {
              onStep: (step: StepResult) => onProgress({ kind: 'step-finished', step, graph }),
              onEvent: (event: MigratorEvent) =>
                onProgress(event.kind === 'step-started' ? { ...event, graph } : event),
            }),
      });
      return await work(migrator, graph);
    } finally {
      await database.close();
    }
  }

  /**
   * `onProgress`, made safe to call in the middle of a run: a listener that throws must not
   * stop a run between two steps, so its error is reported as a process warning instead.
   */
  #listener(): ((event: ProgressEvent) => void) | undefined {
    const listener = this.#options.onProgress;
    if (listener === undefined) return undefined;
    return (event) => {
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error), {
          type: 'CairnProgressListenerError',
          detail: `cairn's onProgress listener threw on a '${event.kind}' event; the run goes on`,
        });
      }
    };
  }

  /** Runs a writing call; a run that stopped at a failing step rejects with the step's error. */
  async #run(work: (migrator: Migrator) => Promise<RunResult>): Promise<RunResult> {
    const result = await this.withMigrator(work);
    if (result.failed === undefined) return result;
    const { error } = result.failed;
    const steps = result.applied.map((s) => ({
      revision: s.revision,
      direction: s.direction,
      durationMs: s.durationMs,
    }));
    Object.assign(error, { details: { ...error.details, steps, notRun: result.notRun, current: result.current } });
    // Not enumerable: `result.failed.error` is this error, and JSON.stringify must not loop.
    Object.defineProperty(error, 'result', { value: result, enumerable: false, configurable: true });
    throw error;
  }
}
