#!/usr/bin/env node
// The README's main job: cairn end to end on the embedded default, SQLite, through the real CLI.
// In a fresh temporary project it writes migrations on two branches (the way a developer does:
// `cairn revision`, then fills in the body), upgrades, merges, downgrades one branch, and
// prints what `heads`, `branches`, `current` and `history` say along the way.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  process.stdout.write(out.replaceAll(project, '.'));
  return out;
}

/** `cairn revision ...` and then what a developer types into the new file. */
function revision(args, up, down) {
  const out = cairn('revision', ...args);
  const file = join(project, /Generating (\S+)/.exec(out)[1]);
  const text = readFileSync(file, 'utf8');
  const filled = file.endsWith('.sql')
    ? text.replace('-- write the upgrade SQL here', up).replace('-- write the downgrade SQL here', down)
    : text
        .replace(/(async upgrade\(ctx\) \{\n)/, `$1    await ctx.sql(${JSON.stringify(up)});\n`)
        .replace(/(async downgrade\(ctx\) \{\n)/, `$1    await ctx.sql(${JSON.stringify(down)});\n`);
  writeFileSync(file, filled);
}

try {
  console.log(`A tour of cairn on SQLite, in ${project}`);
  cairn('init');
  revision(
    ['-m', 'create account table', '--rev-id', '1975ea83b712', '--sql-file'],
    'CREATE TABLE account (id integer PRIMARY KEY, email text NOT NULL);',
    'DROP TABLE account;',
  );
  revision(
    ['-m', 'add a column', '--rev-id', 'ae1027a6acf0'],
    'ALTER TABLE account ADD COLUMN name text',
    'ALTER TABLE account DROP COLUMN name',
  );
  // A second team branches off the first revision; its branch gets a label.
  revision(
    [
      '-m',
      'add shopping cart table',
      '--head',
      '1975ea83b712',
      '--splice',
      '--branch-label',
      'shoppingcart',
      '--rev-id',
      '27c6a30d7c24',
      '--sql-file',
    ],
    'CREATE TABLE cart (id integer PRIMARY KEY, account_id integer REFERENCES account (id));',
    'DROP TABLE cart;',
  );
  revision(
    ['-m', 'add cart items', '--head', 'shoppingcart@head', '--rev-id', '4c8d0e5e2b1a'],
    'CREATE TABLE cart_item (cart_id integer REFERENCES cart (id), sku text)',
    'DROP TABLE cart_item',
  );
  cairn('heads');
  cairn('branches');
  cairn('upgrade', 'heads');
  cairn('current');
  // Join the branches, build on the merge, and bring the database to the single head.
  cairn('merge', 'heads', '-m', 'merge cart into main line', '--rev-id', '53fffde5ad5a');
  revision(
    ['-m', 'index account email', '--rev-id', '9b2f14c3a7e0'],
    'CREATE INDEX account_email ON account (email)',
    'DROP INDEX account_email',
  );
  cairn('upgrade');
  cairn('current');
  // Take the shopping cart back out: first what is built on it, then the branch itself.
  cairn('downgrade', '4c8d0e5e2b1a');
  cairn('current');
  cairn('downgrade', 'shoppingcart@base');
  cairn('current');
  cairn('history', '-i');
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
