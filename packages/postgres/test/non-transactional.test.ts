import {
  type LoadedMigration,
  type MigrationContext,
  Migrator,
  RevisionGraph,
  type RevisionMeta,
  statement,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresConnection, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';

// Statements that cannot run inside a transaction, in migrations that did not say so: the step's
// transaction rolls back and the step runs again outside one, recorded as started/succeeded.

const dialect = postgresDialect();
const database = testDatabase();
let conn: PostgresConnection;
let cases = 0;

beforeAll(async () => {
  conn = await openPostgres(database.url());
});
afterAll(async () => {
  await conn?.close();
});

const rows = (sql: string) => conn.session.query(statement(sql));

/** One revision whose upgrade is `up`, with its own version and history tables. */
function single(up: (ctx: MigrationContext) => Promise<void>) {
  const prefix = `nt${++cases}`;
  const meta: RevisionMeta = {
    revision: `${prefix}_r`,
    downRevision: [],
    branchLabels: [],
    dependsOn: [],
    message: 'non-transactional',
    createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    transaction: true,
  };
  const migration: LoadedMigration = {
    checksum: 'x',
    run: async (direction, ctx) => {
      if (direction === 'up') await up(ctx);
    },
  };
  const migrator = new Migrator({
    graph: RevisionGraph.from([meta]),
    dialect,
    session: conn.session,
    loader: { load: async () => migration },
    versionTable: { name: `${prefix}_version` },
    historyTable: { name: `${prefix}_history` },
    toolVersion: 'test',
  });
  const history = async () =>
    (await rows(`SELECT direction, status FROM ${prefix}_history ORDER BY id`)).map(
      (r) => `${r.direction}:${r.status}`,
    );
  return { prefix, migrator, history };
}

describe('statements that cannot run in a transaction', () => {
  it('reruns a step with CREATE INDEX CONCURRENTLY outside a transaction, after rolling back its first try', async () => {
    const { prefix, migrator, history } = single(async (ctx) => {
      await ctx.sql(`CREATE TABLE IF NOT EXISTS ${prefix}_t (a integer)`);
      await ctx.sql(`INSERT INTO ${prefix}_t VALUES (1)`);
      await ctx.op.createIndex(`${prefix}_a`, `${prefix}_t`, ['a'], { concurrently: true });
    });
    const run = await migrator.upgrade('head');
    expect(run.failed?.error.message).toBeUndefined();
    // The first try's insert rolled back: one row, from the second run.
    expect(await rows(`SELECT a FROM ${prefix}_t`)).toEqual([{ a: 1 }]);
    expect(await rows(`SELECT indexname FROM pg_indexes WHERE tablename = '${prefix}_t'`)).toEqual([
      { indexname: `${prefix}_a` },
    ]);
    expect(await history()).toEqual(['up:started', 'up:succeeded']);
  });

  it('recognises the server refusing raw SQL in a transaction block (25001) and reruns the step', async () => {
    const { prefix, migrator, history } = single(async (ctx) => {
      await ctx.sql(`CREATE TABLE IF NOT EXISTS ${prefix}_t (a integer)`);
      await ctx.sql(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${prefix}_a ON ${prefix}_t (a)`);
    });
    const run = await migrator.upgrade('head');
    expect(run.failed?.error.message).toBeUndefined();
    expect(await rows(`SELECT indexname FROM pg_indexes WHERE tablename = '${prefix}_t'`)).toHaveLength(1);
    expect(await history()).toEqual(['up:started', 'up:succeeded']);
  });

  it('adds an enum value and uses it in the same migration (55P04), and stays atomic when it does not use it', async () => {
    await conn.session.execute(statement("CREATE TYPE nt_mood AS ENUM ('happy')"));
    await conn.session.execute(statement('CREATE TABLE nt_person (m nt_mood)'));
    const uses = single(async (ctx) => {
      await ctx.op.addEnumValue('nt_mood', 'sad');
      await ctx.sql("INSERT INTO nt_person VALUES ('sad')");
    });
    const run = await uses.migrator.upgrade('head');
    expect(run.failed?.error.message).toBeUndefined();
    expect(await rows('SELECT m FROM nt_person')).toEqual([{ m: 'sad' }]);
    expect(await uses.history()).toEqual(['up:started', 'up:succeeded']);

    const only = single(async (ctx) => {
      await ctx.op.addEnumValue('nt_mood', 'ok');
    });
    expect((await only.migrator.upgrade('head')).failed).toBeUndefined();
    expect(await only.history()).toEqual(['up:succeeded']);
    expect(await rows('SELECT unnest(enum_range(NULL::nt_mood))::text AS v')).toEqual([
      { v: 'happy' },
      { v: 'sad' },
      { v: 'ok' },
    ]);
  });

  it('refuses such a statement under --single-transaction, naming it, and leaves nothing behind', async () => {
    const { prefix, migrator } = single(async (ctx) => {
      await ctx.sql(`CREATE TABLE ${prefix}_t (a integer)`);
      await ctx.op.createIndex(`${prefix}_a`, `${prefix}_t`, ['a'], { concurrently: true });
    });
    const run = await migrator.upgrade('head', { singleTransaction: true });
    expect(run.failed?.error.code).toBe('USAGE');
    expect(run.failed?.error.message).toContain('cannot run inside a transaction');
    expect(run.failed?.error.message).toContain('CREATE INDEX CONCURRENTLY');
    expect(run.failed?.error.message).toContain('run without --single-transaction');
    expect(await rows(`SELECT to_regclass('${prefix}_t') AS t`)).toEqual([{ t: null }]);
    expect(await migrator.current()).toEqual([]);
  });
});
