import { describe, expect, it } from 'vitest';
import { branchedSqlMigrations, cairn, cairnConcurrently, ok, tempDir, writeFiles } from './helpers.js';
import { postgresTestDatabase } from './postgres-database.js';

/**
 * The `schema` configuration option against the real local PostgreSQL server: cairn's tables in
 * that schema, migrations run with it first on the `search_path`. This file creates its own
 * database and drops it afterwards, so it runs in parallel with the other test files.
 */
const { url, admin } = postgresTestDatabase('cairn_cli_schema');

/**
 * A project with the branched history a → b → (c1 → d1), (c2 → d2), connecting with the role's
 * default `search_path` (`"$user", public`): only `config` points it elsewhere.
 */
function project(config: Record<string, unknown>): string {
  const dir = tempDir();
  writeFiles(dir, {
    'cairn.config.json': JSON.stringify({ dialect: 'postgres', url, migrations: 'migrations', ...config }),
    ...branchedSqlMigrations(),
  });
  return dir;
}

/** Every table of `schemas`, as `schema.table`, sorted. */
async function tables(...schemas: string[]): Promise<string[]> {
  return admin(async (c) => {
    const result = await c.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema = ANY($1) ORDER BY table_schema, table_name`,
      [schemas],
    );
    return result.rows.map((r) => r.name as string);
  }, url);
}

async function versionRows(table: string): Promise<string[]> {
  return admin(async (c) => {
    const result = await c.query(`SELECT version_num FROM ${table} ORDER BY version_num`);
    return result.rows.map((r) => r.version_num as string);
  }, url);
}

describe("the 'schema' option on PostgreSQL", () => {
  it('keeps the version and history tables and the migrations’ tables in the schema, and nothing in public', async () => {
    const dir = project({ schema: 'app' });
    ok(dir, ['upgrade', 'heads']);
    expect(ok(dir, ['current'])).toBe('d1 (head)\nd2 (head)\n');
    expect(await tables('app', 'public')).toEqual([
      'app.cairn_history',
      'app.cairn_version',
      'app.t_a',
      'app.t_b',
      'app.t_c1',
      'app.t_c2',
      'app.t_d1',
      'app.t_d2',
    ]);
    expect(await versionRows('app.cairn_version')).toEqual(['d1', 'd2']);

    ok(dir, ['downgrade', 'c1@base']);
    expect(ok(dir, ['current'])).toBe('d2 (head)\n');
    expect(ok(dir, ['history', '-i'])).toContain('c2 -> d2 (head) (current), create t_d2');
    const history = await admin(
      async (c) => (await c.query('SELECT revision, direction FROM app.cairn_history ORDER BY id')).rows,
      url,
    );
    expect(history.map((r) => `${r.revision}:${r.direction}`)).toEqual([
      'a:up',
      'b:up',
      'c1:up',
      'd1:up',
      'c2:up',
      'd2:up',
      'd1:down',
      'c1:down',
    ]);
    ok(dir, ['downgrade', 'base']);
    expect(await tables('app', 'public')).toEqual(['app.cairn_history', 'app.cairn_version']);
    expect(await versionRows('app.cairn_version')).toEqual([]);
  });

  it('keeps separate version tables for two projects in different schemas of one database', async () => {
    const one = project({ schema: 'one' });
    const two = project({ schema: 'two' });
    ok(one, ['upgrade', 'heads']);
    ok(two, ['upgrade', 'b']);
    expect(ok(one, ['current'])).toBe('d1 (head)\nd2 (head)\n');
    expect(ok(two, ['current'])).toBe('b (branchpoint)\n');
    expect(await versionRows('one.cairn_version')).toEqual(['d1', 'd2']);
    expect(await versionRows('two.cairn_version')).toEqual(['b']);
    // The same unqualified table names, one set per schema.
    expect(await tables('two')).toEqual(['two.cairn_history', 'two.cairn_version', 'two.t_a', 'two.t_b']);
    ok(one, ['downgrade', 'base']);
    expect(ok(two, ['current'])).toBe('b (branchpoint)\n');
    expect(await tables('one')).toEqual(['one.cairn_history', 'one.cairn_version']);
  });

  it('applies each migration once when eight processes upgrade at once into a schema that does not exist yet', async () => {
    const dir = project({ schema: 'race' });
    const runs = await cairnConcurrently(dir, ['upgrade', 'heads', '--json'], 8);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const applied = runs.flatMap((r) =>
      (JSON.parse(r.stdout) as { steps: { revision: string }[] }).steps.map((s) => s.revision),
    );
    expect(applied.sort()).toEqual(['a', 'b', 'c1', 'c2', 'd1', 'd2']);
    expect(await versionRows('race.cairn_version')).toEqual(['d1', 'd2']);
  });

  it('works for a role that owns its schema but may not create schemas in the database', async () => {
    // PostgreSQL 15 grants PUBLIC no CREATE on a database: this role can create tables only in
    // the schema it owns. CREATE SCHEMA IF NOT EXISTS would fail for it (42501) even though the
    // schema exists, so cairn must not send one.
    const role = `cairn_owner_${process.pid}`;
    await admin(async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN`);
      await c.query(`CREATE SCHEMA owned AUTHORIZATION ${role}`);
    }, url);
    try {
      const roleUrl = url.replace(/\/\/[^@/]*@/, `//${role}@`);
      const dir = project({ url: roleUrl, schema: 'owned', versionTable: 'owned.cairn_version' });
      ok(dir, ['upgrade', 'b']);
      expect(ok(dir, ['current'])).toBe('b (branchpoint)\n');
      expect(await tables('owned')).toEqual(['owned.cairn_history', 'owned.cairn_version', 'owned.t_a', 'owned.t_b']);
      // A schema it does not own and cannot create is refused with the privilege named.
      const other = project({ url: roleUrl, schema: 'not_mine' });
      const refused = cairn(other, ['upgrade', 'b', '--json']);
      expect(refused.status).toBe(1);
      const { error } = JSON.parse(refused.stdout);
      expect(error.code).toBe('CONFIG_ERROR');
      expect(error.message).toMatch(/permission denied.*grant this role CREATE on the database/s);
    } finally {
      await admin(async (c) => {
        await c.query('DROP SCHEMA owned CASCADE');
        await c.query(`DROP OWNED BY ${role}`);
      }, url);
      await admin((c) => c.query(`DROP ROLE ${role}`));
    }
  });

  it('a schema-qualified versionTable puts both of cairn’s tables in its schema; migrations still go to schema', async () => {
    const dir = project({ schema: 'main_app', versionTable: 'meta.app_version' });
    ok(dir, ['upgrade', 'b']);
    expect(ok(dir, ['current'])).toBe('b (branchpoint)\n');
    expect(await tables('main_app', 'meta', 'public')).toEqual([
      'main_app.t_a',
      'main_app.t_b',
      'meta.app_version',
      'meta.cairn_history',
    ]);
  });

  it('--sql starts with SET search_path and creates the schema, so the script does what the run does', async () => {
    const dir = project({ schema: 'offline' });
    const sql = ok(dir, ['upgrade', 'b', '--sql']);
    const lines = sql.split('\n');
    expect(lines.slice(0, 3)).toEqual(['SET search_path TO "offline", public;', '', 'DO $cairn$']);
    expect(sql).toContain(`IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'offline') THEN
    CREATE SCHEMA "offline";`);
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "offline"."cairn_version"');
    expect(sql).toContain('INSERT INTO "offline"."cairn_version" (version_num) VALUES (\'a\');');
    // A range that starts past base creates nothing, but still sets the search_path.
    expect(ok(dir, ['upgrade', 'b:d1', '--sql']).split('\n')[0]).toBe('SET search_path TO "offline", public;');
    // Run through one connection with the default search_path, as psql would.
    await admin((c) => c.query(sql), url);
    expect(await tables('offline', 'public')).toEqual([
      'offline.cairn_history',
      'offline.cairn_version',
      'offline.t_a',
      'offline.t_b',
    ]);
    expect(ok(dir, ['current'])).toBe('b (branchpoint)\n');
  });
});

