#!/usr/bin/env node
// Times `cairn upgrade head` / `downgrade base` over 1,000 generated `.sql` migrations side by
// side with the floor (the same statements sent by the database's own client, see floor.mjs), in
// ONE hyperfine run; prints a markdown table. On SQLite it also times the cold start of
// `cairn current`.
//
//   node bench/apply/run.mjs [--dialect sqlite|postgres|mysql] [--markdown] [--runs 10] [--warmup 2]
//                            [--count 1000] [--regenerate] [--cli FILE]
//
// --dialect sqlite (the default) uses the `sqlite3` client and database files under work/dbs/.
// --dialect postgres uses the local PostgreSQL (127.0.0.1:5432, user postgres, trust) and `psql`;
// --dialect mysql the local MariaDB/MySQL (127.0.0.1:3306, root, no password) and `mariadb`. On a
// server, the timed database is `cairn_bench`, dropped and created again before every timed run.
//
// Start-up: `node` takes ~0.1 s to start here and the clients a few ms, so comparing whole
// processes would charge cairn for Node itself. Each tool's own start is timed in the same run
// (`node -e 0`; `sqlite3 :memory: 'select 1'`, `psql -c 'select 1'`, `mariadb -e 'select 1'`) and
// subtracted from its commands' medians:
//   above floor per migration = ((cairn − node -e 0) − (floor − client start)) / count
// What is left for cairn includes everything it does beyond starting Node: loading its modules,
// reading the config and 1,000 migration files, building the graph, the driver, the SQL.

import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, interleavedRounds, markdownTable, median, parseOptions, run, sh } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = join(here, 'work'); // gitignored (bench/**/work/)
const SQLITE3 = '/usr/bin/sqlite3';
const HYPERFINE = '/usr/bin/hyperfine';

// Targets from the issue.
const TARGET_ABOVE_FLOOR_MS = 0.3; // per migration, above the floor with the same transaction shape
const TARGET_CURRENT_MS = 120; // `cairn current` cold start, wall (SQLite)

// On a server: the timed database, and (PostgreSQL) the upgraded one it is restored from.
const BENCH_DB = 'cairn_bench';
const UPGRADED_DB = 'cairn_bench_upgraded';

const USAGE =
  'usage: node bench/apply/run.mjs [--dialect sqlite|postgres|mysql] [--markdown] [--runs N] [--warmup N] [--interleave] [--count N] [--regenerate] [--cli FILE]';
const args = parseOptions(
  {
    dialect: { type: 'string', default: 'sqlite' },
    markdown: { type: 'boolean', default: false },
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    count: { type: 'string', default: '1000' },
    regenerate: { type: 'boolean', default: false },
    interleave: { type: 'boolean', default: false },
    cli: { type: 'string' },
  },
  USAGE,
);
for (const name of ['runs', 'warmup', 'count']) {
  if (!/^\d+$/.test(args[name]) || (name !== 'warmup' && Number(args[name]) < 1))
    fail(`--${name} takes a whole number, not '${args[name]}'`);
}
const dialect = args.dialect;
if (!['sqlite', 'postgres', 'mysql'].includes(dialect))
  fail(`--dialect is sqlite, postgres or mysql, not '${dialect}'\n${USAGE}`);
const count = Number(args.count);
if (!args.cli && !existsSync(join(repo, 'apps/cli/dist/cli.js')))
  fail('the cairn CLI is not built (apps/cli/dist/cli.js is missing): run `pnpm build` first');
