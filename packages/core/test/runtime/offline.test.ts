import { describe, expect, it } from 'vitest';
import type { Dialect, StateCompiler } from '../../src/dialect/dialect.js';
import { isCairnError } from '../../src/errors.js';
import { statement } from '../../src/ops/statement.js';
import { RevisionGraph } from '../../src/revision/graph.js';
import type { RevisionMeta } from '../../src/revision/revision.js';
import type { MigrationContext } from '../../src/runtime/migration-context.js';
import type { MigrationLoader } from '../../src/runtime/migrator.js';
import { type OfflineScriptOptions, offlineScript } from '../../src/runtime/offline.js';
import { branched, graphOf, metas } from '../revision/fixtures.js';
import { TEST_CAPABILITIES } from './test-capabilities.js';

/**
 * A minimal state compiler: short statements so the golden scripts stay readable. `param(k)`
 * writes placeholder k (1-based) in the dialect's syntax.
 */
function testState(param: (k: number) => string): StateCompiler {
  return {
    createVersionTable: (t) => [statement(`CREATE TABLE ${t.name} (version_num varchar(255) PRIMARY KEY)`)],
    readVersionRows: (t) => statement(`SELECT version_num FROM ${t.name}`),
    versionWrite: (w, t) => {
      if (w.kind === 'insert')
        return statement(`INSERT INTO ${t.name} (version_num) VALUES (${param(1)})`, [w.revision]);
      if (w.kind === 'update') {
        return statement(`UPDATE ${t.name} SET version_num = ${param(1)} WHERE version_num = ${param(2)}`, [
          w.to,
          w.from,
        ]);
      }
      return statement(`DELETE FROM ${t.name} WHERE version_num = ${param(1)}`, [w.revision]);
    },
    createHistoryTable: (t) => [statement(`CREATE TABLE ${t.name} (revision text, direction text, checksum text)`)],
    insertHistory: (r, t) =>
      statement(`INSERT INTO ${t.name} VALUES (${param(1)}, ${param(2)}, ${param(3)}, ${param(4)}, ${param(5)})`, [
        r.revision,
        r.direction,
        r.checksum,
        r.finishedAt?.toISOString() ?? null,
        r.toolVersion,
      ]),
    readHistory: (t) => statement(`SELECT revision, direction, checksum, status FROM ${t.name}`),
    readUnsettledHistory: (t) => statement(`SELECT revision, direction, checksum, status FROM ${t.name}`),
    quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    quoteLiteral: (value) => {
      if (value === null) return 'NULL';
      if (typeof value === 'number') return String(value);
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
      throw new Error(`no literal for ${typeof value}`);
    },
  };
}

function testDialect(
  options: { dollar?: boolean; mysql?: boolean; transactionalDdl?: boolean; enumValues?: boolean } = {},
): Dialect {
  return {
    // As PostgreSQL: a value added to an enum cannot be used before its transaction commits.
    ...(options.enumValues
      ? { transactionNeeds: (s) => (/^ALTER TYPE .* ADD VALUE/.test(s.sql) ? 'commit-before-use' : undefined) }
      : {}),
    name: options.dollar ? 'pglike' : 'test',
    capabilities: { ...TEST_CAPABILITIES, transactionalDdl: options.transactionalDdl ?? true },
    syntax: {
      placeholders: options.dollar ? 'dollar' : 'question',
      backslashEscapes: options.mysql === true,
      hashComments: options.mysql === true,
      bracketIdentifiers: !options.dollar && options.mysql !== true,
      escapeStrings: options.dollar === true,
    },
    normalizer: { columnType: (type) => type, columnDefault: (value) => value },
    state: testState(options.dollar ? (k) => `$${k}` : () => '?'),
    // Enough of a compiler for offline tests: raw SQL operations become their statement.
    compiler: {
      compile: (op) => {
        if (op.kind !== 'execute') throw new Error(`the test dialect compiles only execute, not ${op.kind}`);
        return [statement(op.sql, op.params)];
      },
    },
    locker: () => {
      throw new Error('offline mode must not take a lock');
    },
  };
}

