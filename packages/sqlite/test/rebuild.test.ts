import { join } from 'node:path';
import {
  addCheck,
  addColumn,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  column,
  createIndex,
  createTable,
  currentTimestampDefault,
  dropCheck,
  dropColumn,
  dropForeignKey,
  dropPrimaryKey,
  dropUnique,
  integer,
  type Operation,
  type Session,
  serial,
  statement,
  text,
  varchar,
} from '@cairn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteCompiler } from '../src/compiler.js';
import { describeTable } from '../src/introspector.js';
import { openSqlite, type SqliteConnection } from '../src/open-sqlite.js';
import { apply } from './apply.js';
import { ruleContext } from './rule-context.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('rebuild');
let connection: SqliteConnection;
let session: Session;
let count = 0;

const run = (sql: string, params: unknown[] = []) => session.execute(statement(sql, params));
const rows = (sql: string) => session.query(statement(sql));
const indexNames = async (table: string) =>
  (
    await rows(
      `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '${table}' AND sql IS NOT NULL ORDER BY name`,
    )
  ).map((r) => r.name);

beforeEach(async () => {
  count += 1;
  connection = await openSqlite(join(dir, `rebuild-${count}.db`));
  session = connection.session;
  await apply(
    session,
    createTable({
      name: 'team',
      columns: [column('id', integer(), { nullable: false }), column('name', text())],
      primaryKey: ['id'],
    }),
    createTable({
      name: 'account',
      columns: [
        column('id', serial(), { nullable: false }),
        column('email', varchar(255), { nullable: false }),
        column('age', integer()),
        column('team_id', integer()),
        column('nick', text()),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'account_email_key', columns: ['email'] }],
      checks: [{ name: 'account_age_check', expression: 'age >= 0' }],
      foreignKeys: [
        {
          name: 'account_team_fk',
          columns: ['team_id'],
          references: { table: 'team', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    }),
    createIndex('account_age_idx', 'account', ['age']),
    createIndex('account_lower_email_idx', 'account', [{ kind: 'expression', sql: 'lower(email)' }], {
      where: 'age > 0',
    }),
    createTable({
      name: 'post',
      columns: [column('id', integer(), { nullable: false }), column('account_id', integer())],
      primaryKey: ['id'],
      foreignKeys: [
        {
          name: 'post_account_fk',
          columns: ['account_id'],
          references: { table: 'account', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    }),
  );
  await run("INSERT INTO team (id, name) VALUES (1, 'red'), (2, 'blue')");
  await run(
    "INSERT INTO account (email, age, team_id, nick) VALUES ('a@x', 30, 1, 'a'), ('b@x', 40, 2, 'b'), ('c@x', 50, 1, 'c')",
  );
  await run('INSERT INTO post (id, account_id) VALUES (10, 1), (11, 2), (12, 3)');
  await run('CREATE VIEW adult AS SELECT id, email FROM account WHERE age >= 18');
});
afterEach(() => connection.close());

async function expectForeignKeysWork() {
  expect(await rows('PRAGMA foreign_key_check')).toEqual([]);
  await run('PRAGMA foreign_keys = ON');
  await expect(run('INSERT INTO post (id, account_id) VALUES (99, 12345)')).rejects.toThrow(/FOREIGN KEY/);
  // The child's foreign key still points at the rebuilt table: deleting an account cascades.
  await run('DELETE FROM account WHERE id = 3');
  expect(await rows('SELECT id FROM post ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }]);
  // The view naming the table survived the rename (legacy_alter_table) and reads the new table.
  expect(await rows('SELECT count(*) AS n FROM adult')).toEqual(
    await rows('SELECT count(*) AS n FROM account WHERE age >= 18'),
  );
}

/** Rebuilding `account`, which `post` references: foreign keys off before the transaction. */
async function applyToParent(op: Operation) {
  await run('PRAGMA foreign_keys = OFF');
  await apply(session, op);
}

const rebuilds: [string, Operation][] = [
  [
    'alter_column type + NOT NULL + default',
    alterColumn('account', 'nick', { type: varchar(20), nullable: false, default: '' }),
  ],
  [
    'add_column with a non-constant default',
    addColumn('account', column('seen_at', text(), { default: currentTimestampDefault() })),
  ],
  ['drop_column of a foreign-key column', dropColumn('account', 'team_id')],
  ['add_unique', addUnique('account_nick_key', 'account', ['nick'])],
  ['drop_unique', dropUnique('account_email_key', 'account')],
  ['add_check', addCheck('account_nick_check', 'account', "nick <> ''")],
  ['drop_check', dropCheck('account_age_check', 'account')],
  ['drop_foreign_key', dropForeignKey('account_team_fk', 'account')],
  [
    'add_foreign_key',
    addForeignKey('account_boss_fk', 'account', ['age'], { table: 'team', columns: ['id'] }, { onDelete: 'set_null' }),
  ],
];

describe('rebuilds keep rows, indexes and foreign keys', () => {
  for (const [label, op] of rebuilds) {
    it(label, async () => {
      if (op.kind === 'add_foreign_key') await run('UPDATE account SET age = NULL');
      const indexesBefore = await indexNames('account');
      await applyToParent(op);
      const age = (n: number) => (op.kind === 'add_foreign_key' ? null : n);
      expect(await rows('SELECT id, email, age FROM account ORDER BY id')).toEqual([
        { id: 1, email: 'a@x', age: age(30) },
        { id: 2, email: 'b@x', age: age(40) },
        { id: 3, email: 'c@x', age: age(50) },
      ]);
      expect(await indexNames('account')).toEqual(indexesBefore);
      expect(await rows("SELECT name FROM sqlite_schema WHERE name LIKE '\\_cairn%' ESCAPE '\\'")).toEqual([]);
      await expectForeignKeysWork();
    });
  }

  it('enforces the changed definition', async () => {
    await applyToParent(alterColumn('account', 'nick', { nullable: false, default: '' }));
    await expect(run("INSERT INTO account (email, nick) VALUES ('d@x', NULL)")).rejects.toThrow(/NOT NULL/);
    await run("INSERT INTO account (email) VALUES ('d@x')");
    expect(await rows("SELECT id, nick FROM account WHERE email = 'd@x'")).toEqual([{ id: 4, nick: '' }]);
  });

  it('keeps a foreign key added by the rebuild enforced, and drops it when asked', async () => {
    await run('UPDATE account SET age = NULL');
    await applyToParent(addForeignKey('account_boss_fk', 'account', ['age'], { table: 'team', columns: ['id'] }));
    await run('PRAGMA foreign_keys = ON');
    await expect(run('UPDATE account SET age = 7 WHERE id = 1')).rejects.toThrow(/FOREIGN KEY/);
    await run('PRAGMA foreign_keys = OFF');
    await apply(session, dropForeignKey('account_boss_fk', 'account'));
    await run('PRAGMA foreign_keys = ON');
    await run('UPDATE account SET age = 7 WHERE id = 1');
  });

  it('converts values with the type change’s using expression', async () => {
    await applyToParent(alterColumn('account', 'nick', { type: { to: text(), using: "upper(nick) || '!'" } }));
    expect(await rows('SELECT nick FROM account ORDER BY id')).toEqual([
      { nick: 'A!' },
      { nick: 'B!' },
      { nick: 'C!' },
    ]);
  });

  it('primary keys: drop then add', async () => {
    await run('CREATE TABLE tag (id INTEGER NOT NULL, label TEXT)');
    await run("INSERT INTO tag VALUES (1, 'x'), (2, 'y')");
    await run('CREATE INDEX tag_label_idx ON tag (label)');
    await apply(session, addPrimaryKey('tag', ['id'], { name: 'tag_pk' }));
    expect((await describeTable(session, { name: 'tag' }))?.primaryKey).toEqual({ name: 'tag_pk', columns: ['id'] });
    await expect(run("INSERT INTO tag VALUES (1, 'dup')")).rejects.toThrow(/UNIQUE/);
    await apply(session, dropPrimaryKey('tag'));
    await run("INSERT INTO tag VALUES (1, 'dup')");
    expect(await rows('SELECT count(*) AS n FROM tag')).toEqual([{ n: 3 }]);
    expect(await indexNames('tag')).toEqual(['tag_label_idx']);
  });

  it('drop_column of an indexed column drops its index with it', async () => {
    await run('DROP INDEX account_lower_email_idx');
    await applyToParent(dropCheck('account_age_check', 'account'));
    await run('DROP VIEW adult');
    await applyToParent(dropColumn('account', 'age'));
    expect(await indexNames('account')).toEqual([]);
    expect((await describeTable(session, { name: 'account' }))?.columns.map((c) => c.name)).toEqual([
      'id',
      'email',
      'team_id',
      'nick',
    ]);
  });

  it('drop_column of a column a CHECK uses fails loudly and changes nothing', async () => {
    await expect(applyToParent(dropColumn('account', 'age'))).rejects.toThrow(/no such column: age/);
    expect(await indexNames('account')).toEqual(['account_age_idx', 'account_lower_email_idx']);
    expect(await rows('SELECT count(*) AS n FROM account')).toEqual([{ n: 3 }]);
  });

  it('rebuilds a child table with foreign keys ON inside the transaction', async () => {
    expect(await rows('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await apply(session, addColumn('post', column('title', text(), { nullable: false, default: '' })));
    await apply(session, alterColumn('post', 'title', { type: varchar(100) }));
    expect(await rows('SELECT id, account_id, title FROM post ORDER BY id')).toEqual([
      { id: 10, account_id: 1, title: '' },
      { id: 11, account_id: 2, title: '' },
      { id: 12, account_id: 3, title: '' },
    ]);
    await expect(run('INSERT INTO post (id, account_id) VALUES (99, 12345)')).rejects.toThrow(/FOREIGN KEY/);
  });

  it('fails at COMMIT when the copied rows violate a new foreign key, leaving the table as it was', async () => {
    await apply(session, addColumn('post', column('team_id', integer(), { default: 77 })));
    const before = await describeTable(session, { name: 'post' });
    const op = addForeignKey('post_team_fk', 'post', ['team_id'], { table: 'team', columns: ['id'] });
    const statements = sqliteCompiler.compile(op, ruleContext(before === undefined ? [] : [before]));
    // As the runner runs a step: BEGIN IMMEDIATE … COMMIT; SQLite checks deferred keys at COMMIT.
    connection.db.exec('BEGIN IMMEDIATE');
    for (const stmt of statements) await session.execute(stmt);
    expect(() => connection.db.exec('COMMIT')).toThrow(/FOREIGN KEY/);
    connection.db.exec('ROLLBACK');
    expect((await describeTable(session, { name: 'post' }))?.foreignKeys.map((k) => k.name)).toEqual([
      'post_account_fk',
    ]);
    expect(await rows('SELECT count(*) AS n FROM post')).toEqual([{ n: 3 }]);
  });

  it('refuses to rebuild a referenced table while foreign keys are ON, losing nothing', async () => {
    await expect(apply(session, alterColumn('account', 'nick', { type: varchar(20) }))).rejects.toThrow(
      /rebuilding account while other tables reference it needs PRAGMA foreign_keys = OFF/,
    );
    expect(await rows('SELECT count(*) AS n FROM post')).toEqual([{ n: 3 }]);
    expect((await describeTable(session, { name: 'account' }))?.columns.find((c) => c.name === 'nick')?.type).toEqual({
      kind: 'text',
    });
  });
});

describe('triggers through a rebuild', () => {
  it("re-creates the table's triggers, which keep firing", async () => {
    await run('CREATE TABLE audit (what TEXT)');
    await run(
      "CREATE TRIGGER account_audit AFTER INSERT ON account BEGIN INSERT INTO audit VALUES ('insert ' || new.id); END",
    );
    const before = await describeTable(session, { name: 'account' });
    expect(before?.triggers).toEqual([
      "CREATE TRIGGER account_audit AFTER INSERT ON account BEGIN INSERT INTO audit VALUES ('insert ' || new.id); END",
    ]);
    // `post` references `account`: foreign keys off before the transaction, as the lock does.
    await run('PRAGMA foreign_keys = OFF');
    await apply(session, alterColumn('account', 'email', { nullable: { to: true, from: false } }));
    await run('INSERT INTO account (id, email, team_id) VALUES (99, NULL, 1)');
    expect(await rows('SELECT what FROM audit')).toEqual([{ what: 'insert 99' }]);
    expect((await describeTable(session, { name: 'account' }))?.triggers).toHaveLength(1);
  });
});
