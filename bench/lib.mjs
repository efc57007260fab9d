// Helpers the bench scripts share: a seeded PRNG and id source, running commands, and printing.
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

/** mulberry32: a tiny, well-distributed 32-bit PRNG; enough for shapes and ids, and seedable. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/** A source of 12-hex-character ids (like Alembic's and cairn's own), unique per source. */
export function idSource(random) {
  const used = new Set();
  return () => {
    for (;;) {
      const hi = Math.floor(random() * 0x10000);
      const lo = Math.floor(random() * 0x100000000);
      const id = hi.toString(16).padStart(4, '0') + lo.toString(16).padStart(8, '0');
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}

/** Prints `<script>: message` and exits 1. */
export function fail(message) {
  console.error(`${basename(process.argv[1] ?? 'bench')}: ${message}`);
  process.exit(1);
}

/** Runs a command to completion; on failure, exits with its output so the cause is visible. */
export function run(file, argv, options = {}) {
  const result = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.error) fail(`could not run ${file}: ${result.error.message}`);
  if (result.status !== 0) {
    fail(
      `\`${[file, ...argv].join(' ')}\`${options.cwd ? ` in ${options.cwd}` : ''} exited with ${result.status ?? result.signal}\n${result.stderr ?? ''}${result.stdout ?? ''}`,
    );
  }
  return result;
}

/**
 * A markdown table with padded columns, laid out as the repository's formatter lays out
 * markdown, so the table can be pasted into README.md as printed.
 */
export function markdownTable(header, rows, rightAligned) {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length)));
  const line = (cells) =>
    `| ${cells.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = widths.map((w, c) => (rightAligned[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Single-quotes a word for sh. */
export function sh(word) {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Calls `visit(index, round)` for every index below `count` once per round, in a new shuffled
 * (seeded) order each round: `warmup` rounds with a negative `round`, then `rounds` rounds. On a
 * machine whose load changes within seconds, this spreads a change over every command instead of
 * charging it to whichever command a block of runs had reached.
 */
export function interleavedRounds({ count, rounds, warmup, seed = 7 }, visit) {
  const random = mulberry32(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let round = -warmup; round < rounds; round++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const index of order) visit(index, round);
  }
}

/** The median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The script's options (`node:util` `parseArgs` with `options`, plus `--help`): an unknown or
 * malformed option exits 1 with its message and `usage`; `--help` prints `usage` and exits 0.
 */
export function parseOptions(options, usage) {
  let values;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', default: false } } }));
  } catch (error) {
    fail(`${error.message}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}
