import type { DialectDescriptor } from '@cairn/core';
import type { BuiltInDialectName } from './config.js';

/**
 * The dialects cairn ships, by name, each loaded from its package's light `descriptor` entry
 * (no compiler, no driver), so that reading the configuration costs a command that never opens
 * the database next to nothing. This table is all the CLI knows of them.
 */
export const BUILT_IN_DIALECTS: Readonly<Record<BuiltInDialectName, () => Promise<DialectDescriptor>>> = {
  sqlite: async () => (await import('@cairn/sqlite/descriptor')).sqliteDescriptor,
  postgres: async () => (await import('@cairn/postgres/descriptor')).postgresDescriptor,
  mysql: async () => (await import('@cairn/mysql/descriptor')).mysqlDescriptor,
};

/** The built-in names, in the order help and messages list them. */
export const BUILT_IN_DIALECT_NAMES = Object.keys(BUILT_IN_DIALECTS) as readonly BuiltInDialectName[];

export function isBuiltInDialect(name: string): name is BuiltInDialectName {
  return Object.hasOwn(BUILT_IN_DIALECTS, name);
}
