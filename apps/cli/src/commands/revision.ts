import { planNewRevision } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand, type OptionTable } from '../command.js';
import { usage } from '../command-line.js';
import { MIGRATION_IMPORT, writeRevisionFile } from '../write-revision-file.js';

/** The options of `revision`, shared with its alias `migrate`. */
export const REVISION_OPTIONS = {
  message: {
    type: 'string',
    short: 'm',
    placeholder: 'MSG',
    description: 'what the revision does (required; also names the file)',
  },
  autogenerate: {
    type: 'boolean',
    description: 'compare the schema with the database (not available in this version)',
  },
  head: {
    type: 'string',
    multiple: true,
    placeholder: 'REV',
    description: "the parent: a head, 'base' for a new root (default: the single head)",
  },
  splice: { type: 'boolean', description: 'allow a --head that is not a head, starting a new branch from it' },
  'branch-label': {
    type: 'string',
    multiple: true,
    placeholder: 'LABEL',
    description: 'a branch label for the new revision',
  },
  'depends-on': {
    type: 'string',
    multiple: true,
    placeholder: 'REV',
    description: 'a revision or branch label the new revision depends on',
  },
  'rev-id': { type: 'string', placeholder: 'ID', description: 'the revision id (default: 12 random hex digits)' },
  'sql-file': { type: 'boolean', description: 'write a .sql migration instead of TypeScript' },
} as const satisfies OptionTable;

/**
 * `cairn revision -m MSG [...]`: plans the revision with core's `planNewRevision` and writes
 * `<migrations>/<yyyymmddHHMMSS>_<rev>_<slug>.ts` (or `.sql`).
 */
export default defineCommand({
  name: 'revision',
  description:
    'The new revision builds on the single head unless --head says otherwise; with several\nheads, name one or merge them first.',
  options: REVISION_OPTIONS,
  positionals: [],
  async run(context, args) {
    const { options } = args;
    if (options.autogenerate) throw autogenerateUnavailable('cairn revision');
    if (options.message === undefined) throw usage('cairn revision needs a message: -m MSG', 'cairn revision');
    const config = await context.config();
    const graph = loadRevisionGraph(config, context.cwd);
    const planned = planNewRevision(graph, {
      message: options.message,
      ...(options.head.length > 0 ? { head: options.head } : {}),
      splice: options.splice,
      branchLabels: options['branch-label'],
      dependsOn: options['depends-on'],
      ...(options['rev-id'] === undefined ? {} : { revId: options['rev-id'] }),
      sqlFile: options['sql-file'],
      importFrom: MIGRATION_IMPORT,
    });
    writeRevisionFile(context, config, graph, planned);
  },
});

/** The usage error for `--autogenerate` and `migrate`. */
export function autogenerateUnavailable(where: string) {
  return usage(
    'autogenerate is not implemented in this version of cairn; write the migration by hand with cairn revision -m MSG',
    where,
  );
}
