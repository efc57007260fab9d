import { describe, expect, it } from 'vitest';
import {
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  bulkDelete,
  bulkInsert,
  column,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  enumType,
  execute,
  expressionDefault,
  integer,
  literalDefault,
  type Operation,
  renameColumn,
  renameEnumValue,
  renameTable,
  type SchemaModel,
  text,
  varchar,
} from '../../src/index.js';
import { nameKey, SchemaBuilder } from '../../src/schema/schema-builder.js';

// ---- fixtures ---------------------------------------------------------------------------------

/** account(id PK, email UNIQUE, name), with a check and a comment. */
const createAccount = createTable({
  name: 'account',
  columns: [
    column('id', integer(), { nullable: false }),
    column('email', varchar(255), { nullable: false }),
    column('name', text()),
  ],
  primaryKey: ['id'],
  uniques: [{ name: 'account_email_key', columns: ['email'] }],
  checks: [{ name: 'account_name_check', expression: "name <> ''" }],
  comment: 'users',
});

/** post(id PK, author_id → account.id, title). */
const createPost = createTable({
  name: 'post',
  columns: [column('id', integer(), { nullable: false }), column('author_id', integer()), column('title', text())],
  primaryKey: { name: 'post_pkey', columns: ['id'] },
  foreignKeys: [
    {
      name: 'post_author_fk',
      columns: ['author_id'],
      references: { table: 'account', columns: ['id'] },
      onDelete: 'cascade',
    },
  ],
});

const accountIndexes = [
  createIndex('account_email_idx', 'account', ['email'], {
    unique: true,
    where: 'email IS NOT NULL',
    concurrently: true,
    ifNotExists: true,
  }),
  createIndex('account_name_email_idx', 'account', ['name', { kind: 'column', name: 'email', order: 'desc' }]),
  createIndex('account_lower_name_idx', 'account', [{ kind: 'expression', sql: 'lower(name)' }]),
];

// The same, written out as the builder must hold them.
const ID = { name: 'id', type: { kind: 'integer' }, nullable: false };
const EMAIL = { name: 'email', type: { kind: 'varchar', length: 255 }, nullable: false };
const NAME = { name: 'name', type: { kind: 'text' }, nullable: true };
const ACCOUNT = {
  name: { name: 'account' },
  columns: [ID, EMAIL, NAME],
  primaryKey: { columns: ['id'] },
  uniques: [{ name: 'account_email_key', columns: ['email'] }],
  checks: [{ name: 'account_name_check', expression: "name <> ''" }],
  foreignKeys: [],
  comment: 'users',
  indexes: [],
};
const EMAIL_IDX = {
  name: 'account_email_idx',
  table: { name: 'account' },
  columns: [{ kind: 'column', name: 'email' }],
  unique: true,
  where: 'email IS NOT NULL',
};
const NAME_EMAIL_IDX = {
  name: 'account_name_email_idx',
  table: { name: 'account' },
  columns: [
    { kind: 'column', name: 'name' },
    { kind: 'column', name: 'email', order: 'desc' },
  ],
};
const LOWER_NAME_IDX = {
  name: 'account_lower_name_idx',
  table: { name: 'account' },
  columns: [{ kind: 'expression', sql: 'lower(name)' }],
};
const ACCOUNT_INDEXED = { ...ACCOUNT, indexes: [EMAIL_IDX, NAME_EMAIL_IDX, LOWER_NAME_IDX] };
const POST = {
  name: { name: 'post' },
  columns: [
    { name: 'id', type: { kind: 'integer' }, nullable: false },
    { name: 'author_id', type: { kind: 'integer' }, nullable: true },
    { name: 'title', type: { kind: 'text' }, nullable: true },
  ],
  primaryKey: { name: 'post_pkey', columns: ['id'] },
  uniques: [],
  checks: [],
  foreignKeys: [
    {
      name: 'post_author_fk',
      columns: ['author_id'],
      references: { table: { name: 'account' }, columns: ['id'] },
      onDelete: 'cascade',
    },
  ],
  indexes: [],
};

function built(...ops: Operation[]): SchemaBuilder {
  const builder = new SchemaBuilder();
  for (const op of ops) builder.apply(op);
  return builder;
}

