import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** The committed shim, which runs the built `dist/cli.js`. */
export const BIN = fileURLToPath(new URL('../bin/cairn.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * The CLI's `$TMPDIR` in these tests: projects without node_modules keep their caches in
 * `$TMPDIR/cairn-cache`, and tests must leave nothing behind in the real one.
 */
let cliTmp = '';

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (pnpm --filter cairn build)`);
  cliTmp = mkdtempSync(join(tmpdir(), 'cairn-cli-tmp-'));
});

afterAll(() => {
  rmSync(cliTmp, { recursive: true, force: true });
});

/** What one run of the binary produced. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables that would change the CLI's behaviour, removed from the inherited environment. */
const CLEARED = ['CAIRN_CONFIG', 'DATABASE_URL', 'EDITOR', 'VISUAL', 'FORCE_COLOR'];

/** Runs `node bin/cairn.js ...args` in `cwd` and waits for it. */
export function cairn(cwd: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const name of CLEARED) delete base[name];
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...base, TMPDIR: cliTmp, ...env },
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs and expects exit code 0; returns stdout. The failure message shows stderr. */
export function ok(cwd: string, args: readonly string[], env: Record<string, string> = {}): string {
  const result = cairn(cwd, args, env);
  if (result.status !== 0) {
    throw new Error(
      `cairn ${args.join(' ')} exited with ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return result.stdout;
}

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-test-'));
  made.push(dir);
  return dir;
}

/** A fresh directory after `cairn init` (sqlite, `migrations/`). */
export function initProject(): string {
  const dir = tempDir();
  ok(dir, ['init']);
  return dir;
}

/** Writes `files` (path → text) under `dir`, creating directories. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The migration file names in `dir/migrations`, sorted. */
export function migrationFiles(dir: string): string[] {
  return readdirSync(join(dir, 'migrations'))
    .filter((name) => !name.startsWith('.'))
    .sort();
}

/** A `.sql` migration creating (and dropping) table `t_<rev>`, or running `body` on the way up. */
export function sqlMigration(rev: string, parents: string, body = `CREATE TABLE t_${rev} (id integer);`): string {
  return [
    `-- cairn:revision ${rev}`,
    `-- cairn:downRevision ${parents}`,
    `-- cairn:message create t_${rev}`,
    '',
    '-- cairn:up',
    body,
    '',
    '-- cairn:down',
    `DROP TABLE t_${rev};`,
    '',
  ].join('\n');
}

/** a → b → (c1 → d1), (c2 → d2) as `.sql` files (for `writeFiles`), created one second apart. */
export function branchedSqlMigrations(): Record<string, string> {
  return {
    'migrations/20260101000000_a_a.sql': sqlMigration('a', ''),
    'migrations/20260101000001_b_b.sql': sqlMigration('b', 'a'),
    'migrations/20260101000002_c1_c1.sql': sqlMigration('c1', 'b'),
    'migrations/20260101000003_d1_d1.sql': sqlMigration('d1', 'c1'),
    'migrations/20260101000004_c2_c2.sql': sqlMigration('c2', 'b'),
    'migrations/20260101000005_d2_d2.sql': sqlMigration('d2', 'c2'),
  };
}

/** Starts `count` processes of `cairn ...args` in `cwd` at once and waits for all of them. */
export function cairnConcurrently(
  cwd: string,
  args: readonly string[],
  count: number,
): Promise<{ code: number | null; stdout: string; stderr: string }[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
          });
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
          });
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        }),
    ),
  );
}
