import type { Command } from './command.js';

/** A command as `main` knows it before loading it. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `cairn --help` and the top of `cairn <command> --help`. */
  readonly summary: string;
  /** Imports the command's module: only the command that runs is loaded. */
  load(): Promise<{ readonly default: Command }>;
}

/** Every command, in the order `cairn --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'Create cairn.config.ts and an empty migrations directory.',
    load: () => import('./commands/init.js'),
  },
  { name: 'revision', summary: 'Create a new revision file.', load: () => import('./commands/revision.js') },
  {
    name: 'migrate',
    summary: "Alias of 'revision --autogenerate' (not available in this version).",
    load: () => import('./commands/migrate.js'),
  },
  {
    name: 'merge',
    summary: 'Create a revision that joins two or more heads.',
    load: () => import('./commands/merge.js'),
  },
  {
    name: 'upgrade',
    summary: 'Apply migrations up to a target (default: head).',
    load: () => import('./commands/upgrade.js'),
  },
  {
    name: 'downgrade',
    summary: 'Revert migrations down to a target (default: -1).',
    load: () => import('./commands/downgrade.js'),
  },
  {
    name: 'stamp',
    summary: 'Set the version table without running migrations.',
    load: () => import('./commands/stamp.js'),
  },
  {
    name: 'resolve',
    summary: 'Clear a dirty database after repairing a step that failed part-way.',
    load: () => import('./commands/resolve.js'),
  },
  {
    name: 'current',
    summary: 'Show the revisions the database is at.',
    load: () => import('./commands/current.js'),
  },
  {
    name: 'check',
    summary: 'Fail on several heads or on applied migrations that were edited.',
    load: () => import('./commands/check.js'),
  },
  { name: 'heads', summary: 'Show the current heads.', load: () => import('./commands/heads.js') },
  {
    name: 'branches',
    summary: 'Show the branch points and the branches that start there.',
    load: () => import('./commands/branches.js'),
  },
  { name: 'history', summary: 'List revisions, newest first.', load: () => import('./commands/history.js') },
  { name: 'show', summary: 'Show the details of revisions.', load: () => import('./commands/show.js') },
  { name: 'edit', summary: 'Open revision files in $VISUAL or $EDITOR.', load: () => import('./commands/edit.js') },
];

/** The entry named `name`, if any. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
