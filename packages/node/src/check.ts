import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listForMessage, type Migrator, type RevisionGraph } from '@cairn/core';

/** One problem `Project.check` found. */
export interface CheckFinding {
  readonly kind: 'multipleHeads' | 'editedMigration' | 'dirtyDatabase' | 'unknownVersionRow';
  readonly message: string;
  readonly revision?: string;
  readonly file?: string;
}

/**
 * What `check` looks for: several heads, applied migrations whose file changed after it ran
 * (its SHA-256 differs from the one recorded when it last ran up), and a dirty database. File
 * paths in the graph are relative to `cwd`.
 */
export async function findProblems(migrator: Migrator, graph: RevisionGraph, cwd: string): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = [];
  const heads = graph.resolvedHeads();
  if (heads.length > 1) {
    findings.push({
      kind: 'multipleHeads',
      message: `there are ${heads.length} heads (${listForMessage(heads)}); join them with 'cairn merge heads'`,
    });
  }
  const { current: rows, appliedChecksums: checksums, dirty } = await migrator.inspect();
  for (const step of dirty) {
    findings.push({
      kind: 'dirtyDatabase',
      revision: step.revision,
      message: `the database is dirty: the ${step.direction === 'up' ? 'upgrade' : 'downgrade'} of '${step.revision}' ran outside a transaction and ${step.failed ? 'failed part-way' : 'never finished'}; repair it, then run 'cairn resolve ${step.revision} --applied' or '--rolled-back'`,
    });
  }
  // Imported here, not at the top: the CLI bundles this module into every command's start-up.
  const { createHash } = await import('node:crypto');
  const known: number[] = [];
  for (const row of rows) {
    const index = graph.indexOf(row);
    if (index !== undefined) {
      known.push(index);
      continue;
    }
    findings.push({
      kind: 'unknownVersionRow',
      revision: row,
      message: `the database is at '${row}', which no migration file defines (a file deleted or not yet pulled, or another project's version table); restore the file, or 'cairn stamp' the database to a revision that exists`,
    });
  }
  const applied = graph.ancestors(known, true);
  for (let i = 0; i < applied.length; i++) {
    if (!applied[i]) continue;
    const meta = graph.revisions[i]!;
    const recorded = checksums.get(meta.revision);
    if (recorded === undefined || meta.file === undefined) continue;
    const now = createHash('sha256')
      .update(readFileSync(resolve(cwd, meta.file)))
      .digest('hex');
    if (now !== recorded) {
      findings.push({
        kind: 'editedMigration',
        revision: meta.revision,
        file: meta.file,
        message: `${meta.file} changed after it was applied; revert the edit, or put the change in a new migration`,
      });
    }
  }
  return findings;
}
