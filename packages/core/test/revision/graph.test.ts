import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import { RevisionGraph } from '../../src/revision/graph.js';
import { branched, codeOf, graphOf, headsDep, metas } from './fixtures.js';

describe('classification', () => {
  it('finds heads, bases, branch points and merge points', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a']],
      ['b2', ['a']],
      ['c', ['b1', 'b2']],
      ['x', []],
    ]);
    expect(g.heads()).toEqual(['c', 'x']);
    expect(g.bases()).toEqual(['a', 'x']);
    expect(g.branchPoints()).toEqual(['a']);
    expect(g.mergePoints()).toEqual(['c']);
  });

  it('tells plain heads from resolved and effective heads (HEADSDEP)', () => {
    const g = headsDep();
    expect(g.heads()).toEqual(['q5', 'a4', 't3']);
    expect(g.resolvedHeads()).toEqual(['q5', 'a4']);
    const t3 = g.indexOf('t3')!;
    expect(g.isEffectiveHead(t3)).toBe(true);
    expect(g.isResolvedHead(t3)).toBe(false);
  });

  it('counts a revision with only dependencies as a base', () => {
    const g = graphOf([
      ['a', []],
      ['b', [], { deps: ['a'] }],
    ]);
    expect(g.bases()).toEqual(['a', 'b']);
    expect(g.heads()).toEqual(['a', 'b']);
    expect(g.resolvedHeads()).toEqual(['b']);
  });

  it('orders revisions by creation time, then id, whatever the input order', () => {
    const rows = metas([
      ['zz', []],
      ['aa', []],
    ]);
    const sameTime = rows.map((r) => ({ ...r, createdAt: '2026-01-01T00:00:00Z' }));
    expect(RevisionGraph.from(sameTime).heads()).toEqual(['aa', 'zz']);
    expect(RevisionGraph.from([...rows].reverse()).heads()).toEqual(['zz', 'aa']);
    // The same instant written two ways is the same time.
    const mixed = [
      { ...rows[0]!, createdAt: '2026-01-01T00:00:00.000Z' },
      { ...rows[1]!, createdAt: '2026-01-01T00:00:00Z' },
    ];
    expect(RevisionGraph.from(mixed).heads()).toEqual(['aa', 'zz']);
  });

  it('handles an empty graph', () => {
    const g = RevisionGraph.from([]);
    expect(g.heads()).toEqual([]);
    expect(g.bases()).toEqual([]);
  });
});

describe('validation', () => {
  it('refuses duplicate ids, naming both files', () => {
    const rows = metas([
      ['a', []],
      ['b', ['a']],
    ]);
    const dup = { ...rows[1]!, revision: 'a', downRevision: [], file: 'migrations/other.ts' };
    const error = catchError(() => RevisionGraph.from([...rows, dup]));
    expect(error.code).toBe('DUPLICATE_REVISION');
    expect(error.message).toContain('migrations/a.ts');
    expect(error.message).toContain('migrations/other.ts');
  });

  it('refuses self-loops in parents and dependencies', () => {
    expect(codeOf(() => graphOf([['a', ['a']]]))).toBe('SELF_LOOP');
    expect(codeOf(() => graphOf([['a', [], { deps: ['a'] }]]))).toBe('DEPENDENCY_SELF_LOOP');
    expect(codeOf(() => graphOf([['a', [], { labels: ['L'], deps: ['L'] }]]))).toBe('DEPENDENCY_SELF_LOOP');
  });

  it('refuses unknown parents and dependencies, naming the file', () => {
    const parent = catchError(() => graphOf([['a', ['nope']]]));
    expect(parent.code).toBe('UNKNOWN_PARENT');
    expect(parent.message).toContain('migrations/a.ts');
    expect(parent.message).toContain("'nope'");
    expect(codeOf(() => graphOf([['a', [], { deps: ['nope'] }]]))).toBe('UNKNOWN_DEPENDENCY');
  });

  it('refuses label collisions with labels and with ids', () => {
    expect(
      codeOf(() =>
        graphOf([
          ['a', [], { labels: ['L'] }],
          ['b', ['a'], { labels: ['L'] }],
        ]),
      ),
    ).toBe('LABEL_COLLISION');
    expect(
      codeOf(() =>
        graphOf([
          ['a', []],
          ['b', ['a'], { labels: ['a'] }],
        ]),
      ),
    ).toBe('LABEL_COLLISION');
  });

  it('refuses forbidden characters and reserved words in ids and labels', () => {
    const error = catchError(() => graphOf([['no@at-signs', []]]));
    expect(error.code).toBe('INVALID_REVISION_ID');
    expect(error.message).toContain("'-', '@'");
    for (const bad of ['a:b', 'a+b', 'a b', 'a,b', 'head', 'heads', 'base', 'current', '']) {
      expect(codeOf(() => graphOf([[bad, []]]))).toBe('INVALID_REVISION_ID');
      expect(codeOf(() => graphOf([['x', [], { labels: [bad] }]]))).toBe('INVALID_BRANCH_LABEL');
    }
  });

  it('reports the revisions on a cycle, not those merely attached to it', () => {
    const error = catchError(() =>
      graphOf([
        ['a', []],
        ['b', ['a']],
        ['c', ['b', 'e']],
        ['d', ['c']],
        ['e', ['d']],
        ['f', ['e']],
      ]),
    );
    expect(error.code).toBe('CYCLE');
    expect(error.details.revisions).toEqual(['c', 'd', 'e']);
    expect(error.message).toContain('migrations/c.ts');
  });

  it('reports a graph that is all cycle', () => {
    const error = catchError(() =>
      graphOf([
        ['a', ['b']],
        ['b', ['a']],
      ]),
    );
    expect(error.code).toBe('CYCLE');
    expect(error.details.revisions).toEqual(['a', 'b']);
  });

  it('reports cycles that close only through dependencies', () => {
    const error = catchError(() =>
      graphOf([
        ['a', [], { deps: ['c'] }],
        ['b', ['a']],
        ['c', ['b']],
      ]),
    );
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.details.revisions).toEqual(['a', 'b', 'c']);
  });
});

