import { CairnError, revisionEntry } from '@cairn/core';
import { defineCommand } from '../command.js';
import { shortLine, verboseBlock } from '../format-revision.js';
import { withMigrator } from '../run-migrations.js';

/** `cairn current [--check-heads]`: the revisions the database is at. */
export default defineCommand({
  name: 'current',
  description: 'One line per row of the version table, with (head), (branchpoint) and (mergepoint) markers.',
  options: {
    'check-heads': { type: 'boolean', description: 'fail unless the database is at every head' },
  },
  positionals: [],
  verboseEffect: "prints each revision's full block, as 'cairn show' does.",
  async run(context, args) {
    await withMigrator(context, async (migrator, graph) => {
      const rows = await migrator.current();
      const { out } = context;
      if (args.options['check-heads']) {
        const heads = graph.resolvedHeads();
        const missing = heads.filter((h) => !rows.includes(h));
        if (missing.length > 0 || rows.length !== heads.length) {
          throw new CairnError(
            'NOT_AT_HEADS',
            `the database is not at every head: it is at ${rows.length ? rows.join(', ') : 'nothing'}, the heads are ${heads.join(', ')}; run 'cairn upgrade heads'`,
            { details: { current: rows, heads } },
          );
        }
      }
      out.result({ current: rows });
      for (const row of rows) {
        const entry = revisionEntry(graph, graph.indexOf(row)!);
        out.data(context.global.verbose ? verboseBlock(entry) : shortLine(entry, { tree: true }));
      }
    });
  },
});
