import { describe, expect, it } from 'vitest';
import {
  type CairnError,
  column,
  currentTimestampDefault,
  defineEnum,
  enumType,
  expressionDefault,
  integer,
  isCairnError,
  schemaModel,
  serial,
  table,
  text,
  timestamp,
  uuid,
  varchar,
} from '../../src/index.js';
import { SchemaBuilder } from '../../src/schema/schema-builder.js';

function invalid(run: () => unknown): CairnError {
  try {
    run();
  } catch (error) {
    if (isCairnError(error, 'INVALID_SCHEMA')) return error;
    throw error;
  }
  throw new Error('expected INVALID_SCHEMA');
}

const mood = defineEnum('mood', ['happy', 'sad', { value: 'content', renamedFrom: 'ok' }]);
const users = table('users', {
  columns: [
    column('id', serial()),
    column('email', varchar(255), { nullable: false }),
    { ...column('full_name', text()), renamedFrom: 'name' },
    column('mood', mood, { default: 'happy' }),
    column('created_at', timestamp({ withTimeZone: true }), { default: currentTimestampDefault() }),
  ],
  primaryKey: ['id'],
  uniques: [['email']],
  indexes: [
    { columns: [{ kind: 'column', name: 'created_at', order: 'desc' }] },
    { columns: [{ kind: 'expression', sql: 'lower(email)' }], unique: true },
    { columns: ['mood'], where: "mood <> 'sad'" },
  ],
  checks: ["email LIKE '%@%'"],
  comment: 'people',
});
const posts = table('posts', {
  columns: [
    column('id', integer(), { nullable: false }),
    column('version', integer()),
    column('author_id', integer()),
    column('parent_id', integer()),
    column('parent_version', integer()),
  ],
  primaryKey: ['id', 'version'],
  foreignKeys: [
    { columns: ['author_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' },
    { columns: ['parent_id', 'parent_version'], references: { table: 'posts', columns: ['id', 'version'] } },
  ],
  renamedFrom: 'articles',
});
// Two tables that reference each other (a cycle) in another PostgreSQL schema.
const a = table(
  { schema: 'app', name: 'a' },
  {
    columns: [column('id', uuid()), column('b_id', uuid())],
    primaryKey: ['id'],
    foreignKeys: [{ columns: ['b_id'], references: { table: { schema: 'app', name: 'b' }, columns: ['id'] } }],
  },
);
const b = table(
  { schema: 'app', name: 'b' },
  {
    columns: [column('id', uuid(), { default: expressionDefault('gen_random_uuid()') }), column('a_id', uuid())],
    primaryKey: { name: 'b_primary', columns: ['id'] },
    foreignKeys: [
      { name: 'b_to_a', columns: ['a_id'], references: { table: { schema: 'app', name: 'a' }, columns: ['id'] } },
    ],
  },
);

describe('schemaModel', () => {
  const { model, renames } = schemaModel({ posts, b, helper: () => 1, mood, users, a, count: 3 });

  it('sorts tables and enums by schema, then name, and freezes everything', () => {
    expect(model.tables.map((t) => t.name)).toEqual([
      { name: 'posts' },
      { name: 'users' },
      { schema: 'app', name: 'a' },
      { schema: 'app', name: 'b' },
    ]);
    expect(model.enums).toEqual([{ name: { name: 'mood' }, values: ['happy', 'sad', 'content'] }]);
    expect(Object.isFrozen(model.tables[0]?.columns[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('names every unnamed object by the convention and keeps given names', () => {
    const u = model.tables[1]!;
    expect(u.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(u.uniques).toEqual([{ name: 'users_email_key', columns: ['email'] }]);
    expect(u.checks).toEqual([{ name: 'users_email_check', expression: "email LIKE '%@%'" }]);
    expect(u.indexes.map((i) => i.name)).toEqual([
      'users_created_at_idx',
      expect.stringMatching(/^users_expr_[0-9a-f]{8}_idx$/),
      expect.stringMatching(/^users_mood_[0-9a-f]{8}_idx$/),
    ]);
    expect(u.indexes[0]).toEqual({
      name: 'users_created_at_idx',
      table: { name: 'users' },
      columns: [{ kind: 'column', name: 'created_at', order: 'desc' }],
    });
    expect(model.tables[0]?.foreignKeys.map((k) => k.name)).toEqual([
      'posts_author_id_fkey',
      'posts_parent_id_parent_version_fkey',
    ]);
    const bTable = model.tables[3]!;
    expect(bTable.primaryKey?.name).toBe('b_primary');
    expect(bTable.foreignKeys[0]?.name).toBe('b_to_a');
  });

  it('makes primary key columns NOT NULL, leaves the rest as declared, and drops hints from columns', () => {
    const u = model.tables[1]!;
    expect(u.columns.map((c) => [c.name, c.nullable])).toEqual([
      ['id', false],
      ['email', false],
      ['full_name', true],
      ['mood', true],
      ['created_at', true],
    ]);
    expect(u.columns[3]?.type).toEqual({ kind: 'enum', name: { name: 'mood' }, values: ['happy', 'sad', 'content'] });
    expect(JSON.stringify(model)).not.toContain('renamed');
  });

  it('keeps the rename hints beside the model', () => {
    expect(renames).toEqual({
      tables: [{ from: { name: 'articles' }, to: { name: 'posts' } }],
      columns: [{ table: { name: 'users' }, from: 'name', to: 'full_name' }],
      enumValues: [{ enum: { name: 'mood' }, from: 'ok', to: 'content' }],
    });
  });

  it('is the model SchemaBuilder replays from the operations that create it', () => {
    const builder = new SchemaBuilder(model);
    expect(builder.model()).toEqual(model);
  });

  it('accepts arrays, a default export object and one object under two names', () => {
    const again = schemaModel({ default: { users, posts }, all: [mood, a, b], users });
    expect(again.model).toEqual(model);
  });

  it('follows the given convention and limit', () => {
    const short = schemaModel(
      {
        t: table('a_rather_long_table_name', {
          columns: [column('a_rather_long_column', integer())],
          uniques: [['a_rather_long_column']],
        }),
      },
      { maxIdentifierLength: 30, namingConvention: { uq: 'uq_{table}_{columns}' } },
    );
    const name = short.model.tables[0]?.uniques[0]?.name ?? '';
    expect(name.length).toBeLessThanOrEqual(30);
    expect(name).toMatch(/^uq_a_rather_long_ta.*_[0-9a-f]{8}$/);
  });

  it('gives two generated names that collide a hash each', () => {
    const { model: m } = schemaModel({
      t: table('t', { columns: [column('q', integer())], checks: ['q > 0', 'q < 10'] }),
    });
    const names = m.tables[0]?.checks.map((c) => c.name) ?? [];
    expect(names[0]).toMatch(/^t_q_[0-9a-f]{8}_check$/);
    expect(new Set(names).size).toBe(2);
  });
});

describe('an invalid schema', () => {
  const id = () => column('id', integer());

  it('two tables with one name', () => {
    const error = invalid(() =>
      schemaModel({ x: table('t', { columns: [id()] }), y: table('t', { columns: [column('other', text())] }) }),
    );
    expect(error.message).toContain("two tables are named 't'");
  });

  it('a column defined twice', () => {
    expect(invalid(() => table('t', { columns: [id(), id()] })).message).toBe(
      "Invalid schema: table 't' defines column 'id' twice",
    );
  });

  it('a foreign key to a missing table, a missing column, a non-key column, or with another column count', () => {
    const parent = table('p', { columns: [id(), column('code', text())], primaryKey: ['id'] });
    const fk = (table_: string, columns: string[]) =>
      table('c', {
        columns: [column('p_id', integer())],
        foreignKeys: [{ columns: ['p_id'], references: { table: table_, columns } }],
      });
    expect(invalid(() => schemaModel({ c: fk('nope', ['id']) })).message).toContain(
      "table 'c': the foreign key on (p_id) references table 'nope', which the schema does not define",
    );
    expect(invalid(() => schemaModel({ parent, c: fk('p', ['missing']) })).message).toContain(
      "references column 'missing' of 'p'",
    );
    expect(invalid(() => schemaModel({ parent, c: fk('p', ['code']) })).message).toContain(
      'which are not its primary key or a unique key',
    );
    const error = invalid(() =>
      table('c', {
        columns: [column('p_id', integer())],
        foreignKeys: [{ columns: ['p_id'], references: { table: 'p', columns: ['id', 'code'] } }],
      }),
    );
    expect(error.message).toContain("table 'c': the foreign key on (p_id) references 2 column(s)");
  });

  it('a key or index on a missing column', () => {
    for (const definition of [
      { primaryKey: ['nope'] },
      { uniques: [['nope']] },
      { indexes: [{ columns: ['nope'] }] },
      { foreignKeys: [{ columns: ['nope'], references: { table: 't', columns: ['id'] } }] },
    ])
      expect(invalid(() => schemaModel({ t: table('t', { columns: [id()], ...definition }) })).message).toMatch(
        /table 't': .* names column 'nope', which the table does not define/,
      );
  });

  it('a repeated enum value, and an enum column whose enum is not exported', () => {
    expect(invalid(() => defineEnum('mood', ['a', 'b', 'a'])).message).toBe(
      "Invalid schema: enum 'mood' lists the value 'a' twice",
    );
    const t = table('t', { columns: [column('m', enumType('mood', ['a']))] });
    expect(invalid(() => schemaModel({ t })).message).toBe(
      "Invalid schema: table 't', column 'm' uses enum 'mood', which the schema does not export (export its defineEnum())",
    );
    expect(invalid(() => schemaModel({ t, mood: defineEnum('mood', ['a', 'b']) })).message).toContain(
      'with values other than',
    );
    expect(schemaModel({ t, mood: enumType('mood', ['a']) }).model.enums).toHaveLength(1);
  });

  it('a default of the wrong type', () => {
    const cases: [ReturnType<typeof column>, string][] = [
      [column('n', integer(), { default: 'x' }), '"x" is not an integer'],
      [column('n', integer(), { default: 1.5 }), '1.5 is not an integer'],
      [column('s', varchar(2), { default: 'abc' }), "'abc' is longer than varchar(2)"],
      [column('s', text(), { default: 3 }), '3 is not a string'],
      [column('u', uuid(), { default: 'nope' }), '"nope" is not a UUID'],
      [column('m', enumType('mood', ['a']), { default: 'b' }), `"b" is not a value of enum 'mood'`],
      [column('i', serial(), { default: 1 }), 'an identity column takes no default'],
      [column('i', integer(), { default: currentTimestampDefault() }), 'CURRENT_TIMESTAMP does not fit'],
    ];
    for (const [col, problem] of cases) {
      const error = invalid(() => schemaModel({ t: table('t', { columns: [col] }), mood: enumType('mood', ['a']) }));
      expect(error.message).toContain(`table 't', column '${col.name}' has a default of the wrong type: ${problem}`);
      expect(error.details).toMatchObject({ table: { name: 't' }, column: col.name });
    }
    expect(() =>
      schemaModel({ t: table('t', { columns: [column('n', integer(), { default: expressionDefault('1 + 1') })] }) }),
    ).not.toThrow();
  });

  it('two objects of one table with one name, and a user name over the limit', () => {
    expect(
      invalid(() =>
        schemaModel({
          t: table('t', {
            columns: [id()],
            uniques: [{ name: 'k', columns: ['id'] }],
            checks: [{ name: 'k', expression: 'id > 0' }],
          }),
        }),
      ).message,
    ).toContain("table 't' has two constraints or indexes named 'k'");
    expect(invalid(() => schemaModel({ t: table('t'.repeat(64), { columns: [id()] }) })).message).toContain(
      'is 64 bytes long; the dialect allows 63',
    );
    expect(
      invalid(() =>
        schemaModel({
          x: table('x', { columns: [id()], indexes: [{ name: 'same', columns: ['id'] }] }),
          y: table('y', { columns: [id()], indexes: [{ name: 'same', columns: ['id'] }] }),
        }),
      ).message,
    ).toContain('index names are unique per schema');
  });

  it('a rename hint naming what the schema still defines', () => {
    expect(
      invalid(() =>
        schemaModel({ a: table('a', { columns: [id()], renamedFrom: 'b' }), b: table('b', { columns: [id()] }) }),
      ).message,
    ).toContain("table 'a' is renamed from 'b', which the schema still defines");
    expect(
      invalid(() => schemaModel({ t: table('t', { columns: [id(), { ...column('x', text()), renamedFrom: 'id' }] }) }))
        .message,
    ).toContain("table 't', column 'x' is renamed from 'id', which the table still defines");
    expect(invalid(() => defineEnum('e', ['a', { value: 'b', renamedFrom: 'a' }])).message).toContain(
      "'b' is renamed from 'a', which the enum still lists",
    );
  });

  it('malformed arguments stay USAGE errors', () => {
    expect(() => table('t', { columns: [] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => table('t', { columns: [id()], primaryKey: 'id' as never })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });
});

describe('the example of docs/schema.md', () => {
  it('builds', () => {
    const mood = defineEnum('mood', ['happy', 'sad', { value: 'content', renamedFrom: 'ok' }]);
    const users = table('users', {
      columns: [
        column('id', serial()),
        column('email', varchar(255), { nullable: false }),
        { ...column('full_name', text()), renamedFrom: 'name' },
        column('mood', mood, { default: 'happy' }),
      ],
      primaryKey: ['id'],
      uniques: [['email']],
      indexes: [{ columns: [{ kind: 'expression', sql: 'lower(email)' }], unique: true }],
      checks: ["email LIKE '%@%'"],
    });
    const posts = table(
      { schema: 'blog', name: 'posts' },
      {
        columns: [column('id', serial()), column('author_id', integer()), column('created_at', timestamp())],
        primaryKey: ['id'],
        foreignKeys: [{ columns: ['author_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' }],
        indexes: [{ columns: [{ kind: 'column', name: 'created_at', order: 'desc' }], where: 'author_id IS NOT NULL' }],
        renamedFrom: 'articles',
      },
    );
    const { model, renames } = schemaModel({ mood, users, posts });
    expect(model.tables.map((t) => t.name.name)).toEqual(['users', 'posts']);
    expect(renames.tables).toEqual([
      { from: { schema: 'blog', name: 'articles' }, to: { schema: 'blog', name: 'posts' } },
    ]);
  });
});
