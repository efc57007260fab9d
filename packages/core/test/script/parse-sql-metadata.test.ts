import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import { parseSqlMetadata, splitSqlSections } from '../../src/script/parse-sql-metadata.js';

const FILE = 'migrations/20261122015630_ae1027a6acf0_add_a_column.sql';

const EXAMPLE = `-- cairn:revision ae1027a6acf0
-- cairn:downRevision 1975ea83b712
-- cairn:branchLabels shoppingcart
-- cairn:dependsOn c3d4e5f6a7b8
-- cairn:message add a column
-- cairn:createdAt 2026-11-22T01:56:30.000Z
-- cairn:transaction false

-- cairn:up
CREATE TABLE account (id integer primary key);

-- cairn:down
DROP TABLE account;
`;

const MINIMAL_HEADER = '-- cairn:revision r1\n-- cairn:downRevision\n';

function expectError(fn: () => unknown, code: string, field?: string): CairnError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CairnError);
  const error = caught as CairnError;
  expect(error.code).toBe(code);
  expect(error.message.startsWith(`${FILE}: `)).toBe(true);
  expect(error.details.file).toBe(FILE);
  if (field !== undefined) {
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
  }
  return error;
}

function expectMalformed(source: string, field?: string): CairnError {
  return expectError(() => parseSqlMetadata(FILE, source), 'MALFORMED_MIGRATION', field);
}

describe('parseSqlMetadata', () => {
  it('reads the documented example', () => {
    expect(parseSqlMetadata(FILE, EXAMPLE)).toEqual({
      revision: 'ae1027a6acf0',
      downRevision: ['1975ea83b712'],
      branchLabels: ['shoppingcart'],
      dependsOn: ['c3d4e5f6a7b8'],
      message: 'add a column',
      createdAt: '2026-11-22T01:56:30.000Z',
      transaction: false,
      file: FILE,
    });
  });

  it('applies defaults; an empty downRevision is a base', () => {
    expect(parseSqlMetadata(FILE, `${MINIMAL_HEADER}-- cairn:up\n`)).toEqual({
      revision: 'r1',
      downRevision: [],
      branchLabels: [],
      dependsOn: [],
      message: '',
      createdAt: '',
      transaction: true,
      file: FILE,
    });
  });

  it('splits lists on commas and/or whitespace', () => {
    const meta = parseSqlMetadata(
      FILE,
      '-- cairn:revision m1\n-- cairn:downRevision a1, b2  c3,d4\n-- cairn:branchLabels x,y\n-- cairn:dependsOn  p ,  q \n-- cairn:up\n',
    );
    expect(meta.downRevision).toEqual(['a1', 'b2', 'c3', 'd4']);
    expect(meta.branchLabels).toEqual(['x', 'y']);
    expect(meta.dependsOn).toEqual(['p', 'q']);
  });

  it('appends repeated message lines, keeping each line as written after one space', () => {
    const meta = parseSqlMetadata(
      FILE,
      `${MINIMAL_HEADER}-- cairn:message first line\n-- cairn:message\n-- cairn:message   indented "quoted" 'x'\n-- cairn:up\n`,
    );
    expect(meta.message).toBe('first line\n\n  indented "quoted" \'x\'');
  });

  it('allows blank lines, other comments and block comments in the header', () => {
    const source = `/*
 * Copyright notice
 */
-- a note for humans

  --cairn:revision r1
\t-- cairn:downRevision p1  \n/* one-line block */ -- and a trailing comment
-- cairn:up
SELECT 1;
`;
    expect(parseSqlMetadata(FILE, source)).toMatchObject({ revision: 'r1', downRevision: ['p1'] });
  });

  it('reads CRLF files and files with a BOM', () => {
    const crlf = EXAMPLE.replaceAll('\n', '\r\n');
    expect(parseSqlMetadata(FILE, crlf)).toEqual(parseSqlMetadata(FILE, EXAMPLE));
    expect(parseSqlMetadata(FILE, `\uFEFF${EXAMPLE}`)).toEqual(parseSqlMetadata(FILE, EXAMPLE));
    const message = parseSqlMetadata(
      FILE,
      `${MINIMAL_HEADER}-- cairn:message a\r\n-- cairn:message b\r\n-- cairn:up\r\n`,
    );
    expect(message.message).toBe('a\nb');
  });

  it('normalises createdAt like script migrations', () => {
    const meta = parseSqlMetadata(FILE, `${MINIMAL_HEADER}-- cairn:createdAt 2026-11-22T03:56:30+02:00\n-- cairn:up\n`);
    expect(meta.createdAt).toBe('2026-11-22T01:56:30.000Z');
  });

  it('reads transaction true', () => {
    expect(parseSqlMetadata(FILE, `${MINIMAL_HEADER}-- cairn:transaction true\n-- cairn:up\n`).transaction).toBe(true);
  });
});

