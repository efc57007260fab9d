import type { Capabilities } from '../dialect/dialect.js';
import { CairnError, listForMessage } from '../errors.js';
import type { Statement } from '../ops/statement.js';
import type { RevisionMeta } from '../revision/revision.js';

/*
 * The step engine: what one step of a run writes, and in which order, decided once for both
 * ways of running it — online, where a `Session` carries the decision out (`Migrator`), and
 * offline, where a script writer prints it (`offlineScript`, Alembic's `as_sql`). Pure: no I/O,
 * no clock; the two sinks differ only in how they perform each action.
 */

/** Why a step cannot run inside a transaction. */
export type OutsideReason =
  /** The migration declares `transaction: false`. */
  | { readonly kind: 'declared' }
  /**
   * One of its statements cannot run inside a transaction: marked `transactional: false`, or
   * (online, `statement` absent) refused by the database in a transaction block.
   */
  | { readonly kind: 'statement'; readonly statement?: Statement }
  /**
   * Offline: `statement`, run by step `revision`, adds something that cannot be used before its
   * transaction commits (`Dialect.transactionNeeds` → `'commit-before-use'`), and statements
   * follow it in the same transaction (see `readStatements`).
   */
  | ({ readonly kind: 'commit-first' } & Uncommitted);

/** A statement whose change cannot be used before its transaction commits, and its step. */
export interface Uncommitted {
  readonly statement: Statement;
  readonly revision: string;
}

/** What a step's shape depends on. */
export interface StepFacts {
  /** `Capabilities.transactionalDdl`: DDL rolls back with its transaction. */
  readonly transactionalDdl: Capabilities['transactionalDdl'];
  /** The sink can open a transaction: a session with `transaction`, or a script (always). */
  readonly transactions: boolean;
  /** The migration's `transaction` flag (`false` for `transaction: false`). */
  readonly declaredTransactional: boolean;
  /**
   * The step runs inside the run's one transaction (`--single-transaction`). Such a run has
   * passed `refuseSingleTransaction` first, so the dialect has transactional DDL.
   */
  readonly singleTransaction: boolean;
  /**
   * Why the step must run outside a transaction beyond its declaration, if known: offline, read
   * from its statements before anything is written; online, learned when its first, atomic,
   * attempt met such a statement (and was rolled back).
   */
  readonly outside?: OutsideReason;
}

/** One thing a sink does for a step, in order. */
export type StepAction =
  /** The `started` history record, before anything that may leave part of the step behind. */
  | { readonly kind: 'started' }
  /** The migration's own statements. */
  | { readonly kind: 'migration' }
  /** The dialect's end-of-step check, the version-row writes and the `succeeded` record. */
  | { readonly kind: 'finish' }
  /** `actions` as one transaction: `Session.transaction` online, `BEGIN;` … `COMMIT;` in a script. */
  | { readonly kind: 'transaction'; readonly actions: readonly StepAction[] };

/**
 * How a step runs. `atomic`: one transaction of its own holds the migration, its version writes
 * and its record, so a failure leaves nothing. `in-run`: the same, inside the run's single
 * transaction. `outside`: no transaction around the migration; recorded as `started` first, so
 * a failure (or a killed process) after that record leaves the database dirty, and finished in a
 * transaction of its own where the sink has them, so the version rows and the `succeeded` record
 * land together. `refused`: it cannot run as asked (`--single-transaction` around a step that
 * must leave the transaction).
 */
export type StepDecision =
  | { readonly kind: 'atomic' | 'in-run' | 'outside'; readonly actions: readonly StepAction[] }
  | { readonly kind: 'refused'; readonly reason: OutsideReason };

const STARTED: StepAction = Object.freeze({ kind: 'started' });
const MIGRATION: StepAction = Object.freeze({ kind: 'migration' });
const FINISH: StepAction = Object.freeze({ kind: 'finish' });
const inTransaction = (...actions: StepAction[]): StepAction =>
  Object.freeze({ kind: 'transaction', actions: Object.freeze(actions) });
const decision = (kind: 'atomic' | 'in-run' | 'outside', ...actions: StepAction[]): StepDecision =>
  Object.freeze({ kind, actions: Object.freeze(actions) });

// Every decision but a refusal is one of these four: deciding allocates nothing on the hot path.
const ATOMIC = decision('atomic', inTransaction(MIGRATION, FINISH));
const IN_RUN = decision('in-run', MIGRATION, FINISH);
const OUTSIDE = decision('outside', STARTED, MIGRATION, inTransaction(FINISH));
const OUTSIDE_WITHOUT_TRANSACTIONS = decision('outside', STARTED, MIGRATION, FINISH);
const DECLARED: OutsideReason = Object.freeze({ kind: 'declared' });

/**
 * Decides how a step runs (see `StepDecision`). Atomic where the dialect's DDL is transactional,
 * the sink has transactions, the migration did not opt out and none of its statements must
 * leave the transaction; inside the run's transaction under `--single-transaction`, which
 * cannot hold a step that must leave it (refused); otherwise outside a transaction.
 *
 * @example decideStep({ transactionalDdl: false, transactions: true, declaredTransactional: true, singleTransaction: false }).kind // 'outside'
 */
export function decideStep(facts: StepFacts): StepDecision {
  const outside = facts.outside ?? (facts.declaredTransactional ? undefined : DECLARED);
  if (facts.singleTransaction)
    return outside === undefined ? IN_RUN : Object.freeze({ kind: 'refused', reason: outside });
  if (outside === undefined && facts.transactionalDdl && facts.transactions) return ATOMIC;
  return facts.transactions ? OUTSIDE : OUTSIDE_WITHOUT_TRANSACTIONS;
}

