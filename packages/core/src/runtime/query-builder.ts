import type { Dialect } from '../dialect/dialect.js';
import type { MigrationContext } from '../script/define-migration.js';
import type { Session } from './session.js';

/**
 * Makes the query builder a migration reaches as `ctx.knex`. It is called at most once per step,
 * the first time the migration reads `ctx.knex`, with the step's session (its connection, inside
 * its transaction; offline, the recorder) and must run every query through that session — never
 * through a connection of its own. It is synchronous so that `ctx.knex('account')` is a builder
 * at once; the `cairn` CLI's factory loads knex with a synchronous `require` at that moment.
 */
export type QueryBuilderFactory = (session: Session, dialect: Dialect) => unknown;

/**
 * Types a host plugs in by declaration merging. Core knows no query builder; a project that
 * wants `ctx.knex` typed declares, e.g. in a `.d.ts` file next to its migrations:
 *
 * @example
 * declare module '@cairn/core' { interface QueryBuilderTypes { knex: import('knex').Knex } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging.
export interface QueryBuilderTypes {}

/** What `ctx.knex` is when nothing typed it: a callable builder factory of unknown shape. */
export interface UntypedQueryBuilder {
  // biome-ignore lint/suspicious/noExplicitAny: the builder's types belong to the package that provides it.
  (table: string): any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  readonly [member: string]: any;
}

/** The type of `ctx.knex`: `QueryBuilderTypes['knex']` when declared, else `UntypedQueryBuilder`. */
export type MigrationQueryBuilder = QueryBuilderTypes extends { readonly knex: infer K } ? K : UntypedQueryBuilder;

/**
 * Freezes a migration context whose `knex` is made by `factory` on first use and then kept for
 * the step. Without a factory, reading `ctx.knex` fails with a message saying who provides it.
 */
export function contextWithQueryBuilder(
  base: Omit<MigrationContext, 'knex'>,
  dialect: Dialect,
  session: Session,
  factory: QueryBuilderFactory | undefined,
): MigrationContext {
  let made: { value: unknown } | undefined;
  const context = { ...base };
  // Not enumerable: spreading or logging the context must not make (and load) the builder.
  Object.defineProperty(context, 'knex', {
    enumerable: false,
    get(): unknown {
      if (made === undefined) {
        if (factory === undefined) {
          // A plain error: the runner reports it as the migration's failure, naming its file.
          throw new Error(
            'ctx.knex needs a query builder, and none was given to this run: the cairn CLI provides knex; a program that runs migrations itself passes `queryBuilder` to the Migrator (or to offlineScript)',
          );
        }
        made = { value: factory(session, dialect) };
      }
      return made.value;
    },
  });
  return Object.freeze(context) as MigrationContext;
}
