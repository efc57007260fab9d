import { describe, expect, it } from 'vitest';
import type { CairnError } from '../../src/errors.js';
import { resolveAbsolute, resolveRef } from '../../src/revision/resolve.js';
import { parseTarget } from '../../src/revision/target.js';
import { branched, codeOf, graphOf } from './fixtures.js';

const g = graphOf([
  ['1975ea83b712', []],
  ['ae1027a6acf0', ['1975ea83b712']],
  ['27c6a30d7c24', ['1975ea83b712'], { labels: ['shoppingcart'] }],
  ['ae1099999999', ['ae1027a6acf0']],
  ['abranch00000', ['27c6a30d7c24']],
]);
const ids = (text: string) => g.ids(resolveAbsolute(g, parseTarget(text) as never, text));

describe('resolveRef', () => {
  it('finds exact ids, labels and unique prefixes of any length', () => {
    expect(g.id(resolveRef(g, '27c6a30d7c24'))).toBe('27c6a30d7c24');
    expect(g.id(resolveRef(g, 'shoppingcart'))).toBe('27c6a30d7c24');
    expect(g.id(resolveRef(g, '27c'))).toBe('27c6a30d7c24');
    expect(g.id(resolveRef(g, '2'))).toBe('27c6a30d7c24');
  });

  it('says a prefix is ambiguous and lists the candidates', () => {
    try {
      resolveRef(g, 'ae10');
      expect.unreachable();
    } catch (error) {
      expect((error as CairnError).code).toBe('AMBIGUOUS_REVISION');
      expect((error as CairnError).details.candidates).toEqual(['ae1027a6acf0', 'ae1099999999']);
      expect((error as CairnError).message).toMatch(/'ae1027a6acf0' and 'ae1099999999'.*more characters/);
    }
  });

  it('does not match label prefixes, unlike Alembic', () => {
    expect(codeOf(() => resolveRef(g, 'shopping'))).toBe('UNKNOWN_REVISION');
    expect(g.id(resolveRef(g, 'abr'))).toBe('abranch00000');
  });

  it('reports unknown references with what to run', () => {
    expect(() => resolveRef(g, 'zzz')).toThrow(/no revision matches 'zzz'.*cairn history/);
  });
});

describe('resolveAbsolute', () => {
  it('resolves head, heads, label@head, rev@head and base', () => {
    expect(ids('heads')).toEqual(['ae1099999999', 'abranch00000']);
    expect(ids('shoppingcart@head')).toEqual(['abranch00000']);
    expect(ids('ae1027a@head')).toEqual(['ae1099999999']);
    expect(ids('1975@heads')).toEqual(['ae1099999999', 'abranch00000']);
    expect(ids('base')).toEqual([]);
    expect(codeOf(() => ids('head'))).toBe('MULTIPLE_HEADS');
    expect(codeOf(() => ids('1975@head'))).toBe('MULTIPLE_HEADS');
  });

  it('checks label@rev membership', () => {
    expect(ids('shoppingcart@abr')).toEqual(['abranch00000']);
    expect(ids('shoppingcart@1975')).toEqual(['1975ea83b712']);
    expect(codeOf(() => ids('shoppingcart@ae1027'))).toBe('NOT_ON_BRANCH');
    expect(codeOf(() => ids('nolabel@head'))).toBe('UNKNOWN_BRANCH');
    expect(() => ids('nolabel@head')).toThrow(/the branch labels are 'shoppingcart'/);
  });

  it('finds the head of a branch through its labels on a branched graph', () => {
    const b = branched();
    expect(b.ids(resolveAbsolute(b, { kind: 'head', branch: 'c1branch' }))).toEqual(['d1']);
    expect(b.ids(resolveAbsolute(b, { kind: 'head', branch: 'c2' }))).toEqual(['d2']);
  });
});
