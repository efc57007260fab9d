import { describe, expect, it } from 'vitest';
import { history } from '../../src/revision/history.js';
import { branched, codeOf, graphOf, headsDep } from './fixtures.js';

const ids = (entries: readonly { revision: string }[]) => entries.map((e) => e.revision);

describe('history', () => {
  it('lists everything newest first, each branch as one run', () => {
    expect(ids(history(branched()))).toEqual(['d2', 'c2', 'd1', 'c1', 'b', 'a']);
  });

  it('marks heads, branch points, merge points, labels and current rows', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a'], { labels: ['x'] }],
      ['b2', ['a']],
      ['m', ['b1', 'b2']],
    ]);
    const entries = history(g, { rows: ['b1', 'b2'] });
    const byId = Object.fromEntries(entries.map((e) => [e.revision, e]));
    expect(byId.m!.flags).toEqual(['head', 'mergepoint']);
    expect(byId.a!.flags).toEqual(['branchpoint']);
    expect(byId.b1!.flags).toEqual(['current']);
    expect(byId.b1!.branchLabels).toEqual(['x']);
    expect(byId.m!.branchLabels).toEqual(['x']);
    expect(byId.a!.children).toEqual(['b1', 'b2']);
  });

  it('marks an effective head', () => {
    const t3 = history(headsDep()).find((e) => e.revision === 't3')!;
    expect(t3.flags).toEqual(['effectiveHead']);
  });

  it('takes inclusive ranges', () => {
    const g = branched();
    expect(ids(history(g, { range: 'b:d1' }))).toEqual(['d1', 'c1', 'b']);
    expect(ids(history(g, { range: 'c2:' }))).toEqual(['d2', 'c2']);
    expect(ids(history(g, { range: ':c1' }))).toEqual(['c1', 'b', 'a']);
    expect(ids(history(g, { range: 'c2branch@base:' }))).toEqual(['d2', 'c2']);
    expect(codeOf(() => history(g, { range: 'b:+1' }))).toBe('AMBIGUOUS_WALK');
    expect(ids(history(g, { range: 'b:c1branch@+1' }))).toEqual(['c1', 'b']);
  });

  it('counts relative ends from the other end, clamping at base', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
      ['c', ['b']],
      ['d', ['c']],
    ]);
    expect(ids(history(g, { range: 'a:+2' }))).toEqual(['c', 'b', 'a']);
    expect(ids(history(g, { range: '-1:c' }))).toEqual(['c', 'b']);
    expect(ids(history(g, { range: '-9:c' }))).toEqual(['c', 'b', 'a']);
  });

  it('leaves out the other parents of a merge when starting on one branch', () => {
    const g = graphOf([
      ['a', []],
      ['b1', ['a']],
      ['b2', ['a']],
      ['m', ['b1', 'b2']],
    ]);
    expect(ids(history(g, { range: 'b2:' }))).toEqual(['m', 'b2']);
  });

  it('uses the rows for current', () => {
    const g = branched();
    expect(ids(history(g, { range: 'current:', rows: ['c1'] }))).toEqual(['d1', 'c1']);
    expect(codeOf(() => history(g, { range: 'current:' }))).toBe('USAGE');
  });

  it('refuses a range that runs downward or is not a range', () => {
    const g = branched();
    expect(codeOf(() => history(g, { range: 'd1:b' }))).toBe('INVALID_RANGE');
    expect(codeOf(() => history(g, { range: 'c2:d1' }))).toBe('INVALID_RANGE');
    expect(codeOf(() => history(g, { range: 'b' }))).toBe('INVALID_RANGE');
    expect(codeOf(() => history(g, { range: 'nope:' }))).toBe('UNKNOWN_REVISION');
  });
});
