/**
 * The `cairn` package's library surface: what a `cairn.config.ts` imports. The command-line
 * program lives in `cli.ts`; nothing here loads it.
 */

export { defineMigration, type MigrationContext, type MigrationDefinition } from '@cairn/core';
export { type CairnConfig, type Dialect, defineConfig } from './config.js';
