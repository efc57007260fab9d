import { join } from 'node:path';
import {
  isCairnError,
  type LoadedMigration,
  type MigrationContext,
  type MigrationLoader,
  Migrator,
  offlineScript,
  RevisionGraph,
  type RevisionMeta,
  serial,
  text,
  varchar,
} from '@cairn/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { introspect, openSqlite, sqliteDialect } from '../src/index.js';
import { tempDir } from './temp-dir.js';

// Offline (`--sql`) scripts of operations SQLite can only do by rebuilding the table: the
// compiler needs the table's definition, which the script replays from the migrations. The
// script must do exactly what the online run does, so both are run and their schemas compared.

type Step = (ctx: MigrationContext) => Promise<void>;
interface Script {
  readonly up: Step;
  readonly down: Step;
}

const dialect = sqliteDialect();
const dir = tempDir('offline-model');
let files = 0;

function project(scripts: Record<string, Script>): { graph: RevisionGraph; loader: MigrationLoader; loads: string[] } {
  const ids = Object.keys(scripts);
  const graph = RevisionGraph.from(
    ids.map(
      (revision, k): RevisionMeta => ({
        revision,
        downRevision: k === 0 ? [] : [ids[k - 1]!],
        branchLabels: [],
        dependsOn: [],
        message: revision,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
        transaction: true,
        file: `migrations/${revision}.ts`,
      }),
    ),
  );
  const loads: string[] = [];
  const loader: MigrationLoader = {
    async load(meta): Promise<LoadedMigration> {
      loads.push(meta.revision);
      const script = scripts[meta.revision]!;
      return { checksum: `sum-${meta.revision}`, run: (direction, ctx) => script[direction](ctx) };
    },
  };
  return { graph, loader, loads };
}

const chain: Record<string, Script> = {
  r1: {
    up: async ({ op }) => {
      await op.createTable({
        name: 'account',
        columns: [
          { name: 'id', type: serial(), nullable: false },
          { name: 'email', type: varchar(100), nullable: false },
          { name: 'note', type: text() },
        ],
        primaryKey: { columns: ['id'] },
      });
      await op.createIndex('account_email_idx', 'account', ['email'], { unique: true });
      await op.bulkInsert('account', [{ id: 1, email: 'a@example.com', note: null }]);
    },
    down: async ({ op }) => {
      await op.dropTable('account');
    },
  },
  r2: {
    // A rebuild: SQLite cannot change nullability or a default in place.
    up: async ({ op, sql }) => {
      await sql(`UPDATE account SET note = '' WHERE note IS NULL`);
      await op.alterColumn('account', 'note', { nullable: { to: false, from: true }, default: { to: '', from: null } });
    },
    down: async ({ op }) => {
      await op.alterColumn('account', 'note', { nullable: { to: true, from: false }, default: { to: null, from: '' } });
    },
  },
  r3: {
    up: async ({ op }) => {
      await op.alterColumn('account', 'email', { type: { to: varchar(200), from: varchar(100) } });
    },
    down: async ({ op }) => {
      await op.alterColumn('account', 'email', { type: { to: varchar(100), from: varchar(200) } });
    },
  },
};

async function online(graph: RevisionGraph, loader: MigrationLoader, target: string) {
  const file = join(dir, `online-${files++}.db`);
  const connection = await openSqlite(file);
  const migrator = new Migrator({ graph, dialect, session: connection.session, loader, toolVersion: 'test' });
  return { file, connection, migrator, run: () => migrator.upgrade(target) };
}

async function schemaOf(file: string) {
  const connection = await openSqlite(file);
  try {
    const model = await introspect(connection.session);
    return model.tables.filter((t) => !t.name.name.startsWith('cairn_'));
  } finally {
    await connection.close();
  }
}

describe('offline scripts replay the schema for table rebuilds', () => {
  it('renders rebuilds of a table created before FROM, and the script does what the online run does', async () => {
    const { graph, loader, loads } = project(chain);
    // The database the script is for: at r1, as an online run left it.
    const target = await online(graph, loader, 'r1');
    await target.run();
    await target.connection.close();
    loads.length = 0;

    const script = await offlineScript({
      graph,
      dialect,
      loader,
      direction: 'up',
      target: 'r1:head',
      toolVersion: 'test',
    });
    // r1 was replayed to learn the table, but not rendered.
    expect(loads).toEqual(['r2', 'r1', 'r3']);
    expect(script).not.toContain('Running upgrade  -> r1');
    expect(script).toContain('-- Running upgrade r1 -> r2');
    new Database(target.file).exec(script).close();

    const reference = await online(graph, loader, 'head');
    await reference.run();
    await reference.connection.close();
    expect(await schemaOf(target.file)).toStrictEqual(await schemaOf(reference.file));
    const db = new Database(target.file, { readonly: true });
    expect(db.prepare('SELECT id, email, note FROM account').all()).toEqual([
      { id: 1, email: 'a@example.com', note: '' },
    ]);
    expect(db.prepare('SELECT version_num FROM cairn_version').all()).toEqual([{ version_num: 'r3' }]);
    db.close();
  });

  it('renders a downgrade through rebuilds from the replayed head', async () => {
    const { graph, loader } = project(chain);
    const target = await online(graph, loader, 'head');
    await target.run();
    await target.connection.close();
    const script = await offlineScript({
      graph,
      dialect,
      loader,
      direction: 'down',
      target: 'r3:r1',
      toolVersion: 'test',
    });
    new Database(target.file).exec(script).close();

    const reference = await online(graph, loader, 'r1');
    await reference.run();
    await reference.connection.close();
    expect(await schemaOf(target.file)).toStrictEqual(await schemaOf(reference.file));
  });

  it('does not replay anything when the script itself defines the table', async () => {
    const { graph, loader, loads } = project(chain);
    await offlineScript({ graph, dialect, loader, direction: 'up', target: 'head', toolVersion: 'test' });
    expect(loads).toEqual(['r1', 'r2', 'r3']);
  });

  it('refuses a table whose shape raw DDL changed, naming the revision and the statement', async () => {
    const { graph, loader } = project({
      ...chain,
      r2: {
        up: async ({ sql, op }) => {
          await sql('ALTER TABLE account ADD COLUMN extra text');
          await op.alterColumn('account', 'note', { nullable: false });
        },
        down: async () => {},
      },
    });
    const error = await offlineScript({
      graph,
      dialect,
      loader,
      direction: 'up',
      target: 'head',
      toolVersion: 'test',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCairnError(error) && error.code).toBe('NEEDS_MODEL');
    expect((error as Error).message).toContain(
      "raw SQL in revision 'r2' changed account (ALTER TABLE account ADD COLUMN extra text)",
    );
  });

  it('refuses a table no operation created, naming the migration that needed it', async () => {
    const { graph, loader } = project({
      r1: {
        up: async ({ sql }) => {
          await sql('CREATE TABLE legacy (id integer PRIMARY KEY, name text)');
        },
        down: async () => {},
      },
      r2: {
        up: async ({ op }) => {
          await op.alterColumn('legacy', 'name', { nullable: false });
        },
        down: async () => {},
      },
    });
    const error = await offlineScript({
      graph,
      dialect,
      loader,
      direction: 'up',
      target: 'r1:r2',
      toolVersion: 'test',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCairnError(error) && error.code).toBe('NEEDS_MODEL');
    expect((error as Error).message).toContain('no operation of the migrations before migrations/r2.ts creates');
    expect((error as Error).message).toContain('run this migration online');
  });
});
