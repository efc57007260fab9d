import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, ok, tempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const CAIRN_VERSION: string = require('cairn/package.json').version;

/** The driver each dialect package declares as its optional peer, with the range it declares. */
function peerDriver(pkg: string): [string, string] {
  const { peerDependencies } = require(`${pkg}/package.json`) as { peerDependencies: Record<string, string> };
  const drivers = Object.entries(peerDependencies).filter(([name]) => !name.startsWith('@types/'));
  expect(drivers).toHaveLength(1);
  return drivers[0]!;
}

describe('init', () => {
  it('writes cairn.config.ts and an empty migrations directory, and says so', () => {
    const dir = tempDir();
    expect(ok(dir, ['init'])).toBe(
      [
        'Creating directory migrations ... done',
        'Generating cairn.config.ts ... done',
        'Generating package.json ... done',
        'Generating tsconfig.json ... done',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'cairn.config.ts'), 'utf8')).toBe(
      [
        "import type { CairnConfig } from 'cairn';",
        '',
        'export default {',
        "  dialect: 'sqlite',",
        "  url: 'sqlite:./cairn.db',",
        "  migrations: 'migrations',",
        "  versionTable: 'cairn_version',",
        '} satisfies CairnConfig;',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'migrations', '.gitkeep'))).toBe(true);
    // The config it writes loads without `cairn` installed in the project.
    expect(ok(dir, ['heads'])).toBe('');
  });

  it("writes a minimal package.json with cairn and the dialect's driver at the versions of this release", () => {
    const dir = tempDir();
    for (const [dialect, pkg] of [
      ['sqlite', '@cairn/sqlite'],
      ['postgres', '@cairn/postgres'],
      ['mysql', '@cairn/mysql'],
    ] as const) {
      ok(dir, ['init', dialect, '--dialect', dialect, '-q']);
      const [driver, range] = peerDriver(pkg);
      expect(readJson(join(dir, dialect, 'package.json'))).toEqual({
        private: true,
        type: 'module',
        devDependencies: { cairn: `^${CAIRN_VERSION}`, [driver]: range },
      });
    }
    expect(Object.keys(readJson(join(dir, 'sqlite', 'package.json')).devDependencies)).toEqual([
      'better-sqlite3',
      'cairn',
    ]);
  });

  it('writes a tsconfig.json that checks the configuration and the migrations as cairn loads them', () => {
    const dir = tempDir();
    ok(dir, ['init', '-q']);
    // What makes it check them: the files, strict, every .ts an ES module (as cairn loads them).
    expect(readJson(join(dir, 'tsconfig.json'))).toMatchObject({
      compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true },
      include: ['cairn.config.ts', 'migrations'],
    });
    // That tsc finds a typo in a migration with it is shown in pack.test.ts, on installed packages.
  });

  it('leaves an existing package.json and tsconfig.json alone, and says which it wrote', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"app"}\n');
    expect(JSON.parse(ok(dir, ['init', '--json']))).toEqual({
      config: 'cairn.config.ts',
      migrations: 'migrations',
      dialect: 'sqlite',
      packageJson: null,
      tsconfig: 'tsconfig.json',
    });
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name":"app"}\n');
    const other = tempDir();
    writeFileSync(join(other, 'tsconfig.json'), '{}\n');
    expect(ok(other, ['init'])).not.toContain('tsconfig.json');
    expect(readFileSync(join(other, 'tsconfig.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(join(other, 'package.json'))).toBe(true);
  });

  it('takes a directory and a dialect', () => {
    const dir = tempDir();
    const out = JSON.parse(ok(dir, ['init', 'app', '--dialect', 'postgres', '--json']));
    expect(out).toEqual({
      config: 'app/cairn.config.ts',
      migrations: 'app/migrations',
      dialect: 'postgres',
      packageJson: 'app/package.json',
      tsconfig: 'app/tsconfig.json',
    });
    expect(readFileSync(join(dir, 'app', 'cairn.config.ts'), 'utf8')).toContain(
      "url: 'postgres://postgres@127.0.0.1:5432/app',",
    );
    ok(dir, ['init', 'db2', '--dialect=mysql', '-q']);
    expect(readFileSync(join(dir, 'db2', 'cairn.config.ts'), 'utf8')).toContain(
      "url: 'mysql://root@127.0.0.1:3306/app',",
    );
  });

  it('refuses to overwrite an existing configuration (exit 1)', () => {
    const dir = tempDir();
    ok(dir, ['init']);
    const result = cairn(dir, ['init']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'FAILED: cairn.config.ts already exists; cairn init does not overwrite a configuration\n',
    );
  });

  it('rejects an unknown dialect as a usage error (exit 2)', () => {
    const result = cairn(tempDir(), ['init', '--dialect', 'oracle']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^FAILED: --dialect must be one of sqlite, postgres, mysql, not 'oracle'/);
  });
});
