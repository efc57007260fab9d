export { postgresCompiler, postgresRules } from './compiler.js';
export { classifyError, sqlState } from './errors.js';
export { describeTable, introspect } from './introspector.js';
export { advisoryLockKey, type PostgresLockerOptions, postgresLocker } from './locker.js';
export { postgresNormalizer } from './normalize.js';
export { maskPassword, type OpenPostgresOptions, openPostgres, type PostgresConnection } from './open-postgres.js';
export { postgresDescriptor } from './postgres-descriptor.js';
export {
  type PostgresDialectOptions,
  postgresCapabilities,
  postgresDialect,
  postgresSyntax,
} from './postgres-dialect.js';
export { MAX_IDENTIFIER_BYTES, quoteIdentifier, quoteLiteral } from './quote.js';
export { postgresType } from './render.js';
export { type PgClient, type PgQueryConfig, pgSession } from './sessions/pg.js';
export { postgresStateCompiler } from './state.js';
