import { Migrator, offlineScript, type RevisionGraph, type RunResult, type StepResult, shortDoc } from '@cairn/core';
import type { CommandContext } from './command.js';
import { openDatabase } from './database.js';
import { knexQueryBuilder } from './knex-builder.js';
import { fileMigrationLoader } from './migration-loader.js';
import { loadRevisionGraph } from './project.js';
import { cairnVersion } from './version.js';

/**
 * Opens the database, builds a `Migrator` over the project's graph and runs `work` with it,
 * closing the connection on every path. Each completed step is printed as Alembic does:
 * `Running upgrade <parents> -> <rev>, <doc>`.
 */
export async function withMigrator<T>(
  context: CommandContext,
  work: (migrator: Migrator, graph: RevisionGraph) => Promise<T>,
): Promise<T> {
  const config = await context.config();
  const graph = loadRevisionGraph(config, context.cwd);
  const database = await openDatabase(config);
  try {
    const migrator = new Migrator({
      graph,
      dialect: database.dialect,
      session: database.session,
      loader: fileMigrationLoader(context.cwd),
      ...config.dialect.stateTables(config.settings),
      toolVersion: cairnVersion(),
      // Loads knex only when a migration first reads `ctx.knex`.
      queryBuilder: knexQueryBuilder,
      onStep: (step) => context.out.status(stepLine(graph, step)),
    });
    return await work(migrator, graph);
  } finally {
    await database.close();
  }
}

/** `Running upgrade a -> b, doc` / `Running downgrade b -> a, doc` / `Running stamp b`. */
export function stepLine(graph: RevisionGraph, step: StepResult): string {
  const meta = graph.get(step.revision);
  const parents = meta.downRevision.join(', ');
  const doc = shortDoc(meta);
  const tail = doc ? `, ${doc}` : '';
  if (step.direction === 'up') return `Running upgrade ${parents} -> ${step.revision}${tail}`;
  if (step.direction === 'down') return `Running downgrade ${step.revision} -> ${parents}${tail}`;
  return `Running stamp ${step.revision}`;
}

/**
 * Reports a run: the JSON result `{"steps":[…],"current":[…]}`, and for a failed run the step's
 * error (its message names the revision, the statement and the database's message) with what
 * ran before it and what did not run in its details.
 */
export function reportRun(context: CommandContext, result: RunResult): void {
  const steps = result.applied.map((s) => ({ revision: s.revision, direction: s.direction, durationMs: s.durationMs }));
  if (result.failed) {
    const { error } = result.failed;
    throw Object.assign(error, {
      details: { ...error.details, steps, notRun: result.notRun, current: result.current },
    });
  }
  context.out.result({ steps, current: result.current });
  if (result.applied.length === 0) context.out.status('Nothing to do: the database is already there.');
}

/** What `--sql` renders: an upgrade or downgrade to `target` (`[FROM:]TO`), or a stamp. */
export type OfflineRequest =
  | { readonly direction: 'up' | 'down'; readonly target?: string; readonly singleTransaction?: boolean }
  | { readonly direction: 'stamp'; readonly target: readonly string[] };

/**
 * `--sql`: prints the script the run would execute (`{"sql":"…"}` with `--json`) and nothing
 * else, so stdout can be piped to the database's own client. Never opens the database: the
 * dialect comes from the configuration, the start revision from the target's `FROM`.
 */
export async function printOfflineScript(context: CommandContext, request: OfflineRequest): Promise<void> {
  const config = await context.config();
  const graph = loadRevisionGraph(config, context.cwd);
  const common = {
    graph,
    dialect: await config.dialect.create(config.settings),
    ...config.dialect.stateTables(config.settings),
    toolVersion: cairnVersion(),
    queryBuilder: knexQueryBuilder,
  };
  let sql: string;
  if (request.direction === 'stamp') {
    sql = await offlineScript({ ...common, ...request });
  } else {
    sql = await offlineScript({ ...common, ...request, loader: fileMigrationLoader(context.cwd) });
  }
  // What the session runs before cairn's statements online (`SET search_path` for a `schema`)
  // comes first, so the script does the same.
  const setup = config.dialect.sessionSetup?.(config.settings) ?? [];
  if (sql !== '' && setup.length > 0) sql = `${setup.map((s) => `${s.sql};`).join('\n')}\n\n${sql}`;
  context.out.result({ sql });
  if (sql !== '') context.out.data(sql.replace(/\n$/, ''));
}
