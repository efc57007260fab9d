import { describe, expect, it } from 'vitest';
import { planDowngrade, planUpgrade } from '../../src/revision/plan.js';
import { branched, codeOf, graphOf, replay } from './fixtures.js';

const order = (plan: { steps: readonly { revision: string }[] }) => plan.steps.map((s) => s.revision);
const writesOf = (plan: { steps: readonly { writes: readonly unknown[] }[] }) => plan.steps.flatMap((s) => s.writes);

describe('version-table writes per step (revision-semantics.md §5.2 worked examples)', () => {
  it('first revision: INSERT', () => {
    const g = graphOf([['a', []]]);
    expect(writesOf(planUpgrade(g, [], 'a'))).toEqual([{ kind: 'insert', revision: 'a' }]);
  });

  it('linear: UPDATE a → b', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
    ]);
    expect(writesOf(planUpgrade(g, ['a'], 'b'))).toEqual([{ kind: 'update', from: 'a', to: 'b' }]);
  });

  it('second branch from a branch point: INSERT', () => {
    const plan = planUpgrade(branched(), ['d2'], 'c1');
    expect(writesOf(plan)).toEqual([{ kind: 'insert', revision: 'c1' }]);
    expect(plan.rowsAfter).toEqual(['c1', 'd2']);
  });

  it('merge: DELETE one parent, UPDATE the other', () => {
    const g = graphOf([
      ['a', []],
      ['d1', ['a']],
      ['d2', ['a']],
      ['e', ['d1', 'd2']],
    ]);
    const plan = planUpgrade(g, ['d1', 'd2'], 'e');
    expect(writesOf(plan)).toEqual([
      { kind: 'delete', revision: 'd1' },
      { kind: 'update', from: 'd2', to: 'e' },
    ]);
    expect(plan.rowsAfter).toEqual(['e']);
  });

  it('three-way merge: DELETE two, UPDATE the last', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a']],
      ['b2', ['a']],
      ['b3', ['a']],
      ['c', ['b1', 'b2', 'b3']],
    ]);
    expect(writesOf(planUpgrade(g, ['b1', 'b2', 'b3'], 'c'))).toEqual([
      { kind: 'delete', revision: 'b1' },
      { kind: 'delete', revision: 'b2' },
      { kind: 'update', from: 'b3', to: 'c' },
    ]);
  });

  it('a dependency row is absorbed by its dependent', () => {
    const g = graphOf([
      ['a1', []],
      ['a2', ['a1']],
      ['b1', []],
      ['b2', ['b1'], { deps: ['a2'] }],
    ]);
    const plan = planUpgrade(g, ['a2', 'b1'], 'b2');
    expect(writesOf(plan)).toEqual([
      { kind: 'delete', revision: 'b1' },
      { kind: 'update', from: 'a2', to: 'b2' },
    ]);
    expect(plan.rowsAfter).toEqual(['b2']);
  });

  it('unmerge: UPDATE to the first parent, INSERT the others', () => {
    const g = graphOf([
      ['a', []],
      ['d1', ['a']],
      ['d2', ['a']],
      ['e', ['d1', 'd2']],
    ]);
    const plan = planDowngrade(g, ['e'], 'd1');
    expect(order(plan)).toEqual(['e']);
    expect(writesOf(plan)).toEqual([
      { kind: 'update', from: 'e', to: 'd1' },
      { kind: 'insert', revision: 'd2' },
    ]);
    expect(plan.rowsAfter).toEqual(['d1', 'd2']);
  });

  it('closing a branch whose parent another row implies: DELETE', () => {
    const plan = planDowngrade(branched(), ['c2', 'd1'], 'c2branch@-1');
    expect(order(plan)).toEqual(['c2']);
    expect(writesOf(plan)).toEqual([{ kind: 'delete', revision: 'c2' }]);
    expect(plan.rowsAfter).toEqual(['d1']);
  });

  it('a dependency still implied by another row is not re-inserted', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c1', ['b']],
      ['d1', ['c1']],
      ['c2', ['b'], { deps: ['c1'] }],
    ]);
    const plan = planDowngrade(g, ['c2', 'd1'], 'c1');
    expect(writesOf(plan)).toEqual([{ kind: 'delete', revision: 'd1' }]);
    expect(plan.rowsAfter).toEqual(['c2']);
  });

  it('down to base: DELETE', () => {
    const g = graphOf([['a', []]]);
    const plan = planDowngrade(g, ['a'], 'base');
    expect(writesOf(plan)).toEqual([{ kind: 'delete', revision: 'a' }]);
    expect(plan.rowsAfter).toEqual([]);
  });
});

