#!/usr/bin/env node
// Sends a PostgreSQL floor script's statements (floor.mjs writes one per line) through `pg` from
// a bare Node process: one statement per round trip, as cairn's session sends them. Timed next
// to `psql -f` and `cairn upgrade head`, it splits cairn's time above the floor into what Node and
// the driver cost and what cairn's own code costs (see README.md, bench/apply on PostgreSQL).
//
//   node bench/apply/replay.mjs --script FILE [--url URL] [--protocol extended|simple]
//
// --protocol extended (the default) is what @cairn/postgres's pgSession uses (`queryMode:
// 'extended'`: Parse, Bind, Describe, Execute, Sync per statement); simple is one Query message
// per statement, as psql sends them. --url defaults to the bench database.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, parseOptions } from '../lib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const USAGE = 'usage: node bench/apply/replay.mjs --script FILE [--url URL] [--protocol extended|simple]';
const args = parseOptions(
  {
    script: { type: 'string' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/cairn_bench' },
    protocol: { type: 'string', default: 'extended' },
  },
  USAGE,
);
if (!args.script || !['extended', 'simple'].includes(args.protocol)) fail(USAGE);

// The `pg` @cairn/postgres itself loads.
const pg = createRequire(join(repo, 'packages/postgres/package.json'))('pg');
// floor.mjs ends every statement with `;` and a newline, and no statement contains that pair.
const statements = readFileSync(args.script, 'utf8')
  .split(';\n')
  .filter((s) => s.trim() !== '');
const client = new pg.Client({ connectionString: args.url, application_name: 'cairn-bench-replay' });
await client.connect();
try {
  for (const text of statements) {
    await (args.protocol === 'extended'
      ? client.query({ text, values: [], queryMode: 'extended' })
      : client.query(text));
  }
} finally {
  await client.end();
}
