import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialectDescriptor, DialectSettings } from '@cairn/core';
import { defineDialectSuite, runNativeClient } from '@cairn/dialect-testkit';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, ok, sqlMigration, tempDir, writeFiles } from './helpers.js';

// A dialect from outside cairn's packages (test/acme-lite: SQLite's descriptor under another
// name, with an option of its own), used the way a plugin's users would: by package name or
// path from a configuration, and proved with the conformance suite like a built-in one.
const PACKAGE_DIR = fileURLToPath(new URL('./acme-lite', import.meta.url));
const acme: DialectDescriptor = (await import('./acme-lite/index.js')).default;

// The suite's database outlives single tests (the kit's cases share it), so not a `tempDir()`.
const suiteDir = mkdtempSync(join(tmpdir(), 'cairn-acme-lite-'));
afterAll(() => rmSync(suiteDir, { recursive: true, force: true }));
const settings: DialectSettings = { options: {}, versionTable: 'cairn_version', baseDir: suiteDir };
const suiteUrl = `sqlite:${join(suiteDir, 'suite.db')}`;

defineDialectSuite({
  dialect: await acme.create(settings),
  connect: () => acme.open(suiteUrl, settings),
  runScript: (script) => runNativeClient('sqlite3', ['-bail', join(suiteDir, 'suite.db')], script),
  unsupported: {
    add_enum_value: 'Acme Lite has no enum types',
    rename_enum_value: 'Acme Lite has no enum types',
    drop_enum_value: 'Acme Lite has no enum types',
  },
});

/** A project whose node_modules has the package, as `npm install @acme/cairn-lite` would leave it. */
function projectWithPackage(config: Record<string, unknown>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(dir, 'node_modules', '@acme', 'cairn-lite'), 'dir');
  writeFiles(dir, { 'cairn.config.json': JSON.stringify(config), 'migrations/.keep': '' });
  return dir;
}

function tablesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
  } finally {
    db.close();
  }
}

