#!/usr/bin/env node
// Writes the floor for bench/apply: SQL scripts for the `sqlite3` client that do the same work
// as `cairn upgrade head` / `cairn downgrade base` on a project from generate.mjs, with nothing
// else around it (no process of cairn's, no driver, no JavaScript).
//
//   node bench/apply/floor.mjs --project DIR --out DIR
//
// Every statement is rendered by cairn's own code, so the floor cannot drift from what cairn
// sends: the migrations' SQL by core's `splitSqlSections`/`splitSqlStatements`, the steps and
// their version-row writes by core's `planUpgrade`/`planDowngrade`, and the DDL, version writes
// and history inserts by @cairn/sqlite's `sqliteStateCompiler`, with the bound parameters
// inlined by @cairn/sqlite's `quoteLiteral`. The history rows get the same revision, direction,
// checksum (SHA-256 of the file), status and tool version as cairn's; only the times differ.
//
// Scripts written to --out:
//   floor-up.sql             one BEGIN … COMMIT per migration (the issue's floor for `upgrade`)
//   floor-down.sql           the same for `downgrade base`, newest first
//   floor-up-single.sql      one BEGIN … COMMIT around everything (for `--single-transaction`)
//   floor-up-savepoints.sql  cairn's exact shape: BEGIN IMMEDIATE, a SAVEPOINT per migration,
//   floor-down-savepoints.sql  one COMMIT at the end (see packages/sqlite/src/locker.ts)
//
// Each script starts with `PRAGMA journal_mode = WAL`, which cairn sets on every open
// (packages/sqlite/src/open-sqlite.ts): the floor must commit through the same journal.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreIndex = join(repo, 'packages/core/dist/index.js');
const sqliteIndex = join(repo, 'packages/sqlite/dist/index.js');

const USAGE = 'usage: node bench/apply/floor.mjs --project DIR --out DIR';
let args;
try {
  ({ values: args } = parseArgs({
    options: { project: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.project || !args.out) fail(USAGE);
for (const file of [coreIndex, sqliteIndex]) {
  if (!existsSync(file)) fail(`${file} is missing: run \`pnpm build\` first`);
}
const core = await import(pathToFileURL(coreIndex).href);
const { sqliteStateCompiler, quoteLiteral } = await import(pathToFileURL(sqliteIndex).href);
const state = sqliteStateCompiler();
const toolVersion = JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')).version;

// The migrations, as the CLI reads them (`cairn.config.json`'s `migrations` directory).
const project = resolve(args.project);
const config = JSON.parse(readFileSync(join(project, 'cairn.config.json'), 'utf8'));
const migrationsDir = join(project, config.migrations);
const byRevision = new Map();
for (const name of readdirSync(migrationsDir).filter(core.isMigrationFileName)) {
  const bytes = readFileSync(join(migrationsDir, name));
  const source = bytes.toString('utf8');
  const meta = core.parseRevisionFile(name, source);
  const { up, down } = core.splitSqlSections(name, source);
  byRevision.set(meta.revision, {
    meta,
    up: core.splitSqlStatements(up),
    down: core.splitSqlStatements(down ?? ''),
    checksum: createHash('sha256').update(bytes).digest('hex'),
  });
}
const graph = core.RevisionGraph.from([...byRevision.values()].map((m) => m.meta));
const versionTable = { name: config.versionTable ?? 'cairn_version' };
const historyTable = { name: 'cairn_history' };
const upSteps = core.planUpgrade(graph, [], 'head').steps;
const heads = upSteps.length === 0 ? [] : [upSteps.at(-1).revision];
const downSteps = core.planDowngrade(graph, heads, 'base').steps;

/** A rendered `Statement` with its `?` parameters inlined as SQLite literals. */
function inline({ sql, params }) {
  const parts = sql.split('?');
  // The state compiler's SQL has no `?` inside literals, so every `?` is a placeholder.
  if (parts.length !== params.length + 1) fail(`cannot inline ${params.length} parameters into: ${sql}`);
  return parts.reduce((text, part, i) => text + quoteLiteral(params[i - 1]) + part);
}

/** One step's statements, exactly in cairn's order: migration SQL, version writes, history row. */
function stepSql(step) {
  const migration = byRevision.get(step.revision);
  const at = new Date(Date.UTC(2024, 0, 1));
  return [
    ...(step.direction === 'up' ? migration.up : migration.down),
    ...step.writes.map((write) => inline(state.versionWrite(write, versionTable))),
    inline(
      state.insertHistory(
        {
          revision: step.revision,
          direction: step.direction,
          checksum: migration.checksum,
          startedAt: at,
          finishedAt: at,
          status: 'succeeded',
          error: null,
          durationMs: 0,
          toolVersion,
        },
        historyTable,
      ),
    ),
  ];
}

const pragma = ['PRAGMA journal_mode = WAL'];
const ddl = [...state.createVersionTable(versionTable), ...state.createHistoryTable(historyTable)].map(inline);
const readRows = inline(state.readVersionRows(versionTable));
const perMigration = (steps) => steps.flatMap((step) => ['BEGIN', ...stepSql(step), 'COMMIT']);
// Savepoint names as better-sqlite3.ts makes them: a counter per connection.
const savepoints = (steps) =>
  steps.flatMap((step, i) => {
    const name = `"cairn_savepoint_${i + 1}"`;
    return [`SAVEPOINT ${name}`, ...stepSql(step), `RELEASE ${name}`];
  });

const scripts = {
  // cairn's tables get their own transaction here: one commit more than 1,000 is noise.
  'floor-up.sql': [...pragma, 'BEGIN', ...ddl, 'COMMIT', ...perMigration(upSteps)],
  'floor-down.sql': [...pragma, ...perMigration(downSteps)],
  'floor-up-single.sql': [...pragma, 'BEGIN', ...ddl, ...upSteps.flatMap(stepSql), 'COMMIT'],
  // cairn: lock, create tables if missing, read the rows, the steps, read the rows, commit.
  'floor-up-savepoints.sql': [
    ...pragma,
    'BEGIN IMMEDIATE',
    ...ddl,
    readRows,
    ...savepoints(upSteps),
    readRows,
    'COMMIT',
  ],
  'floor-down-savepoints.sql': [
    ...pragma,
    'BEGIN IMMEDIATE',
    ...ddl,
    readRows,
    ...savepoints(downSteps),
    readRows,
    'COMMIT',
  ],
};
const out = resolve(args.out);
mkdirSync(out, { recursive: true });
for (const [name, statements] of Object.entries(scripts)) {
  writeFileSync(join(out, name), `${statements.map((s) => `${s};`).join('\n')}\n`);
}
console.log(
  `floor for ${upSteps.length} migrations (head ${heads[0] ?? 'none'}) in ${out}: ${Object.keys(scripts).join(', ')}`,
);

function fail(message) {
  console.error(`floor.mjs: ${message}`);
  process.exit(1);
}
