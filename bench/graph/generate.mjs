#!/usr/bin/env node
// Writes a cairn project with N generated migrations, for timing `cairn heads` / `history`.
//
//   node bench/graph/generate.mjs --shape linear|branchy --count N --out DIR [--seed S] [--force]
//
// DIR gets cairn.config.json and migrations/ with N `.ts` files. The files are rendered and
// named by @cairn/core itself, so the bench reads exactly what `cairn revision` would write.
// Everything (ids, shape, messages) comes from a seeded PRNG: the same arguments give the same
// bytes, so results from different days are measured on the same graph.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, idSource, mulberry32, parseOptions } from '../lib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreDist = join(repo, 'packages/core/dist');

const USAGE = 'usage: node bench/graph/generate.mjs --shape linear|branchy --count N --out DIR [--seed S] [--force]';
const args = parseOptions(
  {
    shape: { type: 'string' },
    count: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    force: { type: 'boolean', default: false },
  },
  USAGE,
);
const count = Number(args.count);
if (!['linear', 'branchy'].includes(args.shape) || !Number.isInteger(count) || count < 1 || !args.out) fail(USAGE);
const seed = Number(args.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, not '${args.seed}'`);

// The renderer and the file-name function are not re-exported from core's index, so they are
// imported from their built modules.
if (!existsSync(join(coreDist, 'script/render-migration-file.js'))) {
  fail(`@cairn/core is not built (${coreDist} is missing): run \`pnpm build\` in ${repo} first`);
}
const { renderScriptMigration } = await import(pathToFileURL(join(coreDist, 'script/render-migration-file.js')).href);
const { migrationFileName } = await import(pathToFileURL(join(coreDist, 'script/file-name.js')).href);

const started = performance.now();
const out = resolve(args.out);
const migrationsDir = join(out, 'migrations');
if (existsSync(migrationsDir) && readdirSync(migrationsDir).length > 0) {
  if (!args.force) fail(`${migrationsDir} is not empty; remove it or pass --force to replace it`);
  rmSync(migrationsDir, { recursive: true });
}
// Removed first and written last: a project with a config file is a complete one, which is how
// run.mjs tells a finished generation from an interrupted one.
rmSync(join(out, 'cairn.config.json'), { force: true });
mkdirSync(migrationsDir, { recursive: true });

const random = mulberry32(seed);
const newId = idSource(random);
// What the generated migrations touch; messages and bodies are drawn from these.
const TABLES = [
  'account',
  'invoice',
  'invoice_line',
  'customer',
  'product',
  'price',
  'order',
  'shipment',
  'audit_log',
  'session',
];
const COLUMNS = [
  'email',
  'phone',
  'status',
  'note',
  'currency',
  'external_id',
  'archived_at',
  'locale',
  'score',
  'region',
];
const TYPES = ['text', 'integer', 'boolean', 'timestamp', 'numeric'];
const revisions = args.shape === 'linear' ? linear(count) : branchy(count);

// createdAt one second apart in generation order; interleaved branches therefore interleave in
// time too, as parallel work does.
const epoch = Date.UTC(2024, 0, 1);
revisions.forEach((rev, i) => {
  const createdAt = new Date(epoch + i * 1000);
  const meta = {
    revision: rev.id,
    downRevision: rev.parents,
    branchLabels: rev.labels,
    dependsOn: rev.dependsOn,
    message: rev.change.message,
    createdAt: createdAt.toISOString(),
    transaction: true,
  };
  const name = migrationFileName({ createdAt, revision: rev.id, message: meta.message, ext: 'ts' });
  writeFileSync(join(migrationsDir, name), withBodies(renderScriptMigration(meta), rev.change));
});
writeFileSync(join(out, 'cairn.config.json'), `${JSON.stringify({ migrations: 'migrations' })}\n`);

