import { describe, expect, it } from 'vitest';
import { formatTarget, parseTarget } from '../../src/revision/target.js';
import { codeOf } from './fixtures.js';

describe('parseTarget', () => {
  it.each([
    ['head', { kind: 'head' }],
    ['heads', { kind: 'heads' }],
    ['base', { kind: 'base' }],
    ['current', { kind: 'current' }],
    ['ae10', { kind: 'revision', ref: 'ae10' }],
    ['shoppingcart@head', { kind: 'head', branch: 'shoppingcart' }],
    ['shoppingcart@heads', { kind: 'heads', branch: 'shoppingcart' }],
    ['shoppingcart@base', { kind: 'base', branch: 'shoppingcart' }],
    ['ae10@head', { kind: 'head', branch: 'ae10' }],
    ['L@ae10', { kind: 'revision', ref: 'ae10', branch: 'L' }],
    ['+2', { kind: 'relative', delta: 2 }],
    ['-1', { kind: 'relative', delta: -1 }],
    ['L@+3', { kind: 'relative', delta: 3, branch: 'L' }],
    ['L@-1', { kind: 'relative', delta: -1, branch: 'L' }],
    ['ae10+2', { kind: 'relative', delta: 2, anchor: { kind: 'revision', ref: 'ae10' } }],
    ['ae10-1', { kind: 'relative', delta: -1, anchor: { kind: 'revision', ref: 'ae10' } }],
    ['head-1', { kind: 'relative', delta: -1, anchor: { kind: 'head' } }],
    ['base+2', { kind: 'relative', delta: 2, anchor: { kind: 'base' } }],
    ['c2branch@base+3', { kind: 'relative', delta: 3, anchor: { kind: 'base' }, branch: 'c2branch' }],
    ['c1branch@head-1', { kind: 'relative', delta: -1, anchor: { kind: 'head' }, branch: 'c1branch' }],
    ['a:b', { kind: 'range', from: { kind: 'revision', ref: 'a' }, to: { kind: 'revision', ref: 'b' } }],
    [':head', { kind: 'range', to: { kind: 'head' } }],
    ['current:', { kind: 'range', from: { kind: 'current' } }],
    [':', { kind: 'range' }],
    ['-2:c', { kind: 'range', from: { kind: 'relative', delta: -2 }, to: { kind: 'revision', ref: 'c' } }],
    ['  head  ', { kind: 'head' }],
  ])('parses %j', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'a@b@c',
    '@head',
    'L@',
    'head@head',
    'a:b:c',
    '+0',
    'current+1',
    'L@current',
    'feature-x',
    'a+b',
    '+1x',
  ])('refuses %j with INVALID_TARGET', (text) => {
    expect(codeOf(() => parseTarget(text))).toBe('INVALID_TARGET');
  });

  it('names the bad target in its message', () => {
    expect(() => parseTarget('a@b@c')).toThrow(/'a@b@c' is not a valid revision target/);
  });

  it('formats what it parses back to the same text', () => {
    for (const text of [
      'head',
      'L@head',
      'ae10',
      'L@ae10',
      '+2',
      'L@-1',
      'ae10+2',
      'c2branch@base+3',
      'a:b',
      ':head',
      'current:',
      ':',
    ]) {
      expect(formatTarget(parseTarget(text))).toBe(text);
    }
  });
});
