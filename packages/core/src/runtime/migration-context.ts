import type { OpApi } from '../ops/op-api.js';
import type { Row, Session } from './session.js';

/**
 * What a migration's `upgrade`/`downgrade` receive from the runner. Listing and planning never
 * call them.
 */
export interface MigrationContext {
  /**
   * Runs one statement with positional parameters (`?` on SQLite and MySQL, `$1` on PostgreSQL)
   * on the migration's own connection and transaction, and returns its rows.
   *
   * @example await ctx.sql('INSERT INTO account (email) VALUES (?)', ['a@example.com'])
   */
  sql(text: string, params?: readonly unknown[]): Promise<readonly Row[]>;
  /**
   * The operation API: `await ctx.op.createTable({...})`, `ctx.op.addColumn(...)`, … compiled by
   * the database's dialect and run in the step's transaction.
   */
  readonly op: OpApi;
  /** The step's session: its connection, inside its transaction. */
  readonly session: Session;
  /**
   * A query builder (knex, from the `cairn` CLI) bound to the step's own connection and
   * transaction: `await ctx.knex('account').insert({ email: 'a@example.com' })`,
   * `await ctx.knex('account').where({ id: 1 }).first()`. Made the first time a migration reads
   * it (knex is not loaded otherwise); with `--sql` its statements are recorded like `ctx.sql`'s.
   * Its own transactions, `migrate` and `seed` are refused: the step is the transaction.
   * Typed by declaring `QueryBuilderTypes` (see there); untyped otherwise.
   */
  readonly knex: MigrationQueryBuilder;
}

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
