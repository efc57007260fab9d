import {
  column,
  integer,
  type LoadedMigration,
  type MigrationContext,
  type MigrationLoader,
  Migrator,
  RevisionGraph,
  type RevisionMeta,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';

/**
 * Migrations written with `ctx.op`, run through the dialect's compiler against its database: a
 * table with a unique index, then a column added and a NOT NULL relaxed (a table rebuild on
 * SQLite), each reverted. What the database accepts afterwards shows what ran.
 */
export function operationCases(options: DialectSuiteOptions): void {
  const { dialect } = options;
  const q = (name: string) => dialect.state.quoteIdentifier(name);

  describe(`${dialect.name}: migrations written with ctx.op`, () => {
    let conn: TestConnection;
    beforeAll(async () => {
      conn = await options.connect();
    });
    afterAll(async () => {
      await conn?.close();
    });

    const table = 'op_account';
    const bodies: Record<
      string,
      { up(ctx: MigrationContext): Promise<void>; down(ctx: MigrationContext): Promise<void> }
    > = {
      o1: {
        async up({ op }) {
          await op.createTable({
            name: table,
            columns: [column('id', integer(), { nullable: false }), column('email', varchar(255), { nullable: false })],
            primaryKey: ['id'],
          });
          await op.createIndex('op_account_email', table, ['email'], { unique: true });
          await op.bulkInsert(table, [{ id: 1, email: 'a@example.com' }]);
        },
        async down({ op }) {
          await op.dropTable(table);
        },
      },
      o2: {
        async up({ op }) {
          await op.addColumn(table, column('nickname', varchar(40)));
          await op.alterColumn(table, 'email', { nullable: { to: true, from: false } });
        },
        async down({ op }) {
          await op.alterColumn(table, 'email', { nullable: { to: false, from: true } });
          await op.dropColumn(table, 'nickname');
        },
      },
    };
    const loader: MigrationLoader = {
      async load(meta: RevisionMeta): Promise<LoadedMigration> {
        const body = bodies[meta.revision]!;
        return {
          checksum: meta.revision,
          run: (direction, ctx) => (direction === 'up' ? body.up(ctx) : body.down(ctx)),
        };
      },
    };
    const graph = RevisionGraph.from(
      ['o1', 'o2'].map((revision, k) => ({
        revision,
        downRevision: k === 0 ? [] : ['o1'],
        branchLabels: [],
        dependsOn: [],
        message: revision,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
        transaction: true,
      })),
    );
    const insert = (id: number, email: string | null) =>
      conn.session
        .execute({
          sql: `INSERT INTO ${q(table)} (${q('id')}, ${q('email')}) VALUES (${id}, ${email === null ? 'NULL' : `'${email}'`})`,
          params: [],
        })
        .then(
          () => 'ok',
          () => 'refused',
        );

    it('creates, alters and reverts, keeping rows, indexes and constraints', async () => {
      const m = new Migrator({
        graph,
        dialect,
        session: conn.session,
        loader,
        versionTable: { name: 'op_version' },
        historyTable: { name: 'op_history' },
        toolVersion: 'testkit',
      });
      const first = await m.upgrade('o1');
      expect(first.failed?.error.message).toBeUndefined();
      expect(await insert(2, null)).toBe('refused');

      const second = await m.upgrade('o2');
      expect(second.failed?.error.message).toBeUndefined();
      expect(await insert(2, null)).toBe('ok');
      expect(await insert(3, 'a@example.com')).toBe('refused');
      const rows = await conn.session.query({
        sql: `SELECT ${q('id')}, ${q('nickname')} FROM ${q(table)} ORDER BY ${q('id')}`,
        params: [],
      });
      expect(rows.map((r) => [Number(r.id), r.nickname])).toEqual([
        [1, null],
        [2, null],
      ]);

      await conn.session.execute({ sql: `DELETE FROM ${q(table)} WHERE ${q('id')} = 2`, params: [] });
      const back = await m.downgrade('o1');
      expect(back.failed?.error.message).toBeUndefined();
      expect(await insert(2, null)).toBe('refused');
      expect(await insert(3, 'a@example.com')).toBe('refused');
      expect(await insert(4, 'b@example.com')).toBe('ok');

      const gone = await m.downgrade('base');
      expect(gone.failed?.error.message).toBeUndefined();
      expect(await m.current()).toEqual([]);
    });
  });
}
