#!/usr/bin/env node
// Times `cairn upgrade head` / `downgrade base` over 1,000 generated `.sql` migrations side by
// side with the floor (the same statements sent by the `sqlite3` client, see floor.mjs), and the
// cold start of `cairn current`, in ONE hyperfine run; prints a markdown table.
//
//   node bench/apply/run.mjs [--markdown] [--runs 10] [--warmup 2] [--count 1000] [--regenerate] [--cli FILE]
//
// Start-up: `node` takes ~0.1 s to start here and `sqlite3` a few ms, so comparing whole
// processes would charge cairn for Node itself. Each tool's own start is timed in the same run
// (`node -e 0`, `sqlite3 :memory: 'select 1'`) and subtracted from its commands' medians:
//   above floor per migration = ((cairn − node -e 0) − (floor − sqlite3 start)) / count
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
import { parseArgs } from 'node:util';
import { fail, markdownTable, run, sh } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = join(here, 'work'); // gitignored (bench/**/work/)
const SQLITE3 = '/usr/bin/sqlite3';
const HYPERFINE = '/usr/bin/hyperfine';

// Targets from the issue.
const TARGET_ABOVE_FLOOR_MS = 0.3; // per migration, above the floor with the same transaction shape
const TARGET_CURRENT_MS = 120; // `cairn current` cold start, wall

const USAGE =
  'usage: node bench/apply/run.mjs [--markdown] [--runs N] [--warmup N] [--count N] [--regenerate] [--cli FILE]';
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      markdown: { type: 'boolean', default: false },
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      count: { type: 'string', default: '1000' },
      regenerate: { type: 'boolean', default: false },
      cli: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of ['runs', 'warmup', 'count']) {
  if (!/^\d+$/.test(args[name]) || (name !== 'warmup' && Number(args[name]) < 1))
    fail(`--${name} takes a whole number, not '${args[name]}'`);
}
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
    cpSync(join(cliDir, part), join(snapshot, part), { recursive: true });
  symlinkSync(join(cliDir, 'node_modules'), join(snapshot, 'node_modules'));
}
const cairn = args.cli ? resolve(args.cli) : join(snapshot, 'bin/cairn.js');
const builtAt = statSync(join(dirname(cairn), '../dist/cli.js')).mtime.toISOString();

const startLoad = loadavg()[0];
// With --markdown, stdout carries only the table; everything else goes to stderr.
const log = (line) => (args.markdown ? process.stderr : process.stdout).write(`${line}\n`);
const quiet = { stdio: ['ignore', args.markdown ? 2 : 1, 2] };

// 1. Projects: the timed one, and two up-to-date ones for `cairn current` (their databases are
// never touched by the timed upgrades). Same seed, so current-N has the same files as project.
const project = join(work, `project-${count}`);
const currentBig = join(work, `current-${count}`);
const currentSmall = join(work, 'current-10');
for (const [dir, n] of [
  [project, count],
  [currentBig, count],
  [currentSmall, 10],
]) {
  if (args.regenerate || !existsSync(join(dir, 'cairn.config.json'))) {
    run(process.execPath, [join(here, 'generate.mjs'), '--out', dir, '--count', String(n), '--force'], quiet);
  }
}
const floorDir = join(work, `floor-${count}`);
run(process.execPath, [join(here, 'floor.mjs'), '--project', project, '--out', floorDir], quiet);
const floor = (name) => join(floorDir, name);

// The starting databases. Both are in WAL mode, as cairn leaves every file it opens, so the
// floor's first statement (PRAGMA journal_mode = WAL) and cairn's open do the same nothing.
const dbs = join(work, 'dbs');
mkdirSync(dbs, { recursive: true });
const emptyDb = join(dbs, 'empty.db');
const upgradedDb = join(dbs, `upgraded-${count}.db`);
rmDb(emptyDb);
run(SQLITE3, [emptyDb, 'PRAGMA journal_mode = WAL'], { stdio: 'ignore' });
const db = join(project, 'bench.db'); // the timed commands' database, reset before every run
const reset = (from) => {
  rmDb(db);
  copyFileSync(from, db);
};

