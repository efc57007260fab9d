import { describe, expect, it } from 'vitest';
import { RevisionGraph } from '../../src/revision/graph.js';
import { planMerge, planNewRevision } from '../../src/script/new-revision.js';
import { parseScriptMetadata } from '../../src/script/parse-script-metadata.js';
import { parseSqlMetadata } from '../../src/script/parse-sql-metadata.js';
import { branched, codeOf, graphOf, headsDep } from '../revision/fixtures.js';

const now = new Date(Date.UTC(2026, 10, 22, 1, 56, 30));

describe('planNewRevision', () => {
  it('starts a root in an empty project and names the file <UTC stamp>_<rev>_<slug>.ts', () => {
    const file = planNewRevision(RevisionGraph.from([]), {
      message: 'Create account table',
      revId: 'ae1027a6acf0',
      now,
    });
    expect(file.fileName).toBe('20261122015630_ae1027a6acf0_create_account_table.ts');
    expect(file.meta.downRevision).toEqual([]);
    expect(file.meta.createdAt).toBe('2026-11-22T01:56:30.000Z');
    const parsed = parseScriptMetadata(file.fileName, file.content);
    expect({ ...parsed, file: undefined }).toEqual({ ...file.meta, file: undefined });
  });

  it('builds on the single head by default, with a random 12-hex id', () => {
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
    ]);
    const file = planNewRevision(g, { message: 'x' });
    expect(file.meta.downRevision).toEqual(['b']);
    expect(file.meta.revision).toMatch(/^[0-9a-f]{12}$/);
  });

  it('writes SQL files with --sql-file', () => {
    const file = planNewRevision(RevisionGraph.from([]), { message: 'raw', revId: 'r1', sqlFile: true, now });
    expect(file.fileName.endsWith('.sql')).toBe(true);
    expect(parseSqlMetadata(file.fileName, file.content).revision).toBe('r1');
  });

  it('asks which head to build on when there are several', () => {
    expect(codeOf(() => planNewRevision(branched(), {}))).toBe('MULTIPLE_HEADS');
    expect(() => planNewRevision(branched(), {})).toThrow(/--head.*cairn merge heads/);
    expect(planNewRevision(branched(), { head: ['c1branch@head'] }).meta.downRevision).toEqual(['d1']);
    expect(planNewRevision(branched(), { head: ['base'] }).meta.downRevision).toEqual([]);
  });

  it('builds on the resolved head when another head is only depended on', () => {
    expect(planNewRevision(headsDep(), { head: ['q5'] }).meta.downRevision).toEqual(['q5']);
    expect(codeOf(() => planNewRevision(headsDep(), {}))).toBe('MULTIPLE_HEADS');
  });

  it('needs --splice to branch from a revision that is not a head', () => {
    expect(codeOf(() => planNewRevision(branched(), { head: ['b'] }))).toBe('NOT_A_HEAD');
    expect(() => planNewRevision(branched(), { head: ['b'] })).toThrow(/--splice/);
    expect(planNewRevision(branched(), { head: ['b'], splice: true }).meta.downRevision).toEqual(['b']);
  });

  it('refuses duplicate ids, duplicate parents, taken labels and bad names', () => {
    const g = branched();
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], revId: 'c2' }))).toBe('DUPLICATE_REVISION');
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], revId: 'c1branch' }))).toBe('DUPLICATE_REVISION');
    expect(codeOf(() => planNewRevision(g, { head: ['d1', 'd1'] }))).toBe('DUPLICATE_HEADS');
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], branchLabels: ['c2branch'] }))).toBe('LABEL_COLLISION');
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], branchLabels: ['d2'] }))).toBe('LABEL_COLLISION');
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], revId: 'bad-id' }))).toBe('INVALID_REVISION_ID');
    expect(codeOf(() => planNewRevision(g, { head: ['d1'], branchLabels: ['a@b'] }))).toBe('INVALID_BRANCH_LABEL');
  });

  it('expands dependency prefixes to full ids and keeps labels', () => {
    const g = graphOf([
      ['abcdef', []],
      ['x1', [], { labels: ['other'] }],
    ]);
    const file = planNewRevision(g, { head: ['abcdef'], dependsOn: ['abc', 'other'] });
    expect(file.meta.dependsOn).toEqual(['abcdef', 'other']);
    expect(codeOf(() => planNewRevision(g, { head: ['abcdef'], dependsOn: ['zzz'] }))).toBe('UNKNOWN_REVISION');
  });

  it('retries random ids that collide', () => {
    const ids = ['a', 'b', 'fresh'];
    const g = graphOf([
      ['a', []],
      ['b', ['a']],
    ]);
    expect(planNewRevision(g, { newId: () => ids.shift()! }).meta.revision).toBe('fresh');
  });
});

describe('planMerge', () => {
  it('merges heads into one revision', () => {
    const file = planMerge(branched(), ['heads'], { message: 'merge branches', revId: 'm1' });
    expect(file.meta.downRevision).toEqual(['d1', 'd2']);
    const after = RevisionGraph.from([...branched().revisions, file.meta]);
    expect(after.heads()).toEqual(['m1']);
  });

  it('defaults the message and merges named revisions in the order given', () => {
    const file = planMerge(branched(), ['d2', 'd1']);
    expect(file.meta.downRevision).toEqual(['d2', 'd1']);
    expect(file.meta.message).toBe('merge d2, d1');
  });

  it('refuses a merge of one revision or of overlapping ones', () => {
    const linear = graphOf([
      ['a', []],
      ['b', ['a']],
    ]);
    expect(codeOf(() => planMerge(linear, ['heads']))).toBe('NOTHING_TO_MERGE');
    expect(codeOf(() => planMerge(linear, ['a', 'b'], {}))).toBe('NOT_A_HEAD');
    expect(codeOf(() => planMerge(linear, ['a', 'b'], { splice: true }))).toBe('OVERLAPPING_TARGETS');
  });
});