type Body = (ctx: MigrationContext) => Promise<void>;

/**
 * In-memory migrations: by default `rev` creates (up) or drops (down) table `t_<rev>`; `bodies`
 * overrides single revisions.
 */
function memoryLoader(bodies: Record<string, { up?: Body; down?: Body }> = {}): MigrationLoader {
  return {
    async load(meta: RevisionMeta) {
      const own = bodies[meta.revision] ?? {};
      return {
        checksum: `sum-${meta.revision}`,
        async run(direction, ctx) {
          const body = direction === 'up' ? own.up : own.down;
          if (body) return body(ctx);
          await ctx.sql(
            direction === 'up' ? `CREATE TABLE t_${meta.revision} (id integer)` : `DROP TABLE t_${meta.revision}`,
          );
        },
      };
    },
  };
}

const NOW = new Date('2026-02-03T04:05:06.000Z');
const AT = `'${NOW.toISOString()}'`;

function chain(): RevisionGraph {
  return graphOf([
    ['a', []],
    ['b', ['a']],
    ['c', ['b']],
  ]);
}

type RunOptions = Partial<Omit<OfflineScriptOptions, 'direction' | 'target'>> & {
  readonly loader?: MigrationLoader;
  readonly singleTransaction?: boolean;
};

function render(
  direction: 'up' | 'down' | 'stamp',
  target: string | readonly string[] | undefined,
  options: RunOptions = {},
): Promise<string> {
  const common = {
    graph: options.graph ?? chain(),
    dialect: options.dialect ?? testDialect(),
    toolVersion: '1.2.3',
    now: () => NOW,
  };
  if (direction === 'stamp')
    return offlineScript({ ...common, direction, ...(target === undefined ? {} : { target }) });
  return offlineScript({
    ...common,
    direction,
    ...(target === undefined ? {} : { target: target as string }),
    loader: options.loader ?? memoryLoader(),
    ...(options.singleTransaction ? { singleTransaction: true } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isCairnError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a CairnError');
}

const DDL = [
  'CREATE TABLE cairn_version (version_num varchar(255) PRIMARY KEY);',
  'CREATE TABLE cairn_history (revision text, direction text, checksum text);',
];

function history(rev: string, direction: string, checksum = `sum-${rev}`): string {
  return `INSERT INTO cairn_history VALUES ('${rev}', '${direction}', '${checksum}', ${AT}, '1.2.3');`;
}

/** The `started` record of a step that runs outside a transaction (no finish time yet). */
function started(rev: string, direction: string, checksum = `sum-${rev}`): string {
  return `INSERT INTO cairn_history VALUES ('${rev}', '${direction}', '${checksum}', NULL, '1.2.3');`;
}

function lines(...parts: string[]): string {
  return `${parts.join('\n')}\n`;
}

describe('offlineScript: upgrade and downgrade (revision-semantics.md §6.2)', () => {
  it('starts from base with the tables, then one transaction per step', async () => {
    expect(await render('up', 'head')).toBe(
      lines(
        ...DDL,
        '',
        'BEGIN;',
        '-- Running upgrade  -> a',
        'CREATE TABLE t_a (id integer);',
        "INSERT INTO cairn_version (version_num) VALUES ('a');",
        history('a', 'up'),
        'COMMIT;',
        '',
        'BEGIN;',
        '-- Running upgrade a -> b',
        'CREATE TABLE t_b (id integer);',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'a';",
        history('b', 'up'),
        'COMMIT;',
        '',
        'BEGIN;',
        '-- Running upgrade b -> c',
        'CREATE TABLE t_c (id integer);',
        "UPDATE cairn_version SET version_num = 'c' WHERE version_num = 'b';",
        history('c', 'up'),
        'COMMIT;',
      ),
    );
  });

  it('renders operations from ctx.op through the dialect compiler', async () => {
    const sql = await offlineScript({
      graph: graphOf([['a', []]]),
      dialect: testDialect(),
      loader: memoryLoader({ a: { up: (ctx) => ctx.op.execute('INSERT INTO t VALUES (?)', ["it's"]) } }),
      direction: 'up',
      target: 'a',
      toolVersion: 'test',
      now: () => NOW,
    });
    expect(sql).toContain("INSERT INTO t VALUES ('it''s');");
  });

  it('defaults to head and is the same without a FROM as with an empty one', async () => {
    const full = await render('up', 'head');
    expect(await render('up', undefined)).toBe(full);
    expect(await render('up', ':head')).toBe(full);
  });

  it('upgrades FROM:TO without creating the tables; FROM may be a prefix or an anchored step', async () => {
    const expected = lines(
      'BEGIN;',
      '-- Running upgrade b -> c',
      'CREATE TABLE t_c (id integer);',
      "UPDATE cairn_version SET version_num = 'c' WHERE version_num = 'b';",
      history('c', 'up'),
      'COMMIT;',
    );
    expect(await render('up', 'b:c')).toBe(expected);
    expect(await render('up', 'b:')).toBe(expected);
    expect(await render('up', 'head-1:head')).toBe(expected);
    expect(await render('up', 'a:+1')).toContain('-- Running upgrade a -> b\n');
  });

  it('downgrades FROM:TO; FROM: means one step down', async () => {
    expect(await render('down', 'c:a')).toBe(
      lines(
        'BEGIN;',
        '-- Running downgrade c -> b',
        'DROP TABLE t_c;',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'c';",
        history('c', 'down'),
        'COMMIT;',
        '',
        'BEGIN;',
        '-- Running downgrade b -> a',
        'DROP TABLE t_b;',
        "UPDATE cairn_version SET version_num = 'a' WHERE version_num = 'b';",
        history('b', 'down'),
        'COMMIT;',
      ),
    );
    expect(await render('down', 'c:')).toBe(
      lines(
        'BEGIN;',
        '-- Running downgrade c -> b',
        'DROP TABLE t_c;',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'c';",
        history('c', 'down'),
        'COMMIT;',
      ),
    );
    expect(await render('down', 'a:base')).toContain("DELETE FROM cairn_version WHERE version_num = 'a';");
  });

  it('refuses a downgrade without FROM', async () => {
    for (const target of ['a', ':a', undefined]) {
      const error = await failure(render('down', target));
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/^downgrade --sql needs FROM:TO/);
    }
  });

  it('refuses starts it cannot know without a database', async () => {
    expect(await failure(render('up', 'current:head'))).toMatchObject({ code: 'INVALID_TARGET' });
    expect(await failure(render('up', 'a:current'))).toMatchObject({ code: 'INVALID_TARGET' });
    expect((await failure(render('up', '-1:head'))).message).toMatch(/counts from the database's current revision/);
    const several = await failure(render('up', 'heads:heads', { graph: branched() }));
    expect(several.code).toBe('MULTIPLE_HEADS');
    expect(several.message).toMatch(/starts from one revision.*'d1' and 'd2'/);
    expect((await failure(render('up', 'zz:head'))).code).toBe('UNKNOWN_REVISION');
  });

  it('writes a branch point as an INSERT for the second branch (Alembic example)', async () => {
    const script = await render('up', 'b:heads', { graph: branched() });
    const comments = script.split('\n').filter((l) => l.startsWith('-- ') || l.includes('cairn_version'));
    expect(comments).toEqual([
      '-- Running upgrade b -> c1',
      "UPDATE cairn_version SET version_num = 'c1' WHERE version_num = 'b';",
      '-- Running upgrade c1 -> d1',
      "UPDATE cairn_version SET version_num = 'd1' WHERE version_num = 'c1';",
      '-- Running upgrade b -> c2',
      "INSERT INTO cairn_version (version_num) VALUES ('c2');",
      '-- Running upgrade c2 -> d2',
      "UPDATE cairn_version SET version_num = 'd2' WHERE version_num = 'c2';",
    ]);
  });

  it('omits BEGIN/COMMIT around the statements without transactional DDL, and for a migration that opts out', async () => {
    const mysqlLike = testDialect({ transactionalDdl: false });
    const script = await render('up', 'a:c', { dialect: mysqlLike });
    // Every step is recorded as started first, as online, so a script stopped part-way leaves
    // the database marked dirty; its version write and succeeded record land together.
    expect(script).toBe(
      lines(
        '-- Running upgrade a -> b',
        started('b', 'up'),
        'CREATE TABLE t_b (id integer);',
        'BEGIN;',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'a';",
        history('b', 'up'),
        'COMMIT;',
        '',
        '-- Running upgrade b -> c',
        started('c', 'up'),
        'CREATE TABLE t_c (id integer);',
        'BEGIN;',
        "UPDATE cairn_version SET version_num = 'c' WHERE version_num = 'b';",
        history('c', 'up'),
        'COMMIT;',
      ),
    );
    const optOut = RevisionGraph.from(
      metas([
        ['a', []],
        ['b', ['a']],
      ]).map((meta) => (meta.revision === 'b' ? { ...meta, transaction: false } : meta)),
    );
    // A step that opts out is rendered as every step is without transactional DDL.
    const mixed = await render('up', 'head', { graph: optOut });
    expect(mixed.endsWith(`COMMIT;\n\n${script.split('\n\n')[0]}\n`)).toBe(true);
  });

  it('refuses singleTransaction where online refuses it: no transactional DDL, or transaction: false', async () => {
    const mysqlLike = testDialect({ transactionalDdl: false });
    for (const target of ['a:c', 'c:c']) {
      const error = await failure(render('up', target, { dialect: mysqlLike, singleTransaction: true }));
      expect(error).toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/cannot make the run atomic on test/),
      });
    }
    const optOut = RevisionGraph.from(
      metas([
        ['a', []],
        ['b', ['a']],
      ]).map((meta) => (meta.revision === 'b' ? { ...meta, transaction: false } : meta)),
    );
    expect((await failure(render('up', 'head', { graph: optOut, singleTransaction: true }))).message).toMatch(
      /^--single-transaction cannot include 'b', declared `transaction: false`/,
    );
  });

  it('runs a step with a non-transactional statement outside a transaction, recorded as started first', async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          await ctx.session.execute(statement('CREATE INDEX CONCURRENTLY i ON t (x)', [], { transactional: false }));
        },
      },
    });
    const script = await render('up', 'a:b', { loader });
    expect(script).toBe(
      lines(
        '-- Running upgrade a -> b',
        started('b', 'up'),
        'CREATE INDEX CONCURRENTLY i ON t (x);',
        'BEGIN;',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'a';",
        history('b', 'up'),
        'COMMIT;',
      ),
    );
    const error = await failure(render('up', 'a:b', { loader, singleTransaction: true }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(
      'migrations/b.ts runs a statement that cannot run inside a transaction (CREATE INDEX CONCURRENTLY i ON t (x)), so --single-transaction cannot include it; run without --single-transaction',
    );
  });

  it('commits a change that must commit before use before the statements after it, as online after 55P04', async () => {
    const dialect = testDialect({ enumValues: true });
    const addValue = (value: string) => (ctx: MigrationContext) =>
      ctx.op.execute(`ALTER TYPE mood ADD VALUE '${value}'`);
    const loader = memoryLoader({
      a: { up: addValue('ok') },
      b: {
        async up(ctx) {
          await addValue('sad')(ctx);
          await ctx.sql("INSERT INTO person VALUES ('sad')");
        },
      },
    });
    expect(await render('up', 'a:b', { dialect, loader })).toBe(
      lines(
        '-- Running upgrade a -> b',
        started('b', 'up'),
        "ALTER TYPE mood ADD VALUE 'sad';",
        "INSERT INTO person VALUES ('sad');",
        'BEGIN;',
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'a';",
        history('b', 'up'),
        'COMMIT;',
      ),
    );
    // Adding alone stays atomic, as online; without the dialect's word, so does adding and using.
    expect(await render('up', ':a', { dialect, loader })).toContain('BEGIN;\n-- Running upgrade  -> a\nALTER TYPE');
    expect(await render('up', 'a:b', { loader })).toMatch(/^BEGIN;\n/);

    // One transaction cannot hold an addition and what may use it, within a step or across steps.
    const within = await failure(render('up', 'a:b', { dialect, loader, singleTransaction: true }));
    expect(within).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(
        /^migrations\/b\.ts runs a change that cannot be used before its transaction commits \(ALTER TYPE mood ADD VALUE 'sad'\)/,
      ),
    });
    const across = await failure(
      render('up', ':c', { dialect, loader: memoryLoader({ a: { up: addValue('ok') } }), singleTransaction: true }),
    );
    expect(across.message).toMatch(
      /^migrations\/b\.ts runs statements that may use a change .* made by revision 'a' earlier in the run/,
    );
    // The addition last in the run's transaction: nothing after it can use it.
    const last = await render('up', 'b:c', {
      dialect,
      loader: memoryLoader({ c: { up: addValue('ok') } }),
      singleTransaction: true,
    });
    expect(last).toMatch(/^BEGIN;\n-- Running upgrade b -> c\nALTER TYPE mood ADD VALUE 'ok';\n/);
  });

  it('puts the whole run in one transaction with singleTransaction', async () => {
    const script = await render('up', 'head', { singleTransaction: true });
    expect(script.match(/BEGIN;/g)).toHaveLength(1);
    expect(script.startsWith(`${DDL.join('\n')}\n\nBEGIN;\n-- Running upgrade  -> a\n`)).toBe(true);
    expect(script.endsWith(`${history('c', 'up')}\nCOMMIT;\n`)).toBe(true);
  });

  it('renders an empty script when there is nothing to do', async () => {
    expect(await render('up', 'c:c')).toBe('');
    expect(await render('up', 'c:c', { singleTransaction: true })).toBe('');
    expect(await render('stamp', 'c:c')).toBe('');
    expect(await render('stamp', [])).toBe(lines(...DDL));
  });

  it('explains that queries return no rows when a migration fails on reading', async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          const [row] = await ctx.sql('SELECT count(*) AS n FROM t_a');
          await ctx.sql(`INSERT INTO t_b VALUES (${(row as { n: number }).n})`);
        },
      },
    });
    const error = await failure(render('up', 'a:b', { loader }));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toMatch(/^upgrade of migrations\/b\.ts failed while rendering the --sql script: /);
    expect(error.message).toMatch(/every query returns no rows/);
  });

  it('prints the statements of a migration that queries without depending on the rows', async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          const rows = await ctx.sql('SELECT id FROM t_a');
          for (const row of rows) await ctx.sql('DELETE FROM t_a WHERE id = ?', [row.id]);
          await ctx.sql('UPDATE t_a SET id = id + 1');
        },
      },
    });
    const script = await render('up', 'a:b', { loader });
    expect(script).toContain('-- Running upgrade a -> b\nSELECT id FROM t_a;\nUPDATE t_a SET id = id + 1;\n');
  });
});

