import { planMerge } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand } from '../command.js';
import { MIGRATION_IMPORT, writeRevisionFile } from '../write-revision-file.js';

/**
 * `cairn merge REV... [-m MSG]`: writes a revision whose parents are the given revisions
 * (`heads`: every resolved head), planned by core's `planMerge`.
 */
export default defineCommand({
  name: 'merge',
  description: "REV is a revision id, prefix or branch label; 'heads' joins every head.",
  options: {
    message: {
      type: 'string',
      short: 'm',
      placeholder: 'MSG',
      description: "what the merge is for (default: 'merge <revs>')",
    },
    'branch-label': {
      type: 'string',
      multiple: true,
      placeholder: 'LABEL',
      description: 'a branch label for the merge revision',
    },
    'rev-id': { type: 'string', placeholder: 'ID', description: 'the revision id (default: 12 random hex digits)' },
    'sql-file': { type: 'boolean', description: 'write a .sql migration instead of TypeScript' },
  },
  positionals: [{ name: 'REV', required: true, variadic: true, description: 'the revisions to join' }],
  async run(context, args) {
    const { options } = args;
    const config = await context.config();
    const graph = loadRevisionGraph(config, context.cwd);
    const planned = planMerge(graph, args.positionals, {
      ...(options.message === undefined ? {} : { message: options.message }),
      branchLabels: options['branch-label'],
      ...(options['rev-id'] === undefined ? {} : { revId: options['rev-id'] }),
      sqlFile: options['sql-file'],
      importFrom: MIGRATION_IMPORT,
    });
    writeRevisionFile(context, config, graph, planned);
  },
});
