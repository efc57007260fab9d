import {
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  bigint,
  binary,
  boolean,
  bulkDelete,
  bulkInsert,
  CairnError,
  char,
  column,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  currentTimestampDefault,
  date,
  double,
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
  json,
  numeric,
  OPERATION_KINDS,
  type Operation,
  rawType,
  real,
  renameColumn,
  renameEnumValue,
  renameTable,
  type Statement,
  serial,
  smallint,
  type TableModel,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { sqliteCompiler, sqliteRules } from '../src/compiler.js';
import { sqliteType } from '../src/render-table.js';
import { ruleContext } from './rule-context.js';

const account: TableModel = {
  ...createTable({
    name: 'account',
    columns: [
      column('id', serial(), { nullable: false }),
      column('email', varchar(255), { nullable: false }),
      column('age', integer()),
      column('team_id', integer()),
    ],
    primaryKey: ['id'],
    uniques: [{ name: 'account_email_key', columns: ['email'] }],
    checks: [{ name: 'account_age_check', expression: 'age >= 0' }],
    foreignKeys: [{ name: 'account_team_fk', columns: ['team_id'], references: { table: 'team', columns: ['id'] } }],
  }),
  indexes: [
    { name: 'account_age_idx', table: { name: 'account' }, columns: [{ kind: 'column', name: 'age' }] },
    {
      name: 'account_lower_email_idx',
      table: { name: 'account' },
      columns: [{ kind: 'expression', sql: 'lower(email)' }],
      unique: true,
    },
  ],
};
const ctx = ruleContext([account]);
const sqlOf = (op: Operation, context = ctx) => sqliteCompiler.compile(op, context).map((s: Statement) => s.sql);

const CREATE_ACCOUNT_COLUMNS =
  '"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "email" VARCHAR(255) NOT NULL, "age" INTEGER, "team_id" INTEGER';
const ACCOUNT_CONSTRAINTS =
  'CONSTRAINT "account_email_key" UNIQUE ("email"), CONSTRAINT "account_age_check" CHECK (age >= 0), CONSTRAINT "account_team_fk" FOREIGN KEY ("team_id") REFERENCES "team" ("id")';
const INDEXES = [
  'CREATE INDEX "account_age_idx" ON "account" ("age")',
  'CREATE UNIQUE INDEX "account_lower_email_idx" ON "account" ((lower(email)))',
];
const GUARD = [
  'CREATE TEMP TABLE IF NOT EXISTS "_cairn_rebuild_guard" ("problem" TEXT CONSTRAINT "cairn: rebuilding account while other tables reference it needs PRAGMA foreign_keys = OFF before the transaction" CHECK (0))',
  `INSERT INTO temp."_cairn_rebuild_guard" SELECT 'account' WHERE (SELECT foreign_keys FROM pragma_foreign_keys) = 1 AND EXISTS (SELECT 1 FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f."table" = 'account' COLLATE NOCASE)`,
  'DROP TABLE temp."_cairn_rebuild_guard"',
];

/** The full rebuild of `account` into `columnsAndConstraints`, copying `copy`. */
function rebuild(columnsAndConstraints: string, copy: string, from = copy, indexes = INDEXES): string[] {
  return [
    ...GUARD,
    'PRAGMA defer_foreign_keys = ON',
    `CREATE TABLE "_cairn_new_account" (${columnsAndConstraints})`,
    `INSERT INTO "_cairn_new_account" (${copy}) SELECT ${from} FROM "account"`,
    'DROP TABLE "account"',
    'PRAGMA legacy_alter_table = ON',
    'ALTER TABLE "_cairn_new_account" RENAME TO "account"',
    'PRAGMA legacy_alter_table = OFF',
    ...indexes,
  ];
}
const ALL = '"id", "email", "age", "team_id"';

describe('sqliteRules', () => {
  it('has a rule for every operation kind', () => {
    expect(Object.keys(sqliteRules).sort()).toEqual([...OPERATION_KINDS].sort());
  });
});

describe('types', () => {
  it.each([
    [smallint(), 'SMALLINT'],
    [integer(), 'INTEGER'],
    [bigint(), 'BIGINT'],
    [boolean(), 'BOOLEAN'],
    [text(), 'TEXT'],
    [varchar(20), 'VARCHAR(20)'],
    [char(2), 'CHAR(2)'],
    [numeric(), 'NUMERIC'],
    [numeric(10), 'NUMERIC(10)'],
    [numeric(10, 2), 'NUMERIC(10, 2)'],
    [real(), 'REAL'],
    [double(), 'DOUBLE'],
    [date(), 'DATE'],
    [time(), 'TIME'],
    [timestamp(), 'TIMESTAMP'],
    [timestamp({ withTimeZone: true }), 'TIMESTAMPTZ'],
    [json(), 'JSON'],
    [uuid(), 'UUID'],
    [binary(), 'BLOB'],
    [enumType('mood', ['a']), 'TEXT'],
    [rawType('tsvector', { sqlite: 'TEXT' }), 'TEXT'],
    [rawType('GEOMETRY'), 'GEOMETRY'],
  ])('%o → %s', (type, expected) => {
    expect(sqliteType(type)).toBe(expected);
  });
});

describe('golden SQL', () => {
  it('create_table: columns, defaults, NOT NULL, identity key, constraints, enum CHECK; comment ignored', () => {
    const op = createTable({
      name: 'post',
      columns: [
        column('id', serial(), { nullable: false }),
        column('title', text(), { nullable: false, default: "it's" }),
        column('published', boolean(), { default: false }),
        column('score', numeric(5, 2), { default: -1.5 }),
        column('created_at', timestamp(), { default: currentTimestampDefault() }),
        column('slug', text(), { default: expressionDefault("lower('X')") }),
        column('mood', enumType('mood', ['happy', "it's"])),
        column('author_id', integer()),
      ],
      primaryKey: ['id'],
      uniques: [['slug']],
      checks: [{ expression: 'score < 100' }],
      foreignKeys: [
        {
          name: 'post_author_fk',
          columns: ['author_id'],
          references: { table: 'account', columns: ['id'] },
          onDelete: 'cascade',
          onUpdate: 'set_null',
        },
      ],
      comment: 'ignored',
    });
    expect(sqlOf(op)).toEqual([
      'CREATE TABLE "post" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "title" TEXT NOT NULL DEFAULT \'it\'\'s\', "published" BOOLEAN DEFAULT 0, "score" NUMERIC(5, 2) DEFAULT -1.5, "created_at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "slug" TEXT DEFAULT (lower(\'X\')), "mood" TEXT CONSTRAINT "mood" CHECK ("mood" IN (\'happy\', \'it\'\'s\')), "author_id" INTEGER, UNIQUE ("slug"), CHECK (score < 100), CONSTRAINT "post_author_fk" FOREIGN KEY ("author_id") REFERENCES "account" ("id") ON DELETE CASCADE ON UPDATE SET NULL)',
    ]);
  });

  it('create_table: composite and named primary keys, schema-qualified names', () => {
    const op = createTable({
      name: { schema: 'aux', name: 'pair' },
      columns: [column('a', integer(), { nullable: false }), column('b', text(), { nullable: false })],
      primaryKey: { name: 'pair_pk', columns: ['a', 'b'] },
    });
    expect(sqlOf(op)).toEqual([
      'CREATE TABLE "aux"."pair" ("a" INTEGER NOT NULL, "b" TEXT NOT NULL, CONSTRAINT "pair_pk" PRIMARY KEY ("a", "b"))',
    ]);
  });

  it('create_table: refuses an identity column that is not the single-column primary key', () => {
    const op = createTable({
      name: 't',
      columns: [column('id', serial()), column('x', text())],
      primaryKey: ['id', 'x'],
    });
    expect(() => sqlOf(op)).toThrow(/single-column primary key/);
    expect(() => sqlOf(createTable({ name: 't', columns: [column('id', serial())] }))).toThrow(CairnError);
  });

  it('drop_table, rename_table, comment_table', () => {
    expect(sqlOf(dropTable('account'))).toEqual(['DROP TABLE "account"']);
    expect(sqlOf(renameTable('account', 'user'))).toEqual(['ALTER TABLE "account" RENAME TO "user"']);
    expect(sqlOf(commentTable('account', 'people'))).toEqual([]);
  });

  it('add_column: native when SQLite allows it', () => {
    expect(sqlOf(addColumn('account', column('nick', text(), { nullable: false, default: '' })))).toEqual([
      'ALTER TABLE "account" ADD COLUMN "nick" TEXT NOT NULL DEFAULT \'\'',
    ]);
    expect(sqlOf(addColumn('account', column('mood', enumType('mood', ['a', 'b']))), ruleContext())).toEqual([
      'ALTER TABLE "account" ADD COLUMN "mood" TEXT CONSTRAINT "mood" CHECK ("mood" IN (\'a\', \'b\'))',
    ]);
  });

  it('add_column: rebuilds for a non-constant default or NOT NULL without default', () => {
    const op = addColumn('account', column('seen_at', timestamp(), { default: currentTimestampDefault() }));
    expect(sqlOf(op)).toEqual(
      rebuild(`${CREATE_ACCOUNT_COLUMNS}, "seen_at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP, ${ACCOUNT_CONSTRAINTS}`, ALL),
    );
    expect(sqlOf(addColumn('account', column('n', integer(), { nullable: false })))[4]).toContain(
      '"n" INTEGER NOT NULL,',
    );
    expect(() => sqlOf(addColumn('account', column('n', serial())))).toThrow(/auto-numbered/);
  });

  it('drop_column: native unless the column is keyed or indexed', () => {
    expect(sqlOf(dropColumn('account', 'nick'))).toEqual(['ALTER TABLE "account" DROP COLUMN "nick"']);
    expect(sqlOf(dropColumn('other', 'x'))).toEqual(['ALTER TABLE "other" DROP COLUMN "x"']);
    expect(sqlOf(dropColumn('account', 'age'))).toEqual(
      rebuild(
        `"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "email" VARCHAR(255) NOT NULL, "team_id" INTEGER, ${ACCOUNT_CONSTRAINTS}`,
        '"id", "email", "team_id"',
        '"id", "email", "team_id"',
        [INDEXES[1]!],
      ),
    );
    const dropped = sqlOf(dropColumn('account', 'team_id'));
    expect(dropped[4]).not.toContain('FOREIGN KEY');
  });

  it('rename_column', () => {
    expect(sqlOf(renameColumn('account', 'age', 'years'))).toEqual([
      'ALTER TABLE "account" RENAME COLUMN "age" TO "years"',
    ]);
  });

  it('alter_column: type with using, nullability and default through the rebuild', () => {
    const op = alterColumn('account', 'age', {
      type: { to: text(), using: 'CAST("age" AS TEXT)' },
      nullable: false,
      default: '0',
    });
    expect(sqlOf(op)).toEqual(
      rebuild(
        `"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "email" VARCHAR(255) NOT NULL, "age" TEXT NOT NULL DEFAULT '0', "team_id" INTEGER, ${ACCOUNT_CONSTRAINTS}`,
        ALL,
        '"id", "email", CAST("age" AS TEXT), "team_id"',
      ),
    );
    expect(sqlOf(alterColumn('account', 'age', { comment: 'years' }))).toEqual([]);
    expect(() => sqlOf(alterColumn('account', 'nope', { nullable: false }))).toThrow(/no column 'nope'/);
  });

  it('create_index / drop_index: unique, partial, expressions, order; concurrently ignored', () => {
    expect(
      sqlOf(
        createIndex('a_idx', 'account', ['email', { kind: 'expression', sql: 'lower(email)', order: 'desc' }], {
          unique: true,
          where: 'age > 0',
          concurrently: true,
          ifNotExists: true,
        }),
      ),
    ).toEqual(['CREATE UNIQUE INDEX IF NOT EXISTS "a_idx" ON "account" ("email", (lower(email)) DESC) WHERE age > 0']);
    expect(sqlOf(dropIndex('a_idx', 'account', { ifExists: true, concurrently: true }))).toEqual([
      'DROP INDEX IF EXISTS "a_idx"',
    ]);
    expect(sqlOf(dropIndex('a_idx', { schema: 'aux', name: 'account' }))).toEqual(['DROP INDEX "aux"."a_idx"']);
  });

  it('primary keys through the rebuild', () => {
    const noPk: TableModel = {
      ...createTable({ name: 'tag', columns: [column('id', integer(), { nullable: false }), column('x', text())] }),
      indexes: [],
    };
    const c = ruleContext([noPk]);
    expect(sqlOf(addPrimaryKey('tag', ['id'], { name: 'tag_pk' }), c)[4]).toBe(
      'CREATE TABLE "_cairn_new_tag" ("id" INTEGER NOT NULL, "x" TEXT, CONSTRAINT "tag_pk" PRIMARY KEY ("id"))',
    );
    expect(() => sqlOf(addPrimaryKey('account', ['email']))).toThrow(/already has a primary key/);
    const withPk = { ...noPk, primaryKey: { columns: ['id'] } };
    expect(sqlOf(dropPrimaryKey('tag'), ruleContext([withPk]))[4]).toBe(
      'CREATE TABLE "_cairn_new_tag" ("id" INTEGER NOT NULL, "x" TEXT)',
    );
  });

  it('uniques: add rebuilds with a table constraint; drop rebuilds, or drops a unique index', () => {
    expect(sqlOf(addUnique('account_age_key', 'account', ['age']))[4]).toBe(
      `CREATE TABLE "_cairn_new_account" (${CREATE_ACCOUNT_COLUMNS}, CONSTRAINT "account_email_key" UNIQUE ("email"), CONSTRAINT "account_age_key" UNIQUE ("age"), CONSTRAINT "account_age_check" CHECK (age >= 0), CONSTRAINT "account_team_fk" FOREIGN KEY ("team_id") REFERENCES "team" ("id"))`,
    );
    expect(sqlOf(dropUnique('account_email_key', 'account'))[4]).toBe(
      `CREATE TABLE "_cairn_new_account" (${CREATE_ACCOUNT_COLUMNS}, CONSTRAINT "account_age_check" CHECK (age >= 0), CONSTRAINT "account_team_fk" FOREIGN KEY ("team_id") REFERENCES "team" ("id"))`,
    );
    expect(sqlOf(dropUnique('account_lower_email_idx', 'account'))).toEqual(['DROP INDEX "account_lower_email_idx"']);
    expect(() => sqlOf(dropUnique('nope', 'account'))).toThrow(/no unique constraint named 'nope'/);
  });

  it('foreign keys and checks through the rebuild', () => {
    expect(
      sqlOf(
        addForeignKey(
          'account_boss_fk',
          'account',
          ['age'],
          { table: 'account', columns: ['id'] },
          { onDelete: 'restrict' },
        ),
      )[4],
    ).toContain(
      'CONSTRAINT "account_team_fk" FOREIGN KEY ("team_id") REFERENCES "team" ("id"), CONSTRAINT "account_boss_fk" FOREIGN KEY ("age") REFERENCES "account" ("id") ON DELETE RESTRICT)',
    );
    expect(sqlOf(dropForeignKey('account_team_fk', 'account'))[4]).not.toContain('FOREIGN KEY');
    expect(sqlOf(addCheck('account_email_check', 'account', "email LIKE '%@%'"))[4]).toContain(
      'CONSTRAINT "account_age_check" CHECK (age >= 0), CONSTRAINT "account_email_check" CHECK (email LIKE \'%@%\')',
    );
    expect(sqlOf(dropCheck('account_age_check', 'account'))[4]).not.toContain('CHECK');
    expect(() => sqlOf(dropForeignKey('nope', 'account'))).toThrow(/no foreign key named 'nope'/);
    expect(() => sqlOf(dropCheck('nope', 'account'))).toThrow(/no check constraint named 'nope'/);
  });

  it('enums: create/drop are no-ops, value changes are refused with the way out', () => {
    expect(sqlOf(createEnum('mood', ['a']))).toEqual([]);
    expect(sqlOf(dropEnum('mood'))).toEqual([]);
    for (const op of [addEnumValue('mood', 'c'), renameEnumValue('mood', 'a', 'b'), dropEnumValue('mood', 'a')]) {
      const error = (() => {
        try {
          sqlOf(op);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(CairnError);
      expect((error as CairnError).code).toBe('USAGE');
      expect((error as CairnError).message).toMatch(/SQLite has no enum types.*alterColumn/);
    }
  });

  it('execute passes SQL and params through', () => {
    expect(sqliteCompiler.compile(execute('UPDATE t SET a = ?', [1]), ctx)).toEqual([
      { sql: 'UPDATE t SET a = ?', params: [1] },
    ]);
  });

  it('bulk_insert: multi-row VALUES with ? params, split by column set and chunk size', () => {
    const statements = sqliteCompiler.compile(
      bulkInsert('plan', [{ id: 1, name: 'free' }, { id: 2, name: "it's" }, { id: 3 }]),
      ctx,
    );
    expect(statements).toEqual([
      { sql: 'INSERT INTO "plan" ("id", "name") VALUES (?, ?), (?, ?)', params: [1, 'free', 2, "it's"] },
      { sql: 'INSERT INTO "plan" ("id") VALUES (?)', params: [3] },
    ]);
    const many = sqliteCompiler.compile(
      bulkInsert(
        'plan',
        Array.from({ length: 1201 }, (_, id) => ({ id })),
      ),
      ctx,
    );
    expect(many.map((s) => s.params.length)).toEqual([500, 500, 201]);
  });

  it('bulk_delete: one DELETE per row, matching NULL keys too', () => {
    expect(sqliteCompiler.compile(bulkDelete('plan', ['id', 'v'], [{ id: 1, v: null, name: 'x' }]), ctx)).toEqual([
      { sql: 'DELETE FROM "plan" WHERE "id" IS ? AND "v" IS ?', params: [1, null] },
    ]);
  });

  it('quotes hostile names and labels', () => {
    expect(sqlOf(renameColumn('a"b', 'c"d', "e'f"))).toEqual(['ALTER TABLE "a""b" RENAME COLUMN "c""d" TO "e\'f"']);
  });
});

describe('NEEDS_MODEL', () => {
  it.each<[string, Operation]>([
    ['alter_column', alterColumn('ghost', 'x', { nullable: false })],
    ['add_column', addColumn('ghost', column('x', integer(), { nullable: false }))],
    ['add_primary_key', addPrimaryKey('ghost', ['x'])],
    ['drop_primary_key', dropPrimaryKey('ghost')],
    ['add_unique', addUnique('u', 'ghost', ['x'])],
    ['drop_unique', dropUnique('u', 'ghost')],
    ['add_foreign_key', addForeignKey('f', 'ghost', ['x'], { table: 't', columns: ['id'] })],
    ['drop_foreign_key', dropForeignKey('f', 'ghost')],
    ['add_check', addCheck('c', 'ghost', 'x > 0')],
    ['drop_check', dropCheck('c', 'ghost')],
  ])('%s without the table definition', (kind, op) => {
    let error: unknown;
    try {
      sqlOf(op);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('NEEDS_MODEL');
    expect((error as CairnError).message).toBe(
      `${kind} on ghost needs the table's current definition to rebuild it (SQLite cannot ALTER this); run online, where cairn reads it from the database`,
    );
  });
});
