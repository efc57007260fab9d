import { defineConfig } from 'tsup';

// The CLI is bundled (core and the SQLite dialect included, drivers not): every command pays
// module resolution once at start-up, `cairn heads` on a large history must start in a
// fraction of a second, and `cairn current` in about 50 ms more than Node itself. Commands are
// imported lazily, so code splitting leaves each in its own chunk next to the entry.
// `typescript-hooks` is its own entry because `module.register` loads it by URL on Node's
// loader thread.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'typescript-hooks': 'src/typescript-hooks.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  noExternal: ['@cairn/core', '@cairn/sqlite', '@cairn/postgres'],
  // knex is `require`d by `knex-builder` only when a migration first reads `ctx.knex`.
  external: ['esbuild', 'better-sqlite3', 'knex', 'pg'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
});
