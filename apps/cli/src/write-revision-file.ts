import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError, type NewRevisionFile, RevisionGraph, revisionEntry } from '@cairn/core';
import type { ResolvedConfig } from '@cairn/node';
import { displayPath } from '@cairn/node';
import { green } from './color.js';
import type { CommandContext } from './command.js';
import { revisionJson } from './revision-json.js';

/**
 * The package new TypeScript migrations import `defineMigration` from: `cairn`, which the project
 * installs (and whose index re-exports what a migration uses), so that its editor finds the
 * types under any package manager. When the project has not installed it, the CLI's own copy
 * stands in (typescript-hooks.ts).
 */
export const MIGRATION_IMPORT = 'cairn';

/**
 * Writes a planned revision (`planNewRevision`/`planMerge`) into the migrations directory and
 * reports it: `Generating <path> ... done`, or `{"revision":{…},"file":"<path>"}`.
 *
 * The graph is first rebuilt with the new revision, so a file that would break the graph is
 * never written; an existing file is never overwritten (`DUPLICATE_REVISION`).
 */
export function writeRevisionFile(
  context: CommandContext,
  config: ResolvedConfig,
  graph: RevisionGraph,
  planned: NewRevisionFile,
): void {
  const path = join(config.migrationsDir, planned.fileName);
  const shown = displayPath(path, context.cwd);
  const next = RevisionGraph.from([...graph.revisions, { ...planned.meta, file: shown }]);
  try {
    writeFileSync(path, planned.content, { flag: 'wx' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    throw new CairnError(
      'DUPLICATE_REVISION',
      `${shown} already exists and cairn does not overwrite files; choose another --rev-id or move the existing file away`,
      { details: { file: shown, revision: planned.meta.revision }, cause: error },
    );
  }
  const entry = revisionEntry(next, next.indexOf(planned.meta.revision)!);
  context.out.result({ revision: revisionJson(entry), file: shown });
  context.out.status(`Generating ${shown} ... ${green('done', context.out.color)}`);
}