describe("'schema' configuration errors", () => {
  const configError = (config: Record<string, unknown>) => {
    const dir = tempDir();
    writeFiles(dir, { 'cairn.config.json': JSON.stringify(config), 'migrations/.keep': '' });
    const result = cairn(dir, ['heads', '--json']);
    expect(result.status).toBe(1);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.details).toEqual({ file: 'cairn.config.json', key: 'schema' });
    return error.message as string;
  };

  it('is refused on SQLite, named or by default', () => {
    expect(configError({ dialect: 'sqlite', schema: 'app' })).toBe(
      "cairn.config.json: 'schema' is a PostgreSQL option, but the dialect is 'sqlite'; remove 'schema', or set dialect: 'postgres'",
    );
    expect(configError({ schema: 'app' })).toContain("but the dialect is 'sqlite' (the default)");
  });

  it('must be a non-empty name of at most 63 bytes that PostgreSQL does not reserve', () => {
    expect(configError({ dialect: 'postgres', schema: '' })).toBe(
      "cairn.config.json: 'schema' must be a PostgreSQL schema name such as 'app' (a non-empty string), not ''",
    );
    expect(configError({ dialect: 'postgres', schema: 42 })).toContain('not number 42');
    expect(configError({ dialect: 'postgres', schema: 's'.repeat(64) })).toMatch(
      /'schema' is 64 bytes long; PostgreSQL keeps only the first 63 bytes/,
    );
    // 32 two-byte characters: 32 characters, 64 bytes.
    expect(configError({ dialect: 'postgres', schema: 'é'.repeat(32) })).toMatch(/'schema' is 64 bytes long/);
    expect(configError({ dialect: 'postgres', schema: 'pg_app' })).toContain("reserves names that begin with 'pg_'");
  });

  it('accepts a 63-byte name and any characters PostgreSQL can quote', () => {
    for (const schema of ['s'.repeat(63), 'My "odd" Schema']) {
      const dir = tempDir();
      writeFiles(dir, {
        'cairn.config.json': JSON.stringify({ dialect: 'postgres', schema }),
        'migrations/.keep': '',
      });
      expect(ok(dir, ['heads'])).toBe('');
    }
  });
});
