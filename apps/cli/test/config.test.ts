import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, ok, tempDir, writeFiles } from './helpers.js';

const MIGRATION = (revision: string) =>
  `import { defineMigration } from 'cairn';\nexport default defineMigration({ revision: '${revision}', downRevision: null, createdAt: '2026-01-01T00:00:00Z' });\n`;

/**
 * A project whose TypeScript config imports sibling modules with an extensionless and a `.js`
 * specifier. It has a node_modules directory, so the transpile cache lives in the project.
 */
function tsProject(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules'));
  writeFiles(dir, {
    'cairn.config.ts': [
      "import type { CairnConfig } from 'cairn';",
      "import { migrationsDir } from './config/paths';",
      "import { tableName } from './config/names.js';",
      '',
      "export default { dialect: 'postgres', migrations: migrationsDir, versionTable: tableName } satisfies CairnConfig;",
      '',
    ].join('\n'),
    'config/paths.ts': "export const migrationsDir: string = 'db/migrations';\n",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own source text holds a template literal
    'config/names.ts': "const prefix: string = 'app';\nexport const tableName = `${prefix}_version`;\n",
    'db/migrations/20260101000000_t1_ts_config.ts': MIGRATION('t1'),
  });
  return dir;
}

function cacheEntries(dir: string): string[] {
  return readdirSync(join(dir, 'node_modules', '.cache', 'cairn'));
}

describe('TypeScript configuration', () => {
  it('loads a config that imports .ts siblings by extensionless and .js specifiers', () => {
    const dir = tsProject();
    expect(ok(dir, ['heads'])).toBe('t1 (head)\n');
  });

  it('caches the transpiled modules and uses the cache on the next run', () => {
    const dir = tsProject();
    ok(dir, ['heads']);
    const entries = cacheEntries(dir);
    expect(entries.filter((name) => name.endsWith('.mjs'))).toHaveLength(3);
    expect(ok(dir, ['heads'])).toBe('t1 (head)\n');
    expect(cacheEntries(dir)).toEqual(entries);

    // Proof that the second run read the cache rather than the source: a doctored entry wins.
    writeFiles(dir, { 'db/other/20260101000000_o1_other.ts': MIGRATION('o1') });
    const entry = entries
      .map((name) => join(dir, 'node_modules', '.cache', 'cairn', name))
      .find((file) => readFileSync(file, 'utf8').includes('"db/migrations"'));
    expect(entry).toBeDefined();
    writeFileSync(entry!, readFileSync(entry!, 'utf8').replace('"db/migrations"', '"db/other"'));
    expect(ok(dir, ['heads'])).toBe('o1 (head)\n');
  });

  it('a config with only type imports is loaded straight from the cache', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules'));
    ok(dir, ['init']);
    expect(ok(dir, ['heads'])).toBe('');
    expect(cacheEntries(dir)).toHaveLength(1);
    expect(ok(dir, ['heads'])).toBe('');
  });

  it('without node_modules the cache is a private directory in $TMPDIR, and only a private one is used', () => {
    const dir = tempDir();
    const tmp = tempDir();
    ok(dir, ['init', '-q']);
    ok(dir, ['heads'], { TMPDIR: tmp });
    const shared = join(tmp, 'cairn-cache');
    expect(statSync(shared).mode & 0o777).toBe(0o700);
    expect(readdirSync(shared).filter((name) => name.endsWith('.mjs'))).toHaveLength(1);

    // A symbolic link (which another user could have planted) is not followed.
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(shared, { recursive: true });
    symlinkSync(elsewhere, shared);
    expect(ok(dir, ['heads'], { TMPDIR: tmp })).toBe('');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a syntax error names the config file and the position', () => {
    const dir = tempDir();
    writeFiles(dir, { 'cairn.config.ts': 'export default {\n', 'migrations/.gitkeep': '' });
    const result = cairn(dir, ['heads']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: cairn\.config\.ts: could not be loaded: .*cairn\.config\.ts:2:1: /);
  });

  it('a module that throws is a CONFIG_ERROR naming the file and the cause', () => {
    const dir = tempDir();
    writeFiles(dir, { 'cairn.config.mts': "throw new Error('no config for you');\nexport default {};\n" });
    const result = cairn(dir, ['heads', '--json']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({
      code: 'CONFIG_ERROR',
      message: 'cairn.config.mts: could not be loaded: no config for you',
    });
  });
});

