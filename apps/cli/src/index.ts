/**
 * The `cairn` package's library surface: what a `cairn.config.ts` imports. The command-line
 * program lives in `cli.ts`; nothing here loads it.
 */

import type { CairnConfig } from './config.js';

export { defineMigration, type MigrationContext, type MigrationDefinition } from '@cairn/core';
export type { CairnConfig, Dialect } from './config.js';

/**
 * Types a configuration object in a `cairn.config.ts`. Returns its argument unchanged.
 *
 * Defined here rather than in config.ts, which the CLI needs at run time: a module both bundles
 * use becomes a chunk of its own, and every ES module is a few hundred microseconds of start-up.
 *
 * @example
 * export default defineConfig({ dialect: 'postgres', migrations: 'db/migrations' });
 */
export function defineConfig(config: CairnConfig): CairnConfig {
  return config;
}
