#!/usr/bin/env node
// Writes the floor for bench/apply: SQL scripts for the database's own client (`sqlite3`, `psql`,
// `mariadb`) that do the same work as `cairn upgrade head` / `cairn downgrade base` on a project
// from generate.mjs, with nothing else around it (no process of cairn's, no driver, no
// JavaScript).
//
//   node bench/apply/floor.mjs --project DIR --out DIR [--dialect sqlite|postgres|mysql] [--database NAME]
//
// Every statement is rendered by cairn's own code, so the floor cannot drift from what cairn
// sends: the migrations' SQL by core's `splitSqlSections`/`splitSqlStatements`, the steps and
// their version-row writes by core's `planUpgrade`/`planDowngrade`, and the DDL, version writes
// and history inserts by the dialect package's state compiler (`sqliteStateCompiler`,
// `postgresStateCompiler`, `mysqlStateCompiler`), with the bound parameters inlined by the same
// package's `quoteLiteral`. The history rows get the same revision, direction, checksum (SHA-256
// of the file), status and tool version as cairn's; only the times differ.
//
// SQLite (the default), scripts written to --out:
//   floor-up.sql             one BEGIN … COMMIT per migration (the issue's floor for `upgrade`)
//   floor-down.sql           the same for `downgrade base`, newest first
//   floor-up-single.sql      one BEGIN … COMMIT around everything (for `--single-transaction`)
//   floor-up-savepoints.sql  cairn's exact shape: BEGIN IMMEDIATE, a SAVEPOINT per migration,
//   floor-down-savepoints.sql  one COMMIT at the end (see packages/sqlite/src/locker.ts)
// Each script starts with `PRAGMA journal_mode = WAL`, which cairn sets on every open
// (packages/sqlite/src/open-sqlite.ts): the floor must commit through the same journal.
//
// PostgreSQL (`--database` names the database, for the lock key): every statement cairn sends in
// a run, in its order — the advisory lock (postgresLocker: the `SELECT current_database() …`,
// `pg_try_advisory_lock(<key>)` with the key from @cairn/postgres's `advisoryLockKey`), cairn's
// tables (`CREATE TABLE IF NOT EXISTS`), the version rows, the history read of the dirty check,
// the steps, the version rows again and `pg_advisory_unlock`:
//   floor-up.sql         `BEGIN; <DDL>; <version write>; <history insert>; COMMIT;` per migration
//   floor-down.sql       the same for `downgrade base`, newest first
//   floor-up-single.sql  one BEGIN … COMMIT around every step (`--single-transaction`)
//
// MySQL/MariaDB: DDL commits implicitly (`transactionalDdl: false`), so each step runs as
// core's Migrator runs it there: a `started` history insert, the DDL, then `START TRANSACTION;
// <version write>; <succeeded history insert>; COMMIT;`. Around the steps, what openMysql and
// mysqlLocker send (`SET SESSION time_zone`, the `sql_mode` read, `GET_LOCK` with the name from
// `mysqlLockName`, `RELEASE_LOCK`), cairn's tables and the version and history reads:
//   floor-up.sql, floor-down.sql   (there is no `--single-transaction` on MySQL)

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, parseOptions } from '../lib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreIndex = join(repo, 'packages/core/dist/index.js');
/** Per dialect: its package, and its state compiler's name there. */
const DIALECTS = {
  sqlite: { index: 'packages/sqlite/dist/index.js', stateCompiler: 'sqliteStateCompiler' },
  postgres: { index: 'packages/postgres/dist/index.js', stateCompiler: 'postgresStateCompiler' },
  mysql: { index: 'packages/mysql/dist/index.js', stateCompiler: 'mysqlStateCompiler' },
};

const USAGE =
  'usage: node bench/apply/floor.mjs --project DIR --out DIR [--dialect sqlite|postgres|mysql] [--database NAME]';
