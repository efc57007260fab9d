import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/errors.js';
import { statement } from '../../src/ops/statement.js';
import {
  carryOut,
  decideStep,
  readStatements,
  refuseSingleTransaction,
  type StepAction,
  type StepDecision,
  type StepFacts,
  type StepSink,
  singleTransactionRefusal,
} from '../../src/runtime/step-engine.js';
import { metas } from '../revision/fixtures.js';

const FACTS: StepFacts = {
  transactionalDdl: true,
  transactions: true,
  declaredTransactional: true,
  singleTransaction: false,
};

/** A decision as one line: `atomic: BEGIN migration finish COMMIT`. */
function shape(decision: StepDecision): string {
  if (decision.kind === 'refused') return `refused: ${decision.reason.kind}`;
  const words = (actions: readonly StepAction[]): string[] =>
    actions.flatMap((a) => (a.kind === 'transaction' ? ['BEGIN', ...words(a.actions), 'COMMIT'] : [a.kind]));
  return `${decision.kind}: ${words(decision.actions).join(' ')}`;
}

const concurrently = statement('CREATE INDEX CONCURRENTLY i ON t (x)', [], { transactional: false });

describe('decideStep', () => {
  it.each<[string, Partial<StepFacts>, string]>([
    ['a transactional step', {}, 'atomic: BEGIN migration finish COMMIT'],
    [
      'a dialect whose DDL commits implicitly (MySQL)',
      { transactionalDdl: false },
      'outside: started migration BEGIN finish COMMIT',
    ],
    ['transaction: false', { declaredTransactional: false }, 'outside: started migration BEGIN finish COMMIT'],
    [
      'a statement that cannot run in a transaction',
      { outside: { kind: 'statement', statement: concurrently } },
      'outside: started migration BEGIN finish COMMIT',
    ],
    ['a session without transactions', { transactions: false }, 'outside: started migration finish'],
    ['--single-transaction', { singleTransaction: true }, 'in-run: migration finish'],
    [
      '--single-transaction around a statement that must leave it',
      { singleTransaction: true, outside: { kind: 'statement' } },
      'refused: statement',
    ],
    [
      '--single-transaction around transaction: false',
      { singleTransaction: true, declaredTransactional: false },
      'refused: declared',
    ],
  ])('%s', (_, facts, expected) => {
    expect(shape(decideStep({ ...FACTS, ...facts }))).toBe(expected);
  });

  it('returns frozen, shared decisions', () => {
    const decision = decideStep(FACTS);
    expect(Object.isFrozen(decision)).toBe(true);
    expect(decideStep({ ...FACTS })).toBe(decision);
  });
});

describe('readStatements (offline: what the statements say of themselves)', () => {
  const addValue = statement("ALTER TYPE mood ADD VALUE 'ok'");
  const use = statement("INSERT INTO person VALUES ('ok')");
  const needs = (s: { sql: string }) => (s.sql.startsWith('ALTER TYPE') ? ('commit-before-use' as const) : undefined);

  it('finds a statement marked non-transactional', () => {
    expect(readStatements([use, concurrently, use], 'b', undefined)).toEqual({
      outside: { kind: 'statement', statement: concurrently },
    });
    expect(readStatements([use], 'b', undefined)).toEqual({});
  });

  it('needs a change that must commit before use committed before any later statement', () => {
    expect(readStatements([use, addValue, use], 'b', needs)).toEqual({
      outside: { kind: 'commit-first', statement: addValue, revision: 'b' },
    });
    // Last in its transaction: nothing can use it there, so the step stays atomic.
    expect(readStatements([use, addValue], 'b', needs)).toEqual({
      uncommitted: { statement: addValue, revision: 'b' },
    });
    // Under --single-transaction, the next step is in the same transaction.
    const earlier = { statement: addValue, revision: 'a' };
    expect(readStatements([use], 'b', needs, earlier)).toEqual({ outside: { kind: 'commit-first', ...earlier } });
    expect(readStatements([], 'b', needs, earlier)).toEqual({ uncommitted: earlier });
  });
});