// The CLI is timed from a copy taken now: on this shared machine a `pnpm build` elsewhere can
// replace apps/cli/dist mid-run, and then half the runs would time another build (or fail).
// node_modules is linked, not copied, so better-sqlite3 resolves as it does for the real CLI.
const snapshot = join(work, 'cli-snapshot');
if (!args.cli) {
  const cliDir = join(repo, 'apps/cli');
  rmSync(snapshot, { recursive: true, force: true });
  for (const part of ['bin', 'dist', 'package.json'])
    cpSync(join(cliDir, part), join(snapshot, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(cliDir, 'node_modules'), join(snapshot, 'node_modules'));
}
const cairn = args.cli ? resolve(args.cli) : join(snapshot, 'bin/cairn.js');
const builtAt = existsSync(join(dirname(cairn), '../dist/cli.js'))
  ? statSync(join(dirname(cairn), '../dist/cli.js')).mtime.toISOString()
  : 'unknown';

const startLoad = loadavg()[0];
// With --markdown, stdout carries only the table; everything else goes to stderr.
const log = (line) => (args.markdown ? process.stderr : process.stdout).write(`${line}\n`);
const quiet = { stdio: ['ignore', args.markdown ? 2 : 1, 2] };
const node = sh(process.execPath);
const cd = (dir) => `cd ${sh(dir)} && `;
const cairnCmd = (dir, argv) => `${cd(dir)}${node} ${sh(cairn)} ${argv}`;
const cli = (dir, ...argv) => run(process.execPath, [cairn, ...argv], { cwd: dir });
const n = count.toLocaleString('en-US');

/** Writes a project with generate.mjs unless it exists (or --regenerate). */
function project(dir, migrations, options = []) {
  if (args.regenerate || !existsSync(join(dir, 'cairn.config.json'))) {
    run(
      process.execPath,
      [join(here, 'generate.mjs'), '--out', dir, '--count', String(migrations), ...options, '--force'],
      quiet,
    );
  }
  return dir;
}

/** Writes the floor scripts for `projectDir` with floor.mjs; returns name → path. */
function floorScripts(projectDir, dir, options = []) {
  run(process.execPath, [join(here, 'floor.mjs'), '--project', projectDir, '--out', dir, ...options], quiet);
  return (name) => join(dir, name);
}

function check(what, ok, found) {
  if (!ok)
    fail(
      `correctness: after ${what}, expected ${count} tables / 0 after a downgrade and the same state as cairn; found ${JSON.stringify(found)}`,
    );
}

// Each setup generates its projects and floor, checks correctness once, and returns the timed
// commands: `start` names the row whose median is the command's start-up; `floor` (and on
// SQLite `shape`) the floor rows it is compared with; `prepare` resets its database, untimed.
const setup = dialect === 'sqlite' ? sqliteSetup() : serverSetup(serverFor(dialect));
const { benches } = setup;

if (args.interleave) timeInterleaved();
else timeWithHyperfine();

// One hyperfine run over everything. Commands go through hyperfine's shell (whose start-up it
// subtracts) so they can `cd` and redirect; the database reset is a --prepare step, untimed.
function timeWithHyperfine() {
  const scratch = mkdtempSync(join(tmpdir(), 'cairn-bench-apply-'));
  const exported = join(scratch, 'hyperfine.json');
  try {
    const options = ['--warmup', args.warmup, '--runs', args.runs, '--output', 'null', '--style', 'basic'];
    // --prepare given once per command: hyperfine pairs them with the commands in order.
    const prepares = benches.flatMap((b) => ['--prepare', b.prepare ?? 'true']);
    const names = benches.flatMap((b) => ['--command-name', `${b.workload} ${b.command}`.replaceAll('`', '')]);
    run(
      HYPERFINE,
      [...options, ...prepares, '--export-json', exported, ...names, ...benches.map((b) => b.shell)],
      quiet,
    );
    const { results } = JSON.parse(readFileSync(exported, 'utf8'));
    benches.forEach((bench, i) => {
      bench.ms = results[i].median * 1000;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * --interleave: paired, interleaved rounds. A unit is one cairn command with everything its
 * "above floor" figures need — its floor (and shape floor), and both tools' start-up commands —
 * run back to back in a shuffled order; every round runs every unit once, in a shuffled order
 * (see interleavedRounds). Each command's database is reset first (untimed), then it is timed
 * through `sh -c`, whose start cancels out of every difference. The "above floor" figures are
 * the median over rounds of each round's own difference, so a change of load between rounds
 * (which moves the floor and cairn alike) drops out; the wall columns are plain medians.
 */
function timeInterleaved() {
  const byKey = Object.fromEntries(benches.map((b) => [b.key, b]));
  const units = benches
    .filter((b) => b.start !== undefined && !isFloorOrStart(b))
    .map((b) =>
      [...new Set([b.start, b.floor, b.shape].filter(Boolean).flatMap((k) => [k, byKey[k].start]))]
        .filter(Boolean)
        .concat(b.key)
        .map((k) => byKey[k]),
    );
  const times = new Map(benches.map((b) => [b.key, []]));
  const paired = new Map(); // cairn key → { floor: [...], shape: [...] } per-round differences
  const order = (list) =>
    list
      .map((b) => ({ b, r: Math.random() }))
      .sort((x, y) => x.r - y.r)
      .map((x) => x.b);
  interleavedRounds({ count: units.length, rounds: Number(args.runs), warmup: Number(args.warmup) }, (u, round) => {
    const ms = {};
    for (const bench of order(units[u])) {
      if (bench.prepare) run('sh', ['-c', bench.prepare], { stdio: 'ignore' });
      const started = process.hrtime.bigint();
      run('sh', ['-c', bench.shell], { stdio: ['ignore', 'ignore', 'pipe'] });
      ms[bench.key] = Number(process.hrtime.bigint() - started) / 1e6;
    }
    if (round < 0) return;
    for (const [key, value] of Object.entries(ms)) times.get(key).push(value);
    const cairnBench = units[u].at(-1);
    if (!cairnBench.floor) return;
    const own = (b) => ms[b.key] - ms[b.start];
    const entry = paired.get(cairnBench.key) ?? { floor: [], shape: [] };
    entry.floor.push((own(cairnBench) - own(byKey[cairnBench.floor])) / count);
    if (cairnBench.shape) entry.shape.push((own(cairnBench) - own(byKey[cairnBench.shape])) / count);
    paired.set(cairnBench.key, entry);
  });
  for (const bench of benches) {
    bench.ms = median(times.get(bench.key));
    const entry = paired.get(bench.key);
    if (entry) {
      bench.aboveFloor = median(entry.floor);
      if (entry.shape.length > 0) bench.aboveShape = median(entry.shape);
      // The rounds' own differences, sorted: how far one round's figure can be from the median.
      const sorted = [...entry.floor].sort((a, b) => a - b).map((x) => x.toFixed(2));
      log(`above floor per round, ${bench.workload} ${bench.command}: ${sorted.join(' ')} ms/migr.`);
    }
  }
}

/** A floor script or a tool's start-up command: timed inside the units of the cairn commands. */
function isFloorOrStart(bench) {
  return benches.some((b) => b.floor === bench.key || b.shape === bench.key || b.start === bench.key);
}

// The table.
const by = Object.fromEntries(benches.map((b) => [b.key, b]));
const own = (b) => b.ms - by[b.start].ms; // the command's own work: its tool's start-up subtracted
const fmt = (x, digits) => (x < 0 ? `−${(-x).toFixed(digits)}` : x.toFixed(digits));
const withShape = benches.some((b) => b.shape);
const rows = benches.map((b) => {
  const isStart = b.start === undefined;
  let above = '';
  let aboveShape = '';
  let target = '';
  if (b.floor) {
    // Paired per-round differences where --interleave measured them, else the medians' difference.
    const over = b.aboveFloor ?? (own(b) - own(by[b.floor])) / count;
    above = fmt(over, 3);
    if (b.shape) aboveShape = fmt(b.aboveShape ?? (own(b) - own(by[b.shape])) / count, 3);
    target = `${over <= TARGET_ABOVE_FLOOR_MS ? 'yes' : '**no**'} (≤ ${TARGET_ABOVE_FLOOR_MS})`;
  }
  if (b.current) target = `${b.ms <= TARGET_CURRENT_MS ? 'yes' : '**no**'} (≤ ${TARGET_CURRENT_MS} ms)`;
  const row = [
    b.workload,
    b.command,
    b.ms.toFixed(1),
    isStart ? '' : fmt(own(b), 1),
    isStart || b.current ? '' : fmt(own(b) / count, 3),
    above,
    ...(withShape ? [aboveShape] : []),
    target,
  ];
  return row;
});
const header = [
  'workload',
  'command',
  'median wall (ms)',
  'minus start-up (ms)',
  'per migration (ms)',
  'above floor (ms/migr.)',
  ...(withShape ? ['above savepoint floor (ms/migr.)'] : []),
  'meets target',
];
const right = header.map((_, c) => c >= 2 && c < header.length - 1);
const table = markdownTable(header, rows, right);

if (!args.markdown) {
  const cores = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  // On 2 cores, a 1-minute load above ~1 means other work competed with the runs: absolute
  // times are inflated, differences between commands of the same run much less.
  log(`load average (1 min) at the start: ${startLoad.toFixed(2)}, at the end: ${loadavg()[0].toFixed(2)}`);
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${setup.version}, ${cores} cores; ${args.interleave ? `${args.runs} interleaved rounds after ${args.warmup} warm-up rounds` : `hyperfine --warmup ${args.warmup} --runs ${args.runs}`}; CLI ${args.cli ? cairn : 'apps/cli snapshot'} (dist/cli.js built ${builtAt})\n`,
  );
}
console.log(table);

// --- SQLite ---------------------------------------------------------------------------------

function sqliteSetup() {
  // Projects: the timed one, and two up-to-date ones for `cairn current` (their databases are
  // never touched by the timed upgrades). Same seed, so current-N has the same files as project.
  const timed = project(join(work, `project-${count}`), count);
  const currentBig = project(join(work, `current-${count}`), count);
  const currentSmall = project(join(work, 'current-10'), 10);
  const floor = floorScripts(timed, join(work, `floor-${count}`));

  // The starting databases. Both are in WAL mode, as cairn leaves every file it opens, so the
  // floor's first statement (PRAGMA journal_mode = WAL) and cairn's open do the same nothing.
  const dbs = join(work, 'dbs');
  mkdirSync(dbs, { recursive: true });
  const emptyDb = join(dbs, 'empty.db');
  const upgradedDb = join(dbs, `upgraded-${count}.db`);
  rmDb(emptyDb);
  run(SQLITE3, [emptyDb, 'PRAGMA journal_mode = WAL'], { stdio: 'ignore' });
  const db = join(timed, 'bench.db'); // the timed commands' database, reset before every run
  const reset = (from) => {
    rmDb(db);
    copyFileSync(from, db);
  };

  // Correctness, once, before anything is timed: cairn and every floor script must leave the
  // same state, and the floor's history rows must match cairn's (times aside).
  const head = () => sql(db, "SELECT group_concat(version_num, ',') FROM cairn_version");
  const tables = () => Number(sql(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't_*'"));
  const historyRows = () =>
    sql(db, 'SELECT revision, direction, checksum, status, tool_version, error FROM cairn_history ORDER BY id');
  const ownSchema = () => sql(db, "SELECT sql FROM sqlite_master WHERE name GLOB 'cairn_*' ORDER BY name");

  reset(emptyDb);
  cli(timed, 'upgrade', 'head');
  const expectedHead = sql(db, 'SELECT version_num FROM cairn_version');
  const upHistory = historyRows();
  const schema = ownSchema();
  check('cairn upgrade head', tables() === count && !expectedHead.includes('\n') && expectedHead !== '', {
    tables: tables(),
    cairn_version: head(),
  });
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(db + suffix)) fail(`cairn left ${db}${suffix} behind after closing`);
  copyFileSync(db, upgradedDb);
  const checkUp = (what) => {
    check(
      what,
      tables() === count && head() === expectedHead && historyRows() === upHistory && ownSchema() === schema,
      {
        tables: tables(),
        cairn_version: head(),
        'history matches cairn': historyRows() === upHistory,
        'cairn_* schema matches cairn': ownSchema() === schema,
      },
    );
  };
  for (const script of ['floor-up.sql', 'floor-up-single.sql', 'floor-up-savepoints.sql']) {
    reset(emptyDb);
    run('/bin/sh', ['-c', sqlite(script)]);
    checkUp(script);
  }
  reset(emptyDb);
  cli(timed, 'upgrade', 'head', '--single-transaction');
  checkUp('cairn upgrade head --single-transaction');

  reset(upgradedDb);
  cli(timed, 'downgrade', 'base');
  const downHistory = historyRows();
  check('cairn downgrade base', tables() === 0 && head() === '', { tables: tables(), cairn_version: head() });
  for (const script of ['floor-down.sql', 'floor-down-savepoints.sql']) {
    reset(upgradedDb);
    run('/bin/sh', ['-c', sqlite(script)]);
    check(script, tables() === 0 && head() === '' && historyRows() === downHistory, {
      tables: tables(),
      cairn_version: head(),
      'history matches cairn': historyRows() === downHistory,
    });
  }
  for (const [dir, migrations] of [
    [currentBig, count],
    [currentSmall, 10],
  ]) {
    cli(dir, 'upgrade', 'head');
    const shown = cli(dir, 'current').stdout;
    check(`cairn current (${migrations})`, /^[0-9a-f]{12} \(head\)\n$/.test(shown), { printed: shown.trim() });
  }
  log(`correctness: cairn and the floor scripts leave ${count} tables, the same version row and history`);

  function sqlite(script) {
    return `${sh(SQLITE3)} -bail ${sh(db)} < ${sh(floor(script))}`;
  }
  const resetCmd = (from) => `rm -f ${sh(db)} ${sh(`${db}-wal`)} ${sh(`${db}-shm`)} && cp ${sh(from)} ${sh(db)}`;
  const fromEmpty = resetCmd(emptyDb);
  const fromUpgraded = resetCmd(upgradedDb);
  const benches = [
    { key: 'node', workload: '—', command: '`node -e 0`', shell: `${node} -e 0` },
    {
      key: 'sqlite3',
      workload: '—',
      command: "`sqlite3 :memory: 'select 1'`",
      shell: `${SQLITE3} :memory: 'select 1'`,
    },
    {
      key: 'fUp',
      workload: `up ${n}`,
      command: 'floor: `floor-up.sql`',
      shell: sqlite('floor-up.sql'),
      prepare: fromEmpty,
      start: 'sqlite3',
    },
    {
      key: 'fUpSp',
      workload: `up ${n}`,
      command: 'floor: `floor-up-savepoints.sql`',
      shell: sqlite('floor-up-savepoints.sql'),
      prepare: fromEmpty,
      start: 'sqlite3',
    },
    {
      key: 'up',
      workload: `up ${n}`,
      command: '`cairn upgrade head`',
      shell: cairnCmd(timed, 'upgrade head'),
      prepare: fromEmpty,
      start: 'node',
      floor: 'fUp',
      shape: 'fUpSp',
    },
    {
      key: 'fUp1',
      workload: `up ${n}`,
      command: 'floor: `floor-up-single.sql`',
      shell: sqlite('floor-up-single.sql'),
      prepare: fromEmpty,
      start: 'sqlite3',
    },
    {
      key: 'up1',
      workload: `up ${n}`,
      command: '`cairn upgrade head --single-transaction`',
      shell: cairnCmd(timed, 'upgrade head --single-transaction'),
      prepare: fromEmpty,
      start: 'node',
      floor: 'fUp1',
      shape: 'fUpSp',
    },
    {
      key: 'fDown',
      workload: `down ${n}`,
      command: 'floor: `floor-down.sql`',
      shell: sqlite('floor-down.sql'),
      prepare: fromUpgraded,
      start: 'sqlite3',
    },
    {
      key: 'fDownSp',
      workload: `down ${n}`,
      command: 'floor: `floor-down-savepoints.sql`',
      shell: sqlite('floor-down-savepoints.sql'),
      prepare: fromUpgraded,
      start: 'sqlite3',
    },
    {
      key: 'down',
      workload: `down ${n}`,
      command: '`cairn downgrade base`',
      shell: cairnCmd(timed, 'downgrade base'),
      prepare: fromUpgraded,
      start: 'node',
      floor: 'fDown',
      shape: 'fDownSp',
    },
    {
      key: 'curBig',
      workload: `up to date, ${n}`,
      command: '`cairn current`',
      shell: cairnCmd(currentBig, 'current'),
      start: 'node',
      current: true,
    },
    {
      key: 'curSmall',
      workload: 'up to date, 10',
      command: '`cairn current`',
      shell: cairnCmd(currentSmall, 'current'),
      start: 'node',
      current: true,
    },
  ];
  const version = spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0];
  return { benches, version: `sqlite3 ${version}` };
}

/** The output of one query through the sqlite3 client, trimmed. */
function sql(file, query) {
  return run(SQLITE3, ['-bail', file, query]).stdout.trim();
}

function rmDb(file) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

// --- PostgreSQL and MariaDB/MySQL -------------------------------------------------------------

/**
 * What differs between the two servers: how to reach them with their client, how to reset the
 * timed database, and how to read the state the correctness check compares.
 */
function serverFor(name) {
  return name === 'postgres' ? postgresServer() : mysqlServer();
}

function postgresServer() {
  const PSQL = '/usr/bin/psql';
  const conn = ['-X', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres'];
  const psql = (db) => `${[PSQL, ...conn].map(sh).join(' ')} -q -v ON_ERROR_STOP=1 -d ${db}`;
  const query = (db, text) =>
    run(PSQL, [...conn, '-v', 'ON_ERROR_STOP=1', '-d', db, '-A', '-t', '-F', '|', '-c', text]).stdout.trim();
  // DROP DATABASE and CREATE DATABASE cannot share a transaction: one `-c` each. CHECKPOINT
  // writes the new database's pages out now, so no checkpoint of the reset's making lands in
  // the timed run; the last `select 1` is the new database's first connection, which builds
  // its relation cache file (pg_internal.init), so the timed run does not pay for that either.
  const recreate = (template) =>
    `${psql('postgres')} -c 'DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)' -c 'CREATE DATABASE ${BENCH_DB}${
      template ? ` TEMPLATE ${template}` : ''
    }' -c CHECKPOINT && ${psql(BENCH_DB)} -c 'select 1' >/dev/null`;
  return {
    name: 'postgres',
    singleTransaction: true,
    clientStart: { command: "`psql -c 'select 1'`", shell: `${psql('postgres')} -c 'select 1'` },
    script: (file) => `${psql(BENCH_DB)} -f ${sh(file)}`,
    query: (text) => query(BENCH_DB, text),
    resetEmpty: () => recreate(),
    resetUpgraded: () => recreate(UPGRADED_DB),
    /** Keeps the database cairn just upgraded as the template of `resetUpgraded`. */
    saveUpgraded() {
      query('postgres', `DROP DATABASE IF EXISTS ${UPGRADED_DB}`);
      query('postgres', `CREATE DATABASE ${UPGRADED_DB} TEMPLATE ${BENCH_DB}`);
    },
    tables: `SELECT count(*) || ':' || coalesce(string_agg(tablename, ',' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'`,
    head: "SELECT coalesce(string_agg(version_num, ','), '') FROM cairn_version",
    /**
     * cairn's two tables as pg_dump writes them (columns, types, identity, constraints), without
     * its comments and its `\restrict` lines, whose key is new in every dump.
     */
    ownSchema: () =>
      run('/usr/bin/pg_dump', [...conn.slice(1), '--schema-only', '-t', 'cairn_*', BENCH_DB])
        .stdout.split('\n')
        .filter((line) => !/^(--|\\restrict |\\unrestrict )/.test(line))
        .join('\n'),
    version: () => `PostgreSQL ${query('postgres', 'SHOW server_version').split(' ')[0]}, psql`,
  };
}

function mysqlServer() {
  const MARIADB = '/usr/bin/mariadb';
  const conn = ['-h', '127.0.0.1', '-P', '3306', '-u', 'root'];
  const client = [MARIADB, ...conn].map(sh).join(' ');
  const query = (text, db = BENCH_DB) => run(MARIADB, [...conn, '-N', '-B', '-e', text, db]).stdout.trim();
  const dump = join(work, 'dbs', `mysql-upgraded-${count}.sql`);
  // No template databases here: the upgraded state is restored from a dump of cairn's upgrade
  // (1,000 CREATE TABLEs: tens of seconds, untimed).
  const recreate = (restore) =>
    `${client} -e 'DROP DATABASE IF EXISTS ${BENCH_DB}; CREATE DATABASE ${BENCH_DB}'${
      restore ? ` && ${client} ${BENCH_DB} < ${sh(dump)}` : ''
    }`;
  return {
    name: 'mysql',
    singleTransaction: false, // refused on MySQL: its DDL commits implicitly
    clientStart: { command: "`mariadb -e 'select 1'`", shell: `${client} -e 'select 1'` },
    script: (file) => `${client} ${BENCH_DB} < ${sh(file)}`,
    query: (text) => query(text),
    resetEmpty: () => recreate(false),
    resetUpgraded: () => recreate(true),
    saveUpgraded() {
      mkdirSync(dirname(dump), { recursive: true });
      run('/bin/sh', [
        '-c',
        `${['/usr/bin/mariadb-dump', ...conn].map(sh).join(' ')} --skip-comments --skip-dump-date ${BENCH_DB} > ${sh(dump)}`,
      ]);
    },
    tables: `SELECT concat(count(*), ':', coalesce(group_concat(table_name ORDER BY table_name), '')) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%'`,
    head: "SELECT coalesce(group_concat(version_num), '') FROM cairn_version",
    /** cairn's two tables as the server shows them (engine, charset and collation included). */
    ownSchema: () => query('SHOW CREATE TABLE cairn_version; SHOW CREATE TABLE cairn_history'),
    version: () => `${query('SELECT version()', 'mysql')}, mariadb client`,
  };
}

function serverSetup(server) {
  const timed = project(join(work, `project-${server.name}-${count}`), count, [
    '--dialect',
    server.name,
    '--database',
    BENCH_DB,
  ]);
  const floor = floorScripts(timed, join(work, `floor-${server.name}-${count}`), [
    '--dialect',
    server.name,
    '--database',
    BENCH_DB,
  ]);
  const shell = (command) => run('/bin/sh', ['-c', command]);
  const tables = () => server.query(server.tables);
  const head = () => server.query(server.head);
  const historyRows = () =>
    server.query('SELECT revision, direction, checksum, status, tool_version, error FROM cairn_history ORDER BY id');

  // Correctness, once, before anything is timed: cairn and every floor script must leave the
  // same tables, version row, cairn_* tables and history rows (times aside).
  shell(server.resetEmpty());
  cli(timed, 'upgrade', 'head');
  const upTables = tables();
  const expectedHead = head();
  const upHistory = historyRows();
  const schema = server.ownSchema();
  check('cairn upgrade head', upTables.startsWith(`${count}:`) && !expectedHead.includes(',') && expectedHead !== '', {
    tables: upTables.split(':')[0],
    cairn_version: expectedHead,
  });
  server.saveUpgraded();
  const checkUp = (what) => {
    const found = { tables: tables(), head: head(), history: historyRows(), schema: server.ownSchema() };
    check(
      what,
      found.tables === upTables &&
        found.head === expectedHead &&
        found.history === upHistory &&
        found.schema === schema,
      {
        tables: found.tables.split(':')[0],
        'same tables as cairn': found.tables === upTables,
        cairn_version: found.head,
        'history matches cairn': found.history === upHistory,
        'cairn_* schema matches cairn': found.schema === schema,
      },
    );
  };
  const upScripts = server.singleTransaction ? ['floor-up.sql', 'floor-up-single.sql'] : ['floor-up.sql'];
  for (const script of upScripts) {
    shell(server.resetEmpty());
    shell(server.script(floor(script)));
    checkUp(script);
  }
  if (server.singleTransaction) {
    shell(server.resetEmpty());
    cli(timed, 'upgrade', 'head', '--single-transaction');
    checkUp('cairn upgrade head --single-transaction');
  }
  shell(server.resetUpgraded());
  cli(timed, 'downgrade', 'base');
  const downHistory = historyRows();
  check('cairn downgrade base', tables() === '0:' && head() === '', {
    tables: tables().split(':')[0],
    cairn_version: head(),
  });
  shell(server.resetUpgraded());
  shell(server.script(floor('floor-down.sql')));
  check('floor-down.sql', tables() === '0:' && head() === '' && historyRows() === downHistory, {
    tables: tables().split(':')[0],
    cairn_version: head(),
    'history matches cairn': historyRows() === downHistory,
  });
  log(`correctness: cairn and the floor scripts leave ${count} tables, the same version row and history`);

  const fromEmpty = server.resetEmpty();
  const fromUpgraded = server.resetUpgraded();
  const floorBench = (key, workload, script, prepare) => ({
    key,
    workload,
    command: `floor: \`${script}\``,
    shell: server.script(floor(script)),
    prepare,
    start: 'client',
  });
  const cairnBench = (key, workload, argv, prepare, floorKey) => ({
    key,
    workload,
    command: `\`cairn ${argv}\``,
    shell: cairnCmd(timed, argv),
    prepare,
    start: 'node',
    floor: floorKey,
  });
  const benches = [
    { key: 'node', workload: '—', command: '`node -e 0`', shell: `${node} -e 0` },
    { key: 'client', workload: '—', ...server.clientStart },
    floorBench('fUp', `up ${n}`, 'floor-up.sql', fromEmpty),
    cairnBench('up', `up ${n}`, 'upgrade head', fromEmpty, 'fUp'),
    ...(server.singleTransaction
      ? [
          floorBench('fUp1', `up ${n}`, 'floor-up-single.sql', fromEmpty),
          cairnBench('up1', `up ${n}`, 'upgrade head --single-transaction', fromEmpty, 'fUp1'),
        ]
      : []),
    floorBench('fDown', `down ${n}`, 'floor-down.sql', fromUpgraded),
    cairnBench('down', `down ${n}`, 'downgrade base', fromUpgraded, 'fDown'),
  ];
  return { benches, version: server.version() };
}