describe('parseSqlMetadata: errors', () => {
  it('requires the downRevision line, even for a base', () => {
    const error = expectMalformed('-- cairn:revision r1\n-- cairn:up\n', 'downRevision');
    expect(error.message).toContain('first revision');
  });

  it('requires the revision line', () => {
    expectMalformed('-- cairn:downRevision\n-- cairn:up\n', 'revision');
    expectMalformed('-- cairn:revision\n-- cairn:downRevision\n-- cairn:up\n', 'revision');
  });

  it('requires -- cairn:up', () => {
    expectMalformed(MINIMAL_HEADER, 'up');
    expectMalformed('', 'up');
  });

  it.each(['revision', 'downRevision', 'branchLabels', 'dependsOn', 'createdAt', 'transaction'])(
    'reports a repeated %s line',
    (key) => {
      const value = key === 'transaction' ? 'false' : key === 'createdAt' ? '2026-01-01' : 'x1';
      const source = `${MINIMAL_HEADER}-- cairn:${key} ${value}\n-- cairn:${key} ${value}\n-- cairn:up\n`;
      expect(expectMalformed(source, key).message).toContain('more than once');
    },
  );

  it('reports an unknown key and suggests the closest one', () => {
    const typo = expectMalformed(`-- cairn:revision r1\n-- cairn:downRevison\n-- cairn:up\n`, 'downRevison');
    expect(typo.message).toContain("Did you mean 'downRevision'?");
    expect(typo.details.suggestion).toBe('downRevision');
    expect(expectMalformed(`${MINIMAL_HEADER}-- cairn:upp\n`, 'upp').details.suggestion).toBe('up');
    const far = expectMalformed(`${MINIMAL_HEADER}-- cairn:author me\n-- cairn:up\n`, 'author');
    expect(far.message).not.toContain('Did you mean');
  });

  it('reports a directive without a key', () => {
    expectMalformed(`${MINIMAL_HEADER}-- cairn: note\n-- cairn:up\n`);
  });

  it('reports a bad transaction value', () => {
    expectMalformed(`${MINIMAL_HEADER}-- cairn:transaction no\n-- cairn:up\n`, 'transaction');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:transaction\n-- cairn:up\n`, 'transaction');
  });

  it('reports a bad createdAt', () => {
    expectMalformed(`${MINIMAL_HEADER}-- cairn:createdAt tomorrow\n-- cairn:up\n`, 'createdAt');
  });

  it('reports duplicate list entries', () => {
    expectMalformed('-- cairn:revision r1\n-- cairn:downRevision a1, a1\n-- cairn:up\n', 'downRevision');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:branchLabels x y x\n-- cairn:up\n`, 'branchLabels');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:dependsOn d d\n-- cairn:up\n`, 'dependsOn');
  });

  it('validates the revision id and branch labels', () => {
    expectError(
      () => parseSqlMetadata(FILE, '-- cairn:revision a@b\n-- cairn:downRevision\n-- cairn:up\n'),
      'INVALID_REVISION_ID',
    );
    expectError(
      () => parseSqlMetadata(FILE, '-- cairn:revision heads\n-- cairn:downRevision\n-- cairn:up\n'),
      'INVALID_REVISION_ID',
    );
    expectError(
      () => parseSqlMetadata(FILE, `${MINIMAL_HEADER}-- cairn:branchLabels ok base\n-- cairn:up\n`),
      'INVALID_BRANCH_LABEL',
    );
  });

  it('reports SQL before -- cairn:up', () => {
    const error = expectMalformed(`${MINIMAL_HEADER}CREATE TABLE t (id int);\n-- cairn:up\n`);
    expect(error.message).toContain('line 3');
    expectMalformed(`${MINIMAL_HEADER}/* c */ SELECT 1;\n-- cairn:up\n`);
  });

  it('reports an unterminated header block comment', () => {
    expect(expectMalformed(`${MINIMAL_HEADER}/* never closed\n-- cairn:up\n`).message).toContain(
      'truncated or malformed',
    );
  });

  it('reports header lines after -- cairn:up', () => {
    expectMalformed(`${MINIMAL_HEADER}-- cairn:up\nSELECT 1;\n-- cairn:message late\n`, 'message');
  });

  it('reports repeated and misordered section markers', () => {
    expectMalformed(`${MINIMAL_HEADER}-- cairn:up\n-- cairn:up\n`, 'up');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:down\n-- cairn:up\n`, 'down');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:up\n-- cairn:down\n-- cairn:down\n`, 'down');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:up\n-- cairn:down\n-- cairn:up\n`, 'up');
    expectMalformed(`${MINIMAL_HEADER}-- cairn:up now\n`, 'up');
  });
});

describe('splitSqlSections', () => {
  it('returns the trimmed up and down bodies', () => {
    expect(splitSqlSections(FILE, EXAMPLE)).toEqual({
      up: 'CREATE TABLE account (id integer primary key);',
      down: 'DROP TABLE account;',
    });
  });

  it('keeps comments and blank lines inside a body', () => {
    const source = `${MINIMAL_HEADER}-- cairn:up\n\n-- create\nCREATE TABLE a (id int);\n\n-- and another\nCREATE TABLE b (id int);\n\n`;
    expect(splitSqlSections(FILE, source)).toEqual({
      up: '-- create\nCREATE TABLE a (id int);\n\n-- and another\nCREATE TABLE b (id int);',
      down: undefined,
    });
  });

  it('handles markers on the last line and empty sections', () => {
    expect(splitSqlSections(FILE, `${MINIMAL_HEADER}-- cairn:up`)).toEqual({ up: '', down: undefined });
    expect(splitSqlSections(FILE, `${MINIMAL_HEADER}-- cairn:up\n-- cairn:down`)).toEqual({ up: '', down: '' });
  });

  it('splits CRLF files', () => {
    const { up, down } = splitSqlSections(FILE, EXAMPLE.replaceAll('\n', '\r\n'));
    expect(up).toBe('CREATE TABLE account (id integer primary key);');
    expect(down).toBe('DROP TABLE account;');
  });

  it('validates the header too', () => {
    expectError(
      () => splitSqlSections(FILE, '-- cairn:revision r1\n-- cairn:up\n'),
      'MALFORMED_MIGRATION',
      'downRevision',
    );
  });
});

describe('parseSqlMetadata: robustness', () => {
  it('throws only CairnError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '-- cairn:',
            'up',
            'down',
            'revision',
            'downRevision',
            'message',
            ' ',
            '\n',
            '\r\n',
            '/*',
            '*/',
            'x',
            ',',
          ),
        }),
        (source) => {
          try {
            parseSqlMetadata(FILE, source);
          } catch (error) {
            expect(error).toBeInstanceOf(CairnError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
