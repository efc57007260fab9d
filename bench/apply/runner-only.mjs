#!/usr/bin/env node
// The runner's own JavaScript per step, with no database: core's Migrator upgrades a linear
// chain of N migrations (each one `CREATE TABLE` through ctx.sql) over a session that answers
// every statement at once, with @cairn/postgres's dialect (state statements, lock queries).
// What is left over the floor in bench/apply's server results, minus this, is the driver, Node's
// I/O and the wait for the server.
//
//   node bench/apply/runner-only.mjs [--count 1000] [--runs 7] [--sequential]
//
// --sequential makes the session not `pipelined`, so the runner waits for each statement.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, median, parseOptions } from '../lib.mjs';

// The built packages, as generate.mjs and floor.mjs load them (bench/ is not a workspace package).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const built = (path) => {
  const file = join(repo, path);
  if (!existsSync(file)) fail(`${path} is missing: run \`pnpm build\` first`);
  return import(pathToFileURL(file).href);
};
const { Migrator, RevisionGraph } = await built('packages/core/dist/index.js');
const { postgresDialect } = await built('packages/postgres/dist/index.js');

const USAGE = 'usage: node bench/apply/runner-only.mjs [--count N] [--runs N] [--sequential]';
const args = parseOptions(
  {
    count: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '7' },
    sequential: { type: 'boolean', default: false },
  },
  USAGE,
);
const count = Number(args.count);
const id = (i) => `r${String(i).padStart(11, '0')}`;
const graph = RevisionGraph.from(
  Array.from({ length: count }, (_, i) => ({
    revision: id(i),
    downRevision: i === 0 ? [] : [id(i - 1)],
    branchLabels: [],
    dependsOn: [],
    message: `create table t_${i}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    transaction: true,
  })),
);
const loader = {
  async load(meta) {
    return {
      checksum: 'c'.repeat(64),
      async run(_direction, ctx) {
        await ctx.sql(`CREATE TABLE t_${meta.revision} (id integer PRIMARY KEY, name text NOT NULL, created_at text)`);
      },
    };
  },
};

/** A session that answers at once: the version table kept in memory, the lock always free. */
function instantSession() {
  let version = [];
  const session = {
    ...(args.sequential ? {} : { pipelined: true }),
    async query(s) {
      if (s.sql.startsWith('SELECT version_num')) return version.map((v) => ({ version_num: v }));
      if (s.sql.includes('pg_try_advisory_lock')) return [{ locked: true }];
      if (s.sql.includes('current_database()')) return [{ db: 'bench', schema: 'public' }];
      return [];
    },
    async execute(s) {
      if (/^(INSERT INTO|UPDATE) "cairn_version"/.test(s.sql)) version = [s.params[0]];
      return { rowsAffected: 1 };
    },
    transaction: (work) => work(session),
  };
  return session;
}

const perStep = [];
for (let run = 0; run < Number(args.runs); run++) {
  const migrator = new Migrator({
    graph,
    dialect: postgresDialect(),
    session: instantSession(),
    loader,
    toolVersion: 'bench',
  });
  const started = performance.now();
  const result = await migrator.upgrade('head');
  const ms = performance.now() - started;
  if (result.failed || result.applied.length !== count)
    fail(`the run did not apply ${count} steps: ${result.failed?.error.message ?? result.applied.length}`);
  perStep.push((ms * 1000) / count);
}
// The first run is what a `cairn` process pays (cold code); later ones show it warmed up.
console.log(
  `${count} steps, ${args.sequential ? 'sequential' : 'pipelined'} session: first run ${perStep[0].toFixed(1)} µs per step (cold, as in one cairn process), median of ${args.runs} ${median(perStep).toFixed(1)} µs (${perStep.map((x) => x.toFixed(1)).join(', ')})`,
);
