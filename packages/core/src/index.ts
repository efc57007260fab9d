export { diffSchemas } from './autogen/diff.js';
export { sameSql, sqlTokens } from './autogen/expressions.js';
export { tableFilter } from './autogen/filter.js';
export type { DiffOptions, RenameHints, SchemaDiff } from './autogen/options.js';
export { renameHintsFrom } from './autogen/renames.js';
export {
  type DialectConnection,
  type DialectDescriptor,
  type DialectOption,
  type DialectSettings,
  type DriverPackage,
  HISTORY_TABLE_NAME,
  isDialectDescriptor,
  type StateTables,
  unqualifiedStateTables,
} from './dialect/descriptor.js';
export type {
  Capabilities,
  Dialect,
  HistoryRecord,
  IntrospectOptions,
  Locker,
  Normalizer,
  Release,
  StateCompiler,
} from './dialect/dialect.js';
export { driverLoader } from './dialect/driver-loader.js';
export {
  type CompileRules,
  compilerFromRules,
  type OperationCompiler,
  type RuleContext,
  type TableBefore,
} from './dialect/rules.js';
export {
  columnList,
  constraintPrefix,
  type InsertLimits,
  keyedDeletes,
  multiRowInserts,
  type Quoting,
  qualifiedName,
  REFERENTIAL_ACTION_SQL,
  siblingName,
} from './dialect/sql-render.js';
export { type SqlStateDialect, sqlStateCompiler } from './dialect/sql-state-compiler.js';
export type { SqlSyntax } from './dialect/syntax.js';
export { CairnError, type CairnErrorCode, type CairnErrorOptions, isCairnError, listForMessage } from './errors.js';
export { type ColumnDefinition, type ColumnInput, type ColumnOptions, column } from './ops/column.js';
export {
  type ColumnDefault,
  type ColumnDefaultInput,
  currentTimestampDefault,
  expressionDefault,
  literalDefault,
} from './ops/column-default.js';
export {
  bigint,
  bigserial,
  binary,
  boolean,
  type ColumnType,
  type ColumnTypeKind,
  char,
  date,
  double,
  enumType,
  type IdentityMode,
  type IntegerOptions,
  integer,
  json,
  numeric,
  rawType,
  real,
  serial,
  smallint,
  smallserial,
  type TimestampOptions,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from './ops/column-type.js';
export {
  type CheckDefinition,
  type ForeignKeyDefinition,
  type ForeignKeyInput,
  type PrimaryKeyDefinition,
  type PrimaryKeyInput,
  REFERENTIAL_ACTIONS,
  type ReferentialAction,
  type UniqueDefinition,
} from './ops/constraint.js';
export type {
  IndexColumn,
  IndexColumnInput,
  IndexDefinition,
  IndexDefinitionInput,
} from './ops/index-definition.js';
export { createOpApi, type OpApi, type RecordingOpApi, recordingOpApi } from './ops/op-api.js';
export {
  type AddCheck,
  type AddColumn,
  type AddEnumValue,
  type AddEnumValueOptions,
  type AddForeignKey,
  type AddForeignKeyOptions,
  type AddPrimaryKey,
  type AddUnique,
  type AlterColumn,
  type AlterColumnChanges,
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  type BulkDelete,
  type BulkInsert,
  bulkDelete,
  bulkInsert,
  type ColumnChange,
  type ColumnTypeChange,
  type CommentTable,
  type CommentTableOptions,
  type CreateEnum,
  type CreateIndex,
  type CreateIndexOptions,
  type CreateTable,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  type DropCheck,
  type DropColumn,
  type DropColumnOptions,
  type DropConstraintOptions,
  type DropEnum,
  type DropEnumValue,
  type DropForeignKey,
  type DropIndex,
  type DropIndexOptions,
  type DropPrimaryKey,
  type DropPrimaryKeyOptions,
  type DropTable,
  type DropTableOptions,
  type DropUnique,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  type Execute,
  type ExecuteOptions,
  execute,
  isOperationKind,
  OPERATION_KINDS,
  type Operation,
  type OperationKind,
  type OperationOf,
  type RenameColumn,
  type RenameEnumValue,
  type RenameTable,
  renameColumn,
  renameEnumValue,
  renameTable,
  type SqlRow,
  type SqlText,
} from './ops/operation.js';
export { formatQualifiedName, type NameInput, type QualifiedName } from './ops/qualified-name.js';
export { reverse, reverseAll } from './ops/reverse.js';
export type { SqlValue } from './ops/sql-value.js';
export { type Statement, statement } from './ops/statement.js';
export type { TableDefinition, TableDefinitionInput } from './ops/table-definition.js';
export { describe as describeRevision, RevisionGraph } from './revision/graph.js';
export { history, type RevisionEntry, type RevisionFlag, revisionEntry } from './revision/history.js';
export { type Plan, type PlanStep, planDowngrade, planUpgrade } from './revision/plan.js';
export { resolveAbsolute, resolveBranch, resolveRef, walk } from './revision/resolve.js';
export { assertValidName, RESERVED_NAMES, type RevisionMeta, shortDoc } from './revision/revision.js';
export { planStamp, type StampPlan, stampedRevisions } from './revision/stamp.js';
export { type AnchorTarget, formatTarget, parseTarget, type Target } from './revision/target.js';
export { VersionRows, type VersionWrite } from './revision/version-rows.js';
export { type DirtyStep, dirtySteps } from './runtime/history-state.js';
export type {
  MigrationContext,
  MigrationQueryBuilder,
  QueryBuilderTypes,
  UntypedQueryBuilder,
} from './runtime/migration-context.js';
export {
  LOCK_WAIT_NOTICE_MS,
  type LoadedMigration,
  type MigrationLoader,
  Migrator,
  type MigratorEvent,
  type MigratorOptions,
  type RunResult,
  type StepResult,
} from './runtime/migrator.js';
export { nestedTransactions, type TransactionControl } from './runtime/nested-transactions.js';
export { type OfflineScriptOptions, offlineScript } from './runtime/offline.js';
export type { QueryBuilderFactory } from './runtime/query-builder.js';
export { type Row, returnsRows, type Session } from './runtime/session.js';
export {
  defineEnum,
  type EnumValueInput,
  isSchemaEnum,
  isSchemaTable,
  type SchemaColumnInput,
  type SchemaEnum,
  type SchemaIndex,
  type SchemaIndexInput,
  type SchemaTable,
  type SchemaTableInput,
  table,
} from './schema/define.js';
export { type EnumDefinition, emptySchema, type SchemaModel, type TableModel } from './schema/model.js';
export {
  ALEMBIC_NAMING_CONVENTION,
  conventionName,
  DEFAULT_MAX_IDENTIFIER_LENGTH,
  DEFAULT_NAMING_CONVENTION,
  fitIdentifier,
  type NamedObjectKind,
  type NameParts,
  type NamingConvention,
} from './schema/naming.js';
export { SchemaBuilder } from './schema/schema-builder.js';
export {
  type DesiredSchema,
  type SchemaModelOptions,
  type SchemaRenames,
  schemaModel,
} from './schema/schema-model.js';
export { defineMigration, type MigrationDefinition } from './script/define-migration.js';
export { isMigrationFileName, migrationFileName, parseMigrationFileName, slugify } from './script/file-name.js';
export { closestName } from './script/metadata-rules.js';
export {
  type MigrationFs,
  parseRevisionFile,
  type ReadRevisionsOptions,
  type RevisionCache,
  readRevisions,
} from './script/migration-directory.js';
export { type NewRevisionFile, type NewRevisionOptions, planMerge, planNewRevision } from './script/new-revision.js';
export { type SqlSections, splitSqlSections } from './script/parse-sql-metadata.js';
export {
  renderScriptMigration,
  renderSqlMigration,
  type ScriptMigrationOptions,
} from './script/render-migration-file.js';
export { splitSqlStatements } from './script/split-sql.js';
