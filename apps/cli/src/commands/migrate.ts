import { defineCommand } from '../command.js';
import { autogenerateUnavailable, REVISION_OPTIONS } from './revision.js';

/** `cairn migrate`: Flask-Migrate's name for `revision --autogenerate`, which is not available yet. */
export default defineCommand({
  name: 'migrate',
  description: "Same as 'cairn revision --autogenerate', which this version of cairn does not have yet.",
  options: REVISION_OPTIONS,
  positionals: [],
  run() {
    throw autogenerateUnavailable('cairn migrate');
  },
});
