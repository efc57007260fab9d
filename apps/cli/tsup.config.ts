import { defineConfig } from 'tsup';

// The CLI is bundled (core and the dialects included, drivers not): `cairn heads` on a large
// history must start in a fraction of a second, and `cairn current` in about 50 ms more than
// Node itself. Every ES module Node loads costs a start-up about 0.5–1 ms on Node 20 whatever
// its size, so the commands and their helpers are imported statically and land in `cli.js`
// itself (see command-registry.ts); what only some runs need stays behind dynamic imports in
// chunks of its own (the dialects, migration loading, esbuild). `typescript-hooks` is its own
// entry because `module.register` loads it by URL on Node's loader thread.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'typescript-hooks': 'src/typescript-hooks.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  noExternal: ['@cairn/core', '@cairn/node', '@cairn/sqlite', '@cairn/postgres', '@cairn/mysql'],
  // knex is `require`d by `knex-builder` only when a migration first reads `ctx.knex`.
  external: ['esbuild', 'better-sqlite3', 'knex', 'pg', 'mysql2'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
});