describe('configuration lookup and validation', () => {
  it('is found in a parent directory; migrations is relative to the config file', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cairn.config.json': JSON.stringify({ migrations: 'db' }),
      'db/20260101000000_j1_json.ts': MIGRATION('j1'),
      'src/deep/.keep': '',
    });
    expect(ok(join(dir, 'src', 'deep'), ['heads'])).toBe('j1 (head)\n');
  });

  it('-c and $CAIRN_CONFIG name the file', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'conf/a.mjs': "export default { migrations: '../a' };\n",
      'conf/b.json': JSON.stringify({ migrations: '../b' }),
      'a/20260101000000_a1_a.ts': MIGRATION('a1'),
      'b/20260101000000_b1_b.ts': MIGRATION('b1'),
    });
    expect(ok(dir, ['heads', '-c', 'conf/a.mjs'])).toBe('a1 (head)\n');
    expect(ok(dir, ['--config=conf/b.json', 'heads'])).toBe('b1 (head)\n');
    expect(ok(dir, ['heads'], { CAIRN_CONFIG: 'conf/b.json' })).toBe('b1 (head)\n');
    const missing = cairn(dir, ['heads', '-c', 'nope.ts']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("FAILED: configuration file 'nope.ts' (from -c/--config) does not exist\n");
  });

  it('no configuration anywhere is a CONFIG_ERROR that suggests cairn init', () => {
    const result = cairn(tempDir(), ['history', '--json']);
    expect(result.status).toBe(1);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain("run 'cairn init'");
  });

  it('an unknown key or a bad value names the file and the key', () => {
    const dir = tempDir();
    writeFiles(dir, { 'cairn.config.json': JSON.stringify({ migration: 'db' }) });
    const unknown = cairn(dir, ['heads', '--json']);
    expect(unknown.status).toBe(1);
    expect(JSON.parse(unknown.stdout).error).toEqual({
      code: 'CONFIG_ERROR',
      message:
        "cairn.config.json: unknown key 'migration' (did you mean 'migrations'?); the keys are dialect, url, migrations, versionTable, models",
      details: { file: 'cairn.config.json', key: 'migration' },
    });
    writeFiles(dir, { 'cairn.config.json': JSON.stringify({ dialect: 'oracle' }) });
    expect(cairn(dir, ['heads']).stderr).toBe(
      "FAILED: cairn.config.json: 'dialect' is 'oracle', which is not a built-in dialect ('sqlite', 'postgres', 'mysql') and not a package that can be found from cairn.config.json; fix the name, or install the package that provides the dialect\n",
    );
    writeFiles(dir, { 'cairn.config.json': JSON.stringify({ versionTable: 'drop table;' }) });
    expect(cairn(dir, ['heads']).stderr).toMatch(/^FAILED: cairn\.config\.json: 'versionTable' must be a table name/);
    writeFiles(dir, { 'cairn.config.json': '[1, 2]' });
    expect(cairn(dir, ['heads']).stderr).toMatch(
      /^FAILED: cairn\.config\.json: the default export must be a plain object/,
    );
  });

  it('a missing migrations directory is a CONFIG_ERROR', () => {
    const dir = tempDir();
    writeFiles(dir, { 'cairn.config.json': '{}' });
    const result = cairn(dir, ['heads']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: migrations directory 'migrations' does not exist/);
  });

  it('--url is accepted and never printed', () => {
    const dir = tempDir();
    ok(dir, ['init', '-q']);
    const secret = 'postgres://app:s3cret-pw@db.example:5432/app';
    expect(ok(dir, ['heads', '--url', secret, '-v'])).toBe('');
    const failed = cairn(dir, ['show', 'nope', '--url', secret, '--verbose']);
    expect(failed.status).toBe(1);
    expect(failed.stdout + failed.stderr).not.toContain('s3cret');
  });
});
