import type { Migrator, RevisionGraph, RunResult, StepResult } from '@cairn/core';
import { shortDoc } from '@cairn/core';
import type { OfflineRequest } from '@cairn/node';
import type { CommandContext } from './command.js';

/**
 * Runs `work` with a `Migrator` over the project's graph and database (`Project.withMigrator`),
 * closing the connection on every path. Each completed step is printed as it commits (see
 * `stepLine`, wired in main.ts).
 */
export async function withMigrator<T>(
  context: CommandContext,
  work: (migrator: Migrator, graph: RevisionGraph) => Promise<T>,
): Promise<T> {
  return (await context.project()).withMigrator(work);
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
 * Reports a run that completed: the JSON result `{"steps":[…],"current":[…]}`. A run that
 * stopped at a failing step never gets here: `Project` rejects with the step's error, whose
 * details say what ran before it and what did not.
 */
export function reportRun(context: CommandContext, result: RunResult): void {
  const steps = result.applied.map((s) => ({ revision: s.revision, direction: s.direction, durationMs: s.durationMs }));
  context.out.result({ steps, current: result.current });
  if (result.applied.length === 0) context.out.status('Nothing to do: the database is already there.');
}

/**
 * `--sql`: prints the script the run would execute (`{"sql":"…"}` with `--json`) and nothing
 * else, so stdout can be piped to the database's own client. Never opens the database.
 */
export async function printOfflineScript(context: CommandContext, request: OfflineRequest): Promise<void> {
  const sql = await (await context.project()).sql(request);
  context.out.result({ sql });
  if (sql !== '') context.out.data(sql.replace(/\n$/, ''));
}
