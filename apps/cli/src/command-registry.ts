import type { Command } from './command.js';
import branches from './commands/branches.js';
import check from './commands/check.js';
import current from './commands/current.js';
import downgrade from './commands/downgrade.js';
import edit from './commands/edit.js';
import heads from './commands/heads.js';
import history from './commands/history.js';
import init from './commands/init.js';
import merge from './commands/merge.js';
import migrate from './commands/migrate.js';
import resolve from './commands/resolve.js';
import revision from './commands/revision.js';
import show from './commands/show.js';
import stamp from './commands/stamp.js';
import upgrade from './commands/upgrade.js';

/**
 * A command as `main` and `--help` know it. The commands are imported statically, so they are
 * bundled into `dist/cli.js` with the rest of the CLI: on Node 20 every further ES module costs
 * a start-up about 0.5–1 ms (resolve, read, compile, link), more than parsing all the commands
 * does, and `cairn current` has a budget of 50 ms over Node's own start. So a command module
 * must not import anything heavy at its top level (`node:crypto`, `node:child_process`, a
 * driver, esbuild): it imports those inside `run`, where only its own process pays for them.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `cairn --help` and the top of `cairn <command> --help`. */
  readonly summary: string;
  readonly command: Command;
}

/** Every command, in the order `cairn --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'Create cairn.config.ts and an empty migrations directory.',
    command: init,
  },
  { name: 'revision', summary: 'Create a new revision file.', command: revision },
  {
    name: 'migrate',
    summary: "Alias of 'revision --autogenerate' (not available in this version).",
    command: migrate,
  },
  {
    name: 'merge',
    summary: 'Create a revision that joins two or more heads.',
    command: merge,
  },
  {
    name: 'upgrade',
    summary: 'Apply migrations up to a target (default: head).',
    command: upgrade,
  },
  {
    name: 'downgrade',
    summary: 'Revert migrations down to a target (default: -1).',
    command: downgrade,
  },
  {
    name: 'stamp',
    summary: 'Set the version table without running migrations.',
    command: stamp,
  },
  {
    name: 'resolve',
    summary: 'Clear a dirty database after repairing a step that failed part-way.',
    command: resolve,
  },
  {
    name: 'current',
    summary: 'Show the revisions the database is at.',
    command: current,
  },
  {
    name: 'check',
    summary: 'Fail on several heads or on applied migrations that were edited.',
    command: check,
  },
  { name: 'heads', summary: 'Show the current heads.', command: heads },
  {
    name: 'branches',
    summary: 'Show the branch points and the branches that start there.',
    command: branches,
  },
  { name: 'history', summary: 'List revisions, newest first.', command: history },
  { name: 'show', summary: 'Show the details of revisions.', command: show },
  { name: 'edit', summary: 'Open revision files in $VISUAL or $EDITOR.', command: edit },
];

/** The entry named `name`, if any. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
