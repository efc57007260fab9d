import { describe, expect, it } from 'vitest';
import { writeKnownGraph } from './fixtures.js';
import { cairn, ok, tempDir } from './helpers.js';

/** A fresh directory holding the known graph (see fixtures.ts). */
function known(): string {
  const dir = tempDir();
  writeKnownGraph(dir);
  return dir;
}

const HISTORY = [
  'e6 (audit) -> y8 (shop) (head), use audit',
  '<base> -> x7 (audit) (effective head), audit log',
  'm5 -> e6 (shop), after merge',
  'b2, d4 -> m5 (shop) (mergepoint), merge branches',
  'c3 -> d4 (shop), orders',
  'a1 -> c3 (shop), shopping cart',
  'a1 -> b2, add column',
  '<base> -> a1 (branchpoint), create account',
  '',
].join('\n');

describe('heads', () => {
  it('lists plain heads, marking a head that another revision depends on as (effective head)', () => {
    expect(ok(known(), ['heads'])).toBe('x7 (audit) (effective head)\ny8 (shop) (head)\n');
  });

  it('--resolve-dependencies leaves out effective heads', () => {
    expect(ok(known(), ['heads', '--resolve-dependencies'])).toBe('y8 (shop) (head)\n');
  });

  it('-v prints the verbose block of each head', () => {
    expect(ok(known(), ['heads', '-v'])).toBe(
      [
        'Rev: x7 (head)',
        'Parent: <base>',
        'Branch names: audit',
        'Path: migrations/20260101000007_x7_audit_log.sql',
        '',
        '    audit log',
        '',
        'Rev: y8 (head)',
        'Parent: e6',
        'Also depends on: audit',
        'Branch names: shop',
        'Path: migrations/20260101000008_y8_use_audit.ts',
        '',
        '    use audit',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--json prints {"heads": [...]}', () => {
    const dir = known();
    expect(JSON.parse(ok(dir, ['heads', '--json']))).toEqual({ heads: ['x7', 'y8'] });
    expect(JSON.parse(ok(dir, ['--json', 'heads', '--resolve-dependencies']))).toEqual({ heads: ['y8'] });
  });

  it('prints nothing for a project without revisions', () => {
    const dir = tempDir();
    ok(dir, ['init']);
    expect(ok(dir, ['heads'])).toBe('');
    expect(JSON.parse(ok(dir, ['heads', '--json']))).toEqual({ heads: [] });
  });
});

describe('history', () => {
  it("prints Alembic's short lines, newest first", () => {
    expect(ok(known(), ['history'])).toBe(HISTORY);
  });

  it('-r FROM:TO limits the range (both ends included)', () => {
    expect(ok(known(), ['history', '-r', 'c3:e6'])).toBe(
      [
        'm5 -> e6 (shop), after merge',
        'b2, d4 -> m5 (shop) (mergepoint), merge branches',
        'c3 -> d4 (shop), orders',
        'a1 -> c3 (shop), shopping cart',
        '',
      ].join('\n'),
    );
    expect(ok(known(), ['history', '--rev-range=:b2'])).toBe(
      'a1 -> b2, add column\n<base> -> a1 (branchpoint), create account\n',
    );
  });

  it('-v prints verbose blocks, with every line of a long message indented', () => {
    const out = ok(known(), ['history', '-v', '-r', 'a1:c3']);
    expect(out).toBe(
      [
        'Rev: c3',
        'Parent: a1',
        'Branch names: shop',
        'Path: migrations/20260101000003_c3_shopping_cart.ts',
        '',
        '    shopping cart',
        '    ',
        '    Carts and their items.',
        '',
        'Rev: a1 (branchpoint)',
        'Parent: <base>',
        'Branches into: b2, c3',
        'Path: migrations/20260101000001_a1_create_account.ts',
        '',
        '    create account',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--json prints {"revisions": [...]} with the documented fields', () => {
    const { revisions } = JSON.parse(ok(known(), ['history', '--json'])) as { revisions: Record<string, unknown>[] };
    expect(revisions.map((r) => r.revision)).toEqual(['y8', 'x7', 'e6', 'm5', 'd4', 'c3', 'b2', 'a1']);
    expect(revisions[0]).toEqual({
      revision: 'y8',
      downRevision: ['e6'],
      dependsOn: ['audit'],
      branchLabels: ['shop'],
      message: 'use audit',
      createdAt: '2026-01-01T00:00:08.000Z',
      flags: ['head'],
    });
    expect(revisions[3]).toMatchObject({ revision: 'm5', downRevision: ['b2', 'd4'], flags: ['mergepoint'] });
    expect(revisions[7]).toMatchObject({ revision: 'a1', flags: ['branchpoint'] });
  });

  it('a range that does not run upward fails with exit 1', () => {
    const result = cairn(known(), ['history', '-r', 'e6:a1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: .*e6:a1/);
  });
});

describe('branches', () => {
  it("prints each branch point and its children in Alembic's layout", () => {
    expect(ok(known(), ['branches'])).toBe('a1 (branchpoint)\n   -> b2\n   -> c3 (shop)\n\n');
  });

  it('-v prints the branch point block and each branch with its message', () => {
    expect(ok(known(), ['branches', '-v'])).toBe(
      [
        'Rev: a1 (branchpoint)',
        'Parent: <base>',
        'Branches into: b2, c3',
        'Path: migrations/20260101000001_a1_create_account.ts',
        '',
        '    create account',
        '',
        '   -> b2, add column',
        '   -> c3 (shop), shopping cart',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--json lists branch points with their children', () => {
    expect(JSON.parse(ok(known(), ['branches', '--json']))).toEqual({
      branchPoints: [{ revision: 'a1', children: ['b2', 'c3'] }],
    });
  });
});

describe('show', () => {
  it('prints the verbose block of a merge point', () => {
    expect(ok(known(), ['show', 'm5'])).toBe(
      [
        'Rev: m5 (mergepoint)',
        'Merges: b2, d4',
        'Branch names: shop',
        'Path: migrations/20260101000005_m5_merge_branches.ts',
        '',
        '    merge branches',
        '',
        '',
      ].join('\n'),
    );
  });

  it('resolves branch labels, label@head and heads (several blocks)', () => {
    const dir = known();
    expect(ok(dir, ['show', 'audit'])).toMatch(/^Rev: x7 \(head\)\n/);
    expect(ok(dir, ['show', 'shop@head'])).toMatch(/^Rev: y8 \(head\)\n/);
    expect(ok(dir, ['show', 'heads'])).toMatch(/^Rev: y8 \(head\)\n/);
  });

  it('--json includes the file', () => {
    expect(JSON.parse(ok(known(), ['show', 'x7', '--json']))).toEqual({
      revisions: [
        {
          revision: 'x7',
          downRevision: [],
          dependsOn: [],
          branchLabels: ['audit'],
          message: 'audit log',
          createdAt: '2026-01-01T00:00:07.000Z',
          flags: ['effectiveHead'],
          file: 'migrations/20260101000007_x7_audit_log.sql',
        },
      ],
    });
  });

  it('an unknown revision is a CairnError: exit 1, FAILED on stderr, nothing on stdout', () => {
    const result = cairn(known(), ['show', 'nonexistent']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^FAILED: no revision matches 'nonexistent'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown revision with --json is one error object on stdout', () => {
    const result = cairn(known(), ['show', 'nonexistent', '--json']);
    expect(result.status).toBe(1);
    const parsed = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe('UNKNOWN_REVISION');
    expect(parsed.error.message).toContain('nonexistent');
  });

  it('base names no revision file', () => {
    const result = cairn(known(), ['show', 'base']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: 'base' does not name a revision file/);
  });
});