/** account with its indexes, and post referencing it. */
function schema(): SchemaBuilder {
  return built(createAccount, ...accountIndexes, createPost);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

// ---- tests ------------------------------------------------------------------------------------

describe('SchemaBuilder', () => {
  describe('an empty builder and one started from a model', () => {
    it('knows nothing when empty', () => {
      const builder = new SchemaBuilder();
      expect(builder.model()).toStrictEqual({ tables: [], enums: [] });
      expect(builder.table({ name: 'account' })).toBeUndefined();
      expect(builder.has({ name: 'account' })).toBe(false);
      expect(builder.tableNames()).toStrictEqual([]);
    });

    it('starts from the tables and enums of a model, and changes them from there', () => {
      const model: SchemaModel = deepFreeze({
        tables: [{ ...ACCOUNT, triggers: ['CREATE TRIGGER t AFTER INSERT ON account BEGIN SELECT 1; END'] }],
        enums: [{ name: { name: 'mood' }, values: ['happy', 'sad'] }],
      } as unknown as SchemaModel);
      const builder = new SchemaBuilder(model);
      expect(builder.model()).toStrictEqual(model);
      builder.apply(addColumn('account', column('age', integer())));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, EMAIL, NAME, { name: 'age', type: { kind: 'integer' }, nullable: true }],
        triggers: ['CREATE TRIGGER t AFTER INSERT ON account BEGIN SELECT 1; END'],
      });
    });
  });

  describe('create_table and drop_table', () => {
    it('create_table holds the definition without its kind, with no indexes', () => {
      const builder = built(createAccount, createPost);
      expect(builder.table({ name: 'account' })).toStrictEqual(ACCOUNT);
      expect(builder.table({ name: 'post' })).toStrictEqual(POST);
      expect(builder.has({ name: 'account' })).toBe(true);
      expect(builder.tableNames()).toStrictEqual([{ name: 'account' }, { name: 'post' }]);
    });

    it('keeps a schema-qualified table apart from an unqualified one of the same name', () => {
      const builder = built(
        createTable({ name: { schema: 'app', name: 'account' }, columns: [column('id', integer())] }),
        createTable({ name: 'account', columns: [column('key', text())] }),
      );
      expect(builder.table({ schema: 'app', name: 'account' })).toStrictEqual({
        name: { schema: 'app', name: 'account' },
        columns: [{ name: 'id', type: { kind: 'integer' }, nullable: true }],
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
      });
      expect(builder.table({ name: 'account' })?.columns).toStrictEqual([
        { name: 'key', type: { kind: 'text' }, nullable: true },
      ]);
      expect(builder.table({ schema: 'other', name: 'account' })).toBeUndefined();
    });

    it('create_table of a known name replaces the table, indexes included', () => {
      const builder = schema();
      builder.apply(createTable({ name: 'account', columns: [column('key', text())] }));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        name: { name: 'account' },
        columns: [{ name: 'key', type: { kind: 'text' }, nullable: true }],
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
      });
    });

    it('drop_table forgets the table and leaves the others', () => {
      const builder = schema();
      builder.apply(dropTable('account'));
      expect(builder.table({ name: 'account' })).toBeUndefined();
      expect(builder.has({ name: 'account' })).toBe(false);
      expect(builder.model()).toStrictEqual({ tables: [POST], enums: [] });
    });
  });

  describe('comment_table', () => {
    it('sets, replaces and (with null) removes the comment', () => {
      const builder = built(createPost);
      builder.apply(commentTable('post', 'articles'));
      expect(builder.table({ name: 'post' })).toStrictEqual({ ...POST, comment: 'articles' });
      builder.apply(commentTable('post', 'blog posts', { previous: 'articles' }));
      expect(builder.table({ name: 'post' })).toStrictEqual({ ...POST, comment: 'blog posts' });
      builder.apply(commentTable('post', null));
      const table = builder.table({ name: 'post' });
      expect(table).toStrictEqual(POST);
      expect(Object.hasOwn(table ?? {}, 'comment')).toBe(false);
    });
  });

  describe('columns', () => {
    it('add_column appends the column', () => {
      const builder = built(createAccount);
      builder.apply(addColumn('account', column('age', integer(), { default: 0, comment: 'years' })));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [
          ID,
          EMAIL,
          NAME,
          {
            name: 'age',
            type: { kind: 'integer' },
            nullable: true,
            default: { kind: 'literal', value: 0 },
            comment: 'years',
          },
        ],
      });
    });

    it('drop_column removes the column and leaves what does not name it', () => {
      const builder = schema();
      builder.apply(dropColumn('account', 'name'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, EMAIL],
        // The index keyed on name (among others) goes; the expression index is SQL the builder
        // does not read, so it stays.
        indexes: [EMAIL_IDX, LOWER_NAME_IDX],
      });
      expect(builder.table({ name: 'post' })).toStrictEqual(POST);
    });

    it('drop_column takes the unique constraint and every index that name the column along', () => {
      const builder = schema();
      builder.apply(dropColumn('account', 'email'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, NAME],
        uniques: [],
        indexes: [LOWER_NAME_IDX],
      });
    });

    it('drop_column takes a composite unique, foreign key and primary key that name the column along', () => {
      const builder = built(
        createTable({
          name: 'membership',
          columns: [
            column('org_id', integer(), { nullable: false }),
            column('user_id', integer(), { nullable: false }),
            column('role', text()),
          ],
          primaryKey: { name: 'membership_pkey', columns: ['org_id', 'user_id'] },
          uniques: [
            { name: 'membership_user_role_key', columns: ['user_id', 'role'] },
            { name: 'membership_org_role_key', columns: ['org_id', 'role'] },
          ],
          foreignKeys: [
            { name: 'membership_user_fk', columns: ['user_id'], references: { table: 'account', columns: ['id'] } },
            { name: 'membership_org_fk', columns: ['org_id'], references: { table: 'org', columns: ['id'] } },
          ],
        }),
      );
      builder.apply(dropColumn('membership', 'user_id'));
      const table = builder.table({ name: 'membership' });
      expect(table).toStrictEqual({
        name: { name: 'membership' },
        columns: [
          { name: 'org_id', type: { kind: 'integer' }, nullable: false },
          { name: 'role', type: { kind: 'text' }, nullable: true },
        ],
        uniques: [{ name: 'membership_org_role_key', columns: ['org_id', 'role'] }],
        checks: [],
        foreignKeys: [
          { name: 'membership_org_fk', columns: ['org_id'], references: { table: { name: 'org' }, columns: ['id'] } },
        ],
        indexes: [],
      });
      expect(Object.hasOwn(table ?? {}, 'primaryKey')).toBe(false);
    });

    it('drop_column keeps a primary key that does not name the column', () => {
      const builder = built(createPost);
      builder.apply(dropColumn('post', 'author_id'));
      expect(builder.table({ name: 'post' })).toStrictEqual({
        ...POST,
        columns: [
          { name: 'id', type: { kind: 'integer' }, nullable: false },
          { name: 'title', type: { kind: 'text' }, nullable: true },
        ],
        foreignKeys: [],
      });
    });

    it('rename_column renames the column in place and in its constraints and index keys', () => {
      const builder = schema();
      builder.apply(renameColumn('account', 'email', 'mail'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, { ...EMAIL, name: 'mail' }, NAME],
        uniques: [{ name: 'account_email_key', columns: ['mail'] }],
        indexes: [
          { ...EMAIL_IDX, columns: [{ kind: 'column', name: 'mail' }] },
          {
            ...NAME_EMAIL_IDX,
            columns: [
              { kind: 'column', name: 'name' },
              { kind: 'column', name: 'mail', order: 'desc' },
            ],
          },
          LOWER_NAME_IDX,
        ],
      });
      // post references account.id, not email.
      expect(builder.table({ name: 'post' })).toStrictEqual(POST);
    });

    it("rename_column follows into the primary key and into other tables' foreign keys referencing it", () => {
      const builder = schema();
      builder.apply(
        createTable({
          name: 'audit',
          // A column named like the renamed one, referencing another table: neither changes.
          columns: [column('id', integer()), column('post_id', integer())],
          foreignKeys: [
            { name: 'audit_post_fk', columns: ['post_id'], references: { table: 'post', columns: ['id'] } },
          ],
        }),
      );
      builder.apply(renameColumn('account', 'id', 'account_id'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [{ ...ID, name: 'account_id' }, EMAIL, NAME],
        primaryKey: { columns: ['account_id'] },
        indexes: [EMAIL_IDX, NAME_EMAIL_IDX, LOWER_NAME_IDX],
      });
      expect(builder.table({ name: 'post' })).toStrictEqual({
        ...POST,
        foreignKeys: [
          {
            name: 'post_author_fk',
            columns: ['author_id'],
            references: { table: { name: 'account' }, columns: ['account_id'] },
            onDelete: 'cascade',
          },
        ],
      });
      expect(builder.table({ name: 'audit' })?.foreignKeys).toStrictEqual([
        { name: 'audit_post_fk', columns: ['post_id'], references: { table: { name: 'post' }, columns: ['id'] } },
      ]);
      expect(builder.table({ name: 'audit' })?.columns.map((c) => c.name)).toStrictEqual(['id', 'post_id']);
    });

    it("rename_column renames a foreign key's own columns and a self-reference's referenced columns", () => {
      const builder = built(
        createTable({
          name: 'node',
          columns: [column('tenant', integer()), column('id', integer()), column('parent', integer())],
          primaryKey: ['tenant', 'id'],
          foreignKeys: [
            {
              name: 'node_parent_fk',
              columns: ['tenant', 'parent'],
              references: { table: 'node', columns: ['tenant', 'id'] },
            },
          ],
        }),
      );
      builder.apply(renameColumn('node', 'tenant', 'org'));
      expect(builder.table({ name: 'node' })).toStrictEqual({
        name: { name: 'node' },
        columns: [
          { name: 'org', type: { kind: 'integer' }, nullable: true },
          { name: 'id', type: { kind: 'integer' }, nullable: true },
          { name: 'parent', type: { kind: 'integer' }, nullable: true },
        ],
        primaryKey: { columns: ['org', 'id'] },
        uniques: [],
        checks: [],
        foreignKeys: [
          {
            name: 'node_parent_fk',
            columns: ['org', 'parent'],
            references: { table: { name: 'node' }, columns: ['org', 'id'] },
          },
        ],
        indexes: [],
      });
    });

    it('rename_column on a table without a primary key adds none', () => {
      const builder = built(createTable({ name: 'log', columns: [column('line', text())] }));
      builder.apply(renameColumn('log', 'line', 'message'));
      const table = builder.table({ name: 'log' });
      expect(table).toStrictEqual({
        name: { name: 'log' },
        columns: [{ name: 'message', type: { kind: 'text' }, nullable: true }],
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
      });
      expect(Object.hasOwn(table ?? {}, 'primaryKey')).toBe(false);
    });

    it("a known table's foreign key follows a rename of a column of a table the builder does not know", () => {
      // The database renames the referenced column whatever the builder knows of its table.
      const builder = built(createPost);
      builder.apply(renameColumn('account', 'id', 'account_id'));
      expect(builder.table({ name: 'account' })).toBeUndefined();
      expect(builder.table({ name: 'post' })?.foreignKeys).toStrictEqual([
        {
          name: 'post_author_fk',
          columns: ['author_id'],
          references: { table: { name: 'account' }, columns: ['account_id'] },
          onDelete: 'cascade',
        },
      ]);
    });
  });

  describe('alter_column', () => {
    const withAge = () => built(createAccount, addColumn('account', column('age', text(), { comment: 'years' })));
    const AGE = { name: 'age', type: { kind: 'text' }, nullable: true, comment: 'years' };

    it('changes the type', () => {
      const builder = withAge();
      builder.apply(alterColumn('account', 'age', { type: { to: integer(), from: text(), using: 'age::integer' } }));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, EMAIL, NAME, { ...AGE, type: { kind: 'integer' } }],
      });
    });

    it('changes nullability both ways', () => {
      const builder = withAge();
      builder.apply(alterColumn('account', 'age', { nullable: false }));
      expect(builder.table({ name: 'account' })?.columns[3]).toStrictEqual({ ...AGE, nullable: false });
      builder.apply(alterColumn('account', 'email', { nullable: { to: true, from: false } }));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [ID, { ...EMAIL, nullable: true }, NAME, { ...AGE, nullable: false }],
      });
    });

    it('sets and replaces the default, and default { to: null } removes the key', () => {
      const builder = withAge();
      builder.apply(alterColumn('account', 'age', { default: '0' }));
      expect(builder.table({ name: 'account' })?.columns[3]).toStrictEqual({
        ...AGE,
        default: { kind: 'literal', value: '0' },
      });
      builder.apply(alterColumn('account', 'age', { default: { to: expressionDefault("'1'"), from: '0' } }));
      expect(builder.table({ name: 'account' })?.columns[3]).toStrictEqual({
        ...AGE,
        default: { kind: 'expression', sql: "'1'" },
      });
      builder.apply(alterColumn('account', 'age', { default: { to: null, from: expressionDefault("'1'") } }));
      const age = builder.table({ name: 'account' })?.columns[3];
      expect(age).toStrictEqual(AGE);
      expect(Object.hasOwn(age ?? {}, 'default')).toBe(false);
      expect(Object.keys(age ?? {})).toStrictEqual(['name', 'type', 'nullable', 'comment']);
    });

    it('default: null (the shorthand) removes the key too', () => {
      const builder = built(createTable({ name: 't', columns: [column('n', integer(), { default: 1 })] }));
      builder.apply(alterColumn('t', 'n', { default: null }));
      const n = builder.table({ name: 't' })?.columns[0];
      expect(n).toStrictEqual({ name: 'n', type: { kind: 'integer' }, nullable: true });
      expect(Object.hasOwn(n ?? {}, 'default')).toBe(false);
    });

    it('sets, replaces and (with null) removes the comment', () => {
      const builder = withAge();
      builder.apply(alterColumn('account', 'age', { comment: 'in years' }));
      expect(builder.table({ name: 'account' })?.columns[3]).toStrictEqual({ ...AGE, comment: 'in years' });
      builder.apply(alterColumn('account', 'age', { comment: { to: null, from: 'in years' } }));
      const age = builder.table({ name: 'account' })?.columns[3];
      expect(age).toStrictEqual({ name: 'age', type: { kind: 'text' }, nullable: true });
      expect(Object.hasOwn(age ?? {}, 'comment')).toBe(false);
    });

    it('changes several aspects at once and leaves the other columns alone', () => {
      const builder = withAge();
      builder.apply(
        alterColumn('account', 'age', {
          type: integer(),
          nullable: false,
          default: literalDefault(18),
          comment: null,
        }),
      );
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        columns: [
          ID,
          EMAIL,
          NAME,
          { name: 'age', type: { kind: 'integer' }, nullable: false, default: { kind: 'literal', value: 18 } },
        ],
      });
    });

    it('changes nothing for a column the table does not have', () => {
      const builder = built(createAccount);
      builder.apply(alterColumn('account', 'ghost', { nullable: false }));
      expect(builder.table({ name: 'account' })).toStrictEqual(ACCOUNT);
    });
  });

  describe('indexes', () => {
    it('create_index adds the index without how it is built (concurrently, ifNotExists), in order', () => {
      const builder = schema();
      expect(builder.table({ name: 'account' })).toStrictEqual(ACCOUNT_INDEXED);
      expect(Object.keys(builder.table({ name: 'account' })?.indexes[0] ?? {})).toStrictEqual([
        'name',
        'table',
        'columns',
        'unique',
        'where',
      ]);
    });

    it('create_index of a known name replaces that index', () => {
      const builder = schema();
      builder.apply(createIndex('account_email_idx', 'account', ['email', 'name']));
      expect(builder.table({ name: 'account' })?.indexes).toStrictEqual([
        NAME_EMAIL_IDX,
        LOWER_NAME_IDX,
        {
          name: 'account_email_idx',
          table: { name: 'account' },
          columns: [
            { kind: 'column', name: 'email' },
            { kind: 'column', name: 'name' },
          ],
        },
      ]);
    });

    it('drop_index removes the named index only', () => {
      const builder = schema();
      builder.apply(dropIndex('account_name_email_idx', 'account', { concurrently: true }));
      expect(builder.table({ name: 'account' })).toStrictEqual({ ...ACCOUNT, indexes: [EMAIL_IDX, LOWER_NAME_IDX] });
      builder.apply(dropIndex('no_such_idx', 'account', { ifExists: true }));
      expect(builder.table({ name: 'account' })).toStrictEqual({ ...ACCOUNT, indexes: [EMAIL_IDX, LOWER_NAME_IDX] });
    });
  });

  describe('constraints', () => {
    it('add_primary_key sets (or replaces) the key, with its name when given', () => {
      const builder = built(createTable({ name: 't', columns: [column('a', integer()), column('b', integer())] }));
      builder.apply(addPrimaryKey('t', ['a']));
      expect(builder.table({ name: 't' })?.primaryKey).toStrictEqual({ columns: ['a'] });
      builder.apply(addPrimaryKey('t', ['a', 'b'], { name: 't_pk' }));
      expect(builder.table({ name: 't' })).toStrictEqual({
        name: { name: 't' },
        columns: [
          { name: 'a', type: { kind: 'integer' }, nullable: true },
          { name: 'b', type: { kind: 'integer' }, nullable: true },
        ],
        primaryKey: { name: 't_pk', columns: ['a', 'b'] },
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
      });
    });

    it('drop_primary_key removes the key (absent, not undefined)', () => {
      const builder = built(createPost);
      builder.apply(dropPrimaryKey('post', { name: 'post_pkey' }));
      const table = builder.table({ name: 'post' });
      const { primaryKey: _pk, ...rest } = POST;
      expect(table).toStrictEqual(rest);
      expect(Object.hasOwn(table ?? {}, 'primaryKey')).toBe(false);
    });

    it('add_unique appends and drop_unique removes by name', () => {
      const builder = built(createAccount);
      builder.apply(addUnique('account_name_key', 'account', ['name', 'email']));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        uniques: [
          { name: 'account_email_key', columns: ['email'] },
          { name: 'account_name_key', columns: ['name', 'email'] },
        ],
      });
      builder.apply(dropUnique('account_email_key', 'account'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        uniques: [{ name: 'account_name_key', columns: ['name', 'email'] }],
      });
    });

    it('add_foreign_key appends and drop_foreign_key removes by name', () => {
      const builder = built(createAccount, createPost);
      builder.apply(
        addForeignKey(
          'post_title_fk',
          'post',
          ['title'],
          { table: { schema: 'lib', name: 'titles' }, columns: ['text'] },
          { onUpdate: 'restrict', onDelete: 'set_null' },
        ),
      );
      expect(builder.table({ name: 'post' })).toStrictEqual({
        ...POST,
        foreignKeys: [
          ...POST.foreignKeys,
          {
            name: 'post_title_fk',
            columns: ['title'],
            references: { table: { schema: 'lib', name: 'titles' }, columns: ['text'] },
            onDelete: 'set_null',
            onUpdate: 'restrict',
          },
        ],
      });
      builder.apply(dropForeignKey('post_author_fk', 'post'));
      expect(builder.table({ name: 'post' })?.foreignKeys).toStrictEqual([
        {
          name: 'post_title_fk',
          columns: ['title'],
          references: { table: { schema: 'lib', name: 'titles' }, columns: ['text'] },
          onDelete: 'set_null',
          onUpdate: 'restrict',
        },
      ]);
      expect(builder.table({ name: 'account' })).toStrictEqual(ACCOUNT);
    });

    it('add_check appends and drop_check removes by name', () => {
      const builder = built(createAccount);
      builder.apply(addCheck('account_email_check', 'account', "email LIKE '%@%'"));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        checks: [
          { name: 'account_name_check', expression: "name <> ''" },
          { name: 'account_email_check', expression: "email LIKE '%@%'" },
        ],
      });
      builder.apply(dropCheck('account_name_check', 'account'));
      expect(builder.table({ name: 'account' })).toStrictEqual({
        ...ACCOUNT,
        checks: [{ name: 'account_email_check', expression: "email LIKE '%@%'" }],
      });
    });
  });

  describe('rename_table', () => {
    it("moves the table, its indexes' table and the foreign keys that reference it", () => {
      const builder = schema();
      builder.apply(renameTable('account', 'member'));
      expect(builder.table({ name: 'account' })).toBeUndefined();
      expect(builder.has({ name: 'account' })).toBe(false);
      const member = { name: 'member' };
      expect(builder.table(member)).toStrictEqual({
        ...ACCOUNT,
        name: member,
        indexes: [
          { ...EMAIL_IDX, table: member },
          { ...NAME_EMAIL_IDX, table: member },
          { ...LOWER_NAME_IDX, table: member },
        ],
      });
      expect(builder.table({ name: 'post' })).toStrictEqual({
        ...POST,
        foreignKeys: [
          {
            name: 'post_author_fk',
            columns: ['author_id'],
            references: { table: member, columns: ['id'] },
            onDelete: 'cascade',
          },
        ],
      });
      expect(builder.tableNames()).toStrictEqual([{ name: 'post' }, member]);
    });

    it('keeps the schema, and only foreign keys naming exactly that table follow', () => {
      const builder = built(
        createTable({ name: { schema: 'app', name: 'account' }, columns: [column('id', integer())] }),
        createTable({
          name: { schema: 'app', name: 'post' },
          columns: [column('a', integer()), column('b', integer())],
          foreignKeys: [
            {
              name: 'to_app',
              columns: ['a'],
              references: { table: { schema: 'app', name: 'account' }, columns: ['id'] },
            },
            { name: 'to_public', columns: ['b'], references: { table: 'account', columns: ['id'] } },
          ],
        }),
      );
      builder.apply(renameTable({ schema: 'app', name: 'account' }, 'member'));
      expect(builder.table({ schema: 'app', name: 'member' })?.name).toStrictEqual({ schema: 'app', name: 'member' });
      expect(builder.table({ name: 'member' })).toBeUndefined();
      expect(builder.table({ schema: 'app', name: 'post' })?.foreignKeys).toStrictEqual([
        { name: 'to_app', columns: ['a'], references: { table: { schema: 'app', name: 'member' }, columns: ['id'] } },
        { name: 'to_public', columns: ['b'], references: { table: { name: 'account' }, columns: ['id'] } },
      ]);
    });

    it('a self-referencing foreign key follows the rename', () => {
      const builder = built(
        createTable({
          name: 'node',
          columns: [column('id', integer()), column('parent', integer())],
          foreignKeys: [
            { name: 'node_parent_fk', columns: ['parent'], references: { table: 'node', columns: ['id'] } },
          ],
        }),
      );
      builder.apply(renameTable('node', 'tree'));
      expect(builder.table({ name: 'tree' })?.foreignKeys).toStrictEqual([
        { name: 'node_parent_fk', columns: ['parent'], references: { table: { name: 'tree' }, columns: ['id'] } },
      ]);
    });

    it("a known table's foreign key follows a rename of a table the builder does not know", () => {
      // The database renames the referenced table whatever the builder knows of it (forgotten
      // after raw SQL, say); a model still naming the old table would be stale.
      const builder = built(createAccount, createPost);
      builder.forget({ name: 'account' });
      builder.apply(renameTable('account', 'member'));
      expect(builder.tableNames()).toStrictEqual([{ name: 'post' }]);
      expect(builder.table({ name: 'post' })?.foreignKeys).toStrictEqual([
        {
          name: 'post_author_fk',
          columns: ['author_id'],
          references: { table: { name: 'member' }, columns: ['id'] },
          onDelete: 'cascade',
        },
      ]);
    });
  });

  describe('enums', () => {
    const person = createTable({
      name: 'person',
      columns: [
        column('mood', enumType('mood', ['happy', 'sad'])),
        column('app_mood', enumType({ schema: 'app', name: 'mood' }, ['happy', 'sad'])),
        column('note', text()),
      ],
    });
    const personWith = (moods: readonly string[]) => ({
      name: { name: 'person' },
      columns: [
        { name: 'mood', type: { kind: 'enum', name: { name: 'mood' }, values: moods }, nullable: true },
        {
          name: 'app_mood',
          type: { kind: 'enum', name: { schema: 'app', name: 'mood' }, values: ['happy', 'sad'] },
          nullable: true,
        },
        { name: 'note', type: { kind: 'text' }, nullable: true },
      ],
      uniques: [],
      checks: [],
      foreignKeys: [],
      indexes: [],
    });
    const moods = () =>
      built(
        createEnum('mood', ['happy', 'sad']),
        createEnum({ schema: 'app', name: 'mood' }, ['happy', 'sad']),
        person,
      );
    const modelWith = (values: readonly string[]) => ({
      tables: [personWith(values)],
      // By schema, then name: no schema sorts first.
      enums: [
        { name: { name: 'mood' }, values },
        { name: { schema: 'app', name: 'mood' }, values: ['happy', 'sad'] },
      ],
    });

    it('create_enum and drop_enum', () => {
      const builder = moods();
      expect(builder.model()).toStrictEqual(modelWith(['happy', 'sad']));
      builder.apply(dropEnum('mood', { values: ['happy', 'sad'] }));
      expect(builder.model().enums).toStrictEqual([
        { name: { schema: 'app', name: 'mood' }, values: ['happy', 'sad'] },
      ]);
      // Columns keep their type: the builder does not cascade a drop.
      expect(builder.table({ name: 'person' })).toStrictEqual(personWith(['happy', 'sad']));
    });

    it.each([
      ['at the end', {}, ['happy', 'sad', 'ok']],
      ['after a value', { after: 'happy' }, ['happy', 'ok', 'sad']],
      ['after the last value', { after: 'sad' }, ['happy', 'sad', 'ok']],
      ['before a value', { before: 'sad' }, ['happy', 'ok', 'sad']],
      ['before the first value', { before: 'happy' }, ['ok', 'happy', 'sad']],
      ['at the end when the anchor is unknown', { after: 'nope' }, ['happy', 'sad', 'ok']],
    ] as const)('add_enum_value %s, in the enum and in the columns typed with it', (_, options, values) => {
      const builder = moods();
      builder.apply(addEnumValue('mood', 'ok', options));
      expect(builder.model()).toStrictEqual(modelWith(values));
    });

    it('add_enum_value of a value the enum has changes nothing', () => {
      const builder = moods();
      builder.apply(addEnumValue('mood', 'sad', { before: 'happy', ifNotExists: true }));
      expect(builder.model()).toStrictEqual(modelWith(['happy', 'sad']));
    });

    it('rename_enum_value renames in the enum and in the columns typed with it', () => {
      const builder = moods();
      builder.apply(renameEnumValue('mood', 'sad', 'blue'));
      expect(builder.model()).toStrictEqual(modelWith(['happy', 'blue']));
    });

    it('drop_enum_value removes from the enum and from the columns typed with it', () => {
      const builder = moods();
      builder.apply(dropEnumValue('mood', 'sad', { replaceWith: 'happy' }));
      expect(builder.model()).toStrictEqual(modelWith(['happy']));
    });

    it('value changes reach columns even when the enum itself is unknown (inline enums)', () => {
      const builder = built(person);
      builder.apply(addEnumValue('mood', 'ok', { after: 'happy' }));
      builder.apply(renameEnumValue('mood', 'happy', 'glad'));
      builder.apply(dropEnumValue('mood', 'sad'));
      expect(builder.model()).toStrictEqual({ tables: [personWith(['glad', 'ok'])], enums: [] });
    });
  });

  describe('operations that do not change the model', () => {
    it.each([
      ['execute', execute('CREATE TABLE x (id integer)')],
      ['bulk_insert', bulkInsert('account', [{ id: 1, email: 'a@example.com' }], { key: ['id'] })],
      ['bulk_delete', bulkDelete('account', ['id'], [{ id: 1 }])],
    ] as const)('%s changes nothing', (_, op) => {
      const builder = schema();
      const before = builder.model();
      builder.apply(op);
      expect(builder.model()).toStrictEqual(before);
      expect(builder.model().tables[0]).toBe(before.tables[0]);
      expect(builder.table({ name: 'x' })).toBeUndefined();
    });

    const ghost = 'ghost';
    it.each([
      ['drop_table', dropTable(ghost)],
      ['rename_table', renameTable(ghost, 'spirit')],
      ['comment_table', commentTable(ghost, 'boo')],
      ['add_column', addColumn(ghost, column('id', integer()))],
      ['drop_column', dropColumn(ghost, 'id')],
      ['rename_column', renameColumn(ghost, 'id', 'key')],
      ['alter_column', alterColumn(ghost, 'id', { nullable: false, default: null })],
      ['create_index', createIndex('ghost_idx', ghost, ['id'])],
      ['drop_index', dropIndex('account_email_idx', ghost)],
      ['add_primary_key', addPrimaryKey(ghost, ['id'])],
      ['drop_primary_key', dropPrimaryKey(ghost)],
      ['add_unique', addUnique('ghost_key', ghost, ['id'])],
      ['drop_unique', dropUnique('account_email_key', ghost)],
      ['add_foreign_key', addForeignKey('ghost_fk', ghost, ['id'], { table: 'account', columns: ['id'] })],
      ['drop_foreign_key', dropForeignKey('post_author_fk', ghost)],
      ['add_check', addCheck('ghost_check', ghost, 'id > 0')],
      ['drop_check', dropCheck('account_name_check', ghost)],
      ['drop_table of a name in another schema', dropTable({ schema: 'other', name: 'account' })],
      ['add_column to a name in another schema', addColumn({ schema: 'app', name: 'post' }, column('x', integer()))],
    ] as const)('%s on a table the builder does not know changes nothing', (_, op) => {
      const builder = schema();
      builder.apply(createTable({ name: { schema: 'app', name: 'account' }, columns: [column('id', integer())] }));
      const before = builder.model();
      const snapshot = structuredClone(before);
      builder.apply(op);
      expect(builder.model()).toStrictEqual(snapshot);
      expect(builder.tableNames()).toStrictEqual([
        { name: 'account' },
        { name: 'post' },
        { schema: 'app', name: 'account' },
      ]);
    });
  });

  describe('forget', () => {
    it('drops what the builder knows of one table and nothing else', () => {
      const builder = built(createEnum('mood', ['a']), createAccount, createPost);
      builder.forget({ name: 'account' });
      expect(builder.table({ name: 'account' })).toBeUndefined();
      expect(builder.has({ name: 'account' })).toBe(false);
      expect(builder.tableNames()).toStrictEqual([{ name: 'post' }]);
      expect(builder.model()).toStrictEqual({ tables: [POST], enums: [{ name: { name: 'mood' }, values: ['a'] }] });
      // Later operations on it change nothing; creating it again makes it known again.
      builder.apply(addColumn('account', column('x', integer())));
      expect(builder.has({ name: 'account' })).toBe(false);
      builder.apply(createAccount);
      expect(builder.table({ name: 'account' })).toStrictEqual(ACCOUNT);
    });

    it('is a no-op for an unknown table, and names compare with their schema', () => {
      const builder = built(createAccount);
      builder.forget({ name: 'ghost' });
      builder.forget({ schema: 'app', name: 'account' });
      expect(builder.model()).toStrictEqual({ tables: [ACCOUNT], enums: [] });
    });
  });

  describe('model()', () => {
    const table = (name: string | { schema: string; name: string }) =>
      createTable({ name, columns: [column('id', integer())] });

    it('sorts unqualified tables and enums by name', () => {
      const builder = built(
        table('b'),
        table('c'),
        table('a'),
        createEnum('z', ['1']),
        createEnum('m', ['1']),
        createEnum('n', ['1']),
      );
      expect(builder.model().tables.map((t) => t.name)).toStrictEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
      expect(builder.model().enums.map((e) => e.name)).toStrictEqual([{ name: 'm' }, { name: 'n' }, { name: 'z' }]);
      // tableNames() is in the order the tables were created.
      expect(builder.tableNames()).toStrictEqual([{ name: 'b' }, { name: 'c' }, { name: 'a' }]);
    });

    it('sorts by schema, then name: a schema that is a prefix of another sorts first', () => {
      const builder = built(
        table({ schema: 'app_x', name: 'a' }),
        table({ schema: 'app', name: 'z' }),
        table({ schema: 'b', name: 'a' }),
        table({ schema: 'app', name: 'm' }),
        createEnum({ schema: 'zz', name: 'a' }, ['1']),
        createEnum({ schema: 'app', name: 'b' }, ['1']),
      );
      expect(builder.model().tables.map((t) => t.name)).toStrictEqual([
        { schema: 'app', name: 'm' },
        { schema: 'app', name: 'z' },
        { schema: 'app_x', name: 'a' },
        { schema: 'b', name: 'a' },
      ]);
      expect(builder.model().enums.map((e) => e.name)).toStrictEqual([
        { schema: 'app', name: 'b' },
        { schema: 'zz', name: 'a' },
      ]);
    });

    it('nameKey tells schema-qualified names apart from unqualified ones', () => {
      expect(nameKey({ name: 'a' })).toBe('a');
      expect(nameKey({ schema: 's', name: 'a' })).not.toBe(nameKey({ name: 'a' }));
      expect(nameKey({ schema: 's', name: 'a' })).not.toBe(nameKey({ name: 's.a' }));
    });
  });

  describe('immutability', () => {
    const scenario = (): Operation[] => [
      createEnum('mood', ['happy', 'sad']),
      createAccount,
      ...accountIndexes,
      createPost,
      addColumn('account', column('mood', enumType('mood', ['happy', 'sad']))),
      addColumn('account', column('age', text(), { default: '0', comment: 'years' })),
      alterColumn('account', 'age', { type: integer(), nullable: false, default: null, comment: null }),
      renameColumn('account', 'email', 'mail'),
      renameColumn('account', 'id', 'account_id'),
      addUnique('account_name_key', 'account', ['name']),
      addCheck('account_age_check', 'account', 'age >= 0'),
      addForeignKey('account_self_fk', 'account', ['age'], { table: 'account', columns: ['account_id'] }),
      addEnumValue('mood', 'ok', { after: 'happy' }),
      renameEnumValue('mood', 'sad', 'blue'),
      dropEnumValue('mood', 'happy'),
      commentTable('account', null),
      renameTable('account', 'member'),
      dropColumn('member', 'name'),
      dropIndex('account_email_idx', 'member'),
      dropPrimaryKey('member'),
      addPrimaryKey('member', ['account_id']),
      dropForeignKey('post_author_fk', 'post'),
      dropUnique('account_email_key', 'member'),
      dropCheck('account_name_check', 'member'),
      dropTable('post'),
      dropEnum('mood'),
    ];

    it('applies frozen operations without mutating them', () => {
      const ops = scenario();
      const deepFrozen = (value: unknown): boolean =>
        typeof value !== 'object' ||
        value === null ||
        (Object.isFrozen(value) && Object.values(value).every(deepFrozen));
      expect(ops.every(deepFrozen)).toBe(true);
      const copies = structuredClone(ops);
      const builder = new SchemaBuilder();
      for (const op of ops) expect(() => builder.apply(op)).not.toThrow();
      expect(ops).toStrictEqual(copies);
      expect(builder.model()).toStrictEqual({
        tables: [
          {
            name: { name: 'member' },
            columns: [
              { name: 'account_id', type: { kind: 'integer' }, nullable: false },
              { name: 'mail', type: { kind: 'varchar', length: 255 }, nullable: false },
              { name: 'mood', type: { kind: 'enum', name: { name: 'mood' }, values: ['ok', 'blue'] }, nullable: true },
              { name: 'age', type: { kind: 'integer' }, nullable: false },
            ],
            primaryKey: { columns: ['account_id'] },
            uniques: [],
            checks: [{ name: 'account_age_check', expression: 'age >= 0' }],
            foreignKeys: [
              {
                name: 'account_self_fk',
                columns: ['age'],
                references: { table: { name: 'member' }, columns: ['account_id'] },
              },
            ],
            indexes: [{ ...LOWER_NAME_IDX, table: { name: 'member' } }],
          },
        ],
        enums: [],
      });
    });

    it('leaves earlier model() results and a frozen starting model unchanged by later operations', () => {
      const ops = scenario();
      const start: SchemaModel = deepFreeze({
        tables: [
          {
            name: { name: 'post' },
            columns: [{ name: 'x', type: { kind: 'integer' }, nullable: true }],
            uniques: [],
            checks: [],
            foreignKeys: [],
            indexes: [],
          },
        ],
        enums: [{ name: { name: 'other' }, values: ['a'] }],
      } as SchemaModel);
      const startCopy = structuredClone(start);
      const builder = new SchemaBuilder(start);
      const snapshots: { model: SchemaModel; copy: SchemaModel }[] = [];
      for (const op of ops) {
        expect(() => builder.apply(op)).not.toThrow();
        const model = builder.model();
        snapshots.push({ model, copy: structuredClone(model) });
      }
      expect(start).toStrictEqual(startCopy);
      for (const { model, copy } of snapshots) expect(model).toStrictEqual(copy);
      // A snapshot really holds the state of its moment.
      expect(snapshots[1]?.model.tables.map((t) => t.name.name)).toStrictEqual(['account', 'post']);
      expect(snapshots.at(-1)?.model).toStrictEqual(builder.model());
    });

    it('a model() result is a fresh list: changing the builder afterwards does not reach it', () => {
      const builder = built(createAccount);
      const before = builder.model();
      builder.apply(createPost);
      builder.apply(dropColumn('account', 'name'));
      expect(before).toStrictEqual({ tables: [ACCOUNT], enums: [] });
    });
  });
});
