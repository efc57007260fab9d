import { join } from 'node:path';
import {
  type LoadedMigration,
  type MigrationContext,
  Migrator,
  RevisionGraph,
  type RevisionMeta,
  statement,
} from '@cairn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteConnection, sqliteDialect } from '../src/index.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('foreign-keys');
const opened: SqliteConnection[] = [];
afterAll(async () => {
  for (const c of opened) await c.close();
});

/** A run of in-memory migrations `steps` (a linear chain) on a fresh database with foreign keys on. */
async function run(name: string, steps: Record<string, (ctx: MigrationContext) => Promise<void>>) {
  const connection = await openSqlite(join(dir, `${name}.db`));
  opened.push(connection);
  await connection.session.execute(statement('PRAGMA foreign_keys = ON'));
  const ids = Object.keys(steps);
  const graph = RevisionGraph.from(
    ids.map((revision, k) => ({
      revision,
      downRevision: k === 0 ? [] : [ids[k - 1]!],
      branchLabels: [],
      dependsOn: [],
      message: revision,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
      transaction: true,
    })),
  );
  const migrator = new Migrator({
    graph,
    dialect: sqliteDialect(),
    session: connection.session,
    toolVersion: 'test',
    loader: {
      async load(meta: RevisionMeta): Promise<LoadedMigration> {
        return { checksum: meta.revision, run: (_direction, ctx) => steps[meta.revision]!(ctx) };
      },
    },
  });
  return { result: await migrator.upgrade('head'), session: connection.session };
}

describe('foreign keys during a run', () => {
  it('rebuilds a table other tables reference, keeping the child rows and enforcement', async () => {
    const { result, session } = await run('rebuild-parent', {
      a: async ({ sql }) => {
        await sql('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
        await sql(
          'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)',
        );
        await sql("INSERT INTO parent VALUES (1, 'p')");
        await sql('INSERT INTO child VALUES (10, 1)');
      },
      b: async ({ op }) => {
        await op.alterColumn('parent', 'name', { nullable: { to: true, from: false } });
      },
    });
    expect(result.failed?.error.message).toBeUndefined();
    expect(await session.query(statement('SELECT id, parent_id FROM child'))).toEqual([{ id: 10, parent_id: 1 }]);
    expect(await session.query(statement('PRAGMA foreign_keys'))).toEqual([{ foreign_keys: 1 }]);
    await expect(session.execute(statement('INSERT INTO child VALUES (11, 99)'))).rejects.toThrow(/FOREIGN KEY/);
    await session.execute(statement('DELETE FROM parent WHERE id = 1'));
    expect(await session.query(statement('SELECT count(*) AS n FROM child'))).toEqual([{ n: 0 }]);
  });

  it('fails and rolls back a step that leaves a row breaking a foreign key, keeping the steps before it', async () => {
    const { result, session } = await run('violation', {
      a: async ({ sql }) => {
        await sql('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
        await sql('CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))');
      },
      b: async ({ sql }) => {
        await sql('INSERT INTO child VALUES (42)');
      },
    });
    expect(result.applied.map((s) => s.revision)).toEqual(['a']);
    expect(result.failed?.revision).toBe('b');
    expect(result.failed?.error.code).toBe('FOREIGN_KEY_VIOLATION');
    expect(result.failed?.error.message).toMatch(/child row 1 → parent/);
    expect(await session.query(statement('SELECT count(*) AS n FROM child'))).toEqual([{ n: 0 }]);
    expect(await session.query(statement('SELECT version_num FROM cairn_version'))).toEqual([{ version_num: 'a' }]);
  });
});