// The summary is computed from what was written, as a first check of the shape: a head is a
// revision that no downRevision names.
const parentIds = new Set(revisions.flatMap((rev) => rev.parents));
const heads = revisions.filter((rev) => !parentIds.has(rev.id)).length;
const merges = revisions.filter((rev) => rev.parents.length > 1).length;
const labels = revisions.filter((rev) => rev.labels.length > 0).length;
const deps = revisions.reduce((n, rev) => n + rev.dependsOn.length, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(
  `${args.shape} seed ${seed}: ${revisions.length} files in ${out}, ${heads} head(s), ${merges} merges, ` +
    `${labels} branch labels, ${deps} dependsOn links, ${seconds} s`,
);

// --- shapes ---------------------------------------------------------------------------------

/** One chain from a base: each revision's parent is the previous one. */
function linear(n) {
  const revs = [];
  for (let i = 0; i < n; i++) revs.push(revision(i === 0 ? [] : [revs[i - 1].id]));
  return revs;
}

/**
 * A main line that, every 30–50 revisions, opens 2–3 branches of 3–20 revisions each and merges
 * them back with one merge revision whose downRevision is the branch tips. About a third of the
 * branches carry a branch label on their first revision, and about a third of the groups have a
 * revision depending on a revision of a sibling branch. The main line goes on from each merge,
 * so the graph always ends with one head.
 */
function branchy(n) {
  const revs = [];
  let tip = null; // the main line's last revision
  const mainLine = (k) => {
    for (let i = 0; i < k; i++) {
      tip = revision(tip === null ? [] : [tip.id]);
      revs.push(tip);
    }
  };
  let group = 0;
  while (revs.length < n) {
    mainLine(Math.min(between(30, 50), n - revs.length));
    const lengths = Array.from({ length: between(2, 3) }, () => between(3, 20));
    // A group that would not fit, with its merge, is replaced by main-line revisions, so the
    // count is exact and the last revision is on the main line.
    if (revs.length + sum(lengths) + 1 > n) {
      mainLine(n - revs.length);
      break;
    }
    group++;
    const branches = lengths.map((length, b) => ({
      length,
      revs: [],
      label: random() < 1 / 3 ? `feature_${group}_${b}` : null,
    }));
    // Branches advance in a random interleaving, the way parallel work lands.
    const open = [...branches];
    while (open.length > 0) {
      const branch = open[Math.floor(random() * open.length)];
      const parent = branch.revs.at(-1) ?? tip;
      const rev = revision([parent.id]);
      if (branch.revs.length === 0 && branch.label) rev.labels.push(branch.label);
      branch.revs.push(rev);
      revs.push(rev);
      if (branch.revs.length === branch.length) open.splice(open.indexOf(branch), 1);
    }
    // Dependencies only point from a later branch to an earlier one, so they cannot form a cycle;
    // the last revision of the later branch depends on some revision of the earlier one.
    if (random() < 1 / 3) {
      const from = branches.at(-1).revs.at(-1);
      const on = branches[0].revs[Math.floor(random() * branches[0].revs.length)];
      from.dependsOn.push(on.id);
    }
    tip = revision(
      branches.map((branch) => branch.revs.at(-1).id),
      mergeChange(group),
    );
    revs.push(tip);
  }
  return revs;
}

// --- revisions and their contents -----------------------------------------------------------

function revision(parents, change = randomChange()) {
  return { id: newId(), parents, labels: [], dependsOn: [], change };
}

/**
 * A message and upgrade/downgrade bodies of the kinds real projects are made of. The bodies are
 * never run (listing commands do not execute migrations) but give each file a realistic size
 * and give the metadata reader real code to skip.
 */
function randomChange() {
  const table = pick(TABLES);
  const column = pick(COLUMNS);
  switch (pick(['addColumn', 'addColumn', 'createTable', 'createIndex', 'sql'])) {
    case 'addColumn':
      return {
        message: `add ${column} to ${table}`,
        upgrade: [`await ctx.op.addColumn('${table}', { name: '${column}', type: '${pick(TYPES)}', nullable: true });`],
        downgrade: [`await ctx.op.dropColumn('${table}', '${column}');`],
      };
    case 'createTable': {
      const name = `${table}_${column}_history`;
      return {
        message: `create ${name}`,
        upgrade: [
          `await ctx.op.createTable('${name}', {`,
          '  columns: [',
          `    { name: 'id', type: 'integer', primaryKey: true },`,
          `    { name: '${table}_id', type: 'integer', references: '${table}.id' },`,
          `    { name: '${column}', type: '${pick(TYPES)}' },`,
          `    { name: 'changed_at', type: 'timestamp', default: 'now()' },`,
          '  ],',
          '});',
        ],
        downgrade: [`await ctx.op.dropTable('${name}');`],
      };
    }
    case 'createIndex':
      return {
        message: `index ${table}.${column}`,
        upgrade: [`await ctx.op.createIndex('ix_${table}_${column}', '${table}', ['${column}']);`],
        downgrade: [`await ctx.op.dropIndex('ix_${table}_${column}', '${table}');`],
      };
    default:
      return {
        message: `backfill ${table}.${column}`,
        upgrade: [`await ctx.sql('UPDATE "${table}" SET "${column}" = $1 WHERE "${column}" IS NULL', ['unknown']);`],
        downgrade: ['// the backfill is not reverted: the old values are gone'],
      };
  }
}

function mergeChange(group) {
  return {
    message: `merge feature branches ${group}`,
    upgrade: ['// merge point: no schema change'],
    downgrade: ['// merge point: no schema change'],
  };
}

/** Replaces the placeholder comment core renders in each method with the change's body. */
function withBodies(source, change) {
  let result = source;
  for (const method of ['upgrade', 'downgrade']) {
    const placeholder = new RegExp(`(\\n  async ${method}\\(ctx\\) \\{\\n)    [^\\n]*\\n`);
    if (!placeholder.test(result))
      fail(`core's renderer no longer writes 'async ${method}(ctx) {' as expected; update withBodies()`);
    result = result.replace(placeholder, (_, head) => head + change[method].map((line) => `    ${line}\n`).join(''));
  }
  return result;
}

// --- small helpers --------------------------------------------------------------------------

function between(min, max) {
  return min + Math.floor(random() * (max - min + 1));
}

function pick(items) {
  return items[Math.floor(random() * items.length)];
}

function sum(numbers) {
  return numbers.reduce((a, b) => a + b, 0);
}