describe('carryOut', () => {
  /** A sink that logs what it does; `at` is the transaction depth. */
  function logSink(log: string[], fail?: string): StepSink<number> {
    const act = (name: string) => async (depth: number) => {
      log.push(`${name}@${depth}`);
      if (name === fail) throw new Error(`${name} failed`);
    };
    return {
      started: act('started'),
      migration: act('migration'),
      finish: act('finish'),
      async transaction(depth, work) {
        log.push('begin');
        try {
          await work(depth + 1);
        } catch (error) {
          log.push('rollback');
          throw error;
        }
        log.push('commit');
      },
    };
  }

  it('performs the actions in order, each inside its transaction', async () => {
    const log: string[] = [];
    const decision = decideStep({ ...FACTS, declaredTransactional: false });
    if (decision.kind === 'refused') throw new Error('not refused');
    await carryOut(decision.actions, logSink(log), 0);
    expect(log).toEqual(['started@0', 'migration@0', 'begin', 'finish@1', 'commit']);
  });

  it('stops at the first failure, rolling back the transaction it was in', async () => {
    const log: string[] = [];
    const decision = decideStep(FACTS);
    if (decision.kind === 'refused') throw new Error('not refused');
    await expect(carryOut(decision.actions, logSink(log, 'migration'), 0)).rejects.toThrow('migration failed');
    expect(log).toEqual(['begin', 'migration@1', 'rollback']);
  });
});

describe('single transaction refusals', () => {
  const [meta] = metas([['b', []]]);

  it('refuses a dialect without transactional DDL, and transaction: false steps, before anything runs', () => {
    const mysql = { name: 'mysql', capabilities: { transactionalDdl: false } };
    expect(() => refuseSingleTransaction(mysql, [])).toThrow(/cannot make the run atomic on mysql/);
    const postgres = { name: 'postgres', capabilities: { transactionalDdl: true } };
    expect(() => refuseSingleTransaction(postgres, [{ revision: 'a', transaction: true }])).not.toThrow();
    expect(() =>
      refuseSingleTransaction(postgres, [
        { revision: 'a', transaction: true },
        { revision: 'b', transaction: false },
      ]),
    ).toThrow(/cannot include 'b', declared `transaction: false`/);
  });

  it('names the step and the statement', () => {
    const error = singleTransactionRefusal(meta!, { kind: 'statement', statement: concurrently });
    expect(isCairnError(error, 'USAGE')).toBe(true);
    expect(error.message).toBe(
      'migrations/b.ts runs a statement that cannot run inside a transaction (CREATE INDEX CONCURRENTLY i ON t (x)), so --single-transaction cannot include it; run without --single-transaction',
    );
    expect(error.details).toMatchObject({ revision: 'b', statement: concurrently.sql });
    expect(singleTransactionRefusal(meta!, { kind: 'declared' }).message).toMatch(
      /^migrations\/b\.ts is declared `transaction: false`, so/,
    );
  });

  it('names the change that must commit first, and the step that made it', () => {
    const addValue = statement("ALTER TYPE mood ADD VALUE 'ok'");
    expect(singleTransactionRefusal(meta!, { kind: 'commit-first', statement: addValue, revision: 'b' }).message).toBe(
      "migrations/b.ts runs a change that cannot be used before its transaction commits (ALTER TYPE mood ADD VALUE 'ok') and statements after it that may use it, so --single-transaction cannot include it; run without --single-transaction",
    );
    const earlier = singleTransactionRefusal(meta!, { kind: 'commit-first', statement: addValue, revision: 'a' });
    expect(earlier.message).toMatch(/^migrations\/b\.ts runs statements that may use a change .* made by revision 'a'/);
    expect(earlier.details).toMatchObject({ revision: 'b', madeBy: 'a', statement: addValue.sql });
  });
});
