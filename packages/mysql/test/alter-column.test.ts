import {
  column,
  createTable,
  enumType,
  integer,
  type LoadedMigration,
  type MigrationContext,
  Migrator,
  RevisionGraph,
  type Session,
  serial,
  statement,
  text,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTable, type MysqlConnection, mysqlDialect, openMysql } from '../src/index.js';
import { apply } from './apply.js';
import { testDatabase } from './database.js';

const database = testDatabase();
let conn: MysqlConnection;
let session: Session;

beforeAll(async () => {
  conn = await openMysql(database.url());
  session = conn.session;
  await apply(session, [
    createTable({
      name: 'member',
      columns: [
        column('id', serial(), { nullable: false }),
        column('email', varchar(100), { nullable: false, default: 'none', comment: 'login' }),
        column('mood', enumType('mood', ['happy', 'sad']), { nullable: false, default: 'happy' }),
        column('bio', text()),
      ],
      primaryKey: ['id'],
    }),
  ]);
  await session.execute(
    statement(
      'ALTER TABLE member ADD COLUMN touched datetime(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6), ' +
        'ADD COLUMN code varchar(10) CHARACTER SET latin1 COLLATE latin1_bin',
    ),
  );
});
afterAll(async () => {
  await conn?.close();
});

/** Runs `up` as a one-revision migration through the runner, which describes tables on demand. */
async function migrate(revision: string, up: (ctx: MigrationContext) => Promise<void>): Promise<void> {
  const graph = RevisionGraph.from([
    {
      revision,
      downRevision: [],
      branchLabels: [],
      dependsOn: [],
      message: revision,
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      transaction: true,
    },
  ]);
  const migrator = new Migrator({
    graph,
    dialect: mysqlDialect(),
    session,
    loader: {
      async load(): Promise<LoadedMigration> {
        return { checksum: revision, run: async (direction, ctx) => (direction === 'up' ? up(ctx) : undefined) };
      },
    },
    versionTable: { name: `v_${revision}` },
    historyTable: { name: `h_${revision}` },
    toolVersion: 'test',
  });
  const result = await migrator.upgrade('head');
  expect(result.failed?.error.message).toBeUndefined();
}

const columnOf = async (name: string) =>
  (await describeTable(session, { name: 'member' }))?.columns.find((c) => c.name === name);

describe('alter_column on a live database', () => {
  it('changes nullability and keeps the type, default and comment', async () => {
    await migrate('a1', ({ op }) => op.alterColumn('member', 'email', { nullable: { to: true } }));
    expect(await columnOf('email')).toEqual({
      name: 'email',
      type: { kind: 'varchar', length: 100 },
      nullable: true,
      default: { kind: 'literal', value: 'none' },
      comment: 'login',
    });
  });

  it('changes the type and keeps the rest', async () => {
    await migrate('a2', ({ op }) => op.alterColumn('member', 'email', { type: { to: varchar(320) } }));
    expect(await columnOf('email')).toMatchObject({
      type: { kind: 'varchar', length: 320 },
      comment: 'login',
      default: { value: 'none' },
    });
  });

  it('drops a default and a comment', async () => {
    await migrate('a3', ({ op }) =>
      op.alterColumn('member', 'email', { default: { to: null }, comment: { to: null } }),
    );
    expect(await columnOf('email')).toEqual({ name: 'email', type: { kind: 'varchar', length: 320 }, nullable: true });
  });

  it('appends an enum value, keeping rows, NOT NULL and the default', async () => {
    await session.execute(statement("INSERT INTO member (email, mood) VALUES ('a@example.com', 'sad')"));
    await migrate('a4', ({ op }) =>
      op.alterColumn('member', 'mood', { type: { to: enumType('mood', ['happy', 'sad', 'ok']) } }),
    );
    expect(await columnOf('mood')).toEqual({
      name: 'mood',
      type: { kind: 'enum', name: { name: 'member_mood' }, values: ['happy', 'sad', 'ok'] },
      nullable: false,
      default: { kind: 'literal', value: 'happy' },
    });
    const rows = await session.query<{ mood: string }>(statement('SELECT mood FROM member'));
    expect(rows.map((r) => r.mood)).toEqual(['sad']);
  });

  it('refuses to remove an enum value rows still hold (strict mode), leaving the column as it was', async () => {
    const graph = RevisionGraph.from([
      {
        revision: 'a5',
        downRevision: [],
        branchLabels: [],
        dependsOn: [],
        message: 'a5',
        createdAt: new Date(0).toISOString(),
        transaction: true,
      },
    ]);
    const result = await new Migrator({
      graph,
      dialect: mysqlDialect(),
      session,
      loader: {
        async load() {
          return {
            checksum: 'a5',
            run: async (_d, { op }) =>
              op.alterColumn('member', 'mood', { type: { to: enumType('mood', ['happy', 'ok']) } }),
          };
        },
      },
      versionTable: { name: 'v_a5' },
      historyTable: { name: 'h_a5' },
      toolVersion: 'test',
    }).upgrade('head');
    expect(result.failed?.error.message).toMatch(/Data truncated/);
    expect((await columnOf('mood'))?.type).toMatchObject({ values: ['happy', 'sad', 'ok'] });
  });

  it('keeps ON UPDATE and a column collation through MODIFY', async () => {
    await migrate('a6', async ({ op }) => {
      await op.alterColumn('member', 'touched', { comment: { to: 'last change' } });
      await op.execute("UPDATE member SET code = 'y'");
      await op.alterColumn('member', 'code', { nullable: { to: false }, default: { to: 'x' } });
    });
    const [touched] = await session.query<{ extra: string; comment: string }>(
      statement(
        "SELECT EXTRA AS extra, COLUMN_COMMENT AS comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'member' AND COLUMN_NAME = 'touched'",
      ),
    );
    expect(touched).toEqual({ extra: 'on update current_timestamp(6)', comment: 'last change' });
    const [code] = await session.query<{ collation: string; nullable: string }>(
      statement(
        "SELECT COLLATION_NAME AS collation, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'member' AND COLUMN_NAME = 'code'",
      ),
    );
    expect(code).toEqual({ collation: 'latin1_bin', nullable: 'NO' });
  });

  it('turns the auto-numbered primary key into a plain integer and back', async () => {
    await migrate('a7', ({ op }) => op.alterColumn('member', 'id', { type: { to: integer() } }));
    expect((await columnOf('id'))?.type).toEqual({ kind: 'integer' });
    await migrate('a8', ({ op }) => op.alterColumn('member', 'id', { type: { to: serial() } }));
    expect((await columnOf('id'))?.type).toEqual({ kind: 'integer', identity: 'by_default' });
  });

  it('fails with NEEDS_MODEL, naming table and column, for a table the database does not have', async () => {
    const graph = RevisionGraph.from([
      {
        revision: 'a9',
        downRevision: [],
        branchLabels: [],
        dependsOn: [],
        message: 'a9',
        createdAt: new Date(0).toISOString(),
        transaction: true,
      },
    ]);
    const result = await new Migrator({
      graph,
      dialect: mysqlDialect(),
      session,
      loader: {
        async load() {
          return {
            checksum: 'a9',
            run: async (_d, { op }) => op.alterColumn('nowhere', 'x', { nullable: { to: true } }),
          };
        },
      },
      versionTable: { name: 'v_a9' },
      historyTable: { name: 'h_a9' },
      toolVersion: 'test',
    }).upgrade('head');
    expect(result.failed?.error.code).toBe('NEEDS_MODEL');
    expect(result.failed?.error.message).toMatch(/alter_column 'x' of table 'nowhere'/);
  });
});