// 2. Correctness, once, before anything is timed: cairn and every floor script must leave the
// same state, and the floor's history rows must match cairn's (times aside).
const head = () => sql(db, "SELECT group_concat(version_num, ',') FROM cairn_version");
const tables = () => Number(sql(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't_*'"));
const historyRows = () =>
  sql(db, 'SELECT revision, direction, checksum, status, tool_version, error FROM cairn_history ORDER BY id');
const ownSchema = () => sql(db, "SELECT sql FROM sqlite_master WHERE name GLOB 'cairn_*' ORDER BY name");
const cli = (dir, ...argv) => run(process.execPath, [cairn, ...argv], { cwd: dir });

reset(emptyDb);
cli(project, 'upgrade', 'head');
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
  check(what, tables() === count && head() === expectedHead && historyRows() === upHistory && ownSchema() === schema, {
    tables: tables(),
    cairn_version: head(),
    'history matches cairn': historyRows() === upHistory,
    'cairn_* schema matches cairn': ownSchema() === schema,
  });
};
for (const script of ['floor-up.sql', 'floor-up-single.sql', 'floor-up-savepoints.sql']) {
  reset(emptyDb);
  run('/bin/sh', ['-c', `${sh(SQLITE3)} -bail ${sh(db)} < ${sh(floor(script))}`]);
  checkUp(script);
}
reset(emptyDb);
cli(project, 'upgrade', 'head', '--single-transaction');
checkUp('cairn upgrade head --single-transaction');

reset(upgradedDb);
cli(project, 'downgrade', 'base');
const downHistory = historyRows();
check('cairn downgrade base', tables() === 0 && head() === '', { tables: tables(), cairn_version: head() });
for (const script of ['floor-down.sql', 'floor-down-savepoints.sql']) {
  reset(upgradedDb);
  run('/bin/sh', ['-c', `${sh(SQLITE3)} -bail ${sh(db)} < ${sh(floor(script))}`]);
  check(script, tables() === 0 && head() === '' && historyRows() === downHistory, {
    tables: tables(),
    cairn_version: head(),
    'history matches cairn': historyRows() === downHistory,
  });
}
for (const [dir, n] of [
  [currentBig, count],
  [currentSmall, 10],
]) {
  cli(dir, 'upgrade', 'head');
  const shown = cli(dir, 'current').stdout;
  check(`cairn current (${n})`, /^[0-9a-f]{12} \(head\)\n$/.test(shown), { printed: shown.trim() });
}
log(`correctness: cairn and the floor scripts leave ${count} tables, the same version row and history`);

// 3. One hyperfine run over everything. Commands go through hyperfine's shell (whose start-up it
// subtracts) so they can `cd` and redirect; the database reset is a --prepare step, untimed.
const node = sh(process.execPath);
const cd = (dir) => `cd ${sh(dir)} && `;
const sqlite = (script) => `${sh(SQLITE3)} -bail ${sh(db)} < ${sh(floor(script))}`;
const cairnCmd = (dir, argv) => `${cd(dir)}${node} ${sh(cairn)} ${argv}`;
const resetCmd = (from) => `rm -f ${sh(db)} ${sh(`${db}-wal`)} ${sh(`${db}-shm`)} && cp ${sh(from)} ${sh(db)}`;
const n = count.toLocaleString('en-US');
const benches = [
  { key: 'node', workload: '—', command: '`node -e 0`', shell: `${node} -e 0` },
  { key: 'sqlite3', workload: '—', command: "`sqlite3 :memory: 'select 1'`", shell: `${SQLITE3} :memory: 'select 1'` },
  { key: 'fUp', workload: `up ${n}`, command: 'floor: `floor-up.sql`', shell: sqlite('floor-up.sql'), from: emptyDb },
  {
    key: 'fUpSp',
    workload: `up ${n}`,
    command: 'floor: `floor-up-savepoints.sql`',
    shell: sqlite('floor-up-savepoints.sql'),
    from: emptyDb,
  },
  {
    key: 'up',
    workload: `up ${n}`,
    command: '`cairn upgrade head`',
    shell: cairnCmd(project, 'upgrade head'),
    from: emptyDb,
    floor: 'fUp',
    shape: 'fUpSp',
  },
  {
    key: 'fUp1',
    workload: `up ${n}`,
    command: 'floor: `floor-up-single.sql`',
    shell: sqlite('floor-up-single.sql'),
    from: emptyDb,
  },
  {
    key: 'up1',
    workload: `up ${n}`,
    command: '`cairn upgrade head --single-transaction`',
    shell: cairnCmd(project, 'upgrade head --single-transaction'),
    from: emptyDb,
    floor: 'fUp1',
    shape: 'fUpSp',
  },
  {
    key: 'fDown',
    workload: `down ${n}`,
    command: 'floor: `floor-down.sql`',
    shell: sqlite('floor-down.sql'),
    from: upgradedDb,
  },
  {
    key: 'fDownSp',
    workload: `down ${n}`,
    command: 'floor: `floor-down-savepoints.sql`',
    shell: sqlite('floor-down-savepoints.sql'),
    from: upgradedDb,
  },
  {
    key: 'down',
    workload: `down ${n}`,
    command: '`cairn downgrade base`',
    shell: cairnCmd(project, 'downgrade base'),
    from: upgradedDb,
    floor: 'fDown',
    shape: 'fDownSp',
  },
  {
    key: 'curBig',
    workload: `up to date, ${n}`,
    command: '`cairn current`',
    shell: cairnCmd(currentBig, 'current'),
    current: true,
  },
  {
    key: 'curSmall',
    workload: 'up to date, 10',
    command: '`cairn current`',
    shell: cairnCmd(currentSmall, 'current'),
    current: true,
  },
];
const scratch = mkdtempSync(join(tmpdir(), 'cairn-bench-apply-'));
const exported = join(scratch, 'hyperfine.json');
try {
  const options = ['--warmup', args.warmup, '--runs', args.runs, '--output', 'null', '--style', 'basic'];
  // --prepare given once per command: hyperfine pairs them with the commands in order.
  const prepares = benches.flatMap((b) => ['--prepare', b.from ? resetCmd(b.from) : 'true']);
  const names = benches.flatMap((b) => ['--command-name', `${b.workload} ${b.command}`.replaceAll('`', '')]);
  run(HYPERFINE, [...options, ...prepares, '--export-json', exported, ...names, ...benches.map((b) => b.shell)], quiet);
  const { results } = JSON.parse(readFileSync(exported, 'utf8'));
  benches.forEach((bench, i) => {
    bench.ms = results[i].median * 1000;
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 4. The table.
const by = Object.fromEntries(benches.map((b) => [b.key, b]));
const startOf = (b) => (b.shell.includes(SQLITE3) ? by.sqlite3.ms : by.node.ms);
const own = (b) => b.ms - startOf(b); // the command's own work: its tool's start-up subtracted
const fmt = (x, digits) => (x < 0 ? `−${(-x).toFixed(digits)}` : x.toFixed(digits));
const rows = benches.map((b) => {
  const isStart = b.key === 'node' || b.key === 'sqlite3';
  let above = '';
  let aboveShape = '';
  let target = '';
  if (b.floor) {
    const over = (own(b) - own(by[b.floor])) / count;
    above = fmt(over, 3);
    aboveShape = fmt((own(b) - own(by[b.shape])) / count, 3);
    target = `${over <= TARGET_ABOVE_FLOOR_MS ? 'yes' : '**no**'} (≤ ${TARGET_ABOVE_FLOOR_MS})`;
  }
  if (b.current) target = `${b.ms <= TARGET_CURRENT_MS ? 'yes' : '**no**'} (≤ ${TARGET_CURRENT_MS} ms)`;
  return [
    b.workload,
    b.command,
    b.ms.toFixed(1),
    isStart ? '' : fmt(own(b), 1),
    isStart || b.current ? '' : fmt(own(b) / count, 3),
    above,
    aboveShape,
    target,
  ];
});
const header = [
  'workload',
  'command',
  'median wall (ms)',
  'minus start-up (ms)',
  'per migration (ms)',
  'above floor (ms/migr.)',
  'above savepoint floor (ms/migr.)',
  'meets target',
];
const table = markdownTable(header, rows, [false, false, true, true, true, true, true, false]);

if (!args.markdown) {
  const cores = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  // On 2 cores, a 1-minute load above ~1 means other work competed with the runs: absolute
  // times are inflated, differences between commands of the same run much less.
  log(`load average (1 min) at the start: ${startLoad.toFixed(2)}, at the end: ${loadavg()[0].toFixed(2)}`);
  const sqliteVersion = spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0];
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, sqlite3 ${sqliteVersion}, ${cores} cores; hyperfine --warmup ${args.warmup} --runs ${args.runs}; CLI ${args.cli ? cairn : 'apps/cli snapshot'} (dist/cli.js built ${builtAt})\n`,
  );
}
console.log(table);

// --- helpers --------------------------------------------------------------------------------

/** The output of one query through the sqlite3 client, trimmed. */
function sql(file, query) {
  return run(SQLITE3, ['-bail', file, query]).stdout.trim();
}

function check(what, ok, found) {
  if (!ok)
    fail(
      `correctness: after ${what}, expected ${count} tables / 0 after a downgrade and the same state as cairn; found ${JSON.stringify(found)}`,
    );
}

function rmDb(file) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
