import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CairnError } from '../src/index.js';

// The schema module (`models` in the configuration) loaded as autogenerate will load it: through
// the migrations' TypeScript loader, from the built package (see project.test.ts for why).
const DIST = '../dist/index.js';
const { openProject } = (await import(DIST)) as typeof import('../src/index.js');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-node-models-'));
  made.push(dir);
  for (const [path, text] of Object.entries({ 'migrations/.keep': '', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const config = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ dialect: 'sqlite', url: 'sqlite:./app.db', models: './src/models.ts', ...extra });

const MODELS = [
  "import { column, defineEnum, integer, table, text } from '@cairn/core';",
  "import { users } from './users.js';",
  '',
  "export const mood = defineEnum('mood', ['happy', { value: 'content', renamedFrom: 'ok' }]);",
  'export { users };',
  "export const posts = table('posts', {",
  "  columns: [column('id', integer(), { nullable: false }), column('author_id', integer()), column('body', text())],",
  "  primaryKey: ['id'],",
  "  foreignKeys: [{ columns: ['author_id'], references: { table: 'users', columns: ['id'] } }],",
  '});',
  '',
].join('\n');

const USERS = [
  "import { column, integer, table, text } from '@cairn/core';",
  "export const users = table('users', {",
  "  columns: [column('id', integer(), { nullable: false }), { ...column('full_name', text()), renamedFrom: 'name' }],",
  "  primaryKey: ['id'],",
  '});',
  '',
].join('\n');

async function failure(files: Record<string, string>): Promise<CairnError> {
  const cairn = await openProject({ cwd: project(files), env: {} });
  return (await cairn.models().then(
    () => {
      throw new Error('expected models() to reject');
    },
    (error: unknown) => error,
  )) as CairnError;
}

describe('Project.models', () => {
  it('loads a TypeScript schema module that imports its siblings, with names and hints', async () => {
    const dir = project({ 'cairn.config.json': config(), 'src/models.ts': MODELS, 'src/users.ts': USERS });
    const { model, renames } = await (await openProject({ cwd: dir, env: {} })).models();
    expect(model.tables.map((t) => t.name.name)).toEqual(['posts', 'users']);
    expect(model.enums.map((e) => e.name.name)).toEqual(['mood']);
    const posts = model.tables.find((t) => t.name.name === 'posts')!;
    expect(posts.foreignKeys.map((fk) => fk.name)).toEqual(['posts_author_id_fkey']);
    expect(renames.columns).toEqual([{ table: { name: 'users' }, from: 'name', to: 'full_name' }]);
    expect(renames.enumValues).toEqual([{ enum: { name: 'mood' }, from: 'ok', to: 'content' }]);
  });

  it('names the file for a module that is not configured, missing, throwing, empty or invalid', async () => {
    const none = await failure({ 'cairn.config.json': config({ models: undefined }) });
    expect(none.code).toBe('CONFIG_ERROR');
    expect(none.message).toContain("set 'models'");

    const missing = await failure({ 'cairn.config.json': config() });
    expect(missing.code).toBe('SCHEMA_LOAD_FAILED');
    expect(missing.message).toMatch(/^src\/models\.ts \('models' in cairn\.config\.json\) does not exist/);

    const throwing = await failure({
      'cairn.config.json': config(),
      'src/models.ts': "throw new Error('models are broken');\n",
    });
    expect(throwing.code).toBe('SCHEMA_LOAD_FAILED');
    expect(throwing.message).toBe('src/models.ts could not be loaded: models are broken');

    const empty = await failure({
      'cairn.config.json': config(),
      'src/models.ts': "import './users.js';\nexport const version = 1;\n",
      'src/users.ts': USERS.replace('export const users', 'const users'),
    });
    expect(empty.code).toBe('SCHEMA_LOAD_FAILED');
    expect(empty.message).toContain('src/models.ts exports no tables or enums');

    const invalid = await failure({
      'cairn.config.json': config(),
      'src/models.ts': USERS.replace("references: { table: 'users'", '').replace(
        "primaryKey: ['id'],",
        "primaryKey: ['id'],\n  foreignKeys: [{ columns: ['id'], references: { table: 'ghosts', columns: ['id'] } }],",
      ),
    });
    expect(invalid.code).toBe('INVALID_SCHEMA');
    expect(invalid.message).toMatch(/^src\/models\.ts: .*ghosts/);
    expect(invalid.details).toMatchObject({ file: 'src/models.ts' });
  });
});
