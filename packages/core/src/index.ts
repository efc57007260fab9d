export type {
  Capabilities,
  Dialect,
  HistoryRecord,
  Locker,
  QualifiedName,
  Release,
  StateCompiler,
} from './dialect/dialect.js';
export { CairnError, type CairnErrorCode, type CairnErrorOptions, isCairnError, listForMessage } from './errors.js';
export { describe as describeRevision, RevisionGraph } from './revision/graph.js';
export { history, type RevisionEntry, type RevisionFlag, revisionEntry } from './revision/history.js';
export { type NewRevisionFile, type NewRevisionOptions, planMerge, planNewRevision } from './revision/new-revision.js';
export { type Plan, type PlanStep, planDowngrade, planUpgrade } from './revision/plan.js';
export { resolveAbsolute, resolveBranch, resolveRef, walk } from './revision/resolve.js';
export { assertValidName, RESERVED_NAMES, type RevisionMeta, shortDoc } from './revision/revision.js';
export { planStamp, type StampPlan, stampedRevisions } from './revision/stamp.js';
export { type AnchorTarget, formatTarget, parseTarget, type Target } from './revision/target.js';
export { VersionRows, type VersionWrite } from './revision/version-rows.js';
export {
  type LoadedMigration,
  type MigrationLoader,
  Migrator,
  type MigratorOptions,
  type RunResult,
  type StepResult,
} from './runtime/migrator.js';
export { type OfflineScriptOptions, offlineScript } from './runtime/offline.js';
export { type Row, returnsRows, type Session, type Statement, statement } from './runtime/session.js';
export { defineMigration, type MigrationContext, type MigrationDefinition } from './script/define-migration.js';
export { isMigrationFileName, migrationFileName, parseMigrationFileName, slugify } from './script/file-name.js';
export {
  type MigrationFs,
  parseRevisionFile,
  type ReadRevisionsOptions,
  type RevisionCache,
  readRevisions,
} from './script/migration-directory.js';
export { type SqlSections, splitSqlSections } from './script/parse-sql-metadata.js';
export { renderScriptMigration, renderSqlMigration } from './script/render-migration-file.js';
export { splitSqlStatements } from './script/split-sql.js';
