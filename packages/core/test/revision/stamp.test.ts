import { describe, expect, it } from 'vitest';
import { planStamp } from '../../src/revision/stamp.js';
import { branched, codeOf, graphOf, replay } from './fixtures.js';

describe('planStamp (revision-semantics.md §5.3)', () => {
  it('moves rows on the target lineage down to a branch point', () => {
    const plan = planStamp(branched(), ['d1', 'c2'], ['b']);
    expect(plan.writes).toEqual([
      { kind: 'delete', revision: 'd1' },
      { kind: 'update', from: 'c2', to: 'b' },
    ]);
    expect(plan.rowsAfter).toEqual(['b']);
  });

  it('moves one branch with label@head and leaves the other', () => {
    const plan = planStamp(branched(), ['d1', 'c2'], ['c2branch@head']);
    expect(plan.writes).toEqual([{ kind: 'update', from: 'c2', to: 'd2' }]);
    expect(plan.rowsAfter).toEqual(['d1', 'd2']);
  });

  it('stamps several targets: UPDATE the first, INSERT the unrelated one', () => {
    const g = graphOf([
      ['a', []],
      ['e', ['a']],
      ['f', []],
    ]);
    const plan = planStamp(g, ['a'], ['e', 'f']);
    expect(plan.writes).toEqual([
      { kind: 'update', from: 'a', to: 'e' },
      { kind: 'insert', revision: 'f' },
    ]);
  });

  it('base deletes every row; label@base only that branch', () => {
    expect(planStamp(branched(), ['d1', 'd2'], ['base']).writes).toEqual([
      { kind: 'delete', revision: 'd1' },
      { kind: 'delete', revision: 'd2' },
    ]);
    const plan = planStamp(branched(), ['d1', 'd2'], ['c1branch@base']);
    expect(plan.writes).toEqual([{ kind: 'delete', revision: 'd1' }]);
    expect(plan.rowsAfter).toEqual(['d2']);
  });

  it('is a no-op for a target that is already a row', () => {
    expect(planStamp(branched(), ['d1'], ['d1']).writes).toEqual([]);
  });

  it('stamps heads on an empty table', () => {
    const plan = planStamp(branched(), [], ['heads']);
    expect(plan.rowsAfter).toEqual(['d1', 'd2']);
    expect(replay([], plan.writes)).toEqual(['d1', 'd2']);
  });

  it('refuses to leave a row next to its own ancestor, unlike Alembic', () => {
    const error = codeOf(() => planStamp(branched(), [], ['a', 'd1']));
    expect(error).toBe('STAMP_OVERLAP');
    expect(() => planStamp(branched(), [], ['a', 'd1'])).toThrow(/'a'.*stamp only the newest/);
  });

  it('purges unknown and overlapping rows before stamping', () => {
    const plan = planStamp(branched(), ['gone', 'a', 'd1'], ['d2'], { purge: true });
    expect(plan.writes).toEqual([{ kind: 'insert', revision: 'd2' }]);
    expect(plan.rowsAfter).toEqual(['d2']);
    expect(codeOf(() => planStamp(branched(), ['gone'], ['d2']))).toBe('UNKNOWN_VERSION_ROW');
  });

  it('refuses head with several heads, and ranges or relative targets', () => {
    expect(codeOf(() => planStamp(branched(), [], ['head']))).toBe('MULTIPLE_HEADS');
    expect(codeOf(() => planStamp(branched(), [], ['a:b']))).toBe('INVALID_TARGET');
    expect(codeOf(() => planStamp(branched(), ['a'], ['+1']))).toBe('INVALID_TARGET');
  });

  it('defaults to base', () => {
    expect(planStamp(branched(), ['d1'], []).rowsAfter).toEqual([]);
  });
});
