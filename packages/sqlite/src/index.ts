export { sqliteCompiler, sqliteRules } from './compiler.js';
export { classifyError, isBusyError } from './errors.js';
export { describeTable, introspect } from './introspector.js';
export { type SqliteLockerOptions, sqliteLocker } from './locker.js';
export { sqliteNormalizer } from './normalize.js';
export { type OpenSqliteOptions, openSqlite, type SqliteConnection } from './open-sqlite.js';
export { quoteIdentifier, quoteLiteral } from './quote.js';
export { REBUILD_PREFIX } from './recreate-table.js';
export { sqliteType } from './render-table.js';
export {
  type BetterSqlite3Database,
  type BetterSqlite3Statement,
  betterSqlite3Session,
} from './sessions/better-sqlite3.js';
export { sqliteDescriptor } from './sqlite-descriptor.js';
export { sqliteCapabilities, sqliteDialect, sqliteSyntax } from './sqlite-dialect.js';
export { parseSqliteUrl, redactUrl, type SqliteLocation } from './sqlite-url.js';
export { sqliteStateCompiler } from './state.js';