describe('branch labels', () => {
  it('propagates a label to its branch and its descendants, stopping at the next label', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c1', ['b']],
      ['d1', ['c1'], { labels: ['one'] }],
      ['e1', ['d1']],
      ['f1', ['e1'], { labels: ['later'] }],
      ['c2', ['b']],
    ]);
    const labels = (id: string) => g.propagatedLabels(g.indexOf(id)!);
    expect(labels('a')).toEqual([]);
    expect(labels('b')).toEqual([]);
    expect(labels('c1')).toEqual(['one']);
    expect(labels('d1')).toEqual(['one']);
    expect(labels('e1')).toEqual(['one']);
    expect(labels('f1')).toEqual(['later']);
    expect(labels('c2')).toEqual([]);
  });

  it('gives a straight line its label all the way down', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c', ['b'], { labels: ['L'] }],
      ['d', ['c']],
    ]);
    for (const id of ['a', 'b', 'c', 'd']) expect(g.propagatedLabels(g.indexOf(id)!)).toEqual(['L']);
    expect(g.id(g.branchRoot(g.indexOf('c')!))).toBe('a');
  });

  it('gives a merge of two labelled branches both labels', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a'], { labels: ['x'] }],
      ['b2', ['a'], { labels: ['y'] }],
      ['m', ['b1', 'b2']],
    ]);
    expect(g.propagatedLabels(g.indexOf('m')!)).toEqual(['x', 'y']);
    expect(g.propagatedLabels(g.indexOf('a')!)).toEqual([]);
  });

  it('does not carry labels across dependencies', () => {
    const g = graphOf([
      ['a', [], { labels: ['L'] }],
      ['b', [], { deps: ['a'] }],
    ]);
    expect(g.propagatedLabels(g.indexOf('b')!)).toEqual([]);
  });

  it('finds the root of a branch: down to the branch point, a merge or another label', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c1', ['b']],
      ['d1', ['c1'], { labels: ['one'] }],
      ['c2', ['b']],
    ]);
    expect(g.id(g.branchRoot(g.indexOf('d1')!))).toBe('c1');
    expect(branched().id(branched().branchRoot(branched().indexOf('c1')!))).toBe('c1');
    const m = graphOf([
      ['a', []],
      ['b', []],
      ['m', ['a', 'b']],
      ['l', ['m'], { labels: ['L'] }],
    ]);
    expect(m.id(m.branchRoot(m.indexOf('l')!))).toBe('l');
  });
});

describe('applyOrder', () => {
  it('applies parents before children and branches one after another, oldest first', () => {
    const g = branched();
    const all = new Uint8Array(g.size).fill(1);
    expect(g.ids(g.applyOrder(all, g.headIndexes()))).toEqual(['a', 'b', 'c1', 'd1', 'c2', 'd2']);
  });

  it('walks a 20,000-revision chain without recursion', () => {
    const rows: [string, string[]][] = [];
    for (let i = 0; i < 20_000; i++) rows.push([`r${i}`, i === 0 ? [] : [`r${i - 1}`]]);
    const g = graphOf(rows);
    const order = g.applyOrder(new Uint8Array(g.size).fill(1), g.headIndexes());
    expect(order.length).toBe(20_000);
    expect(g.id(order[0]!)).toBe('r0');
    expect(g.id(order[19_999]!)).toBe('r19999');
  });
});

function catchError(fn: () => unknown): CairnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CairnError) return error;
    throw error;
  }
  throw new Error('expected a CairnError');
}
