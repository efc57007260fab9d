import { describe, expect, it } from 'vitest';
import { cairn, ok, tempDir, writeFiles } from './helpers.js';
import { postgresTestDatabase } from './postgres-database.js';

/**
 * Enum migrations through the CLI against the real PostgreSQL server: create, add a value and
 * use it in the same migration (the step reruns outside a transaction), rename, remove a value
 * with rows moved to another, and downgrades. Own database, dropped afterwards.
 */
const { url, query } = postgresTestDatabase('cairn_cli_enum');

/** A TypeScript migration file with `up` and `down` bodies. */
function migration(rev: string, parent: string | null, up: string[], down: string[]): string {
  return [
    "import { defineMigration, column, enumType, serial, text } from '@cairn/core';",
    'export default defineMigration({',
    `  revision: '${rev}',`,
    `  downRevision: ${parent === null ? 'null' : `'${parent}'`},`,
    `  message: '${rev}',`,
    '  async upgrade({ op, sql }) {',
    ...up.map((line) => `    ${line}`),
    '  },',
    '  async downgrade({ op, sql }) {',
    ...down.map((line) => `    ${line}`),
    '  },',
    '});',
  ].join('\n');
}

const values = async () => (await query('SELECT unnest(enum_range(NULL::mood))::text AS v')).map((r) => r.v as string);
const moods = async () =>
  (await query('SELECT name, m::text AS m FROM person ORDER BY name')).map((r) => `${r.name}:${r.m}`);

describe('enum migrations through the CLI on PostgreSQL', () => {
  it('creates, extends and uses, renames and removes enum values, and downgrades them', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cairn.config.json': JSON.stringify({ dialect: 'postgres', url, migrations: 'migrations' }),
      'migrations/20260101000000_e1_create.ts': migration(
        'e1',
        null,
        [
          "await op.createEnum('mood', ['happy', 'sad']);",
          "await op.createTable({ name: 'person', columns: [column('name', text(), { nullable: false }), column('m', enumType('mood', ['happy', 'sad']), { default: 'happy' })] });",
          "await sql(\"INSERT INTO person (name, m) VALUES ('ann', 'happy'), ('bob', 'sad')\");",
        ],
        ["await op.dropTable('person');", "await op.dropEnum('mood');"],
      ),
      // Adds a value and uses it at once: PostgreSQL refuses that inside the adding transaction.
      'migrations/20260101000001_e2_add_and_use.ts': migration(
        'e2',
        'e1',
        [
          "await op.addEnumValue('mood', 'meh', { before: 'sad' });",
          "await sql(\"UPDATE person SET m = 'meh' WHERE name = 'bob'\");",
        ],
        ["await op.dropEnumValue('mood', 'meh', { replaceWith: 'sad' });"],
      ),
      'migrations/20260101000002_e3_rename.ts': migration(
        'e3',
        'e2',
        ["await op.renameEnumValue('mood', 'happy', 'glad');"],
        ["await op.renameEnumValue('mood', 'glad', 'happy');"],
      ),
      'migrations/20260101000003_e4_remove.ts': migration(
        'e4',
        'e3',
        ["await op.dropEnumValue('mood', 'sad', { replaceWith: 'meh' });"],
        ["await op.addEnumValue('mood', 'sad');"],
      ),
    });

    ok(dir, ['upgrade', 'e2']);
    expect(await values()).toEqual(['happy', 'meh', 'sad']);
    expect(await moods()).toEqual(['ann:happy', 'bob:meh']);
    // e2 could not be one transaction: it ran again outside one, recorded as such.
    expect(
      (await query('SELECT revision, status FROM cairn_history ORDER BY id')).map((r) => `${r.revision}:${r.status}`),
    ).toEqual(['e1:succeeded', 'e2:started', 'e2:succeeded']);

    ok(dir, ['upgrade']);
    expect(await values()).toEqual(['glad', 'meh']);
    expect(await moods()).toEqual(['ann:glad', 'bob:meh']);
    // The column default survived the type's re-creation.
    await query("INSERT INTO person (name) VALUES ('cat')");
    expect(await moods()).toEqual(['ann:glad', 'bob:meh', 'cat:glad']);

    ok(dir, ['downgrade', 'e2']);
    expect(await values()).toEqual(['happy', 'meh', 'sad']);
    ok(dir, ['downgrade', 'e1']);
    expect(await values()).toEqual(['happy', 'sad']);
    expect(await moods()).toEqual(['ann:happy', 'bob:sad', 'cat:happy']);
    ok(dir, ['downgrade', 'base']);
    expect(await query("SELECT to_regtype('mood') AS t")).toEqual([{ t: null }]);
  });

  it('refuses to remove a value a view still needs, naming the view, and leaves the database as it was', async () => {
    const dir = tempDir();
    await query("CREATE TYPE shade AS ENUM ('light', 'dark')");
    await query('CREATE TABLE paint (s shade)');
    await query("CREATE VIEW dark_paint AS SELECT * FROM paint WHERE s = 'dark'");
    writeFiles(dir, {
      'cairn.config.json': JSON.stringify({
        dialect: 'postgres',
        url,
        migrations: 'migrations',
        versionTable: 'shade_version',
      }),
      'migrations/20260101000000_s1_remove.ts': migration('s1', null, ["await op.dropEnumValue('shade', 'dark');"], []),
    });
    const result = cairn(dir, ['upgrade']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('public.dark_paint');
    // The removal is one long DO block: the message shows its first lines, not all of them.
    expect(result.stderr.split('\n').length).toBeLessThan(20);
    expect((await query('SELECT unnest(enum_range(NULL::shade))::text AS v')).map((r) => r.v)).toEqual([
      'light',
      'dark',
    ]);
    expect(await query('SELECT version_num FROM shade_version')).toEqual([]);
  });
});
