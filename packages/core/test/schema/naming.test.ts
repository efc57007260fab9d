import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALEMBIC_NAMING_CONVENTION,
  conventionName,
  DEFAULT_NAMING_CONVENTION,
  fitIdentifier,
  type NamedObjectKind,
} from '../../src/index.js';
import { checkColumns, identifierBytes, shortHash } from '../../src/schema/naming.js';

describe('conventionName', () => {
  it("gives PostgreSQL's own names by default", () => {
    expect(conventionName('pk', { table: 'users', columns: ['id'] })).toBe('users_pkey');
    expect(conventionName('uq', { table: 'users', columns: ['org_id', 'email'] })).toBe('users_org_id_email_key');
    expect(conventionName('ix', { table: 'users', columns: ['email'] })).toBe('users_email_idx');
    expect(conventionName('fk', { table: 'posts', columns: ['author_id'], referredTable: 'users' })).toBe(
      'posts_author_id_fkey',
    );
    expect(conventionName('ck', { table: 'orders', columns: ['qty'] })).toBe('orders_qty_check');
    expect(conventionName('ck', { table: 'orders', columns: [] })).toBe('orders_check');
  });

  it("follows Alembic's recommended convention when asked", () => {
    const fk = { table: 'posts', columns: ['author_id'], referredTable: 'users' };
    expect(conventionName('fk', fk, ALEMBIC_NAMING_CONVENTION)).toBe('fk_posts_author_id_users');
    expect(conventionName('pk', { table: 'users', columns: ['id'] }, ALEMBIC_NAMING_CONVENTION)).toBe('pk_users');
    expect(conventionName('ck', { table: 'orders', columns: [] }, ALEMBIC_NAMING_CONVENTION)).toBe('ck_orders');
  });

  it('shortens a long name to the limit with a hash, keeping the suffix', () => {
    const table = 'a_table_with_a_name_long_enough_to_need_shortening';
    const name = conventionName('fk', { table, columns: ['another_long_column_name'], referredTable: 'x' });
    expect(identifierBytes(name)).toBe(63);
    expect(name.endsWith('_fkey')).toBe(true);
    expect(name).toMatch(/_[0-9a-f]{8}_fkey$/);
    expect(conventionName('fk', { table, columns: ['another_long_column_name'], referredTable: 'x' })).toBe(name);
  });

  it('counts bytes, not characters, and never splits a character', () => {
    const name = fitIdentifier(`${'é'.repeat(40)}_idx`, 63, '_idx');
    expect(identifierBytes(name)).toBeLessThanOrEqual(63);
    expect(name).not.toContain('\uFFFD');
    expect(name).toMatch(/^é+_[0-9a-f]{8}_idx$/);
  });
});

describe('checkColumns', () => {
  it('finds the columns an expression names, in order, outside string literals', () => {
    expect(checkColumns(`"qty" > 0 AND price >= 0 AND status <> 'qty'`, ['price', 'qty', 'status'])).toEqual([
      'qty',
      'price',
      'status',
    ]);
    expect(checkColumns('length(name) > 0', ['id'])).toEqual([]);
  });
});

describe('the naming convention (property)', () => {
  const identifier = fc.stringMatching(/^[a-zé][a-z0-9_é]{0,40}$/);
  const kind = fc.constantFrom<NamedObjectKind>('pk', 'uq', 'ix', 'fk', 'ck');
  const parts = fc.record({
    table: identifier,
    columns: fc.array(identifier, { minLength: 1, maxLength: 4 }),
    referredTable: identifier,
  });

  it('always yields a name within the limit, the same for the same input', () => {
    fc.assert(
      fc.property(kind, parts, fc.integer({ min: 16, max: 128 }), (k, p, limit) => {
        const name = conventionName(k, p, DEFAULT_NAMING_CONVENTION, limit);
        expect(identifierBytes(name)).toBeLessThanOrEqual(limit);
        expect(conventionName(k, p, DEFAULT_NAMING_CONVENTION, limit)).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('yields distinct names for distinct full names', () => {
    fc.assert(
      fc.property(kind, parts, parts, (k, a, b) => {
        const full = (p: typeof a) => conventionName(k, p, DEFAULT_NAMING_CONVENTION, 100_000);
        fc.pre(full(a) !== full(b));
        expect(conventionName(k, a, DEFAULT_NAMING_CONVENTION, 30)).not.toBe(
          conventionName(k, b, DEFAULT_NAMING_CONVENTION, 30),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('hashes are 8 hex digits', () => {
    fc.assert(fc.property(fc.string(), (text) => /^[0-9a-f]{8}$/.test(shortHash(text))));
  });
});
