import type { Dialect } from '../dialect/dialect.js';
import type { MigrationContext, MigrationQueryBuilder } from './migration-context.js';
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
 * A migration context whose `op` (made by `base.op`) and `knex` (made by `factory`) are built on
 * first use and then kept for the step: most migrations use one of `sql`, `op` and `knex`, and a
 * run builds a context per step. Without a factory, reading `ctx.knex` fails with a message
 * saying who provides it. Both are accessors of the class, so spreading or logging the context
 * makes neither (nor loads knex).
 */
export function contextWithQueryBuilder(
  base: Omit<MigrationContext, 'knex' | 'op'> & { readonly op: () => MigrationContext['op'] },
  dialect: Dialect,
  session: Session,
  factory: QueryBuilderFactory | undefined,
): MigrationContext {
  return new StepContext(base, dialect, session, factory);
}

class StepContext implements MigrationContext {
  readonly sql: MigrationContext['sql'];
  readonly session: Session;
  readonly #makeOp: () => MigrationContext['op'];
  readonly #dialect: Dialect;
  readonly #builderSession: Session;
  readonly #factory: QueryBuilderFactory | undefined;
  #op: MigrationContext['op'] | undefined;
  #knex: { readonly value: unknown } | undefined;

  constructor(
    base: Omit<MigrationContext, 'knex' | 'op'> & { readonly op: () => MigrationContext['op'] },
    dialect: Dialect,
    builderSession: Session,
    factory: QueryBuilderFactory | undefined,
  ) {
    this.sql = base.sql;
    this.session = base.session;
    this.#makeOp = base.op;
    this.#dialect = dialect;
    this.#builderSession = builderSession;
    this.#factory = factory;
  }

  get op(): MigrationContext['op'] {
    this.#op ??= this.#makeOp();
    return this.#op;
  }

  get knex(): MigrationQueryBuilder {
    if (this.#knex === undefined) {
      if (this.#factory === undefined) {
        // A plain error: the runner reports it as the migration's failure, naming its file.
        throw new Error(
          'ctx.knex needs a query builder, and none was given to this run: the cairn CLI provides knex; a program that runs migrations itself passes `queryBuilder` to the Migrator (or to offlineScript)',
        );
      }
      this.#knex = { value: this.#factory(this.#builderSession, this.#dialect) };
    }
    return this.#knex.value as MigrationQueryBuilder;
  }
}
