import { defineCommand } from '../command.js';
import { usage } from '../command-line.js';

/**
 * `cairn resolve REV --applied|--rolled-back`: the way out of a dirty database. A step that ran
 * outside a transaction (MySQL DDL, `transaction: false`) and failed or was killed part-way leaves
 * it dirty, and upgrade/downgrade refuse until the user has repaired the database by hand and
 * says which state it is in now.
 */
export default defineCommand({
  name: 'resolve',
  description:
    "After a step that ran outside a transaction failed part-way ('the database is dirty') and you\nrepaired the database by hand, record what state it is in now so upgrade and downgrade run again.",
  options: {
    applied: { type: 'boolean', description: "the step's changes are all in place: move the version table past it" },
    'rolled-back': { type: 'boolean', description: "none of the step's changes remain: leave the version table" },
  },
  positionals: [{ name: 'REV', required: true, description: 'the revision the dirty-database message names' }],
  async run(context, args) {
    const applied = args.options.applied;
    const rolledBack = args.options['rolled-back'];
    if (applied === rolledBack) {
      throw usage(
        'give exactly one of --applied and --rolled-back: which state the repaired database is in',
        'cairn resolve',
      );
    }
    const [revision] = args.positionals;
    const project = await context.project();
    const result = await project.resolve(revision!, applied ? 'applied' : 'rolled-back');
    context.out.result({ revision, outcome: applied ? 'applied' : 'rolled-back', current: result.current });
    context.out.status(
      `Resolved ${revision} as ${applied ? 'applied' : 'rolled back'}; the database is at ${result.current.length === 0 ? 'base' : result.current.join(', ')}.`,
    );
  },
});
