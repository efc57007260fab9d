import { defineCommand } from '../command.js';
import { shortLine, verboseBlock } from '../format-revision.js';
import { revisionJson } from '../revision-json.js';

/**
 * `cairn history [-r FROM:TO]`: revisions newest first, in core's `history` order, one
 * Alembic line each (`parents (deps) -> rev (labels) (head) (branchpoint) (mergepoint), doc`).
 * JSON: `{"revisions":[{revision, downRevision, dependsOn, branchLabels, message, createdAt, flags}]}`.
 */
export default defineCommand({
  name: 'history',
  description:
    "A range is FROM:TO, both ends included; an empty end means base or every head (e.g. 'ae10:',\n':head', 'mybranch@base:mybranch@head', '-3:').",
  options: {
    'rev-range': { type: 'string', short: 'r', placeholder: 'FROM:TO', description: 'list only this range' },
    'indicate-current': {
      type: 'boolean',
      short: 'i',
      description: "mark the database's revisions (current); also lets the range use 'current'",
    },
  },
  positionals: [],
  verboseEffect: "prints each revision's full block, as 'cairn show' does.",
  async run(context, args) {
    const range = args.options['rev-range'];
    // Only -i needs the database; plain history never opens a connection.
    const entries = await (await context.project()).history({
      ...(range === undefined ? {} : { range }),
      indicateCurrent: args.options['indicate-current'] === true,
    });
    const { out } = context;
    if (out.json) {
      out.result({ revisions: entries.map((entry) => revisionJson(entry)) });
      return;
    }
    const verbose = context.global.verbose;
    out.data(
      ...entries.map((entry) =>
        verbose ? verboseBlock(entry) : shortLine(entry, { parents: true, labels: true, tree: true, doc: true }),
      ),
    );
  },
});
