import { defineCommand } from './command.js';
import { usage } from './command-line.js';
import { printOfflineScript, reportRun } from './run-migrations.js';

const TEXT = {
  up: {
    name: 'upgrade',
    target: "'head'",
    default: 'head',
    description:
      "TARGET is a revision, 'head', 'heads', 'label@head', '+N' or 'label@+N'. Each migration runs\nwith its version-table change in one transaction, under a database lock.",
  },
  down: {
    name: 'downgrade',
    target: "'-1'",
    default: '-1',
    description:
      "TARGET is a revision, 'base', 'label@base', '-N' or 'label@-N'. Each migration is reverted\nwith its version-table change in one transaction, under a database lock.",
  },
} as const;

/** `cairn upgrade [TARGET]` and `cairn downgrade [TARGET]`: the same command in two directions. */
export function migrationCommand(direction: 'up' | 'down') {
  const text = TEXT[direction];
  return defineCommand({
    name: text.name,
    description: text.description,
    options: {
      'single-transaction': { type: 'boolean', description: `run the whole ${text.name} in one transaction` },
      'dry-run': { type: 'boolean', description: 'print the steps that would run, without running them' },
      sql: {
        type: 'boolean',
        description: `print the SQL script instead of running it, without connecting; TARGET may be FROM:TO${direction === 'down' ? ' (FROM is required)' : ''}`,
      },
    },
    positionals: [{ name: 'TARGET', required: false, description: `where to go (default: ${text.target})` }],
    async run(context, args) {
      if (args.options.sql) {
        if (args.options['dry-run'])
          throw usage('--dry-run and --sql cannot be combined (--sql runs nothing)', `cairn ${text.name}`);
        // No default target: offline, downgrade's FROM cannot be read from the database, and
        // core defaults upgrade to `head` itself.
        const target = args.positionals[0];
        await printOfflineScript(context, {
          direction,
          ...(target === undefined ? {} : { target }),
          singleTransaction: args.options['single-transaction'],
        });
        return;
      }
      const target = args.positionals[0] ?? text.default;
      const project = await context.project();
      if (args.options['dry-run']) {
        const plan = await project.plan(direction, target);
        context.out.result({
          steps: plan.steps.map((s) => ({ revision: s.revision, direction: s.direction })),
          current: plan.rowsBefore,
        });
        for (const s of plan.steps) {
          const parents = s.downRevision.join(', ');
          context.out.data(
            direction === 'up'
              ? `Would run upgrade ${parents} -> ${s.revision}`
              : `Would run downgrade ${s.revision} -> ${parents}`,
          );
        }
        return;
      }
      const options = { singleTransaction: args.options['single-transaction'] === true };
      reportRun(
        context,
        direction === 'up' ? await project.upgrade(target, options) : await project.downgrade(target, options),
      );
    },
  });
}