/**
 * Offline: why a step's statements — recorded before anything is written — cannot all run in one
 * transaction. There is no database to refuse a statement, so this reads what each says of
 * itself: `transactional: false` (the compiler's mark, e.g. `CREATE INDEX CONCURRENTLY`), or
 * what the dialect's `transactionNeeds` reads from its text.
 *
 * The rule for `'commit-before-use'` (PostgreSQL's `ALTER TYPE … ADD VALUE`): online, the runner
 * learns it by trying — PostgreSQL refuses the first *use* of the new value in the transaction
 * that added it (55P04), the step rolls back and runs again outside a transaction, where each
 * statement commits as it runs. A script cannot try, and whether a later statement uses the
 * value cannot be read from SQL text (a literal, a cast, a column default, a CHECK,
 * `enum_range()`, a function body), so every later statement in the same transaction counts as
 * a use: the step runs outside a transaction, as online when it does use the value. A step
 * whose addition is its last statement stays atomic, as online. The rule errs one way only: a
 * step that adds a value and then does something unrelated is atomic online but not in the
 * script; never a script that fails where the online run works. Marking the addition
 * `transactional: false` in the compiler instead would cost every such step its atomicity
 * online too.
 *
 * `earlier`: under `--single-transaction` the run is one transaction, so such a statement left
 * at the end of an earlier step is still uncommitted here. Returns the reason (undefined: the
 * statements can share a transaction) and the statement left uncommitted at their end.
 */
export function readStatements(
  statements: readonly Statement[],
  revision: string,
  needs: ((statement: Statement) => 'outside' | 'commit-before-use' | undefined) | undefined,
  earlier?: Uncommitted,
): { readonly outside?: OutsideReason; readonly uncommitted?: Uncommitted } {
  let uncommitted = earlier;
  for (const statement of statements) {
    const need = statement.transactional === false ? 'outside' : needs?.(statement);
    if (need === 'outside') return { outside: { kind: 'statement', statement } };
    if (uncommitted !== undefined) return { outside: { kind: 'commit-first', ...uncommitted } };
    if (need === 'commit-before-use') uncommitted = { statement, revision };
  }
  return uncommitted === undefined ? {} : { uncommitted };
}

/** Performs a decision's actions; `At` is where they run (a session, or nothing for a script). */
export interface StepSink<At> {
  started(at: At): Promise<void>;
  migration(at: At): Promise<void>;
  finish(at: At): Promise<void>;
  /** Runs `work` as one transaction and resolves once it committed; rejects (rolled back) with its error. */
  transaction(at: At, work: (tx: At) => Promise<void>): Promise<void>;
}

/** Carries out `actions` on `sink`, in order. */
export async function carryOut<At>(actions: readonly StepAction[], sink: StepSink<At>, at: At): Promise<void> {
  for (const action of actions) {
    if (action.kind === 'transaction') await sink.transaction(at, (tx) => carryOut(action.actions, sink, tx));
    else await sink[action.kind](at);
  }
}

/**
 * `--single-transaction` promises one transaction around the run; refused up front where it
 * cannot be kept (a dialect whose DDL commits implicitly, a `transaction: false` migration among
 * the steps) rather than broken silently part-way. Online and offline alike.
 */
export function refuseSingleTransaction(
  dialect: { readonly name: string; readonly capabilities: Pick<Capabilities, 'transactionalDdl'> },
  steps: readonly Pick<RevisionMeta, 'revision' | 'transaction'>[],
): void {
  if (!dialect.capabilities.transactionalDdl) {
    throw new CairnError(
      'USAGE',
      `--single-transaction cannot make the run atomic on ${dialect.name}: its DDL commits implicitly; run without it (each step is recorded as started and succeeded, and a step that fails part-way is reported)`,
      { details: { dialect: dialect.name } },
    );
  }
  const outside = steps.filter((step) => !step.transaction);
  if (outside.length > 0) {
    throw new CairnError(
      'USAGE',
      `--single-transaction cannot include ${listForMessage(outside.map((s) => s.revision))}, declared \`transaction: false\`; run without --single-transaction, or upgrade to the revision before it with the option and the rest without`,
      { details: { revisions: outside.map((s) => s.revision) } },
    );
  }
}

/** The error of a `refused` decision: which step, and why the run's transaction cannot hold it. */
export function singleTransactionRefusal(meta: RevisionMeta, reason: OutsideReason): CairnError {
  const what = meta.file ?? `revision '${meta.revision}'`;
  const sql = reason.kind === 'declared' ? undefined : reason.statement?.sql;
  const details = { revision: meta.revision, file: meta.file, statement: sql };
  if (reason.kind === 'commit-first') {
    const change = `a change that cannot be used before its transaction commits (${sql})`;
    const message =
      reason.revision === meta.revision
        ? `${what} runs ${change} and statements after it that may use it, so --single-transaction cannot include it; run without --single-transaction`
        : `${what} runs statements that may use ${change}, made by revision '${reason.revision}' earlier in the run, so --single-transaction cannot hold both; run without --single-transaction, or end the single transaction at '${reason.revision}'`;
    return new CairnError('USAGE', message, { details: { ...details, madeBy: reason.revision } });
  }
  const why =
    reason.kind === 'declared'
      ? 'is declared `transaction: false`'
      : `runs a statement that cannot run inside a transaction${sql ? ` (${sql})` : ''}`;
  return new CairnError(
    'USAGE',
    `${what} ${why}, so --single-transaction cannot include it; run without --single-transaction`,
    { details },
  );
}
