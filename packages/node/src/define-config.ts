import type { CairnConfig } from './config.js';

/**
 * Types a configuration object in a `cairn.config.ts`. Returns its argument unchanged.
 *
 * @example
 * export default defineConfig({ dialect: 'postgres', migrations: 'db/migrations' });
 */
export function defineConfig(config: CairnConfig): CairnConfig {
  return config;
}
