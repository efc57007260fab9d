import { revisionEntry } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand } from '../command.js';
import { shortLine, verboseBlock } from '../format-revision.js';

/**
 * `cairn heads [--resolve-dependencies]`: the plain heads (revisions nothing builds on), or with
 * `--resolve-dependencies` the resolved heads (nothing builds on or depends on them). One line
 * each, `<rev>[ (labels)] (head)` or `(effective head)`. JSON: `{"heads":["<rev>",…]}`.
 */
export default defineCommand({
  name: 'heads',
  description:
    'A head is a revision no other revision builds on. A head that another revision depends on\n(dependsOn) is shown as (effective head).',
  options: {
    'resolve-dependencies': { type: 'boolean', description: 'leave out heads that another revision depends on' },
  },
  positionals: [],
  verboseEffect: "prints each head's full block, as 'cairn show' does.",
  async run(context, args) {
    const graph = loadRevisionGraph(await context.config(), context.cwd);
    const heads = args.options['resolve-dependencies'] ? graph.resolvedHeadIndexes() : graph.headIndexes();
    const { out } = context;
    out.result({ heads: graph.ids(heads) });
    if (out.json) return;
    for (const i of heads) {
      const entry = revisionEntry(graph, i);
      out.data(context.global.verbose ? verboseBlock(entry) : shortLine(entry, { labels: true }));
    }
  },
});