describe('offlineScript: stamp', () => {
  it('stamps from base with the tables and one transaction', async () => {
    expect(await render('stamp', ['b'])).toBe(
      lines(
        ...DDL,
        '',
        'BEGIN;',
        '-- Running stamp_revision  -> b',
        "INSERT INTO cairn_version (version_num) VALUES ('b');",
        history('b', 'stamp', ''),
        'COMMIT;',
      ),
    );
  });

  it('stamps FROM:TO as an update, and to base as a delete', async () => {
    expect(await render('stamp', 'c:a')).toBe(
      lines(
        'BEGIN;',
        '-- Running stamp_revision c -> a',
        "UPDATE cairn_version SET version_num = 'a' WHERE version_num = 'c';",
        history('a', 'stamp', ''),
        'COMMIT;',
      ),
    );
    expect(await render('stamp', 'c:base')).toBe(
      lines(
        'BEGIN;',
        '-- Running stamp_revision c -> ',
        "DELETE FROM cairn_version WHERE version_num = 'c';",
        history('c', 'stamp', ''),
        'COMMIT;',
      ),
    );
  });

  it('stamps several revisions from one FROM; different FROMs are refused', async () => {
    const script = await render('stamp', ['b:d1', 'b:d2'], { graph: branched() });
    expect(script.split('\n').filter((l) => l.startsWith('-- '))).toEqual([
      '-- Running stamp_revision b -> d1',
      '-- Running stamp_revision  -> d2',
    ]);
    expect(script.match(/INSERT INTO cairn_history/g)).toHaveLength(2);
    const error = await failure(render('stamp', ['b:d1', 'c1:d2'], { graph: branched() }));
    expect(error).toMatchObject({ code: 'INVALID_TARGET' });
    expect(error.message).toMatch(/same FROM/);
    expect((await failure(render('stamp', ['b:']))).message).toMatch(/names no revision to stamp/);
  });
});

