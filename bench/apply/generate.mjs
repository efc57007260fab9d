#!/usr/bin/env node
// Writes a cairn project with N linear `.sql` migrations, each creating one small table, for
// timing `cairn upgrade` / `downgrade` against the database's own client (see run.mjs).
//
//   node bench/apply/generate.mjs --out DIR [--dialect sqlite|postgres|mysql] [--database NAME]
//                                 [--count 1000] [--seed 1] [--force]
//
// DIR gets cairn.config.json and migrations/. The database is DIR/bench.db for sqlite (the
// default), else database NAME (default cairn_bench) on the local server: PostgreSQL at
// 127.0.0.1:5432 as user postgres, MariaDB/MySQL at 127.0.0.1:3306 as root. The migration files
// are the same bytes for every dialect (their SQL is portable). Headers are rendered and
// files named by @cairn/core itself, so they are what `cairn revision --sql` would write. Ids
// come from a seeded PRNG and createdAt goes up one second per revision: the same arguments
// always give the same bytes, so runs on different days apply the same files.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, idSource, mulberry32, parseOptions } from '../lib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreIndex = join(repo, 'packages/core/dist/index.js');

const USAGE =
  'usage: node bench/apply/generate.mjs --out DIR [--dialect sqlite|postgres|mysql] [--database NAME] [--count N] [--seed S] [--force]';
/** The project's database URL per dialect; the servers are the local ones (see run.mjs). */
const URLS = {
  sqlite: () => 'sqlite:./bench.db',
  postgres: (database) => `postgres://postgres@127.0.0.1:5432/${database}`,
  mysql: (database) => `mysql://root@127.0.0.1:3306/${database}`,
};
const args = parseOptions(
  {
    out: { type: 'string' },
    dialect: { type: 'string', default: 'sqlite' },
    database: { type: 'string', default: 'cairn_bench' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    force: { type: 'boolean', default: false },
  },
  USAGE,
);
const count = Number(args.count);
const seed = Number(args.seed);
if (!args.out || !Number.isInteger(count) || count < 1 || count > 9999 || !Number.isInteger(seed)) fail(USAGE);
if (!Object.hasOwn(URLS, args.dialect)) fail(`--dialect is sqlite, postgres or mysql, not '${args.dialect}'\n${USAGE}`);
if (!/^[a-z_][a-z0-9_]*$/.test(args.database)) fail(`--database takes a plain lower-case name, not '${args.database}'`);
if (!existsSync(coreIndex)) fail(`@cairn/core is not built (${coreIndex} is missing): run \`pnpm build\` first`);
const { migrationFileName, renderSqlMigration } = await import(pathToFileURL(coreIndex).href);

const out = resolve(args.out);
const migrationsDir = join(out, 'migrations');
if (existsSync(migrationsDir) && readdirSync(migrationsDir).length > 0) {
  if (!args.force) fail(`${migrationsDir} is not empty; remove it or pass --force to replace it`);
  rmSync(migrationsDir, { recursive: true });
}
// Removed first and written last: a project with a config file is a complete one, which is how
// run.mjs tells a finished generation from an interrupted one. A database left from an earlier
// generation would belong to other ids, so it goes too.
rmSync(join(out, 'cairn.config.json'), { force: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(join(out, `bench.db${suffix}`), { force: true });
mkdirSync(migrationsDir, { recursive: true });

const random = mulberry32(seed);
const newId = idSource(random);
const epoch = Date.UTC(2024, 0, 1);
let parent = null;
for (let i = 1; i <= count; i++) {
  const revision = newId();
  const table = `t_${String(i).padStart(4, '0')}`;
  const createdAt = new Date(epoch + (i - 1) * 1000);
  const message = `create table ${table}`;
  const header = renderSqlMigration({
    revision,
    downRevision: parent === null ? [] : [parent],
    branchLabels: [],
    dependsOn: [],
    message,
    createdAt: createdAt.toISOString(),
    transaction: true,
  });
  const source = withBodies(header, {
    up: `CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, created_at text);`,
    down: `DROP TABLE ${table};`,
  });
  writeFileSync(join(migrationsDir, migrationFileName({ createdAt, revision, message, ext: 'sql' })), source);
  parent = revision;
}
writeFileSync(
  join(out, 'cairn.config.json'),
  `${JSON.stringify({ dialect: args.dialect, url: URLS[args.dialect](args.database), migrations: 'migrations' })}\n`,
);
console.log(`seed ${seed}: ${count} .sql migrations in ${migrationsDir}, head ${parent}`);

/** Replaces the placeholder comments core renders under `-- cairn:up` / `-- cairn:down`. */
function withBodies(source, body) {
  let result = source;
  for (const section of ['up', 'down']) {
    const placeholder = `-- cairn:${section}\n-- write the ${section === 'up' ? 'upgrade' : 'downgrade'} SQL here\n`;
    if (!result.includes(placeholder))
      fail(`core's renderSqlMigration no longer writes '${placeholder.trim()}'; update withBodies()`);
    result = result.replace(placeholder, `-- cairn:${section}\n${body[section]}\n`);
  }
  return result;
}
