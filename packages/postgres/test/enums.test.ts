import {
  dropEnumValue,
  type MigrationLoader,
  Migrator,
  type Operation,
  offlineScript,
  RevisionGraph,
  type Row,
  statement,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresConnection, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';
import { ruleContext } from './rule-context.js';

// `drop_enum_value` against the server: the DO block finds the columns using the enum itself.
// Every test works in schemas of its own, in this file's own database.

const dialect = postgresDialect();

describe('drop_enum_value against the server', () => {
  const database = testDatabase();
  let conn: PostgresConnection;
  beforeAll(async () => {
    conn = await openPostgres(database.url());
  });
  afterAll(async () => {
    await conn?.close();
  });

  const run = async (...sql: string[]) => {
    for (const s of sql) await conn.session.execute(statement(s));
  };
  const rows = <R extends Row = Row>(sql: string) => conn.session.query<R>(statement(sql));
  const apply = async (op: Operation) => {
    for (const s of dialect.compiler.compile(op, ruleContext())) await conn.session.execute(s);
  };
  /** Runs `op` in a transaction that must fail, and returns the error. */
  const refused = async (op: Operation): Promise<Error & { code?: string }> => {
    try {
      await conn.session.transaction!(async (tx) => {
        for (const s of dialect.compiler.compile(op, ruleContext())) await tx.execute(s);
      });
    } catch (error) {
      return error as Error & { code?: string };
    }
    return expect.fail('the operation ran');
  };
  const labels = async (type: string) =>
    (await rows<{ r: string[] }>(`SELECT enum_range(NULL::${type})::text[] AS r`))[0]?.r;
  /** `table.column: type [= default]` for every column of the tables. */
  const columns = async (...tables: string[]) =>
    (
      await rows<{ c: string }>(
        `SELECT a.attrelid::regclass || '.' || a.attname || ': ' || format_type(a.atttypid, a.atttypmod)
            || coalesce(' = ' || pg_get_expr(d.adbin, d.adrelid), '') AS c
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid IN (${tables.map((t) => `'${t}'::regclass`).join(', ')}) AND a.attnum > 0
             AND NOT a.attisdropped
           ORDER BY a.attrelid::regclass::text, a.attnum`,
      )
    ).map((r) => r.c);
  const leftovers = async () => rows(`SELECT typname FROM pg_type WHERE typname LIKE '%cairn_old%'`);

  it('removes a value from an enum in its own schema, converting columns in two schemas, arrays and defaults', async () => {
    await run(
      'CREATE SCHEMA e1',
      'CREATE SCHEMA e1_other',
      `CREATE TYPE e1.mood AS ENUM ('happy', 'ok', 'sad', 'meh')`,
      `CREATE TABLE e1.person (id integer PRIMARY KEY, m e1.mood NOT NULL DEFAULT 'ok',
         history e1.mood[] DEFAULT '{happy,ok}', label text DEFAULT ('meh'::e1.mood)::text)`,
      'CREATE INDEX person_m ON e1.person (m)',
      `CREATE TABLE e1_other.visit (id integer, m e1.mood DEFAULT 'meh', UNIQUE (m, id))`,
      `INSERT INTO e1.person (id, m, history) VALUES (1, 'happy', '{ok,meh}'), (2, 'meh', NULL), (3, 'ok', '{}')`,
      `INSERT INTO e1_other.visit VALUES (1, 'happy'), (2, NULL)`,
    );
    await apply(dropEnumValue({ schema: 'e1', name: 'mood' }, 'sad'));

    expect(await labels('e1.mood')).toEqual(['happy', 'ok', 'meh']);
    expect(await columns('e1.person', 'e1_other.visit')).toEqual([
      'e1.person.id: integer',
      `e1.person.m: e1.mood = 'ok'::e1.mood`,
      `e1.person.history: e1.mood[] = '{happy,ok}'::e1.mood[]`,
      `e1.person.label: text = ('meh'::e1.mood)::text`,
      'e1_other.visit.id: integer',
      `e1_other.visit.m: e1.mood = 'meh'::e1.mood`,
    ]);
    expect(await rows('SELECT id, m, history FROM e1.person ORDER BY id')).toEqual([
      { id: 1, m: 'happy', history: '{ok,meh}' },
      { id: 2, m: 'meh', history: null },
      { id: 3, m: 'ok', history: '{}' },
    ]);
    expect(await rows('SELECT id, m FROM e1_other.visit ORDER BY id')).toEqual([
      { id: 1, m: 'happy' },
      { id: 2, m: null },
    ]);
    // Indexes are rebuilt, restored defaults work, the value is gone, the old type too.
    expect(
      await rows(
        `SELECT indexrelid::regclass::text AS i FROM pg_index WHERE indrelid = 'e1.person'::regclass ORDER BY 1`,
      ),
    ).toEqual([{ i: 'e1.person_m' }, { i: 'e1.person_pkey' }]);
    expect(await rows('INSERT INTO e1.person (id) VALUES (4) RETURNING m, history, label')).toEqual([
      { m: 'ok', history: '{happy,ok}', label: 'meh' },
    ]);
    await expect(rows(`SELECT 'sad'::e1.mood`)).rejects.toThrow(/invalid input value for enum e1.mood: "sad"/);
    expect(await leftovers()).toEqual([]);
  });

  it('with replaceWith, updates the rows and array elements holding the value, and a default that is the value', async () => {
    await run(
      'CREATE SCHEMA e2',
      'CREATE SCHEMA e2_other',
      `CREATE TYPE e2.level AS ENUM ('low', 'mid', 'high')`,
      `CREATE TABLE e2.t (id integer, l e2.level DEFAULT 'mid', ls e2.level[] DEFAULT '{low}')`,
      `CREATE TABLE e2_other.u (l e2.level NOT NULL DEFAULT 'high')`,
      `INSERT INTO e2.t VALUES (1, 'low', '{low,mid}'), (2, 'mid', '{mid}'), (3, 'high', NULL), (4, NULL, '{}')`,
      `INSERT INTO e2_other.u VALUES ('mid'), ('high')`,
    );
    await apply(dropEnumValue({ schema: 'e2', name: 'level' }, 'mid', { replaceWith: 'high' }));

    expect(await labels('e2.level')).toEqual(['low', 'high']);
    expect(await rows('SELECT id, l, ls FROM e2.t ORDER BY id')).toEqual([
      { id: 1, l: 'low', ls: '{low,high}' },
      { id: 2, l: 'high', ls: '{high}' },
      { id: 3, l: 'high', ls: null },
      { id: 4, l: null, ls: '{}' },
    ]);
    expect(await rows('SELECT l FROM e2_other.u ORDER BY l')).toEqual([{ l: 'high' }, { l: 'high' }]);
    // The default that was the removed value now is replaceWith, as the rows are.
    expect(await columns('e2.t', 'e2_other.u')).toEqual([
      'e2.t.id: integer',
      `e2.t.l: e2.level = 'high'::e2.level`,
      `e2.t.ls: e2.level[] = '{low}'::e2.level[]`,
      `e2_other.u.l: e2.level = 'high'::e2.level`,
    ]);
  });

  it('refuses, without replaceWith, while rows hold the value: names table, column and count; the type is untouched', async () => {
    await run(
      'CREATE SCHEMA e3',
      `CREATE TYPE e3.mood AS ENUM ('happy', 'sad')`,
      'CREATE TABLE e3.t (m e3.mood, ms e3.mood[])',
      `INSERT INTO e3.t VALUES ('sad', '{happy,sad}'), ('sad', NULL), ('happy', '{happy}')`,
    );
    const before = await rows(`SELECT 'e3.mood'::regtype::oid AS oid`);
    const error = await refused(dropEnumValue({ schema: 'e3', name: 'mood' }, 'sad'));
    expect(error.code).toBe('55000');
    expect(error.message).toBe(
      `drop_enum_value: cannot drop value 'sad' from enum e3.mood: rows still hold it, in e3.t.m (2 rows), e3.t.ms (1 row). Pass replaceWith (dropEnumValue(name, value, { replaceWith })) to set them to another value, or update them first`,
    );
    expect(await rows(`SELECT 'e3.mood'::regtype::oid AS oid`)).toEqual(before);
    expect(await labels('e3.mood')).toEqual(['happy', 'sad']);
    expect(await columns('e3.t')).toEqual(['e3.t.m: e3.mood', 'e3.t.ms: e3.mood[]']);
    expect(await rows('SELECT count(*)::int AS n FROM e3.t')).toEqual([{ n: 3 }]);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a default that uses the removed value (without replaceWith), before any rewrite', async () => {
    await run(
      'CREATE SCHEMA e4',
      `CREATE TYPE e4.mood AS ENUM ('happy', 'sad')`,
      `CREATE TABLE e4.a (m e4.mood DEFAULT 'happy')`,
      `CREATE TABLE e4.t (m e4.mood DEFAULT 'sad', ms e4.mood[] DEFAULT '{sad}')`,
    );
    const error = await refused(dropEnumValue({ schema: 'e4', name: 'mood' }, 'sad'));
    expect(error.code).toBe('55000');
    expect(error.message).toMatch(
      /^drop_enum_value: cannot drop value 'sad' from enum e4\.mood: the default of column e4\.t\.m uses it \(DEFAULT 'sad'::e4\.mood\)\. Change that default first \(op\.alterColumn with a new default\), or pass replaceWith/,
    );
    expect(await labels('e4.mood')).toEqual(['happy', 'sad']);
    expect(await columns('e4.a', 'e4.t')).toEqual([
      `e4.a.m: e4.mood = 'happy'::e4.mood`,
      `e4.t.m: e4.mood = 'sad'::e4.mood`,
      `e4.t.ms: e4.mood[] = '{sad}'::e4.mood[]`,
    ]);
    // replaceWith rewrites a default that is the value itself, but not an array literal holding it.
    const array = await refused(dropEnumValue({ schema: 'e4', name: 'mood' }, 'sad', { replaceWith: 'happy' }));
    expect(array.message).toMatch(/the default of column e4\.t\.ms uses it \(DEFAULT '\{sad\}'::e4\.mood\[\]\)/);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses when a view reads a column of the enum, naming the view schema-qualified', async () => {
    await run(
      'CREATE SCHEMA e5',
      'CREATE SCHEMA e5_views',
      `CREATE TYPE e5.mood AS ENUM ('happy', 'sad')`,
      'CREATE TABLE e5.t (id integer, m e5.mood)',
      'CREATE VIEW e5_views.moods AS SELECT id, m FROM e5.t',
    );
    const error = await refused(dropEnumValue({ schema: 'e5', name: 'mood' }, 'sad'));
    expect(error.code).toBe('2BP01');
    expect(error.message).toBe(
      `drop_enum_value: cannot drop value 'sad' from enum e5.mood: these objects depend on the type or on a column using it: view e5_views.moods. cairn converts only table columns and their defaults, and does not recreate other objects (their definitions may use the value): drop them before this operation and recreate them after it, in the same migration (e.g. op.execute("DROP VIEW ...") before it, op.execute("CREATE VIEW ...") after it)`,
    );
    expect(await labels('e5.mood')).toEqual(['happy', 'sad']);
    // A view that only filters on the column (no enum output column) is found through the column.
    await run('DROP VIEW e5_views.moods', 'CREATE VIEW e5_views.ids AS SELECT id FROM e5.t WHERE m IS NOT NULL');
    expect((await refused(dropEnumValue({ schema: 'e5', name: 'mood' }, 'sad'))).message).toMatch(
      /using it: view e5_views\.ids\. /,
    );
    // Dropped around the operation, as the message says, it works.
    await run('DROP VIEW e5_views.ids');
    await apply(dropEnumValue({ schema: 'e5', name: 'mood' }, 'sad'));
    expect(await labels('e5.mood')).toEqual(['happy']);
  });

  it('names every other kind of dependent object, from the type or from a column of it', async () => {
    await run(
      'CREATE SCHEMA e6',
      `CREATE TYPE e6.mood AS ENUM ('happy', 'ok', 'sad')`,
      `CREATE TABLE e6.t (id integer, m e6.mood, g boolean GENERATED ALWAYS AS (m IS NULL) STORED,
         CONSTRAINT t_not_ok CHECK (m <> 'ok'))`,
      `CREATE FUNCTION e6.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'`,
      'CREATE TRIGGER tr BEFORE UPDATE ON e6.t FOR EACH ROW WHEN (NEW.m IS DISTINCT FROM OLD.m) EXECUTE FUNCTION e6.touch()',
      'CREATE POLICY p ON e6.t USING (m IS NOT NULL)',
      'CREATE RULE r AS ON INSERT TO e6.t WHERE NEW.m IS NULL DO INSTEAD NOTHING',
      'CREATE TYPE e6.span AS RANGE (subtype = e6.mood)',
      `CREATE INDEX t_happy ON e6.t (id) WHERE m = 'happy'`,
      'CREATE MATERIALIZED VIEW e6.mv AS SELECT id FROM e6.t WHERE m IS NOT NULL',
      `CREATE FUNCTION e6.cheer(m e6.mood) RETURNS integer LANGUAGE sql AS 'SELECT 1'`,
      'CREATE DOMAIN e6.happy_mood AS e6.mood',
      'CREATE TYPE e6.pair AS (a e6.mood, b integer)',
    );
    const error = await refused(dropEnumValue({ schema: 'e6', name: 'mood' }, 'sad'));
    expect(error.code).toBe('2BP01');
    expect(error.message).toContain(
      'these objects depend on the type or on a column using it: composite type column e6.pair.a; domain e6.happy_mood; function e6.cheer(e6.mood); generated column e6.t.g; index e6.t_happy; materialized view e6.mv; policy p on e6.t; rule r on e6.t; table constraint t_not_ok on e6.t; trigger tr on e6.t; type e6.span. ',
    );
    expect(await labels('e6.mood')).toEqual(['happy', 'ok', 'sad']);
  });

  it('handles a value with quotes and $$ in a quoted type name resolved through search_path', async () => {
    const odd = "it's $$ odd $cairn$";
    await run(
      'CREATE SCHEMA "e7 ""odd"""',
      `CREATE TYPE "e7 ""odd"""."My ""Mood""" AS ENUM ('plain', 'it''s $$ odd $cairn$', 'other')`,
      `CREATE TABLE "e7 ""odd"""."T" ("M" "e7 ""odd"""."My ""Mood""" DEFAULT 'it''s $$ odd $cairn$', x integer)`,
      `INSERT INTO "e7 ""odd"""."T" VALUES ('it''s $$ odd $cairn$', 1), ('plain', 2)`,
    );
    const other = await openPostgres(database.url(), { schema: 'e7 "odd"' });
    try {
      for (const s of dialect.compiler.compile(
        dropEnumValue('My "Mood"', odd, { replaceWith: 'other' }),
        ruleContext(),
      ))
        await other.session.execute(s);
    } finally {
      await other.close();
    }
    expect(await labels('"e7 ""odd"""."My ""Mood"""')).toEqual(['plain', 'other']);
    expect(await rows('SELECT "M" AS m FROM "e7 ""odd"""."T" ORDER BY x')).toEqual([{ m: 'other' }, { m: 'plain' }]);
    expect(await columns('"e7 ""odd"""."T"')).toEqual([
      `"e7 ""odd"""."T".M: "e7 ""odd"""."My ""Mood""" = 'other'::"e7 ""odd"""."My ""Mood"""`,
      `"e7 ""odd"""."T".x: integer`,
    ]);
  });

  it('keeps foreign keys between columns of the enum, partitions, inheritance children, comment and privileges', async () => {
    await run(
      'CREATE SCHEMA e8',
      `CREATE TYPE e8.kind AS ENUM ('a', 'b', 'c')`,
      `COMMENT ON TYPE e8.kind IS 'what it is'`,
      'REVOKE USAGE ON TYPE e8.kind FROM PUBLIC',
      'CREATE TABLE e8.kinds (k e8.kind PRIMARY KEY)',
      'CREATE TABLE e8.thing (id integer, k e8.kind REFERENCES e8.kinds ON DELETE CASCADE)',
      `CREATE TABLE e8.parted (id integer, k e8.kind DEFAULT 'a') PARTITION BY RANGE (id)`,
      'CREATE TABLE e8.parted_1 PARTITION OF e8.parted FOR VALUES FROM (0) TO (10)',
      `ALTER TABLE e8.parted_1 ALTER COLUMN k SET DEFAULT 'c'`,
      'CREATE TABLE e8.parent (k e8.kind)',
      `CREATE TABLE e8.child (extra integer, k e8.kind DEFAULT 'a') INHERITS (e8.parent)`,
      `INSERT INTO e8.kinds VALUES ('a'), ('c')`,
      `INSERT INTO e8.thing VALUES (1, 'a'), (2, 'c')`,
      `INSERT INTO e8.parted VALUES (1, 'a'), (2, 'c')`,
      `INSERT INTO e8.child VALUES ('c', 1)`,
    );
    const type = `SELECT typacl::text[] AS acl, obj_description(oid, 'pg_type') AS comment FROM pg_type WHERE oid = 'e8.kind'::regtype`;
    const before = await rows(type);
    expect(before).toEqual([{ acl: ['postgres=U/postgres'], comment: 'what it is' }]);
    await apply(dropEnumValue({ schema: 'e8', name: 'kind' }, 'b'));

    expect(await labels('e8.kind')).toEqual(['a', 'c']);
    expect(await rows(type)).toEqual(before);
    expect(
      await rows(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'e8.thing'::regclass`,
      ),
    ).toEqual([{ conname: 'thing_k_fkey', def: 'FOREIGN KEY (k) REFERENCES e8.kinds(k) ON DELETE CASCADE' }]);
    await expect(run(`INSERT INTO e8.thing VALUES (3, 'c'), (4, NULL)`)).resolves.toBeUndefined();
    await run(`DELETE FROM e8.kinds WHERE k = 'c'`);
    expect(await rows('SELECT id, k FROM e8.thing ORDER BY id')).toEqual([
      { id: 1, k: 'a' },
      { id: 4, k: null },
    ]);
    expect(await columns('e8.parted', 'e8.parted_1', 'e8.parent', 'e8.child')).toEqual([
      `e8.child.k: e8.kind = 'a'::e8.kind`,
      'e8.child.extra: integer',
      'e8.parent.k: e8.kind',
      'e8.parted.id: integer',
      `e8.parted.k: e8.kind = 'a'::e8.kind`,
      'e8.parted_1.id: integer',
      `e8.parted_1.k: e8.kind = 'c'::e8.kind`,
    ]);
    expect(await rows('SELECT id, k FROM e8.parted ORDER BY id')).toEqual([
      { id: 1, k: 'a' },
      { id: 2, k: 'c' },
    ]);
    expect(await rows('SELECT k FROM e8.parent')).toEqual([{ k: 'c' }]);
  });

  describe('in a migration', () => {
    const setup = (schema: string) =>
      run(
        `CREATE SCHEMA ${schema}`,
        `CREATE TYPE ${schema}.status AS ENUM ('draft', 'review', 'live')`,
        `CREATE TABLE ${schema}.doc (id integer, status ${schema}.status NOT NULL DEFAULT 'draft')`,
        `CREATE VIEW ${schema}.live_docs AS SELECT id FROM ${schema}.doc WHERE status = 'live'`,
        `INSERT INTO ${schema}.doc VALUES (1, 'draft'), (2, 'review'), (3, 'live')`,
      );
    const revision = (id: string) => ({
      revision: id,
      downRevision: [],
      branchLabels: [],
      dependsOn: [],
      message: id,
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      transaction: true,
    });
    /** The migration drops the view around the operation (unless `keepView`), as the refusal asks. */
    const loader = (schema: string, keepView = false): MigrationLoader => ({
      async load() {
        return {
          checksum: schema,
          async run(direction, ctx) {
            if (direction !== 'up') return;
            if (!keepView) await ctx.op.execute(`DROP VIEW ${schema}.live_docs`);
            await ctx.op.dropEnumValue({ schema, name: 'status' }, 'review', { replaceWith: 'draft' });
            if (!keepView)
              await ctx.op.execute(
                `CREATE VIEW ${schema}.live_docs AS SELECT id FROM ${schema}.doc WHERE status = 'live'`,
              );
          },
        };
      },
    });
    const migrator = (schema: string, keepView: boolean) =>
      new Migrator({
        graph: RevisionGraph.from([revision(`${schema}_1`)]),
        dialect,
        session: conn.session,
        loader: loader(schema, keepView),
        versionTable: { schema, name: 'version' },
        historyTable: { schema, name: 'history' },
        toolVersion: 'test',
      });
    const expectDone = async (schema: string) => {
      expect(await labels(`${schema}.status`)).toEqual(['draft', 'live']);
      expect(await rows(`SELECT id, status FROM ${schema}.doc ORDER BY id`)).toEqual([
        { id: 1, status: 'draft' },
        { id: 2, status: 'draft' },
        { id: 3, status: 'live' },
      ]);
      expect(await rows(`SELECT id FROM ${schema}.live_docs`)).toEqual([{ id: 3 }]);
    };

    it('runs online in the step transaction; a refusal rolls the whole step back', async () => {
      await setup('e10');
      const failed = await migrator('e10', true).upgrade('heads');
      expect(failed.failed?.error.code).toBe('MIGRATION_FAILED');
      expect(failed.failed?.error.message).toMatch(
        /^upgrade of revision 'e10_1' failed: drop_enum_value: cannot drop value 'review' from enum e10\.status: these objects depend on the type or on a column using it: view e10\.live_docs\. /,
      );
      expect(await rows('SELECT * FROM e10.version')).toEqual([]);
      expect(await labels('e10.status')).toEqual(['draft', 'review', 'live']);
      expect(await rows(`SELECT count(*)::int AS n FROM e10.doc WHERE status = 'review'`)).toEqual([{ n: 1 }]);

      const done = await migrator('e10', false).upgrade('heads');
      expect(done.failed?.error.message).toBeUndefined();
      expect(await rows('SELECT version_num FROM e10.version')).toEqual([{ version_num: 'e10_1' }]);
      await expectDone('e10');
    });

    it('runs from an offline --sql script', async () => {
      await setup('e11');
      const script = await offlineScript({
        graph: RevisionGraph.from([revision('e11_1')]),
        dialect,
        loader: loader('e11'),
        direction: 'up',
        target: 'heads',
        versionTable: { schema: 'e11', name: 'version' },
        historyTable: { schema: 'e11', name: 'history' },
        toolVersion: 'test',
      });
      expect(script).toContain('\nDO $cairn$\nDECLARE\n');
      // The script as psql would run it: every statement in one simple-protocol round trip.
      await conn.client.query(script);
      await expectDone('e11');
    });
  });

  it('refuses a value the enum lacks, a replaceWith it lacks, a missing type and a type that is not an enum', async () => {
    await run('CREATE SCHEMA e9', `CREATE TYPE e9.mood AS ENUM ('happy', 'sad')`, 'CREATE TYPE e9.pair AS (a integer)');
    const e9 = (name: string) => ({ schema: 'e9', name });
    expect(await refused(dropEnumValue(e9('mood'), 'meh'))).toMatchObject({
      code: '22023',
      message: `drop_enum_value: enum e9.mood has no value 'meh' (its values: 'happy', 'sad')`,
    });
    expect(await refused(dropEnumValue(e9('mood'), 'sad', { replaceWith: 'meh' }))).toMatchObject({
      code: '22023',
      message: `drop_enum_value: replaceWith 'meh' is not a value of enum e9.mood (its values: 'happy', 'sad')`,
    });
    expect(await refused(dropEnumValue(e9('nope'), 'sad'))).toMatchObject({
      code: '42704',
      message: 'drop_enum_value: type "e9"."nope" does not exist',
    });
    expect(await refused(dropEnumValue(e9('pair'), 'a'))).toMatchObject({
      code: '42809',
      message: 'drop_enum_value: type e9.pair is not an enum',
    });
  });
});
