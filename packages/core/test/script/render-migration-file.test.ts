import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESERVED_NAMES, type RevisionMeta } from '../../src/revision/revision.js';
import { parseScriptMetadata } from '../../src/script/parse-script-metadata.js';
import { parseSqlMetadata, splitSqlSections } from '../../src/script/parse-sql-metadata.js';
import { renderScriptMigration, renderSqlMigration } from '../../src/script/render-migration-file.js';

const META: RevisionMeta = {
  revision: 'ae1027a6acf0',
  downRevision: ['1975ea83b712'],
  branchLabels: ['shoppingcart'],
  dependsOn: ['c3d4e5f6a7b8'],
  message: 'add a column',
  createdAt: '2026-11-22T01:56:30.000Z',
  transaction: false,
};

const BASE: RevisionMeta = {
  revision: 'a1',
  downRevision: [],
  branchLabels: [],
  dependsOn: [],
  message: '',
  createdAt: '',
  transaction: true,
};

describe('renderScriptMigration', () => {
  it('writes the documented layout', () => {
    expect(renderScriptMigration(META)).toBe(`import { defineMigration } from '@cairn/core';

/** add a column */
export default defineMigration({
  revision: 'ae1027a6acf0',
  downRevision: '1975ea83b712',
  branchLabels: ['shoppingcart'],
  dependsOn: ['c3d4e5f6a7b8'],
  message: 'add a column',
  createdAt: '2026-11-22T01:56:30.000Z',
  transaction: false,

  async upgrade(ctx) {
    // ctx.op: the operation API; ctx.sql: parameterised raw SQL
  },

  async downgrade(ctx) {
    // ctx.op: the operation API; ctx.sql: parameterised raw SQL
  },
});
`);
  });

  it('imports defineMigration from another package when told', () => {
    expect(renderScriptMigration(BASE, { importFrom: 'cairn' })).toMatch(
      /^import \{ defineMigration \} from 'cairn';\n\n/,
    );
  });

  it('omits empty optional fields and the doc comment, and writes null for a base', () => {
    const source = renderScriptMigration(BASE);
    expect(source).not.toContain('/**');
    expect(source).toContain('  downRevision: null,\n');
    for (const field of ['branchLabels', 'dependsOn', 'message', 'createdAt', 'transaction']) {
      expect(source).not.toContain(field);
    }
  });

  it('writes a merge as an array', () => {
    expect(renderScriptMigration({ ...BASE, downRevision: ['a', 'b'] })).toContain("  downRevision: ['a', 'b'],\n");
  });

  it('writes a multi-line doc comment and escapes */ in it', () => {
    const source = renderScriptMigration({ ...BASE, message: 'first */ line\n\nthird' });
    expect(source).toContain('/**\n * first *\\/ line\n *\n * third\n */\n');
    expect(parseScriptMetadata('m.ts', source).message).toBe('first */ line\n\nthird');
  });

  it('escapes quotes, backslashes, control characters and lone surrogates', () => {
    const message = 'it\'s a \\ "test"\n\r\t\0\u2028\uFEFF\uD800 🚀 é';
    const source = renderScriptMigration({ ...BASE, message });
    expect(source).toContain(String.raw`message: 'it\'s a \\ "test"\n\r\t\x00\u2028\uFEFF\uD800 🚀 é',`);
    expect(parseScriptMetadata('m.ts', source).message).toBe(message);
  });
});

describe('renderSqlMigration', () => {
  it('writes the documented layout with placeholder sections', () => {
    expect(renderSqlMigration(META)).toBe(`-- cairn:revision ae1027a6acf0
-- cairn:downRevision 1975ea83b712
-- cairn:branchLabels shoppingcart
-- cairn:dependsOn c3d4e5f6a7b8
-- cairn:message add a column
-- cairn:createdAt 2026-11-22T01:56:30.000Z
-- cairn:transaction false

-- cairn:up
-- write the upgrade SQL here

-- cairn:down
-- write the downgrade SQL here
`);
  });

  it('always writes the downRevision line and one message line per line', () => {
    const source = renderSqlMigration({ ...BASE, downRevision: [], message: 'one\n\ntwo' });
    expect(source).toBe(`-- cairn:revision a1
-- cairn:downRevision
-- cairn:message one
-- cairn:message
-- cairn:message two

-- cairn:up
-- write the upgrade SQL here

-- cairn:down
-- write the downgrade SQL here
`);
    expect(splitSqlSections('m.sql', source)).toEqual({
      up: '-- write the upgrade SQL here',
      down: '-- write the downgrade SQL here',
    });
  });

  it('writes merges comma-separated', () => {
    expect(renderSqlMigration({ ...BASE, downRevision: ['a', 'b'] })).toContain('-- cairn:downRevision a, b\n');
  });
});

/** Characters that stress quoting, comments and line handling. */
const tricky = fc.constantFrom(
  "'",
  '"',
  '`',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\0',
  '*/',
  '/*',
  '${',
  '}',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '-- cairn:up',
  ' ',
  '🚀',
  'é',
);
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const message = fc.string({
  unit: fc.oneof(tricky, anyChar, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })),
});

/** Names `assertValidName` accepts, including characters that need quoting in TypeScript. */
const name = fc
  .string({ unit: fc.constantFrom(...'abcdef0123456789_.XYZ\'"\\$/é🚀'), minLength: 1, maxLength: 12 })
  .filter((n) => !RESERVED_NAMES.has(n));
const names = fc.uniqueArray(name, { maxLength: 4 });

const meta: fc.Arbitrary<RevisionMeta> = fc.record({
  revision: name,
  downRevision: names,
  branchLabels: names,
  dependsOn: names,
  message,
  createdAt: fc.oneof(
    fc.constant(''),
    fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  ),
  transaction: fc.boolean(),
});

describe('round trip: render then parse gives back the metadata', () => {
  it('TypeScript', () => {
    fc.assert(
      fc.property(meta, (m) => {
        expect(parseScriptMetadata('m.ts', renderScriptMigration(m))).toEqual({ ...m, file: 'm.ts' });
      }),
      { numRuns: 500 },
    );
  });

  it('SQL (line breaks in the message become LF)', () => {
    fc.assert(
      fc.property(meta, (m) => {
        const expected = { ...m, message: m.message.replace(/\r\n?/g, '\n'), file: 'm.sql' };
        expect(parseSqlMetadata('m.sql', renderSqlMigration(m))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
