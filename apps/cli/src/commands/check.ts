import { defineCommand } from '../command.js';

/**
 * `cairn check`: exits 1 when the history has several heads, when a migration file changed
 * after it was applied (its SHA-256 differs from the one recorded when it last ran up), or when
 * the database is dirty (`Project.check`). Meant for CI, before `upgrade` runs anywhere that matters.
 */
export default defineCommand({
  name: 'check',
  description:
    'Finds several heads (merge them with cairn merge heads), applied migrations whose files\nwere edited after they ran (revert the edit, or write a new migration for the change), and a\ndirty database (a step outside a transaction that stopped part-way: cairn resolve).',
  options: {},
  positionals: [],
  async run(context) {
    await (await context.project()).check();
    context.out.result({ findings: [] });
    context.out.status('No problems found.');
  },
});