const args = parseOptions(
  {
    project: { type: 'string' },
    out: { type: 'string' },
    dialect: { type: 'string', default: 'sqlite' },
    database: { type: 'string', default: 'cairn_bench' },
  },
  USAGE,
);
if (!args.project || !args.out) fail(USAGE);
const dialect = args.dialect;
if (!Object.hasOwn(DIALECTS, dialect)) fail(`--dialect is sqlite, postgres or mysql, not '${dialect}'\n${USAGE}`);
const dialectIndex = join(repo, DIALECTS[dialect].index);
for (const file of [coreIndex, dialectIndex]) {
  if (!existsSync(file)) fail(`${file} is missing: run \`pnpm build\` first`);
}
const core = await import(pathToFileURL(coreIndex).href);
const dialectPackage = await import(pathToFileURL(dialectIndex).href);
const { quoteLiteral } = dialectPackage;
const state = dialectPackage[DIALECTS[dialect].stateCompiler]();
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

/**
 * A rendered `Statement` with its parameters (`$1`, `$2`, … on PostgreSQL, else `?`) inlined as
 * literals by the dialect's `quoteLiteral`.
 */
function inline({ sql, params }) {
  if (dialect === 'postgres') {
    const used = new Set();
    const text = sql.replace(/\$(\d+)/g, (_, n) => {
      used.add(Number(n));
      return quoteLiteral(params[Number(n) - 1]);
    });
    if (used.size !== params.length) fail(`cannot inline ${params.length} parameters into: ${sql}`);
    return text;
  }
  const parts = sql.split('?');
  // The state compiler's SQL has no `?` inside literals, so every `?` is a placeholder.
  if (parts.length !== params.length + 1) fail(`cannot inline ${params.length} parameters into: ${sql}`);
  return parts.reduce((text, part, i) => text + quoteLiteral(params[i - 1]) + part);
}

/** A step's history row, as core's Migrator records it (`started` rows have no finish yet). */
function historyInsert(step, status) {
  const at = new Date(Date.UTC(2024, 0, 1));
  const finished = status !== 'started';
  return inline(
    state.insertHistory(
      {
        revision: step.revision,
        direction: step.direction,
        checksum: byRevision.get(step.revision).checksum,
        startedAt: at,
        finishedAt: finished ? at : null,
        status,
        error: null,
        durationMs: finished ? 0 : null,
        toolVersion,
      },
      historyTable,
    ),
  );
}

/** One step's migration SQL: the up or the down section, split into statements. */
const migrationSql = (step) => byRevision.get(step.revision)[step.direction];
/** One step's version writes. */
const writes = (step) => step.writes.map((write) => inline(state.versionWrite(write, versionTable)));

/** One step's statements, exactly in cairn's order: migration SQL, version writes, history row. */
function stepSql(step) {
  return [...migrationSql(step), ...writes(step), historyInsert(step, 'succeeded')];
}

const ddl = [...state.createVersionTable(versionTable), ...state.createHistoryTable(historyTable)].map(inline);
const readRows = inline(state.readVersionRows(versionTable));
const readHistory = inline(state.readUnsettledHistory(historyTable));
const perMigration = (steps) => steps.flatMap((step) => ['BEGIN', ...stepSql(step), 'COMMIT']);
const scripts = { sqlite: sqliteScripts, postgres: postgresScripts, mysql: mysqlScripts }[dialect]();
const out = resolve(args.out);
mkdirSync(out, { recursive: true });
for (const [name, statements] of Object.entries(scripts)) {
  writeFileSync(join(out, name), `${statements.map((s) => `${s};`).join('\n')}\n`);
}
console.log(
  `${dialect} floor for ${upSteps.length} migrations (head ${heads[0] ?? 'none'}) in ${out}: ${Object.keys(scripts).join(', ')}`,
);

