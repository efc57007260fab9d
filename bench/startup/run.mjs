#!/usr/bin/env node
// Times the cold start of `cairn current` on an up-to-date SQLite database side by side with
// `node -e 0`, and prints a markdown table. Several builds of the CLI can be timed in the same run
// (`--cli`), which is how a start-up change is measured before and after.
//
//   node bench/startup/run.mjs [--markdown] [--rounds 40] [--warmup 3] [--cli [LABEL=]FILE]... [--regenerate]
//
// Projects (generated under work/, one copy per CLI so that their caches never mix):
//   current-10-json    10 `.sql` revisions, cairn.config.json
//   current-1000-json  1,000 `.sql` revisions, cairn.config.json
//   current-10-ts      10 `.sql` revisions, the cairn.config.ts `cairn init` writes
// Each copy has an empty node_modules/, so cairn keeps its metadata and transpile caches in
// node_modules/.cache/cairn of that copy. Every database is brought to head once, untimed, and
// every CLI must print the head for every project before anything is timed.
//
// Timing is interleaved, not hyperfine's one block of runs per command: each round runs every
// command once, in a shuffled order, and a command's time is the median over the rounds. On this
// shared 2-core machine the load changes within seconds, and back-to-back blocks of runs charge
// that change to whichever command ran then: in one hyperfine run of these commands, `node -e 0`
// came out at 72 ms and `cairn current` ~100 ms above it, twice the distance interleaved runs
// measure. Each run is spawned directly (no shell) with stdout and stderr to /dev/null, and timed
// from spawn to exit; the spawn's own cost is the same for every command and cancels in the
// difference to `node -e 0`.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, idSource, interleavedRounds, markdownTable, median, mulberry32, parseOptions, run } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = join(here, 'work'); // gitignored (bench/**/work/)
// From the issue: `cairn current` in at most 0.12 s where `node -e 0` took 0.07 s.
const TARGET_MS = 120;
const BUDGET_MS = 50;

const USAGE =
  'usage: node bench/startup/run.mjs [--markdown] [--rounds N] [--warmup N] [--cli [LABEL=]FILE]... [--regenerate]';
const args = parseOptions(
  {
    markdown: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
    cli: { type: 'string', multiple: true, default: [] },
    regenerate: { type: 'boolean', default: false },
  },
  USAGE,
);
for (const name of ['rounds', 'warmup']) {
  if (!/^\d+$/.test(args[name]) || (name === 'rounds' && Number(args[name]) < 1))
    fail(`--${name} takes a whole number, not '${args[name]}'`);
}
const log = (line) => (args.markdown ? process.stderr : process.stdout).write(`${line}\n`);

// The CLIs. Without --cli, a copy of apps/cli taken now (a build elsewhere on this shared
// machine must not replace dist/ mid-run), with node_modules linked.
const clis = args.cli.map((spec, i) => {
  const eq = spec.indexOf('=');
  const file = resolve(eq < 0 ? spec : spec.slice(eq + 1));
  if (!existsSync(file)) fail(`--cli ${spec}: ${file} does not exist`);
  return { label: eq < 0 ? `cli ${i + 1}` : spec.slice(0, eq), file };
});
if (clis.length === 0) {
  const cliDir = join(repo, 'apps/cli');
  if (!existsSync(join(cliDir, 'dist/cli.js'))) fail('the CLI is not built: run `pnpm build` first');
  const snapshot = join(work, 'cli-snapshot');
  rmSync(snapshot, { recursive: true, force: true });
  for (const part of ['bin', 'dist', 'package.json'])
    cpSync(join(cliDir, part), join(snapshot, part), { recursive: true });
  symlinkSync(join(cliDir, 'node_modules'), join(snapshot, 'node_modules'));
  clis.push({ label: 'this build', file: join(snapshot, 'bin/cairn.js') });
}
for (const cli of clis) {
  const dist = join(dirname(cli.file), '../dist/cli.js');
  cli.builtAt = existsSync(dist) ? statSync(dist).mtime.toISOString() : 'unknown';
}

const startLoad = loadavg()[0];
log(`node ${process.version}; load average (1 min) ${startLoad.toFixed(2)} at the start`);
for (const cli of clis) log(`${cli.label}: ${cli.file} (dist/cli.js built ${cli.builtAt})`);

// 1. The projects: generated once, then copied for each CLI.
const PROJECTS = [
  { name: 'current-10-json', count: 10, config: 'json', workload: 'up to date, 10, .json config' },
  { name: 'current-1000-json', count: 1000, config: 'json', workload: 'up to date, 1,000, .json config' },
  { name: 'current-10-ts', count: 10, config: 'ts', workload: 'up to date, 10, .ts config' },
];
const templates = join(work, 'templates');
for (const p of PROJECTS) {
  const dir = join(templates, p.name);
  if (args.regenerate || !existsSync(join(dir, 'migrations'))) generate(dir, p.count, p.config);
}

