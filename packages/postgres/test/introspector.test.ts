import {
  addEnumValue,
  bigint,
  binary,
  boolean,
  CairnError,
  char,
  column,
  createEnum,
  createIndex,
  createTable,
  currentTimestampDefault,
  date,
  double,
  enumType,
  expressionDefault,
  integer,
  json,
  numeric,
  type Operation,
  rawType,
  real,
  type Session,
  type Statement,
  serial,
  smallint,
  statement,
  type TableModel,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTable, introspect, openPostgres, type PostgresConnection, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';
import { ruleContext } from './rule-context.js';

const dialect = postgresDialect();
const database = testDatabase();
let conn: PostgresConnection;
let session: Session;

const run = async (sql: string) => {
  await session.execute(statement(sql));
};
const apply = async (...ops: Operation[]) => {
  for (const op of ops) for (const s of dialect.compiler.compile(op, ruleContext())) await session.execute(s);
};
const searchPath = async (s: Session = session) =>
  (await s.query<{ search_path: string }>(statement('SHOW search_path')))[0]!.search_path;

/** A session that counts the statements sent through it (transaction control included, via `tx`). */
function counting(inner: Session): { readonly session: Session; readonly count: () => number } {
  let count = 0;
  const wrap = (s: Session): Session => ({
    query: <R extends Readonly<Record<string, unknown>>>(stmt: Statement) => {
      count += 1;
      return s.query<R>(stmt);
    },
    execute: (stmt: Statement) => {
      count += 1;
      return s.execute(stmt);
    },
    ...(s.transaction === undefined
      ? {}
      : {
          transaction: <T>(work: (tx: Session) => Promise<T>) => {
            // BEGIN/SAVEPOINT and COMMIT/ROLLBACK are round trips too.
            count += 2;
            return s.transaction!((tx) => work(wrap(tx)));
          },
        }),
  });
  return { session: wrap(inner), count: () => count };
}

/** The session without `transaction`, as a driver that cannot run transactions would give it. */
function withoutTransactions(inner: Session): Session {
  return { query: (stmt) => inner.query(stmt), execute: (stmt) => inner.execute(stmt) };
}

const mood = enumType('mood', ['happy', 'ok', 'sad', "it's"]);
const color = enumType({ schema: 'side', name: 'color' }, ['red', 'green']);

beforeAll(async () => {
  conn = await openPostgres(database.url());
  session = conn.session;
  await run('CREATE SCHEMA side');
  await apply(
    createEnum('mood', ['happy', 'sad', "it's"]),
    // Inserted mid-list: its enumsortorder (1.5) puts it between, whatever its oid.
    addEnumValue('mood', 'ok', { before: 'sad' }),
    createEnum({ schema: 'side', name: 'color' }, ['red', 'green']),
    createEnum('zebra', ['z']),
    createTable({
      name: 'parent',
      columns: [column('a', integer(), { nullable: false }), column('b', text(), { nullable: false })],
      primaryKey: { name: 'parent_pk', columns: ['a', 'b'] },
      uniques: [{ name: 'parent_b_key', columns: ['b'] }],
    }),
    createTable({
      name: 'child',
      columns: [
        column('id', serial(), { nullable: false }),
        column('small', smallint({ identity: 'always' })),
        column('big', bigint({ identity: 'by_default' })),
        column('flag', boolean(), { nullable: false, default: true }),
        column('title', text(), { default: "it's", comment: "the child's title" }),
        column('code', varchar(12), { default: 'x' }),
        column('iso', char(2), { default: 'ab' }),
        column('price', numeric(10, 2), { default: 1.5 }),
        column('plain_numeric', numeric(), { default: -2.25 }),
        column('ratio', real(), { default: 0.5 }),
        column('precise', double(), { default: -1 }),
        column('born', date()),
        column('alarm', time()),
        column('created_at', timestamp(), { default: currentTimestampDefault() }),
        column('seen_at', timestamp({ withTimeZone: true }), { default: expressionDefault('now()') }),
        column('doc', json(), { default: '{"b": 1, "a": [1, 2]}' }),
        column('uid', uuid(), { default: expressionDefault('gen_random_uuid()') }),
        column('bytes', binary()),
        column('feeling', mood, { default: 'happy' }),
        column('shade', color, { default: 'green' }),
        column('sum', integer(), { default: expressionDefault('1+2') }),
        column('big_count', bigint(), { default: 2147483648 }),
        column('pa', integer()),
        column('pb', text()),
      ],
      primaryKey: { name: 'child_pkey', columns: ['id'] },
      uniques: [{ name: 'child_code_iso_key', columns: ['iso', 'code'] }],
      checks: [
        { name: 'child_small_check', expression: 'small > 0' },
        { name: 'child_ratio_check', expression: 'ratio >= 0' },
      ],
      foreignKeys: [
        {
          name: 'child_parent_fk',
          columns: ['pb', 'pa'],
          references: { table: 'parent', columns: ['b', 'a'] },
          onDelete: 'cascade',
          onUpdate: 'restrict',
        },
        { name: 'child_parent_b_fk', columns: ['pb'], references: { table: 'parent', columns: ['b'] } },
      ],
      comment: 'a child row',
    }),
    createIndex('child_title_partial', 'child', ['title'], { where: 'flag AND price > 1' }),
    createIndex('child_created_desc', 'child', [{ kind: 'column', name: 'created_at', order: 'desc' }], {
      unique: true,
    }),
    createIndex('child_lower_title', 'child', [
      { kind: 'expression', sql: 'lower(title)' },
      { kind: 'column', name: 'code', order: 'asc' },
      { kind: 'expression', sql: 'ratio * 2', order: 'desc' },
    ]),
    createTable({
      name: { schema: 'side', name: 'item' },
      columns: [
        column('id', integer(), { nullable: false }),
        column('shade', color),
        column('feeling', mood),
        column('pa', integer()),
        column('pb', text()),
      ],
      primaryKey: ['id'],
      foreignKeys: [
        {
          name: 'item_parent_fk',
          columns: ['pa', 'pb'],
          references: { table: 'parent', columns: ['a', 'b'] },
          onDelete: 'set_null',
          onUpdate: 'set_default',
        },
      ],
    }),
    createTable({
      name: 'back_ref',
      columns: [column('item_id', integer())],
      foreignKeys: [
        {
          name: 'back_ref_item_fk',
          columns: ['item_id'],
          references: { table: { schema: 'side', name: 'item' }, columns: ['id'] },
          onDelete: 'no_action',
        },
      ],
    }),
  );
});
afterAll(async () => {
  await conn?.close();
});

/** What `describeTable('child')` must read: the definition above, as PostgreSQL keeps it. */
const expectedChild: TableModel = {
  name: { name: 'child' },
  columns: [
    column('id', integer({ identity: 'by_default' }), { nullable: false }),
    column('small', smallint({ identity: 'always' }), { nullable: false }),
    column('big', bigint({ identity: 'by_default' }), { nullable: false }),
    column('flag', boolean(), { nullable: false, default: true }),
    column('title', text(), { default: "it's", comment: "the child's title" }),
    column('code', varchar(12), { default: 'x' }),
    column('iso', char(2), { default: 'ab' }),
    column('price', numeric(10, 2), { default: 1.5 }),
    column('plain_numeric', numeric(), { default: -2.25 }),
    column('ratio', real(), { default: 0.5 }),
    column('precise', double(), { default: -1 }),
    column('born', date()),
    column('alarm', time()),
    column('created_at', timestamp(), { default: currentTimestampDefault() }),
    column('seen_at', timestamp({ withTimeZone: true }), { default: currentTimestampDefault() }),
    // jsonb keeps its own form: keys shorter first, then sorted; ", " and ": ".
    column('doc', json(), { default: '{"a": [1, 2], "b": 1}' }),
    column('uid', uuid(), { default: expressionDefault('gen_random_uuid()') }),
    column('bytes', binary()),
    column('feeling', mood, { default: 'happy' }),
    column('shade', color, { default: 'green' }),
    column('sum', integer(), { default: expressionDefault('1 + 2') }),
    column('big_count', bigint(), { default: 2147483648 }),
    column('pa', integer()),
    column('pb', text()),
  ],
  primaryKey: { name: 'child_pkey', columns: ['id'] },
  uniques: [{ name: 'child_code_iso_key', columns: ['iso', 'code'] }],
  checks: [
    // PostgreSQL keeps the parsed expression and prints it back with the implicit casts.
    { name: 'child_ratio_check', expression: 'ratio >= (0)::double precision' },
    { name: 'child_small_check', expression: 'small > 0' },
  ],
  foreignKeys: [
    { name: 'child_parent_b_fk', columns: ['pb'], references: { table: { name: 'parent' }, columns: ['b'] } },
    {
      name: 'child_parent_fk',
      columns: ['pb', 'pa'],
      references: { table: { name: 'parent' }, columns: ['b', 'a'] },
      onDelete: 'cascade',
      onUpdate: 'restrict',
    },
  ],
  comment: 'a child row',
  indexes: [
    {
      name: 'child_created_desc',
      table: { name: 'child' },
      columns: [{ kind: 'column', name: 'created_at', order: 'desc' }],
      unique: true,
    },
    {
      name: 'child_lower_title',
      table: { name: 'child' },
      columns: [
        { kind: 'expression', sql: 'lower(title)' },
        { kind: 'column', name: 'code' },
        { kind: 'expression', sql: 'ratio * (2)::double precision', order: 'desc' },
      ],
    },
    {
      name: 'child_title_partial',
      table: { name: 'child' },
      columns: [{ kind: 'column', name: 'title' }],
      where: 'flag AND (price > (1)::numeric)',
    },
  ],
};

describe('describeTable', () => {
  it('reads every portable type, default, identity, constraint, index and comment back', async () => {
    expect(await describeTable(session, { name: 'child' })).toStrictEqual(expectedChild);
  });

  it('reads enum labels in enumsortorder, not in the order they were added', async () => {
    const child = await describeTable(session, { name: 'child' });
    expect(child?.columns.find((c) => c.name === 'feeling')?.type).toStrictEqual(mood);
  });

  it('reads a table in another schema with a qualified name, and current-schema references unqualified', async () => {
    expect(await describeTable(session, { schema: 'side', name: 'item' })).toStrictEqual({
      name: { schema: 'side', name: 'item' },
      columns: [
        column('id', integer(), { nullable: false }),
        column('shade', color),
        column('feeling', mood),
        column('pa', integer()),
        column('pb', text()),
      ],
      primaryKey: { name: 'item_pkey', columns: ['id'] },
      uniques: [],
      checks: [],
      foreignKeys: [
        {
          name: 'item_parent_fk',
          columns: ['pa', 'pb'],
          references: { table: { name: 'parent' }, columns: ['a', 'b'] },
          onDelete: 'set_null',
          onUpdate: 'set_default',
        },
      ],
      indexes: [],
    });
    const back = await describeTable(session, { name: 'back_ref' });
    expect(back?.foreignKeys).toStrictEqual([
      {
        name: 'back_ref_item_fk',
        columns: ['item_id'],
        references: { table: { schema: 'side', name: 'item' }, columns: ['id'] },
      },
    ]);
    expect(back?.primaryKey).toBeUndefined();
  });

  it('names every constraint, as PostgreSQL does, and leaves constraint-backed indexes to the constraints', async () => {
    const parent = await describeTable(session, { name: 'parent' });
    expect(parent?.primaryKey).toStrictEqual({ name: 'parent_pk', columns: ['a', 'b'] });
    expect(parent?.uniques).toStrictEqual([{ name: 'parent_b_key', columns: ['b'] }]);
    expect(parent?.indexes).toStrictEqual([]);
  });

  it('resolves an unqualified name through the search_path, as the migration SQL would', async () => {
    await run('CREATE TABLE side.only_side (x integer)');
    expect(await describeTable(session, { name: 'only_side' })).toBeUndefined();
    await session.transaction!(async (tx) => {
      await tx.execute(statement('SET LOCAL search_path = public, side'));
      const found = await describeTable(tx, { name: 'only_side' });
      // Found through the path, but named as what it is: outside the current schema (public).
      expect(found?.name).toStrictEqual({ schema: 'side', name: 'only_side' });
    });
  });

  it('describes missing tables, views and sequences as undefined', async () => {
    await run('CREATE VIEW child_view AS SELECT id FROM child');
    await run('CREATE SEQUENCE lonely_seq');
    for (const name of ['missing', 'child_view', 'lonely_seq', 'child_pkey'])
      expect(await describeTable(session, { name }), name).toBeUndefined();
    expect(await describeTable(session, { schema: 'no_such_schema', name: 'child' })).toBeUndefined();
  });

  it('reads raw types in format_type spelling, or as the portable type they spell', async () => {
    await apply(
      createTable({
        name: 'raws',
        columns: [
          column('j', rawType('json')),
          column('ts3', rawType('timestamp(3)')),
          column('tz', rawType('timetz')),
          column('arr', rawType('int4[]')),
          column('vc', rawType('varchar')),
          column('vc10', rawType('character varying(10)')),
          column('i4', rawType('int4')),
          column('f8', rawType('float8')),
          column('n10', rawType('numeric(10)')),
          column('bp', rawType('bpchar')),
          column('ch', rawType('"char"')),
          column('ivl', rawType('interval'), { default: '1 day' }),
          column('tags', rawType('text[]'), { default: '{}' }),
          column('mood_list', rawType('mood[]')),
          column('colors', rawType('side.color[]')),
        ],
      }),
    );
    const raws = await describeTable(session, { name: 'raws' });
    expect(raws?.columns).toStrictEqual([
      column('j', rawType('json')),
      column('ts3', rawType('timestamp(3) without time zone')),
      column('tz', rawType('time with time zone')),
      column('arr', rawType('integer[]')),
      column('vc', rawType('character varying')),
      column('vc10', varchar(10)),
      column('i4', integer()),
      column('f8', double()),
      column('n10', numeric(10, 0)),
      column('bp', rawType('bpchar')),
      column('ch', rawType('"char"')),
      column('ivl', rawType('interval'), { default: '1 day' }),
      column('tags', rawType('text[]'), { default: '{}' }),
      column('mood_list', rawType('mood[]')),
      column('colors', rawType('side.color[]')),
    ]);
  });

  it('reads a legacy serial as an identity by default, and a shared sequence as an expression', async () => {
    await run('CREATE SEQUENCE shared_seq');
    await run(
      "CREATE TABLE legacy (a serial, b bigserial, c smallserial, d integer DEFAULT nextval('shared_seq'), e integer GENERATED ALWAYS AS (a * 2) STORED)",
    );
    const legacy = await describeTable(session, { name: 'legacy' });
    // The generated column `e` is not modelled and is left out.
    expect(legacy?.columns).toStrictEqual([
      column('a', integer({ identity: 'by_default' }), { nullable: false }),
      column('b', bigint({ identity: 'by_default' }), { nullable: false }),
      column('c', smallint({ identity: 'by_default' }), { nullable: false }),
      column('d', integer(), { default: expressionDefault("nextval('shared_seq'::regclass)") }),
    ]);
  });

  it('reads defaults: literals without their casts, numbers exactly, everything else as an expression', async () => {
    await run(`CREATE TABLE defaults (
      neg integer DEFAULT -5, neg_big bigint DEFAULT -5, neg_double double precision DEFAULT -1.5,
      huge numeric DEFAULT 1e21, tiny double precision DEFAULT 1e-7, scaled numeric DEFAULT 1.50,
      str_num integer DEFAULT '7', str_double double precision DEFAULT '2.5', nan double precision DEFAULT 'NaN',
      yes boolean DEFAULT 'yes', uid uuid DEFAULT '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}',
      day date DEFAULT '2020-01-01', ts timestamptz DEFAULT transaction_timestamp(), local timestamp DEFAULT LOCALTIMESTAMP,
      concat text DEFAULT 'a' || 'b', quoted text DEFAULT 'say ''hi''', empty text DEFAULT '',
      unexact bigint DEFAULT 9007199254740993, long_decimal numeric DEFAULT 12345678901234567890.5, nul text DEFAULT NULL,
      other_shade side.color DEFAULT 'red'
    )`);
    const defaults = await describeTable(session, { name: 'defaults' });
    expect(Object.fromEntries(defaults!.columns.map((c) => [c.name, c.default]))).toStrictEqual({
      neg: { kind: 'literal', value: -5 },
      neg_big: { kind: 'literal', value: -5 },
      neg_double: { kind: 'literal', value: -1.5 },
      huge: { kind: 'literal', value: 1e21 },
      tiny: { kind: 'literal', value: 1e-7 },
      scaled: { kind: 'literal', value: 1.5 },
      str_num: { kind: 'literal', value: 7 },
      str_double: { kind: 'literal', value: 2.5 },
      nan: { kind: 'literal', value: 'NaN' },
      yes: { kind: 'literal', value: true },
      uid: { kind: 'literal', value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
      day: { kind: 'literal', value: '2020-01-01' },
      ts: { kind: 'current_timestamp' },
      local: { kind: 'expression', sql: 'LOCALTIMESTAMP' },
      concat: { kind: 'expression', sql: "'a'::text || 'b'::text" },
      quoted: { kind: 'literal', value: "say 'hi'" },
      empty: { kind: 'literal', value: '' },
      // No JavaScript number holds these exactly: the digits as a string make the same default.
      unexact: { kind: 'literal', value: '9007199254740993' },
      long_decimal: { kind: 'literal', value: '12345678901234567890.5' },
      nul: undefined,
      other_shade: { kind: 'literal', value: 'red' },
    });
  });

  it('reads a table without columns, and a name that needs quoting', async () => {
    await run('CREATE TABLE empty_one ()');
    expect(await describeTable(session, { name: 'empty_one' })).toStrictEqual({
      name: { name: 'empty_one' },
      columns: [],
      uniques: [],
      checks: [],
      foreignKeys: [],
      indexes: [],
    });
    await apply(
      createTable({ name: 'Odd "Name"', columns: [column('Mixed Case', integer())], comment: "it's odd" }),
      createIndex('Odd Index', 'Odd "Name"', ['Mixed Case']),
    );
    expect(await describeTable(session, { name: 'Odd "Name"' })).toStrictEqual({
      name: { name: 'Odd "Name"' },
      columns: [column('Mixed Case', integer())],
      uniques: [],
      checks: [],
      foreignKeys: [],
      comment: "it's odd",
      indexes: [
        { name: 'Odd Index', table: { name: 'Odd "Name"' }, columns: [{ kind: 'column', name: 'Mixed Case' }] },
      ],
    });
  });

  it('leaves out INCLUDE columns, and reads other index methods as plain indexes', async () => {
    await run('CREATE TABLE idx (a integer, b text, c integer)');
    await run('CREATE UNIQUE INDEX idx_cover ON idx (a DESC NULLS LAST) INCLUDE (b)');
    await run('CREATE INDEX idx_hash ON idx USING hash (b)');
    expect((await describeTable(session, { name: 'idx' }))?.indexes).toStrictEqual([
      {
        name: 'idx_cover',
        table: { name: 'idx' },
        columns: [{ kind: 'column', name: 'a', order: 'desc' }],
        unique: true,
      },
      { name: 'idx_hash', table: { name: 'idx' }, columns: [{ kind: 'column', name: 'b' }] },
    ]);
  });
});

describe('search_path', () => {
  it('pins it while reading: an odd search_path does not change what is read', async () => {
    const plain = await introspect(session);
    await session.transaction!(async (tx) => {
      // `side` on the path would make format_type and pg_get_expr print side's enum unqualified.
      await tx.execute(statement('SET LOCAL search_path = no_such_schema, public, side'));
      expect(await introspect(tx)).toStrictEqual(plain);
      expect(await describeTable(tx, { name: 'child' })).toStrictEqual(expectedChild);
      expect(await searchPath(tx)).toBe('no_such_schema, public, side');
    });
  });

  it('leaves the connection as it was, in a transaction or not, with or without transaction support', async () => {
    const plain = await introspect(session);
    await run('SET search_path = public, side');
    try {
      await introspect(session);
      await describeTable(session, { name: 'child' });
      expect(await searchPath()).toBe('public, side');
      // Without transactions the path is set for the session and put back: still pinned.
      const bare = withoutTransactions(session);
      expect(await introspect(bare)).toStrictEqual(plain);
      expect(await describeTable(bare, { name: 'child' })).toStrictEqual(expectedChild);
      expect(await searchPath()).toBe('public, side');
      await session.transaction!(async (tx) => {
        await describeTable(tx, { name: 'child' });
        // The caller's transaction is still usable and sees its own path.
        expect(await searchPath(tx)).toBe('public, side');
      });
    } finally {
      await run('RESET search_path');
    }
  });

  it('refuses to guess a schema when the search_path names none that exists', async () => {
    await session.transaction!(async (tx) => {
      await tx.execute(statement('SET LOCAL search_path = no_such_schema'));
      await expect(introspect(tx)).rejects.toSatisfy(
        (error: unknown) => error instanceof CairnError && error.code === 'USAGE',
      );
      // With a schema given, nothing is relative to a current schema: every name is qualified.
      const model = await introspect(tx, { schema: 'public' });
      expect(model.tables.find((t) => t.name.name === 'parent')?.name).toStrictEqual({
        schema: 'public',
        name: 'parent',
      });
    });
  });
});

describe('introspect', () => {
  it('reads every table of the current schema, each as describeTable reads it, sorted by name', async () => {
    const model = await introspect(session);
    const names = model.tables.map((t) => t.name.name);
    expect(names).toStrictEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['back_ref', 'child', 'parent']));
    expect(names).not.toContain('item');
    for (const table of model.tables) expect(table).toStrictEqual(await describeTable(session, table.name));
  });

  it("lists the schema's enums, labels in order", async () => {
    const model = await introspect(session);
    expect(model.enums).toStrictEqual([
      { name: { name: 'mood' }, values: ['happy', 'ok', 'sad', "it's"] },
      { name: { name: 'zebra' }, values: ['z'] },
    ]);
  });

  it('reads another schema with qualified names', async () => {
    const model = await introspect(session, { schema: 'side' });
    expect(model.enums).toStrictEqual([{ name: { schema: 'side', name: 'color' }, values: ['red', 'green'] }]);
    expect(model.tables.map((t) => t.name)).toStrictEqual([
      { schema: 'side', name: 'item' },
      { schema: 'side', name: 'only_side' },
    ]);
    expect(model.tables[0]).toStrictEqual(await describeTable(session, { schema: 'side', name: 'item' }));
  });

  it('reads a schema that does not exist as empty', async () => {
    expect(await introspect(session, { schema: 'no_such_schema' })).toStrictEqual({ tables: [], enums: [] });
  });

  it('issues the same few queries however many tables there are', async () => {
    await run('CREATE SCHEMA bulk');
    const addTables = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1)
        await apply(
          createTable({
            name: { schema: 'bulk', name: `t${i}` },
            columns: [
              column('id', serial(), { nullable: false }),
              column('name', varchar(20), { default: 'x' }),
              column('parent', integer()),
            ],
            primaryKey: ['id'],
            uniques: [['name']],
            checks: [{ expression: 'id > 0' }],
            foreignKeys:
              i === 0
                ? []
                : [{ columns: ['parent'], references: { table: { schema: 'bulk', name: 't0' }, columns: ['id'] } }],
          }),
          createIndex(`t${i}_parent`, { schema: 'bulk', name: `t${i}` }, ['parent']),
        );
    };
    const measure = async () => {
      const probe = counting(session);
      const model = await introspect(probe.session, { schema: 'bulk' });
      return { count: probe.count(), tables: model.tables.length };
    };
    await addTables(0, 2);
    const few = await measure();
    await addTables(2, 30);
    const many = await measure();
    expect(few.tables).toBe(2);
    expect(many.tables).toBe(30);
    expect(many.count).toBe(few.count);
    // current_schema, the pin, four catalog queries, and the transaction's BEGIN and ROLLBACK.
    expect(many.count).toBe(8);

    const probe = counting(session);
    await describeTable(probe.session, { schema: 'bulk', name: 't5' });
    expect(probe.count()).toBe(8);
  });
});
