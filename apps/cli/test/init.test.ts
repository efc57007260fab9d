import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, ok, tempDir } from './helpers.js';

describe('init', () => {
  it('writes cairn.config.ts and an empty migrations directory, and says so', () => {
    const dir = tempDir();
    expect(ok(dir, ['init'])).toBe('Creating directory migrations ... done\nGenerating cairn.config.ts ... done\n');
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

  it('takes a directory and a dialect', () => {
    const dir = tempDir();
    const out = JSON.parse(ok(dir, ['init', 'app', '--dialect', 'postgres', '--json']));
    expect(out).toEqual({ config: 'app/cairn.config.ts', migrations: 'app/migrations', dialect: 'postgres' });
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