describe('a dialect from a package of its own', () => {
  it('named by package in the configuration: revision, upgrade, current and --sql run on it', () => {
    const dir = projectWithPackage({ dialect: '@acme/cairn-lite', url: 'sqlite:./app.db', journal: 'wal' });
    ok(dir, ['revision', '-m', 'create account', '--rev-id', 'a1', '-q']);
    writeFiles(dir, {
      'migrations/20260101000000_b2_note.sql': sqlMigration('b2', 'a1'),
    });
    const upgraded = ok(dir, ['upgrade', '--json']);
    expect(JSON.parse(upgraded).current).toEqual(['b2']);
    expect(JSON.parse(ok(dir, ['current', '--json'])).current).toEqual(['b2']);
    expect(tablesOf(join(dir, 'app.db'))).toEqual(['cairn_history', 'cairn_version', 't_b2']);
    ok(dir, ['downgrade', 'base', '-q']);
    expect(tablesOf(join(dir, 'app.db'))).toEqual(['cairn_history', 'cairn_version']);
    expect(ok(dir, ['upgrade', 'base:head', '--sql'])).toContain('CREATE TABLE t_b2');
  });

  it('named by a package whose exports offer only an import condition', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'node_modules/acme-esm/package.json': JSON.stringify({
        name: 'acme-esm',
        type: 'module',
        exports: { '.': { import: './dialect.js' } },
      }),
      'node_modules/acme-esm/dialect.js': `export { default } from ${JSON.stringify(join(PACKAGE_DIR, 'index.js'))};\n`,
      'cairn.config.json': JSON.stringify({ dialect: 'acme-esm', url: 'sqlite:./app.db' }),
      'migrations/.keep': '',
    });
    ok(dir, ['upgrade', '-q']);
    expect(tablesOf(join(dir, 'app.db'))).toEqual(['cairn_history', 'cairn_version']);
  });

  it('named by path, or given as the descriptor object in a TypeScript configuration', () => {
    const byPath = tempDir();
    writeFiles(byPath, {
      'cairn.config.json': JSON.stringify({ dialect: join(PACKAGE_DIR, 'index.js'), url: 'sqlite:./app.db' }),
      'migrations/.keep': '',
    });
    ok(byPath, ['upgrade', '-q']);
    expect(existsSync(join(byPath, 'app.db'))).toBe(true);

    const byObject = tempDir();
    writeFiles(byObject, {
      'cairn.config.ts': [
        `import acme from ${JSON.stringify(join(PACKAGE_DIR, 'index.js'))};`,
        "export default { dialect: acme, url: 'sqlite:./app.db', journal: 'delete' };",
        '',
      ].join('\n'),
      'migrations/.keep': '',
    });
    ok(byObject, ['upgrade', '-q']);
    expect(existsSync(join(byObject, 'app.db'))).toBe(true);
  });

  it("checks the dialect's own options and refuses other dialects' options", () => {
    const error = (config: Record<string, unknown>) => {
      const result = cairn(projectWithPackage(config), ['heads', '--json']);
      expect(result.status).toBe(1);
      return JSON.parse(result.stdout).error;
    };
    expect(error({ dialect: '@acme/cairn-lite', journal: 'fast' })).toEqual({
      code: 'CONFIG_ERROR',
      message: "cairn.config.json: 'journal' must be 'wal' or 'delete'",
      details: { file: 'cairn.config.json', key: 'journal' },
    });
    expect(error({ dialect: '@acme/cairn-lite', schema: 'app' }).message).toBe(
      "cairn.config.json: 'schema' is a PostgreSQL option, but the dialect is 'acme-lite'; remove 'schema', or set dialect: 'postgres'",
    );
    expect(error({ dialect: '@acme/cairn-lite', jornal: 'wal' }).message).toBe(
      "cairn.config.json: unknown key 'jornal' (did you mean 'journal'?); the keys are dialect, url, migrations, versionTable, models, journal",
    );
  });

  it('a package that is missing, exports no descriptor or an incomplete one is a CONFIG_ERROR naming it', () => {
    const failure = (files: Record<string, string>) => {
      const dir = tempDir();
      writeFiles(dir, { 'migrations/.keep': '', ...files });
      const result = cairn(dir, ['upgrade', '--json']);
      expect(result.status).toBe(1);
      const { error } = JSON.parse(result.stdout);
      expect(error.code).toBe('CONFIG_ERROR');
      expect(error.details).toMatchObject({ file: 'cairn.config.json', key: 'dialect' });
      return error.message as string;
    };
    expect(failure({ 'cairn.config.json': JSON.stringify({ dialect: '@acme/cairn-mssql' }) })).toContain(
      "'dialect' is '@acme/cairn-mssql', which is not a built-in dialect ('sqlite', 'postgres', 'mysql') and not a package that can be found from cairn.config.json",
    );
    expect(
      failure({
        'cairn.config.json': JSON.stringify({ dialect: './dialect.mjs' }),
        'dialect.mjs': 'export const answer = 42;\n',
      }),
    ).toContain("'./dialect.mjs' exports no cairn dialect: its default export must be a dialect descriptor");
    expect(
      failure({
        'cairn.config.json': JSON.stringify({ dialect: './dialect.mjs' }),
        'dialect.mjs': "export default { kind: 'cairn-dialect', name: 'half', title: 'Half', create() {} };\n",
      }),
    ).toBe(
      "cairn.config.json: 'dialect': './dialect.mjs' is not a complete dialect descriptor: missing exampleUrl, stateTables(), open()",
    );
    expect(
      failure({
        'cairn.config.json': JSON.stringify({ dialect: './dialect.mjs' }),
        'dialect.mjs': `export default { kind: 'cairn-dialect', name: 'o', title: 'O', exampleUrl: 'o:', stateTables() {}, create() {}, open() {}, options: { x: { description: 'x' } } };\n`,
      }),
    ).toContain('missing options.x.check()');
    expect(
      failure({
        'cairn.config.json': JSON.stringify({ dialect: 'acme-broken' }),
        'node_modules/acme-broken/package.json': '{ "name": "acme-broken", "exports": { ".": { "import": ',
      }),
    ).toContain("the package 'acme-broken' has an unreadable");
    expect(failure({ 'cairn.config.json': JSON.stringify({ dialect: './nowhere.js' }) })).toMatch(
      /'dialect' is a path, but \.\/nowhere\.js \(.*nowhere\.js\) does not exist/,
    );
  });
});
