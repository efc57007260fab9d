import { history, revisionEntry } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand } from '../command.js';
import { shortLine, verboseBlock } from '../format-revision.js';

/**
 * `cairn branches`: every branch point (newest first), then one line per child indented by
 * the length of the branch point's id, then a blank line — Alembic's layout:
 *
 * ```
 * 1975ea83b712 (branchpoint)
 *              -> ae1027a6acf (head)
 *              -> 27c6a30d7c24 (shoppingcart) (head)
 *
 * ```
 *
 * JSON: `{"branchPoints":[{"revision":"<rev>","children":["<rev>",…]}]}`.
 */
export default defineCommand({
  name: 'branches',
  description: 'A branch point is a revision that two or more revisions build on.',
  options: {},
  positionals: [],
  verboseEffect: "prints each branch point's full block and each branch's message.",
  async run(context) {
    const graph = loadRevisionGraph(await context.config(), context.cwd);
    const points = history(graph).filter((entry) => entry.flags.includes('branchpoint'));
    const { out } = context;
    out.result({ branchPoints: points.map((entry) => ({ revision: entry.revision, children: entry.children })) });
    if (out.json) return;
    const verbose = context.global.verbose;
    for (const point of points) {
      const indent = ' '.repeat(point.revision.length);
      const children = point.children.map((id) => {
        const child = revisionEntry(graph, graph.indexOf(id)!);
        return `${indent} -> ${shortLine(child, { labels: true, tree: true, doc: verbose })}`;
      });
      const head = verbose ? verboseBlock(point) : shortLine(point, { labels: true, tree: true });
      out.data(`${head}\n${children.join('\n')}\n`);
    }
  },
});