describe('offlineScript: parameters', () => {
  const values = ["it's", null, 42, -1.5, true];

  it("inlines '?' parameters in order, leaving '?' in strings, identifiers and comments alone", async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          await ctx.sql(
            `INSERT INTO "t?" (a, "b?", [c?], d, e, f) VALUES (?, 'what?', ?, /* ? */ ?, ?, ?) -- why?\n`,
            values,
          );
          await ctx.sql("SELECT 'a''?' AS x, ? AS y", ['?']);
          await ctx.sql('SELECT ?2, ?1', ['one', 'two']);
          await ctx.sql('SELECT 1 -- trailing comment');
        },
      },
    });
    const script = await render('up', 'a:b', { loader });
    expect(script).toContain(
      [
        '-- Running upgrade a -> b',
        `INSERT INTO "t?" (a, "b?", [c?], d, e, f) VALUES ('it''s', 'what?', NULL, /* ? */ 42, -1.5, TRUE) -- why?`,
        ';',
        "SELECT 'a''?' AS x, '?' AS y;",
        "SELECT 'two', 'one';",
        'SELECT 1 -- trailing comment',
        ';',
        '',
      ].join('\n'),
    );
  });

  it('inlines $n parameters by number, skipping dollar quotes and E-strings', async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          await ctx.sql("SELECT $2, $1, $2, 'x$1', E'\\'$1', $$ $1 $$, $f$ $2 $f$, \"a$1\"", ['one', "t'wo"]);
        },
      },
    });
    const script = await render('up', 'a:b', { loader, dialect: testDialect({ dollar: true }) });
    expect(script).toContain(
      "SELECT 't''wo', 'one', 't''wo', 'x$1', E'\\'$1', $$ $1 $$, $f$ $2 $f$, \"a$1\";\n" +
        "UPDATE cairn_version SET version_num = 'b' WHERE version_num = 'a';\n",
    );
  });

  it("reads MySQL's backslash escapes and # comments", async () => {
    const loader = memoryLoader({
      b: {
        async up(ctx) {
          await ctx.sql('SELECT \'it\\\'s?\', "q\\"?", ? # what?', [1]);
        },
      },
    });
    const mysql = testDialect({ mysql: true });
    const script = await render('up', 'a:b', { loader, dialect: mysql });
    expect(script).toContain('\nSELECT \'it\\\'s?\', "q\\"?", 1 # what?\n;\n');
  });

  it('leaves statements without parameters untouched and refuses a count mismatch', async () => {
    const loader = (sql: string, params: unknown[]) =>
      memoryLoader({
        b: {
          async up(ctx) {
            await ctx.sql(sql, params);
          },
        },
      });
    expect(await render('up', 'a:b', { loader: loader('SELECT ?;', []) })).toContain('\nSELECT ?;\n');
    const tooFew = await failure(render('up', 'a:b', { loader: loader('SELECT ?, ?', [1]) }));
    expect(tooFew.code).toBe('USAGE');
    expect(tooFew.message).toMatch(
      /^migrations\/b\.ts: cannot render a statement for --sql: placeholder \? has no parameter/,
    );
    const tooMany = await failure(render('up', 'a:b', { loader: loader('SELECT ?', [1, 2]) }));
    expect(tooMany.message).toMatch(/has 2 parameters but uses 1/);
    const unquotable = await failure(render('up', 'a:b', { loader: loader('SELECT ?', [{}]) }));
    expect(unquotable.message).toMatch(/no literal for object\n {2}statement: SELECT \?/);
  });
});
