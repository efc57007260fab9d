import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import {
  isMigrationFileName,
  MIGRATION_EXTENSIONS,
  migrationFileName,
  parseMigrationFileName,
  slugify,
} from '../../src/script/file-name.js';

describe('isMigrationFileName', () => {
  it.each([
    '20261122015630_ae1027a6acf0_add_a_column.ts',
    'x.mts',
    'x.js',
    'x.mjs',
    'create_tables.sql',
    'testing.ts',
    'a_test.ts',
  ])('accepts %s', (name) => {
    expect(isMigrationFileName(name)).toBe(true);
  });

  it.each([
    '.hidden.ts',
    '.#lock.ts',
    '_draft.ts',
    '__init__.ts',
    'types.d.ts',
    'types.d.mts',
    'x.test.ts',
    'x.spec.ts',
    'x.test.mjs',
    'x.spec.js',
    'README.md',
    'x.tsx',
    'x.cts',
    'x.json',
    'x.ts.bak',
    'x.ts~',
    'ts',
  ])('rejects %s', (name) => {
    expect(isMigrationFileName(name)).toBe(false);
  });

  it('lists the extensions', () => {
    expect(MIGRATION_EXTENSIONS).toEqual(['.ts', '.mts', '.js', '.mjs', '.sql']);
  });
});

describe('slugify', () => {
  it.each([
    ['Add a column', 'add_a_column'],
    ['add phone to account!', 'add_phone_to_account'],
    ["  it's   a -- test  ", 'it_s_a_test'],
    ['snake_case__kept', 'snake_case__kept'],
    ['añadir teléfono', 'a_adir_tel_fono'],
    ['日本語', ''],
    ['', ''],
    ['!!!', ''],
    ['multi\nline\r\nmessage', 'multi_line_message'],
    ['this is a really long name with lots of characters in it', 'this_is_a_really_long_name_with_lots_of_'],
    ['a'.repeat(50), `${'a'.repeat(40)}_`],
    ['exactly forty characters long ok abcdefg', 'exactly_forty_characters_long_ok_abcdefg'],
  ])('%j → %j', (message, slug) => {
    expect(slugify(message)).toBe(slug);
  });

  it('keeps slugs of at most 40 characters plus the trailing underscore', () => {
    expect(slugify('word '.repeat(30)).length).toBeLessThanOrEqual(41);
  });
});

describe('migrationFileName', () => {
  const createdAt = new Date('2026-11-22T01:56:30.123Z');

  it('names a file <UTC timestamp>_<revision>_<slug>.<ext>', () => {
    expect(migrationFileName({ createdAt, revision: 'ae1027a6acf0', message: 'Add a column', ext: '.ts' })).toBe(
      '20261122015630_ae1027a6acf0_add_a_column.ts',
    );
  });

  it('accepts the extension with or without its dot', () => {
    expect(migrationFileName({ createdAt, revision: 'r1', message: 'x', ext: 'sql' })).toBe('20261122015630_r1_x.sql');
    expect(migrationFileName({ createdAt, revision: 'r1', message: 'x', ext: '.mjs' })).toBe('20261122015630_r1_x.mjs');
  });

  it('drops the slug when the message has none', () => {
    expect(migrationFileName({ createdAt, revision: 'r1', message: '', ext: '.ts' })).toBe('20261122015630_r1.ts');
    expect(migrationFileName({ createdAt, revision: 'r1', message: '¿?', ext: '.sql' })).toBe('20261122015630_r1.sql');
  });

  it('uses UTC whatever the offset the date was written with', () => {
    const date = new Date('2026-01-01T00:30:00+02:00');
    expect(migrationFileName({ createdAt: date, revision: 'r1', message: 'm', ext: '.ts' })).toBe(
      '20251231223000_r1_m.ts',
    );
  });

  it('pads every field', () => {
    const date = new Date(Date.UTC(987, 0, 2, 3, 4, 5));
    expect(migrationFileName({ createdAt: date, revision: 'r1', message: '', ext: '.ts' })).toBe(
      '09870102030405_r1.ts',
    );
  });

  it('rejects an invalid date and a revision that cannot be part of a file name', () => {
    expect(() => migrationFileName({ createdAt: new Date('nope'), revision: 'r1', message: '', ext: '.ts' })).toThrow(
      CairnError,
    );
    for (const revision of ['a/b', 'a\\b', 'a-b', '', 'head']) {
      let caught: unknown;
      try {
        migrationFileName({ createdAt, revision, message: '', ext: '.ts' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CairnError);
      expect((caught as CairnError).code).toBe('INVALID_REVISION_ID');
    }
  });
});

describe('parseMigrationFileName', () => {
  it('reads the parts of a generated name', () => {
    expect(parseMigrationFileName('20261122015630_ae1027a6acf0_add_a_column.ts')).toEqual({
      timestamp: '2026-11-22T01:56:30.000Z',
      revision: 'ae1027a6acf0',
      slug: 'add_a_column',
    });
    expect(parseMigrationFileName('20261122015630_r1.sql')).toEqual({
      timestamp: '2026-11-22T01:56:30.000Z',
      revision: 'r1',
      slug: '',
    });
    expect(parseMigrationFileName('00500102030405_r.v2_slug_.mjs')).toEqual({
      timestamp: '0050-01-02T03:04:05.000Z',
      revision: 'r.v2',
      slug: 'slug_',
    });
  });

  it('round-trips migrationFileName', () => {
    const createdAt = new Date('2031-07-09T23:05:59Z');
    const name = migrationFileName({ createdAt, revision: 'c0ffee', message: 'Create the users table', ext: '.mts' });
    expect(parseMigrationFileName(name)).toEqual({
      timestamp: createdAt.toISOString(),
      revision: 'c0ffee',
      slug: 'create_the_users_table',
    });
  });

  it.each([
    'add_a_column.ts',
    'ae1027a6acf0_add_a_column.ts',
    '2026112201563_r1_x.ts',
    '20261122015630.ts',
    '20261122015630_.ts',
    '20261122015630r1.ts',
    '20261322015630_r1_x.ts',
    '20260230015630_r1_x.ts',
    '20261122245630_r1_x.ts',
    '20261122016030_r1_x.ts',
    '20261122015630_r1_x.d.ts',
    '20261122015630_r1_x.test.ts',
    '20261122015630_r1_x.md',
  ])('returns undefined for %s', (name) => {
    expect(parseMigrationFileName(name)).toBeUndefined();
  });
});
