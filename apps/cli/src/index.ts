/**
 * The `cairn` package's library surface: what a `cairn.config.ts` and migrations import (the
 * migrations `cairn revision` writes import `defineMigration` from here, so that a project that
 * installed only `cairn` type-checks them under any package manager). The command-line program
 * lives in `cli.ts`; nothing here loads it. The programmatic API (`openProject`) is
 * `@cairn/node`'s: an app that runs migrations from code installs that.
 */

import type { CairnConfig } from '@cairn/node';

export {
  bigint,
  bigserial,
  binary,
  boolean,
  type ColumnDefinition,
  type ColumnOptions,
  type ColumnType,
  char,
  column,
  currentTimestampDefault,
  date,
  defineEnum,
  defineMigration,
  double,
  enumType,
  expressionDefault,
  integer,
  json,
  literalDefault,
  type MigrationContext,
  type MigrationDefinition,
  numeric,
  rawType,
  real,
  type SchemaEnum,
  type SchemaTable,
  type SchemaTableInput,
  serial,
  smallint,
  smallserial,
  table,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
export type { BuiltInDialectName, CairnConfig } from '@cairn/node';

/**
 * Types a configuration object in a `cairn.config.ts`. Returns its argument unchanged.
 *
 * `@cairn/node` has the same function; this copy is not a re-export because migrations import
 * this module while the CLI runs them, and a re-export would put all of `@cairn/node` in a
 * chunk of its own that every `cairn` process then loads (each ES module is start-up time).
 *
 * @example
 * export default defineConfig({ dialect: 'postgres', migrations: 'db/migrations' });
 */
export function defineConfig(config: CairnConfig): CairnConfig {
  return config;
}
