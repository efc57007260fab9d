import { defineCommand } from '../command.js';
import { reportRun, withMigrator } from '../run-migrations.js';

/** `cairn stamp REV... [--purge]`: sets the version table without running migrations. */
export default defineCommand({
  name: 'stamp',
  description:
    "Each REV replaces the version rows on its lineage ('base' removes them). Use it to tell cairn\nwhere a database made by other means stands.",
  options: {
    purge: { type: 'boolean', description: 'empty the version table first (also drops rows no file knows)' },
  },
  positionals: [
    { name: 'REV', required: true, variadic: true, description: "revisions, 'heads', 'label@head' or 'base'" },
  ],
  async run(context, args) {
    await withMigrator(context, async (migrator) => {
      reportRun(context, await migrator.stamp(args.positionals, { purge: args.options.purge }));
    });
  },
});
