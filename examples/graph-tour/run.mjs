#!/usr/bin/env node
// The README's main job: a tour of cairn's revision graph through the real CLI. It creates a
// fresh SQLite project in a temporary directory, writes migrations on two branches, merges
// them, and prints what `heads`, `branches` and `history` say at each stage.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../../apps/cli/bin/cairn.js', import.meta.url).pathname;
if (!existsSync(new URL('../../apps/cli/dist/cli.js', import.meta.url))) {
  console.error('The CLI is not built yet: run `pnpm build` first (or `pnpm demo`, which builds).');
  process.exit(1);
}
const keep = process.argv.includes('--keep');
const project = mkdtempSync(join(tmpdir(), 'cairn-tour-'));

/** Runs `cairn ...args` in the project, echoing the command like a terminal session. */
function cairn(...args) {
  console.log(`\n$ cairn ${args.join(' ')}`);
  const out = execFileSync(process.execPath, [cli, ...args], { cwd: project, encoding: 'utf8' });
  process.stdout.write(out.replace(new RegExp(project.replaceAll('/', '\\/'), 'g'), '.'));
  return out;
}

try {
  console.log(`A tour of cairn's revision graph, in ${project}`);
  cairn('init');
  cairn('revision', '-m', 'create account table', '--rev-id', '1975ea83b712');
  // Two teams branch off the same revision; each branch gets a label.
  cairn('revision', '-m', 'add a column', '--rev-id', 'ae1027a6acf0');
  cairn(
    'revision',
    '-m',
    'add shopping cart table',
    '--head',
    '1975ea83b712',
    '--splice',
    '--branch-label',
    'shoppingcart',
    '--rev-id',
    '27c6a30d7c24',
  );
  cairn('revision', '-m', 'add cart items', '--head', 'shoppingcart@head', '--rev-id', '4c8d0e5e2b1a');
  cairn('heads');
  cairn('branches');
  // A plain `revision` now has to be told which head to build on; merging joins the branches.
  cairn('merge', 'heads', '-m', 'merge cart into main line', '--rev-id', '53fffde5ad5a');
  cairn('revision', '-m', 'add index on account email', '--rev-id', '9b2f14c3a7e0');
  cairn('heads');
  cairn('history');
  cairn('history', '-r', 'shoppingcart@base:', '-v');
  cairn('show', '53fff');
  console.log(
    `\nMigration files written:\n${readdirSync(join(project, 'migrations'))
      .filter((f) => !f.startsWith('.'))
      .map((f) => `  migrations/${f}`)
      .join('\n')}`,
  );
} finally {
  if (keep) console.log(`\n(kept ${project})`);
  else rmSync(project, { recursive: true, force: true });
}