function generate(dir, count, config) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  const nextId = idSource(mulberry32(1));
  let parent = '';
  for (let i = 1; i <= count; i++) {
    const id = nextId();
    const stamp = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/\D/g, '').slice(0, 14);
    const text = [
      `-- cairn:revision ${id}`,
      `-- cairn:downRevision ${parent}`,
      `-- cairn:message create t_${i}`,
      '',
      '-- cairn:up',
      `CREATE TABLE t_${i} (id integer PRIMARY KEY, name text NOT NULL, created_at text);`,
      '',
      '-- cairn:down',
      `DROP TABLE t_${i};`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'migrations', `${stamp}_${id}_create_t_${i}.sql`), text);
    parent = id;
  }
  if (config === 'json') {
    writeFileSync(
      join(dir, 'cairn.config.json'),
      `${JSON.stringify({ dialect: 'sqlite', url: 'sqlite:./bench.db', migrations: 'migrations' })}\n`,
    );
  } else {
    // As `cairn init` writes it (a type-only import: loaded from the transpile cache).
    writeFileSync(
      join(dir, 'cairn.config.ts'),
      [
        "import type { CairnConfig } from 'cairn';",
        '',
        'export default {',
        "  dialect: 'sqlite',",
        "  url: 'sqlite:./bench.db',",
        "  migrations: 'migrations',",
        "  versionTable: 'cairn_version',",
        '} satisfies CairnConfig;',
        '',
      ].join('\n'),
    );
  }
}

// 2. One copy per CLI and project, brought to head with that CLI; each CLI must print the head.
const copies = join(work, 'copies');
rmSync(copies, { recursive: true, force: true });
const benches = [{ key: 'node', workload: '—', cli: '', command: '`node -e 0`', argv: ['-e', '0'], cwd: work }];
clis.forEach((cli, c) => {
  for (const p of PROJECTS) {
    const dir = join(copies, `${c + 1}`, p.name);
    cpSync(join(templates, p.name), dir, { recursive: true });
    mkdirSync(join(dir, 'node_modules'));
    run(process.execPath, [cli.file, 'upgrade', 'head', '-q'], { cwd: dir });
    const shown = run(process.execPath, [cli.file, 'current'], { cwd: dir }).stdout;
    if (!/^[0-9a-f]{12} \(head\)\n$/.test(shown)) fail(`${cli.label}: cairn current in ${p.name} printed ${shown}`);
    benches.push({
      key: `${c}:${p.name}`,
      workload: p.workload,
      cli: cli.label,
      command: '`cairn current`',
      argv: [cli.file, 'current'],
      cwd: dir,
      current: true,
    });
  }
});
clis.forEach((cli, c) => {
  benches.push({
    key: `${c}:version`,
    workload: '—',
    cli: cli.label,
    command: '`cairn --version`',
    argv: [cli.file, '--version'],
    cwd: work,
  });
});
log(`correctness: every CLI prints the head in ${PROJECTS.map((p) => p.name).join(', ')}`);

// 3. Interleaved rounds: every command once per round, in a shuffled order. Besides the wall
// time, the CPU time (user + system) each run took, from this process's counters of waited-for
// children in /proc/self/stat: less sensitive to waiting for a core than the wall time. The
// counters are in clock ticks (10 ms), so only their mean over all rounds is shown.
const times = benches.map(() => []);
const cpu = benches.map(() => 0);
const TICK_MS = 10; // `getconf CLK_TCK` is 100 on Linux
const childTicks = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16 and 17)
};
const rounds = { count: benches.length, rounds: Number(args.rounds), warmup: Number(args.warmup) };
interleavedRounds(rounds, (i, round) => {
  const bench = benches[i];
  const ticks = childTicks();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, bench.argv, { cwd: bench.cwd, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (round >= 0) cpu[i] += (childTicks() - ticks) * TICK_MS;
  if (result.status !== 0)
    fail(`${bench.command} (${bench.cli || 'node'}) in ${bench.cwd} exited with ${result.status}`);
  if (round >= 0) times[i].push(ms);
});
benches.forEach((bench, i) => {
  bench.ms = median(times[i]);
  bench.cpu = cpu[i] / Number(args.rounds);
});

// 4. The table.
const node = benches[0];
const rows = benches.map((b) => {
  const above = b.ms - node.ms;
  return [
    b.workload,
    b.cli,
    b.command,
    b.ms.toFixed(1),
    b === node ? '' : above.toFixed(1),
    `${(b.ms / node.ms).toFixed(2)}×`,
    b.cpu.toFixed(1),
    b === node ? '' : (b.cpu - node.cpu).toFixed(1),
    b.current
      ? `${above <= BUDGET_MS ? 'yes' : '**no**'} (+${BUDGET_MS} ms); ${b.ms <= TARGET_MS ? 'yes' : '**no**'} (≤ ${TARGET_MS} ms)`
      : '',
  ];
});
const table = markdownTable(
  [
    'workload',
    'CLI',
    'command',
    'median wall (ms)',
    'above `node -e 0` (ms)',
    '× `node -e 0`',
    'mean CPU (ms)',
    'CPU above `node -e 0` (ms)',
    'meets target (wall)',
  ],
  rows,
  [false, false, false, true, true, true, true, true, false],
);
log(`load average (1 min) ${loadavg()[0].toFixed(2)} at the end (${startLoad.toFixed(2)} at the start)`);
console.log(args.markdown ? table : `\n${table}`);
if (!args.markdown)
  log(
    `\n${basename(process.argv[1])}: ${args.rounds} interleaved rounds after ${args.warmup} warm-up rounds; wall: medians, CPU: means`,
  );
