import type { OpApi } from '../ops/op-api.js';
import type { MigrationQueryBuilder } from '../runtime/query-builder.js';
import type { Row, Session } from '../runtime/session.js';

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
 * A migration file's default export. Everything but `upgrade`/`downgrade` is metadata that cairn
 * reads from the source text without running the file, so it must be written as literals.
 */
export interface MigrationDefinition {
  readonly revision: string;
  /** `null` for the first revision, an id, or several ids for a merge. */
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: string | readonly string[];
  readonly dependsOn?: string | readonly string[];
  readonly message?: string;
  /** ISO-8601 UTC; orders independent branches. */
  readonly createdAt?: string;
  /** `false` to run outside a transaction (e.g. `CREATE INDEX CONCURRENTLY`). Default: `true`. */
  readonly transaction?: boolean;
  upgrade?(ctx: MigrationContext): void | Promise<void>;
  downgrade?(ctx: MigrationContext): void | Promise<void>;
}

/**
 * Declares a migration. It returns its argument unchanged: its value is the type check in the
 * user's editor and the marker cairn's metadata reader looks for.
 *
 * @example
 * export default defineMigration({ revision: 'ae1027a6acf0', downRevision: null, async upgrade(ctx) {} });
 */
export function defineMigration<const T extends MigrationDefinition>(definition: T): T {
  return definition;
}
