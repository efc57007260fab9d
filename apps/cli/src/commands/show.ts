import { revisionEntry } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand } from '../command.js';
import { verboseBlock } from '../format-revision.js';
import { lookupRevisions } from '../lookup.js';
import { revisionJson } from '../revision-json.js';

/**
 * `cairn show REV`: the full block of each revision REV stands for (`heads` gives several).
 * JSON: `{"revisions":[{…, "file": "<path>"}]}`.
 */
export default defineCommand({
  name: 'show',
  description: "REV is a revision id, a unique prefix of one, a branch label, 'label@rev', 'head' or 'heads'.",
  options: {},
  positionals: [{ name: 'REV', required: true, description: 'the revision(s) to show' }],
  async run(context, args) {
    const graph = loadRevisionGraph(await context.config(), context.cwd);
    const entries = lookupRevisions(graph, args.positionals[0]!, 'show').map((i) => revisionEntry(graph, i));
    context.out.result({ revisions: entries.map((entry) => revisionJson(entry, true)) });
    context.out.data(...entries.map(verboseBlock));
  },
});