describe('planUpgrade', () => {
  it('defaults to head and refuses several heads, naming them and the way out', () => {
    const g = branched();
    expect(codeOf(() => planUpgrade(g, []))).toBe('MULTIPLE_HEADS');
    expect(() => planUpgrade(g, [])).toThrow(/'d1' and 'd2'.*heads.*merge/);
  });

  it('applies every branch for heads, each branch as one run, oldest first', () => {
    const plan = planUpgrade(branched(), [], 'heads');
    expect(order(plan)).toEqual(['a', 'b', 'c1', 'd1', 'c2', 'd2']);
    expect(plan.rowsAfter).toEqual(['d1', 'd2']);
    expect(replay([], writesOf(plan) as never)).toEqual(['d1', 'd2']);
  });

  it('upgrades one branch with label@head and leaves the other alone', () => {
    const plan = planUpgrade(branched(), ['b'], 'c2branch@head');
    expect(order(plan)).toEqual(['c2', 'd2']);
    expect(plan.rowsAfter).toEqual(['d2']);
  });

  it('applies a diamond oldest parent first', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a']],
      ['b2', ['a']],
      ['c', ['b1', 'b2']],
      ['d', ['c']],
    ]);
    expect(order(planUpgrade(g, [], 'head'))).toEqual(['a', 'b1', 'b2', 'c', 'd']);
  });

  it('pulls in dependencies from other roots', () => {
    const g = graphOf([
      ['x1', []],
      ['x2', ['x1']],
      ['y1', []],
      ['y2', ['y1'], { deps: ['x2'] }],
    ]);
    const plan = planUpgrade(g, [], 'y2');
    expect(order(plan)).toEqual(['x1', 'x2', 'y1', 'y2']);
    expect(plan.rowsAfter).toEqual(['y2']);
  });

  it('treats head as the resolved head when another head is only depended on', () => {
    const g = graphOf([
      ['t1', []],
      ['q1', []],
      ['q2', ['q1'], { deps: ['t1'] }],
    ]);
    expect(order(planUpgrade(g, [], 'head'))).toEqual(['t1', 'q1', 'q2']);
  });

  it('does nothing for a target that is already applied', () => {
    const plan = planUpgrade(branched(), ['d1'], 'b');
    expect(plan.steps).toEqual([]);
    expect(plan.rowsAfter).toEqual(['d1']);
  });

  it('counts +N from the single current row and refuses to guess between rows', () => {
    const g = branched();
    expect(order(planUpgrade(g, ['a'], '+1'))).toEqual(['b']);
    expect(order(planUpgrade(g, [], '+2'))).toEqual(['a', 'b']);
    expect(codeOf(() => planUpgrade(g, ['a'], '+2'))).toBe('AMBIGUOUS_WALK');
    expect(codeOf(() => planUpgrade(g, ['c1', 'c2'], '+1'))).toBe('AMBIGUOUS_RELATIVE');
    expect(order(planUpgrade(g, ['c1', 'c2'], 'c2branch@+1'))).toEqual(['d2']);
    expect(order(planUpgrade(g, ['a'], 'c1branch@+2'))).toEqual(['b', 'c1']);
    expect(codeOf(() => planUpgrade(g, ['d1'], '+1'))).toBe('RELATIVE_OVERWALK');
    expect(() => planUpgrade(g, ['d1'], '+1')).toThrow(/goes 1 step\(s\) up, but only 0/);
  });

  it('walks from an anchor: rev+N, base+N, label@base+N', () => {
    const g = branched();
    expect(order(planUpgrade(g, [], 'a+1'))).toEqual(['a', 'b']);
    expect(order(planUpgrade(g, [], 'base+2'))).toEqual(['a', 'b']);
    expect(order(planUpgrade(g, [], 'c2branch@base+3'))).toEqual(['a', 'b', 'c2']);
    expect(codeOf(() => planUpgrade(g, [], 'd1+1'))).toBe('RELATIVE_OVERWALK');
  });

  it('refuses downward moves, ranges and overlapping targets', () => {
    const g = branched();
    expect(codeOf(() => planUpgrade(g, ['b'], '-1'))).toBe('INVALID_TARGET');
    expect(codeOf(() => planUpgrade(g, [], 'a:b'))).toBe('INVALID_TARGET');
  });

  it('refuses unknown and overlapping version rows', () => {
    const g = branched();
    expect(codeOf(() => planUpgrade(g, ['zzz'], 'heads'))).toBe('UNKNOWN_VERSION_ROW');
    expect(codeOf(() => planUpgrade(g, ['a', 'd1'], 'heads'))).toBe('OVERLAPPING_ROWS');
    expect(() => planUpgrade(g, ['zzz'], 'heads')).toThrow(/'zzz'.*stamp/);
  });
});

