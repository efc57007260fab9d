import { defineCommand } from '../command.js';
import { usage } from '../command-line.js';
import { printOfflineScript, reportRun } from '../run-migrations.js';

/** `cairn stamp REV... [--purge] [--sql]`: sets the version table without running migrations. */
export default defineCommand({
  name: 'stamp',
  description:
    "Each REV replaces the version rows on its lineage ('base' removes them). Use it to tell cairn\nwhere a database made by other means stands.",
  options: {
    purge: { type: 'boolean', description: 'empty the version table first (also drops rows no file knows)' },
    sql: {
      type: 'boolean',
      description: 'print the SQL instead of running it, without connecting; REV may be FROM:REV',
    },
  },
  positionals: [
    { name: 'REV', required: true, variadic: true, description: "revisions, 'heads', 'label@head' or 'base'" },
  ],
  async run(context, args) {
    if (args.options.sql) {
      // Purging needs the rows the table holds now, which only the database knows.
      if (args.options.purge) throw usage('--purge cannot be used with --sql', 'cairn stamp');
      await printOfflineScript(context, { direction: 'stamp', target: args.positionals });
      return;
    }
    const project = await context.project();
    reportRun(context, await project.stamp(args.positionals, { purge: args.options.purge === true }));
  },
});