function sqliteScripts() {
  const pragma = ['PRAGMA journal_mode = WAL'];
  // Savepoints as core's nestedTransactions names them: by depth, so every step's is the first.
  const savepoints = (steps) =>
    steps.flatMap((step) => {
      const name = '"cairn_savepoint_1"';
      return [`SAVEPOINT ${name}`, ...stepSql(step), `RELEASE SAVEPOINT ${name}`];
    });
  // cairn: lock, create tables if missing, read the rows, the steps, read the rows, commit.
  const savepointShape = (steps) => [
    ...pragma,
    'BEGIN IMMEDIATE',
    ...ddl,
    readRows,
    ...savepoints(steps),
    readRows,
    'COMMIT',
  ];
  return {
    // cairn's tables get their own transaction here: one commit more than 1,000 is noise.
    'floor-up.sql': [...pragma, 'BEGIN', ...ddl, 'COMMIT', ...perMigration(upSteps)],
    'floor-down.sql': [...pragma, ...perMigration(downSteps)],
    'floor-up-single.sql': [...pragma, 'BEGIN', ...ddl, ...upSteps.flatMap(stepSql), 'COMMIT'],
    'floor-up-savepoints.sql': savepointShape(upSteps),
    'floor-down-savepoints.sql': savepointShape(downSteps),
  };
}

function postgresScripts() {
  // postgresLocker's statements (packages/postgres/src/locker.ts), with the key it derives for
  // this database and the default schema.
  const key = { sql: '$1::bigint', params: [dialectPackage.advisoryLockKey('cairn', args.database, 'public')] };
  const lockKey = inline(key);
  const run = (steps, body) => [
    'SELECT current_database() AS database, current_schema() AS schema, pg_backend_pid() AS pid',
    `SELECT pg_try_advisory_lock(${lockKey}) AS locked, pg_backend_pid() AS pid`,
    ...ddl,
    readRows,
    // The dirty check (Migrator #refuseDirty) reads the history when there is something to run.
    ...(steps.length > 0 ? [readHistory] : []),
    ...body,
    readRows,
    `SELECT pg_advisory_unlock(${lockKey}) AS unlocked`,
  ];
  return {
    'floor-up.sql': run(upSteps, perMigration(upSteps)),
    'floor-up-single.sql': run(upSteps, ['BEGIN', ...upSteps.flatMap(stepSql), 'COMMIT']),
    'floor-down.sql': run(downSteps, perMigration(downSteps)),
  };
}

function mysqlScripts() {
  const lockName = quoteLiteral(dialectPackage.mysqlLockName('cairn', args.database));
  // A step outside a transaction (Migrator #step when the DDL cannot be atomic): recorded as
  // started, the migration in autocommit, then the version write and `succeeded` in one
  // transaction (mysql2Session's `START TRANSACTION` … `COMMIT`).
  const step = (s) => [
    historyInsert(s, 'started'),
    ...migrationSql(s),
    'START TRANSACTION',
    ...writes(s),
    historyInsert(s, 'succeeded'),
    'COMMIT',
  ];
  const run = (steps) => [
    // openMysql's session set-up (packages/mysql/src/open-mysql.ts); sql_mode has no
    // NO_BACKSLASH_ESCAPES on this server, so it sends no second SET.
    "SET SESSION time_zone = '+00:00'",
    'SELECT @@SESSION.sql_mode AS mode',
    // mysqlLocker (packages/mysql/src/locker.ts).
    'SELECT DATABASE() AS db, CONNECTION_ID() AS id',
    'SELECT CONNECTION_ID() AS id',
    `SELECT GET_LOCK(${lockName}, 0) AS locked, CONNECTION_ID() AS id`,
    ...ddl,
    readRows,
    ...(steps.length > 0 ? [readHistory] : []),
    ...steps.flatMap(step),
    readRows,
    `SELECT RELEASE_LOCK(${lockName}) AS released`,
  ];
  return { 'floor-up.sql': run(upSteps), 'floor-down.sql': run(downSteps) };
}