describe('planDowngrade', () => {
  it('defaults to -1 from the single row', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
    ]);
    const plan = planDowngrade(g, ['b']);
    expect(order(plan)).toEqual(['b']);
    expect(plan.rowsAfter).toEqual(['a']);
  });

  it('refuses -1 with several rows and says to name the branch', () => {
    expect(codeOf(() => planDowngrade(branched(), ['d1', 'd2']))).toBe('AMBIGUOUS_RELATIVE');
    expect(() => planDowngrade(branched(), ['d1', 'd2'])).toThrow(/name the branch/);
  });

  it('reverts one branch with label@-N', () => {
    const plan = planDowngrade(branched(), ['d1', 'd2'], 'c1branch@-2');
    expect(order(plan)).toEqual(['d1', 'c1']);
    expect(plan.rowsAfter).toEqual(['d2']);
  });

  it('reverts every branch above a branch point, newest branch first', () => {
    const plan = planDowngrade(branched(), ['d1', 'd2'], 'b');
    expect(order(plan)).toEqual(['d2', 'c2', 'd1', 'c1']);
    expect(plan.rowsAfter).toEqual(['b']);
  });

  it('keeps other branches when downgrading to a revision on one of them', () => {
    const g = graphOf([
      ['root', []],
      ['ae10', ['root']],
      ['27c6', ['root']],
      ['53ff', ['ae10', '27c6']],
    ]);
    const plan = planDowngrade(g, ['53ff'], '27c6');
    expect(order(plan)).toEqual(['53ff']);
    expect(plan.rowsAfter).toEqual(['ae10', '27c6']);
  });

  it('label@rev reverts only the children of rev on that branch, and their dependents', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c1', ['b'], { labels: ['c1branch'] }],
      ['d1', ['c1']],
      ['c2', ['b'], { labels: ['c2branch'] }],
      ['d2', ['c2'], { deps: ['c1'] }],
    ]);
    const plan = planDowngrade(g, ['d1', 'd2'], 'c1branch@b');
    expect(new Set(order(plan))).toEqual(new Set(['d1', 'd2', 'c1']));
    expect(plan.rowsAfter).toEqual(['c2']);
  });

  it('label@base reverts only that branch, unlike Alembic', () => {
    const plan = planDowngrade(branched(), ['d1', 'd2'], 'c1branch@base');
    expect(order(plan)).toEqual(['d1', 'c1']);
    expect(plan.rowsAfter).toEqual(['d2']);
  });

  it('base reverts everything', () => {
    const plan = planDowngrade(branched(), ['d1', 'd2'], 'base');
    expect(order(plan)).toEqual(['d2', 'c2', 'd1', 'c1', 'b', 'a']);
    expect(plan.rowsAfter).toEqual([]);
    expect(replay(['d1', 'd2'], writesOf(plan) as never)).toEqual([]);
  });

  it('re-inserts a dependency root that nothing else stands on', () => {
    const g = graphOf([
      ['a', []],
      ['b', []],
      ['c', ['a'], { deps: ['b'] }],
    ]);
    const plan = planDowngrade(g, ['c'], 'a');
    expect(writesOf(plan)).toEqual([
      { kind: 'update', from: 'c', to: 'a' },
      { kind: 'insert', revision: 'b' },
    ]);
  });

  it('is a no-op at the target, and refuses targets above or beside the rows', () => {
    const g = branched();
    expect(planDowngrade(g, ['d1'], 'd1').steps).toEqual([]);
    expect(codeOf(() => planDowngrade(g, ['c1'], 'd1'))).toBe('INVALID_DOWNGRADE_TARGET');
    expect(codeOf(() => planDowngrade(g, ['d1'], 'c2'))).toBe('INVALID_DOWNGRADE_TARGET');
    expect(() => planDowngrade(g, ['d1'], 'c2')).toThrow(/not applied.*cairn upgrade/);
  });

  it('reports walking past base', () => {
    const g = graphOf([['a', []]]);
    expect(order(planDowngrade(g, ['a'], '-1'))).toEqual(['a']);
    expect(codeOf(() => planDowngrade(g, ['a'], '-2'))).toBe('RELATIVE_OVERWALK');
    expect(codeOf(() => planDowngrade(g, [], '-1'))).toBe('RELATIVE_OVERWALK');
  });

  it('refuses to walk down through a merge without a branch', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a']],
      ['b2', ['a']],
      ['m', ['b1', 'b2']],
    ]);
    expect(codeOf(() => planDowngrade(g, ['m'], '-2'))).toBe('AMBIGUOUS_WALK');
    const unmerge = planDowngrade(g, ['m'], '-1');
    expect(order(unmerge)).toEqual(['m']);
    expect(unmerge.rowsAfter).toEqual(['b1', 'b2']);
  });
});
