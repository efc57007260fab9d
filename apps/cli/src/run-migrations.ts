import {
  type MigrationLoader,
  Migrator,
  type RevisionGraph,
  type RunResult,
  type StepResult,
  shortDoc,
} from '@cairn/core';
import type { CommandContext } from './command.js';
import { openDatabase } from './database.js';
import { loadRevisionGraph } from './project.js';

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
    const { version } = await import('./version.js');
    const migrator = new Migrator({
      graph,
      dialect: database.dialect,
      session: database.session,
      loader: lazyLoader(context.cwd),
      versionTable: { name: config.versionTable },
      toolVersion: version,
      onStep: (step) => context.out.status(stepLine(graph, step)),
    });
    return await work(migrator, graph);
  } finally {
    await database.close();
  }
}

/**
 * The file loader, imported on the first step that runs: `current` and `stamp` never load
 * migration code, and should not pay for the module (or `node:crypto`) at start-up.
 */
function lazyLoader(cwd: string): MigrationLoader {
  let loader: Promise<MigrationLoader> | undefined;
  return {
    async load(meta) {
      loader ??= import('./migration-loader.js').then(({ fileMigrationLoader }) => fileMigrationLoader(cwd));
      return (await loader).load(meta);
    },
  };
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
