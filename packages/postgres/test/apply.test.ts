import {
  addColumn,
  addEnumValue,
  alterColumn,
  bulkDelete,
  bulkInsert,
  column,
  createEnum,
  createIndex,
  createTable,
  dropIndex,
  enumType,
  integer,
  Migrator,
  type Operation,
  RevisionGraph,
  renameEnumValue,
  serial,
  statement,
  text,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError, openPostgres, type PostgresConnection, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';
import { ruleContext } from './rule-context.js';

const dialect = postgresDialect();

describe('compiled operations against the server', () => {
  const database = testDatabase();
  let conn: PostgresConnection;
  beforeAll(async () => {
    conn = await openPostgres(database.url());
  });
  afterAll(async () => {
    await conn?.close();
  });
  const apply = async (...ops: Operation[]) => {
    for (const op of ops) for (const s of dialect.compiler.compile(op, ruleContext())) await conn.session.execute(s);
  };
  const rows = (sql: string) => conn.session.query(statement(sql));

  it('creates a schema-qualified enum table, adds and renames values, in order', async () => {
    await conn.session.execute(statement('CREATE SCHEMA ap'));
    const mood = { schema: 'ap', name: 'mood' };
    await apply(
      createEnum(mood, ['happy', 'sad']),
      createTable({ name: { schema: 'ap', name: 'person' }, columns: [column('m', enumType(mood, ['happy', 'sad']))] }),
      addEnumValue(mood, 'ok', { before: 'sad' }),
      addEnumValue(mood, 'ok', { ifNotExists: true }),
      addEnumValue(mood, 'ecstatic', { after: 'happy' }),
      renameEnumValue(mood, 'sad', "it's sad"),
    );
    expect(await rows('SELECT enum_range(NULL::ap.mood)::text[] AS r')).toEqual([
      { r: ['happy', 'ecstatic', 'ok', "it's sad"] },
    ]);
  });

  it('a value added in a transaction is usable after it commits (PostgreSQL 12+)', async () => {
    await apply(createEnum('color', ['red']));
    await conn.session.transaction!(async (tx) => {
      for (const s of dialect.compiler.compile(addEnumValue('color', 'blue'), ruleContext())) await tx.execute(s);
      // Using it before the commit fails with 55P04, which is why cairn commits per migration.
      await expect(
        tx.transaction!((inner) => inner.query(statement("SELECT 'blue'::color AS c"))),
      ).rejects.toMatchObject({ code: '55P04' });
    });
    expect(await rows("SELECT 'blue'::color AS c")).toEqual([{ c: 'blue' }]);
  });

  it('alters a column type with USING, identity, nullability and defaults', async () => {
    await apply(
      createTable({ name: 'ac', columns: [column('id', integer(), { nullable: false }), column('n', text())] }),
      bulkInsert('ac', [
        { id: 1, n: '10' },
        { id: 2, n: null },
      ]),
      alterColumn('ac', 'n', {
        type: { to: integer(), from: text(), using: 'n::integer' },
        default: { to: 7, from: null },
      }),
      alterColumn('ac', 'id', { type: { to: serial(), from: integer() } }),
    );
    await expect(apply(alterColumn('ac', 'n', { nullable: { to: false, from: true } }))).rejects.toMatchObject({
      code: '23502',
    });
    await conn.session.execute(statement('UPDATE ac SET n = 0 WHERE n IS NULL'));
    await apply(alterColumn('ac', 'n', { nullable: { to: false, from: true } }));
    await conn.session.execute(statement('INSERT INTO ac DEFAULT VALUES'));
    expect(await rows('SELECT id, n FROM ac ORDER BY id, n')).toEqual([
      { id: 1, n: 7 },
      { id: 1, n: 10 },
      { id: 2, n: 0 },
    ]);
    await apply(alterColumn('ac', 'id', { type: { to: integer({ identity: 'always' }), from: serial() } }));
    await expect(conn.session.execute(statement('INSERT INTO ac (id, n) VALUES (9, 9)'))).rejects.toMatchObject({
      code: '428C9',
    });
    await apply(alterColumn('ac', 'id', { type: { to: integer(), from: integer({ identity: 'always' }) } }));
    await conn.session.execute(statement('INSERT INTO ac (id, n) VALUES (9, 9)'));
    await apply(addColumn('ac', column('extra', integer(), { comment: 'c' })));
    expect(await rows("SELECT col_description('ac'::regclass, 3) AS d")).toEqual([{ d: 'c' }]);
  });

  it('bulk deletes by key, NULL keys included', async () => {
    await apply(
      createTable({ name: 'bd', columns: [column('a', integer()), column('b', text())] }),
      bulkInsert('bd', [
        { a: 1, b: 'x' },
        { a: 2, b: null },
        { a: 3, b: 'y' },
      ]),
      bulkDelete(
        'bd',
        ['a', 'b'],
        [
          { a: 1, b: 'x' },
          { a: 2, b: null },
        ],
      ),
    );
    expect(await rows('SELECT a FROM bd')).toEqual([{ a: 3 }]);
  });

  it('classifies a real lock_timeout as LOCK_TIMEOUT', async () => {
    const other = await openPostgres(database.url());
    try {
      await apply(createTable({ name: 'lt', columns: [column('a', integer())] }));
      await conn.session.transaction!(async (tx) => {
        await tx.execute(statement('LOCK TABLE lt IN ACCESS EXCLUSIVE MODE'));
        await other.session.execute(statement("SET lock_timeout = '100ms'"));
        const error = await other.session.query(statement('SELECT * FROM lt')).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(classifyError(error)).toBe('LOCK_TIMEOUT');
      });
    } finally {
      await other.close();
    }
  });

  it('runs CREATE/DROP INDEX CONCURRENTLY in a migration marked non-transactional', async () => {
    await apply(createTable({ name: 'ci', columns: [column('a', integer())] }));
    const graph = RevisionGraph.from([
      {
        revision: 'ci1',
        downRevision: [],
        branchLabels: [],
        dependsOn: [],
        message: 'concurrent index',
        createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        transaction: false,
      },
    ]);
    const migrator = new Migrator({
      graph,
      dialect,
      session: conn.session,
      loader: {
        async load() {
          return {
            checksum: 'ci1',
            async run(direction, ctx) {
              if (direction === 'up') await ctx.op.createIndex('ci_a', 'ci', ['a'], { concurrently: true });
              else await ctx.op.dropIndex('ci_a', 'ci', { concurrently: true });
            },
          };
        },
      },
      versionTable: { schema: 'cairn_state', name: 'ci_version' },
      historyTable: { schema: 'cairn_state', name: 'ci_history' },
      toolVersion: 'test',
    });
    const up = await migrator.upgrade('heads');
    expect(up.failed?.error.message).toBeUndefined();
    expect(await rows("SELECT indexname FROM pg_indexes WHERE tablename = 'ci'")).toEqual([{ indexname: 'ci_a' }]);
    const down = await migrator.downgrade('base');
    expect(down.failed?.error.message).toBeUndefined();
    expect(await rows("SELECT indexname FROM pg_indexes WHERE tablename = 'ci'")).toEqual([]);
    const history = await rows('SELECT revision, direction, status FROM cairn_state.ci_history ORDER BY id');
    expect(history.map((r) => `${r.direction}:${r.status}`)).toEqual(
      expect.arrayContaining(['up:succeeded', 'down:succeeded']),
    );
  });

  it('drops an index created in a schema by qualifying it with the table schema', async () => {
    await conn.session.execute(statement('CREATE SCHEMA di'));
    const t = { schema: 'di', name: 't' };
    await apply(createTable({ name: t, columns: [column('a', integer())] }), createIndex('t_a', t, ['a']));
    await apply(dropIndex('t_a', t));
    expect(await rows("SELECT indexname FROM pg_indexes WHERE schemaname = 'di'")).toEqual([]);
  });
});
