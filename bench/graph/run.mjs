#!/usr/bin/env node
// Times whole `cairn heads` / `cairn history` processes on generated 1,000- and 10,000-revision
// projects, side by side with a bare `node -e 0`, and prints a markdown table.
//
//   node bench/graph/run.mjs [--regenerate] [--markdown] [--runs 15] [--warmup 3] [--mem-runs 5] [--cli FILE]
//
// --cli times another build of the CLI (default: apps/cli/bin/cairn.js), e.g. a copy of main's.
//
// Whole processes are timed, not functions, because start-up (module loading, config lookup)
// is part of what a user waits for. `node -e 0` in the same run is the floor no Node CLI can
// beat; ratios to it stay comparable on a noisy machine where absolute numbers drift.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, markdownTable, parseOptions, run, sh } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = join(here, 'work'); // gitignored (bench/**/work/)

// The target from the issue: `cairn heads` on 10,000 revisions.
const TARGET = { ms: 250, mb: 150 };
const COUNTS = [1000, 10000];
const SHAPES = ['linear', 'branchy'];

const USAGE =
  'usage: node bench/graph/run.mjs [--regenerate] [--markdown] [--runs N] [--warmup N] [--mem-runs N] [--cli FILE]';
const args = parseOptions(
  {
    regenerate: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    'mem-runs': { type: 'string', default: '5' },
    cli: { type: 'string' },
  },
  USAGE,
);
for (const name of ['runs', 'warmup', 'mem-runs']) {
  if (!/^\d+$/.test(args[name]) || (name !== 'warmup' && Number(args[name]) < 1))
    fail(`--${name} takes a whole number, not '${args[name]}'`);
}
const cairn = args.cli ? resolve(args.cli) : join(repo, 'apps/cli/bin/cairn.js');

const startLoad = loadavg()[0];

// With --markdown, stdout carries only the table; everything else goes to stderr.
const log = (line) => (args.markdown ? process.stderr : process.stdout).write(`${line}\n`);

if (
  !args.cli &&
  (!existsSync(join(repo, 'apps/cli/dist/cli.js')) || !existsSync(join(repo, 'packages/core/dist/index.js')))
) {
  fail(`the cairn CLI is not built (apps/cli/dist/cli.js is missing): run \`pnpm build\` in ${repo} first`);
}

// 1. Projects. A config file is written last by generate.mjs, so its presence means a complete one.
const projects = [];
for (const count of COUNTS) {
  for (const shape of SHAPES) {
    const dir = join(work, `${shape}-${count}`);
    if (args.regenerate || !existsSync(join(dir, 'cairn.config.json'))) {
      const generate = [join(here, 'generate.mjs'), '--shape', shape, '--count', String(count), '--out', dir];
      run(process.execPath, [...generate, '--force'], { stdio: ['ignore', args.markdown ? 2 : 1, 2] });
    }
    projects.push({ name: `${shape} ${count.toLocaleString('en-US')}`, shape, count, dir });
  }
}

// 2. Sanity: each project has exactly one head, as `cairn heads --json` reports it. A wrong
// count means the generator (or the CLI) is broken and the timings would be meaningless.
for (const project of projects) {
  const started = performance.now();
  const result = run(process.execPath, [cairn, 'heads', '--json'], { cwd: project.dir });
  const ms = performance.now() - started;
  let heads;
  try {
    heads = JSON.parse(result.stdout).heads;
  } catch {}
  if (!Array.isArray(heads))
    fail(`\`cairn heads --json\` in ${project.dir} did not print {"heads": [...]}:\n${result.stdout}`);
  if (heads.length !== 1)
    fail(`${project.name}: expected exactly 1 head, \`cairn heads --json\` reports ${heads.length}`);
  log(`sanity: ${project.name}: \`cairn heads --json\` reports 1 head (one run, ${ms.toFixed(0)} ms)`);
  // `history` must succeed too, or hyperfine would stop half-way with a less helpful message.
  run(process.execPath, [cairn, 'history'], { cwd: project.dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// 3. Wall time: one hyperfine run over every command, so all share the machine's current state.
// Commands run through hyperfine's shell (whose start-up it subtracts) so that each can `cd`
// into its project: cairn finds cairn.config.json upward from the working directory.
const node = sh(process.execPath); // the same node binary for the floor and for cairn
const benches = [{ workload: '—', command: 'node -e 0', shell: `${node} -e 0`, argv: ['-e', '0'], cwd: repo }];
for (const project of projects) {
  for (const command of ['heads', 'history']) {
    benches.push({
      workload: project.name,
      command: `cairn ${command}`,
      project,
      shell: `cd ${sh(project.dir)} && ${node} ${sh(cairn)} ${command}`,
      argv: [cairn, command],
      cwd: project.dir,
    });
  }
}
const scratch = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
const exported = join(scratch, 'hyperfine.json');
try {
  const options = ['--warmup', args.warmup, '--runs', args.runs, '--output', 'null', '--style', 'basic'];
  const names = benches.flatMap((b) => ['--command-name', `${b.workload} ${b.command}`]);
  run('hyperfine', [...options, '--export-json', exported, ...names, ...benches.map((b) => b.shell)], {
    stdio: ['ignore', args.markdown ? 2 : 1, 2],
  });
  const { results } = JSON.parse(readFileSync(exported, 'utf8'));
  benches.forEach((bench, i) => {
    bench.medianMs = results[i].median * 1000;
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 4. Peak memory: GNU time's %M (max RSS in KiB) over a few runs, the largest kept. Run without a
// shell so the number is node's own.
for (const bench of benches) {
  let peakKiB = 0;
  for (let i = 0; i < Number(args['mem-runs']); i++) {
    const { stderr } = run('/usr/bin/time', ['-f', '%M', process.execPath, ...bench.argv], {
      cwd: bench.cwd,
      stdio: ['ignore', 'ignore', 'pipe'], // output to /dev/null, as in the timed runs
    });
    peakKiB = Math.max(peakKiB, Number(stderr.trim().split('\n').at(-1)));
  }
  bench.peakMb = peakKiB / 1024;
}

// 5. The table.
const baseline = benches[0].medianMs;
const rows = benches.map((b) => {
  let target = '';
  if (b.command === 'cairn heads' && b.project.count === 10000) {
    const met = b.medianMs <= TARGET.ms && b.peakMb < TARGET.mb;
    target = `${met ? 'yes' : '**no**'} (≤ ${TARGET.ms} ms, < ${TARGET.mb} MB)`;
  }
  return [
    b.workload,
    `\`${b.command}\``,
    b.medianMs.toFixed(1),
    `${(b.medianMs / baseline).toFixed(2)}×`,
    b.peakMb.toFixed(1),
    target,
  ];
});
const header = ['workload', 'command', 'median wall (ms)', '× `node -e 0`', 'peak RSS (MB)', 'meets target'];
const table = markdownTable(header, rows, [false, false, true, true, true, false]);

if (!args.markdown) {
  const cores = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  // The 1-minute load average says how busy the machine was: on 2 cores, above ~1 means other
  // work competed with the runs and absolute times are inflated (ratios less so).
  log(`load average (1 min) at the start: ${startLoad.toFixed(2)}, at the end: ${loadavg()[0].toFixed(2)}`);
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cores} cores; hyperfine --warmup ${args.warmup} --runs ${args.runs}; peak RSS = max of ${args['mem-runs']} runs\n`,
  );
}
console.log(table);

// --- helpers --------------------------------------------------------------------------------
