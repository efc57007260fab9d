import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CairnError, listForMessage } from '@cairn/core';
import { defineCommand } from '../command.js';
import { withMigrator } from '../run-migrations.js';

/** One problem `check` found. */
interface Finding {
  readonly kind: 'multipleHeads' | 'editedMigration' | 'dirtyDatabase';
  readonly message: string;
  readonly revision?: string;
  readonly file?: string;
}

/**
 * `cairn check`: exits 1 when the history has several heads, when a migration file changed
 * after it was applied (its SHA-256 differs from the one recorded when it last ran up), or when
 * the database is dirty. Meant for CI, before `upgrade` runs anywhere that matters.
 */
export default defineCommand({
  name: 'check',
  description:
    'Finds several heads (merge them with cairn merge heads), applied migrations whose files\nwere edited after they ran (revert the edit, or write a new migration for the change), and a\ndirty database (a step outside a transaction that stopped part-way: cairn resolve).',
  options: {},
  positionals: [],
  async run(context) {
    await withMigrator(context, async (migrator, graph) => {
      const findings: Finding[] = [];
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
      // Imported here: every command's module is loaded at start-up (see command-registry.ts).
      const { createHash } = await import('node:crypto');
      const applied = graph.ancestors(
        rows.map((r) => graph.indexOf(r)!),
        true,
      );
      for (let i = 0; i < applied.length; i++) {
        if (!applied[i]) continue;
        const meta = graph.revisions[i]!;
        const recorded = checksums.get(meta.revision);
        if (recorded === undefined || meta.file === undefined) continue;
        const now = createHash('sha256')
          .update(readFileSync(resolve(context.cwd, meta.file)))
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
      if (findings.length > 0) {
        throw new CairnError(
          'CHECK_FAILED',
          `${findings.length === 1 ? 'a problem' : `${findings.length} problems`}:\n${findings.map((f) => `  - ${f.message}`).join('\n')}`,
          { details: { findings } },
        );
      }
      context.out.result({ findings: [] });
      context.out.status('No problems found.');
    });
  },
});
