// Everything of @cairn/core as well: an app that runs migrations from code needs CairnError,
// isCairnError and RunResult with the API, and a migration's `import ... from 'cairn'` falls
// back to this index when cairn itself is not installed (typescript-hooks.ts).
export * from '@cairn/core';
export { BUILT_IN_DIALECT_NAMES, BUILT_IN_DIALECTS, isBuiltInDialect } from './built-in-dialects.js';
export { type CheckFinding, findProblems } from './check.js';
export type { BuiltInDialectName, CairnConfig, ResolvedConfig } from './config.js';
export { CONFIG_FILE_NAMES, findConfigFile } from './config-file.js';
export { type Database, openDatabase } from './database.js';
export { defineConfig } from './define-config.js';
export { displayPath } from './display-path.js';
export { knexQueryBuilder } from './knex-builder.js';
export { loadConfig } from './load-config.js';
export { loadModels } from './load-models.js';
export { loadRevisionGraph } from './load-revision-graph.js';
export { fileMigrationLoader } from './migration-loader.js';
export {
  type OfflineRequest,
  type OpenProjectOptions,
  openProject,
  type ProgressEvent,
  Project,
  type RunFailure,
  type RunOptions,
} from './project.js';
export { importTypeScript, registerTypeScriptHooks } from './typescript-loader.js';
export { cairnVersion } from './version.js';
