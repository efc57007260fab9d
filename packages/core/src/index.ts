export { CairnError, type CairnErrorCode, type CairnErrorOptions, isCairnError, listForMessage } from './errors.js';
export { RevisionGraph, describe as describeRevision } from './revision/graph.js';
export { history, revisionEntry, type RevisionEntry, type RevisionFlag } from './revision/history.js';
export { planMerge, planNewRevision, type NewRevisionFile, type NewRevisionOptions } from './revision/new-revision.js';
export { planDowngrade, planUpgrade, type Plan, type PlanStep } from './revision/plan.js';
export { resolveAbsolute, resolveBranch, resolveRef, walk } from './revision/resolve.js';
export { assertValidName, RESERVED_NAMES, type RevisionMeta, shortDoc } from './revision/revision.js';
export { planStamp, type StampPlan } from './revision/stamp.js';
export { type AnchorTarget, formatTarget, parseTarget, type Target } from './revision/target.js';
export { type VersionWrite, VersionRows } from './revision/version-rows.js';
export { defineMigration, type MigrationContext, type MigrationDefinition } from './script/define-migration.js';
export {
  type MigrationFs,
  parseRevisionFile,
  type ReadRevisionsOptions,
  type RevisionCache,
  readRevisions,
} from './script/migration-directory.js';
export { isMigrationFileName, migrationFileName, parseMigrationFileName, slugify } from './script/file-name.js';
export { renderScriptMigration, renderSqlMigration } from './script/render-migration-file.js';
export { type SqlSections, splitSqlSections } from './script/parse-sql-metadata.js';
