import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import { closestName, parseScriptMetadata } from '../../src/script/parse-script-metadata.js';

const FILE = 'migrations/20261122015630_ae1027a6acf0_add_a_column.ts';

/** A migration whose object literal body is `fields`. */
function migration(fields: string, before = "import { defineMigration } from '@cairn/core';\n\n"): string {
  return `${before}export default defineMigration({\n${fields}\n});\n`;
}

const BASIC = "  revision: 'ae1027a6acf0',\n  downRevision: null,";

function parse(source: string) {
  return parseScriptMetadata(FILE, source);
}

/** Runs `fn`, expects a `CairnError` with `code`, and checks the file (and field) are named. */
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
    expect(error.message).toContain(`'${field}'`);
  }
  return error;
}

function expectMalformed(source: string, field?: string): CairnError {
  return expectError(() => parse(source), 'MALFORMED_MIGRATION', field);
}

describe('parseScriptMetadata: reading metadata', () => {
  it('reads the documented example', () => {
    const source = `import { defineMigration } from '@cairn/core';

export default defineMigration({
  revision: 'ae1027a6acf0',
  downRevision: '1975ea83b712',
  branchLabels: ['shoppingcart'],
  dependsOn: ['c3d4e5f6a7b8'],
  message: 'add a column',
  createdAt: '2026-11-22T01:56:30.000Z',
  transaction: false,
  async upgrade({ op }) {
    await op.addColumn('account', { name: 'phone', type: 'text' });
  },
  async downgrade(ctx) {
    await ctx.op.dropColumn('account', 'phone');
  },
});
`;
    expect(parse(source)).toEqual({
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

  it('applies defaults and normalises null and empty values to empty lists', () => {
    expect(parse(migration(BASIC))).toEqual({
      revision: 'ae1027a6acf0',
      downRevision: [],
      branchLabels: [],
      dependsOn: [],
      message: '',
      createdAt: '',
      transaction: true,
      file: FILE,
    });
    const meta = parse(migration("revision: 'a1', downRevision: '', branchLabels: '', dependsOn: null"));
    expect(meta.downRevision).toEqual([]);
    expect(meta.branchLabels).toEqual([]);
    expect(meta.dependsOn).toEqual([]);
  });

  it('reads a merge, single-string lists, trailing commas and transaction: true', () => {
    const meta = parse(
      migration(
        "revision: 'm1', downRevision: ['a1', 'b2',], branchLabels: 'cart', dependsOn: 'c3', transaction: true,",
      ),
    );
    expect(meta.downRevision).toEqual(['a1', 'b2']);
    expect(meta.branchLabels).toEqual(['cart']);
    expect(meta.dependsOn).toEqual(['c3']);
    expect(meta.transaction).toBe(true);
  });

  it('accepts quoted keys, double quotes, template literals without substitutions and `as const`', () => {
    const meta = parse(
      migration(`'revision': "r1", "downRevision": \`p1\`, branchLabels: ['x', "y", \`z\`] as const, message: \`multi
line\``),
    );
    expect(meta.revision).toBe('r1');
    expect(meta.downRevision).toEqual(['p1']);
    expect(meta.branchLabels).toEqual(['x', 'y', 'z']);
    expect(meta.message).toBe('multi\nline');
  });

  it('decodes every escape sequence', () => {
    const meta = parse(
      migration(
        String.raw`revision: 'r1', downRevision: null, message: 'a\nb\tc\rd\\e\'f\"g\0h\x41\u0042\u{1F600}\u{43}\v\b\fi\qj'`,
      ),
    );
    expect(meta.message).toBe('a\nb\tc\rd\\e\'f"g\0hAB\u{1F600}C\v\b\fiqj');
  });

  it('drops line continuations (LF and CRLF) in strings and templates', () => {
    const meta = parse(migration("revision: 'r1', downRevision: null, message: 'one \\\ntwo \\\r\nthree'"));
    expect(meta.message).toBe('one two three');
    const template = parse(migration("revision: 'r1', downRevision: null, message: `a\\\nb`"));
    expect(template.message).toBe('ab');
  });

  it('normalises CR and CRLF line breaks inside template literals to LF', () => {
    const meta = parse(migration("revision: 'r1', downRevision: null, message: `one\r\ntwo\rthree`"));
    expect(meta.message).toBe('one\ntwo\nthree');
  });

  it('keeps unicode text as written', () => {
    const meta = parse(migration("revision: 'r1', downRevision: null, message: 'añadir 列 🚀 \u2028 ok'"));
    expect(meta.message).toBe('añadir 列 🚀 \u2028 ok');
  });

  it('normalises createdAt to UTC ISO form', () => {
    const at = (value: string) =>
      parse(migration(`revision: 'r1', downRevision: null, createdAt: '${value}'`)).createdAt;
    expect(at('2026-11-22T01:56:30.000Z')).toBe('2026-11-22T01:56:30.000Z');
    expect(at('2026-11-22T03:56:30+02:00')).toBe('2026-11-22T01:56:30.000Z');
    expect(at('2026-11-22')).toBe('2026-11-22T00:00:00.000Z');
    expect(at('2026-11-22T01:56Z')).toBe('2026-11-22T01:56:00.000Z');
    expect(at('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(at('2026-11-22T01:56:30.1234Z')).toBe('2026-11-22T01:56:30.123Z');
    expect(at('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(at('2026-11-22T01:56:30.1234Z')).toBe('2026-11-22T01:56:30.123Z');
  });

  it('reads a file with CRLF line endings', () => {
    const source = migration(
      "  revision: 'r1',\n  downRevision: 'p1', // parent\n  message: 'm',\n  async upgrade(ctx) {\n    await ctx.sql`select 1`;\n  },",
    ).replaceAll('\n', '\r\n');
    expect(parse(source)).toMatchObject({ revision: 'r1', downRevision: ['p1'], message: 'm' });
  });

  it('reads a file that starts with a BOM or a hashbang', () => {
    expect(parse(`\uFEFF${migration(BASIC)}`).revision).toBe('ae1027a6acf0');
    expect(parse(`#!/usr/bin/env node\n${migration(BASIC)}`).revision).toBe('ae1027a6acf0');
  });

  it('does not require upgrade or downgrade', () => {
    expect(parse(migration(BASIC)).revision).toBe('ae1027a6acf0');
  });
});

describe('parseScriptMetadata: finding the default export', () => {
  it('ignores comments that mention metadata and defineMigration', () => {
    const before = `import { defineMigration } from '@cairn/core';
// export default defineMigration({ revision: 'x', downRevision: null });
/* export default defineMigration({ revision: 'y', downRevision: null }); */
/**
 * revision: 'z'
 */
`;
    expect(parse(migration(BASIC, before)).revision).toBe('ae1027a6acf0');
  });

  it('ignores strings, templates and regexes that contain defineMigration({', () => {
    const before = `import { defineMigration } from '@cairn/core';
const a = "export default defineMigration({ revision: 'x' })";
const b = 'export default defineMigration({';
const c = \`export default defineMigration({ \${"revision: 'q'"} \`;
const d = /export default defineMigration\\({/;
const e = 4 / 2 / 1;
`;
    expect(parse(migration(BASIC, before)).revision).toBe('ae1027a6acf0');
  });

  it('skips other exports and code before the default export', () => {
    const before = `import { defineMigration } from '@cairn/core';
export const helper = (x: number) => x / 2;
export function other() { return { revision: 'nope' }; }
export { helper as h };
`;
    expect(parse(migration(BASIC, before)).revision).toBe('ae1027a6acf0');
  });

  it('allows comments between the tokens of the default export', () => {
    const source = `export /* a */ default // b
 defineMigration /* c */ ( /* d */ { revision: 'r1', downRevision: null })`;
    expect(parse(source).revision).toBe('r1');
  });
});

describe('parseScriptMetadata: skipping upgrade and downgrade', () => {
  it('skips every function form', () => {
    const forms = [
      'async upgrade({ op }) { await op.x(); }, async downgrade(ctx) {}',
      'upgrade: async (ctx) => { await ctx.op.x(); }, downgrade: async function (ctx) { return; }',
      'upgrade: (ctx) => ctx.op.x(1, 2), downgrade: function named() {}',
      'upgrade, downgrade',
      'upgrade: upgradeImpl, downgrade: undefined',
      'async *upgrade() { yield 1; }, downgrade(ctx: { op: unknown }): Promise<void> { return Promise.resolve(); }',
      'upgrade: async ({ op }: Ctx) => { if (op) { return; } }, downgrade: (ctx) => void ctx',
    ];
    for (const form of forms) {
      expect(parse(migration(`${BASIC}\n${form}`)).revision).toBe('ae1027a6acf0');
      // Metadata after the functions must be read too.
      expect(parse(migration(`revision: 'r1', ${form}, downRevision: 'p9', message: 'after'`))).toMatchObject({
        downRevision: ['p9'],
        message: 'after',
      });
    }
  });

  it('skips regex literals containing braces, brackets and quotes', () => {
    const body = String.raw`
  async upgrade(ctx) {
    const a = /}'"/g;
    const b = /[/}]/.test('x');
    const c = [/\/'}/];
    if (x) return /"}/;
    const d = x.replace(/\{'/, '}');
    const e = typeof /'/;
    const f = 10 / 2 / 5;
    const g = (a) / 2;
    let i = 0; i++ / 2;
  },
  message: 'after regexes',`;
    expect(parse(migration(`${BASIC}${body}`)).message).toBe('after regexes');
  });

  it('skips template literals whose substitutions nest braces, strings and templates', () => {
    const body = `
  async upgrade(ctx) {
    const a = \`\${ {a:'}'} }\`;
    const b = \`outer \${ \`inner \${ "}" + '{' } \` } \${ x ? { y: '}' } : \`}\` } tail\`;
    const c = \`\\\${not a hole} \\\` still template }\`;
    const d = \`\${ /}/.source }\`;
  },
  message: 'after templates',`;
    expect(parse(migration(`${BASIC}${body}`)).message).toBe('after templates');
  });

  it('skips comments and strings containing metadata-like text inside functions', () => {
    const body = `
  async upgrade(ctx) {
    // revision: 'x', }
    /* downRevision: 'y' } ) ] */
    await ctx.sql('select \\'}\\' as "}"');
    await ctx.sql("revision: 'z' }");
  },
  message: 'after comments',`;
    expect(parse(migration(`${BASIC}${body}`)).message).toBe('after comments');
  });

  it('skips methods with default parameters and nested objects', () => {
    const body = `
  async upgrade({ op, sql } = { op: { x: '}' }, sql: (s) => s }, opts = [1, { a: [2, '}'] }]) {
    const nested = { a: { b: { c: [1, 2, { d: '}' }] } } };
    await op.createTable('t', { columns: [{ name: 'id', type: 'integer' }] });
  },
  message: 'after defaults',`;
    expect(parse(migration(`${BASIC}${body}`)).message).toBe('after defaults');
  });

  it('treats keys named async, get and set as keys, not modifiers', () => {
    expectMalformed(migration(`${BASIC} async: true`), 'async');
  });
});

describe('parseScriptMetadata: errors', () => {
  it('reports a missing default export and says what to write', () => {
    const error = expectMalformed("import { defineMigration } from '@cairn/core';\nconst m = 1;\n");
    expect(error.message).toContain('export default defineMigration({');
  });

  it('reports a default export that is not a defineMigration call', () => {
    expectMalformed("const m = defineMigration({ revision: 'a', downRevision: null });\nexport default m;\n");
    expectMalformed("export default { revision: 'a', downRevision: null };\n");
  });

  it('reports a defineMigration argument that is not an object literal', () => {
    const error = expectMalformed('const m = {};\nexport default defineMigration(m);\n');
    expect(error.message).toContain('object literal');
  });

  it.each([
    ['revision', 'revision: someId, downRevision: null'],
    ['revision', "revision: 'a' + 'b', downRevision: null"],
    ['revision', "revision: 'a'.trim(), downRevision: null"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file text under test holds a template literal
    ['revision', 'revision: `a${x}`, downRevision: null'],
    ['revision', 'revision: makeId(), downRevision: null'],
    ['revision', 'revision, downRevision: null'],
    ['revision', "revision() { return 'a'; }, downRevision: null"],
    ['downRevision', "revision: 'a', downRevision: PARENT"],
    ['downRevision', "revision: 'a', downRevision: [PARENT]"],
    ['downRevision', "revision: 'a', downRevision: ['p', ...more]"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file text under test holds a template literal
    ['message', "revision: 'a', downRevision: null, message: `x ${y}`"],
    ['message', "revision: 'a', downRevision: null, message: ('x')"],
    ['transaction', "revision: 'a', downRevision: null, transaction: !0"],
    ['branchLabels', "revision: 'a', downRevision: null, branchLabels: labels"],
    ['dependsOn', "revision: 'a', downRevision: null, dependsOn: ['x'].concat(y)"],
    ['createdAt', "revision: 'a', downRevision: null, createdAt: new Date().toISOString()"],
  ])('reports a non-literal %s (%s)', (field, fields) => {
    const error = expectMalformed(migration(fields), field);
    expect(error.message).toContain('literal');
    expect(error.message).toContain('without running the file');
  });

  it.each([
    ['revision', 'revision: null, downRevision: null'],
    ['revision', 'revision: 12, downRevision: null'],
    ['revision', "revision: ['a'], downRevision: null"],
    ['downRevision', "revision: 'a', downRevision: true"],
    ['downRevision', "revision: 'a', downRevision: 1"],
    ['downRevision', "revision: 'a', downRevision: ['p', null]"],
    ['branchLabels', "revision: 'a', downRevision: null, branchLabels: false"],
    ['dependsOn', "revision: 'a', downRevision: null, dependsOn: [1]"],
    ['message', "revision: 'a', downRevision: null, message: ['m']"],
    ['createdAt', "revision: 'a', downRevision: null, createdAt: 1732240590000"],
    ['transaction', "revision: 'a', downRevision: null, transaction: 'false'"],
    ['transaction', "revision: 'a', downRevision: null, transaction: null"],
  ])('reports a wrong type for %s (%s)', (field, fields) => {
    expectMalformed(migration(fields), field);
  });

  it('suggests null when downRevision has the wrong type', () => {
    expect(expectMalformed(migration("revision: 'a', downRevision: 0"), 'downRevision').message).toContain(
      'use null for the first revision',
    );
  });

  it('reports an empty revision', () => {
    expectMalformed(migration("revision: '', downRevision: null"), 'revision');
  });

  it('reports a missing revision and a missing downRevision', () => {
    expectMalformed(migration("downRevision: null, message: 'm'"), 'revision');
    const error = expectMalformed(migration("revision: 'a', message: 'm'"), 'downRevision');
    expect(error.message).toContain('use null for the first revision');
  });

  it('reports a duplicate key', () => {
    const error = expectMalformed(migration("revision: 'a', downRevision: null, 'revision': 'b'"), 'revision');
    expect(error.message).toContain('twice');
    expectMalformed(migration(`${BASIC} async upgrade() {}, upgrade: () => {}`), 'upgrade');
  });

  it('reports an unknown key and suggests the closest known one', () => {
    const typo = expectMalformed(migration("revision: 'a', downRevison: null"), 'downRevison');
    expect(typo.message).toContain("did you mean 'downRevision'?".replace('did', 'Did'));
    expect(typo.details.suggestion).toBe('downRevision');
    expect(expectMalformed(migration(`${BASIC} down_revision: null`), 'down_revision').details.suggestion).toBe(
      'downRevision',
    );
    expect(expectMalformed(migration(`${BASIC} async upgrad() {}`), 'upgrad').details.suggestion).toBe('upgrade');
    const far = expectMalformed(migration(`${BASIC} author: 'me'`), 'author');
    expect(far.message).not.toContain('Did you mean');
    expect(far.details.suggestion).toBeUndefined();
    expect(far.message).toContain('Known fields');
  });

  it('reports computed keys and spreads', () => {
    expectMalformed(migration(`${BASIC} [key]: 'x'`));
    expectMalformed(migration(`${BASIC} ...common`));
  });

  it('reports a duplicate entry in a list', () => {
    expectMalformed(migration("revision: 'a', downRevision: ['p', 'p']"), 'downRevision');
    expectMalformed(migration(`${BASIC} branchLabels: ['x', 'y', 'x']`), 'branchLabels');
    expectMalformed(migration(`${BASIC} dependsOn: ['d', 'd']`), 'dependsOn');
  });

  it('reports an empty entry and a hole in a list', () => {
    expectMalformed(migration("revision: 'a', downRevision: ['p', '']"), 'downRevision');
    expectMalformed(migration("revision: 'a', downRevision: ['p', , 'q']"), 'downRevision');
  });

  it.each([
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2026-02-30',
    '2026-11-22T25:00:00Z',
    '22/11/2026',
    '1',
    '2026-11-22T0x:56:30.000Z',
    '2026-11-22T01:56:30.0x0Z',
    'x026-11-22T01:56:30.000Z',
    '2026-11-31T01:56:30.000Z',
    '2026-11-22T01:60:30.000Z',
    '2025-02-29T00:00:00.000Z',
  ])('reports a createdAt that is not an ISO-8601 date (%s)', (value) => {
    expectMalformed(migration(`${BASIC} createdAt: '${value}'`), 'createdAt');
  });

  it('reports a createdAt date-time without a time zone', () => {
    const error = expectMalformed(migration(`${BASIC} createdAt: '2026-11-22T01:56:30'`), 'createdAt');
    expect(error.message).toContain("add 'Z'");
  });

  it('validates the revision id and branch labels', () => {
    expectError(() => parse(migration("revision: 'a-b', downRevision: null")), 'INVALID_REVISION_ID');
    expectError(() => parse(migration("revision: 'head', downRevision: null")), 'INVALID_REVISION_ID');
    expectError(() => parse(migration(`${BASIC} branchLabels: ['ok', 'not ok']`)), 'INVALID_BRANCH_LABEL');
  });

  it.each([
    ['a string', "export default defineMigration({ revision: 'a"],
    ['a string with a raw line break', "export default defineMigration({ revision: 'a\n', downRevision: null });"],
    ['a block comment', "export default defineMigration({ revision: 'a', /* downRevision: null });"],
    ['a template', 'export default defineMigration({ revision: `a'],
    ['the object', "export default defineMigration({ revision: 'a', downRevision: null"],
    ['the object after a function', "export default defineMigration({ revision: 'a', downRevision: null, upgrade() {"],
    ['an array', "export default defineMigration({ revision: 'a', downRevision: ['p'"],
    ['a template hole', "export default defineMigration({ revision: 'a', downRevision: null, upgrade() { `${ {"],
    [
      'a string before the export',
      "const x = 'abc\nexport default defineMigration({ revision: 'a', downRevision: null });",
    ],
  ])('reports an unterminated construct (%s) as truncated or malformed', (_, source) => {
    const error = expectMalformed(source);
    expect(error.message).toMatch(/truncated or malformed|unterminated/);
  });

  it('reports invalid escape sequences', () => {
    expectMalformed(migration(String.raw`revision: 'a', downRevision: null, message: '\x4'`));
    expectMalformed(migration(String.raw`revision: 'a', downRevision: null, message: '\u12'`));
    expectMalformed(migration(String.raw`revision: 'a', downRevision: null, message: '\u{110000}'`));
    expectMalformed(migration(String.raw`revision: 'a', downRevision: null, message: '\01'`));
  });

  it('reports text that does not separate fields', () => {
    expectMalformed(migration("revision: 'a' downRevision: null"), 'revision');
    expectMalformed(migration("revision: 'a', downRevision: null message: 'm'"), 'downRevision');
  });

  it('names the line of syntax errors', () => {
    const source = "export default defineMigration({\n  revision: 'a',\n\n  downRevison: null,\n});\n";
    expect(expectMalformed(source).message).toContain('line 4');
    expect(expectMalformed("export default defineMigration({\n  revision: 'a\n").message).toContain('line 2');
  });
});

describe('closestName', () => {
  it('suggests within edit distance 2 only', () => {
    const known = ['revision', 'downRevision', 'branchLabels'];
    expect(closestName('revison', known)).toBe('revision');
    expect(closestName('branch_labels', known)).toBe('branchLabels');
    expect(closestName('downrevision', known)).toBe('downRevision');
    expect(closestName('xyz', known)).toBeUndefined();
    expect(closestName('revisionsXY', known)).toBeUndefined();
  });
});

describe('parseScriptMetadata: robustness', () => {
  const full = `import { defineMigration } from '@cairn/core';

/** it's "quoted" */
export default defineMigration({
  revision: 'ae1027a6acf0',
  downRevision: ['a1', "b2"],
  branchLabels: [\`cart\`],
  message: 'it\\'s "quoted" \\u{1F600}',
  createdAt: '2026-11-22T01:56:30.000Z',
  async upgrade({ op } = { op: { x: '}' } }) {
    const re = /[}'"]\\//g; // comment }
    await op.run(\`a \${ {b: '}'}.b } c\`, 1 / 2);
  },
  downgrade: async (ctx) => { /* } */ },
});
`;

  it('reads the full file', () => {
    expect(parse(full)).toMatchObject({ revision: 'ae1027a6acf0', downRevision: ['a1', 'b2'], branchLabels: ['cart'] });
  });

  it('fails with MALFORMED_MIGRATION, never another error, at every truncation point', () => {
    const end = full.indexOf('\n});');
    for (let cut = 0; cut < end; cut++) {
      let caught: unknown;
      try {
        parse(full.slice(0, cut));
      } catch (error) {
        caught = error;
      }
      expect(caught, `cut at ${cut}: ${JSON.stringify(full.slice(0, cut).slice(-20))}`).toBeInstanceOf(CairnError);
      expect((caught as CairnError).code).toBe('MALFORMED_MIGRATION');
    }
  });

  it('throws only CairnError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...`{}()[]'"\`/\\*\n\r$ ,:a1`.split(''), 'export default defineMigration({'),
        }),
        (source) => {
          try {
            parse(source);
          } catch (error) {
            expect(error).toBeInstanceOf(CairnError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
