import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestDatabase } from './postgres-database.js';

// The proof that cairn installs: every publishable workspace package is packed with `pnpm pack`,
// the tarballs are installed into apps outside the workspace (one with pnpm, one with npm), and
// the installed `cairn` is run there as a user runs it, with `npx`. Third-party packages come from
// the registry; every `cairn`/`@cairn/*` package must come from the tarballs.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);
const database = postgresTestDatabase('cairn_pack');

/** What `pnpm pack --json` says about one package. */
interface Packed {
  readonly name: string;
  readonly dir: string;
  readonly tarball: string;
  readonly files: readonly string[];
}

/** What `cairn init` says in an app that has a package.json (which it leaves alone). */
const INIT_OUTPUT =
  'Creating directory migrations ... done\nGenerating cairn.config.ts ... done\nGenerating tsconfig.json ... done\n';

let packs = '';
let packed: readonly Packed[] = [];
const apps: string[] = [];

beforeAll(() => {
  packs = mkdtempSync(join(tmpdir(), 'cairn-packs-'));
  // Every workspace package that is not private: new ones are picked up without listing them here.
  const workspace = JSON.parse(must('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], ROOT)) as {
    name: string;
    path: string;
    private?: boolean;
  }[];
  packed = workspace
    .filter((pkg) => pkg.private !== true)
    .map((pkg) => {
      const out = JSON.parse(must('pnpm', ['pack', '--pack-destination', packs, '--json'], pkg.path)) as {
        filename: string;
        files: { path: string }[];
      };
      return { name: pkg.name, dir: pkg.path, tarball: out.filename, files: out.files.map((file) => file.path) };
    });
}, 60_000);

afterAll(() => {
  for (const dir of [packs, ...apps]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are every publishable package, each with its metadata, README and LICENSE', () => {
    expect(packed.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['cairn', '@cairn/core', '@cairn/postgres']));
    for (const pkg of packed) {
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
      expect.soft(manifest.exports['.'].types, pkg.name).toMatch(/\.d\.ts$/);
      expect.soft(manifest.types, pkg.name).toBe(manifest.exports['.'].types);
      expect.soft(manifest.engines, pkg.name).toEqual({ node: '>=20.19' });
      expect.soft(manifest.license, pkg.name).toBe('MIT');
      expect.soft(manifest.repository?.url, pkg.name).toMatch(/^git\+https:/);
      expect.soft(manifest.description, pkg.name).toEqual(expect.any(String));
      expect.soft(pkg.files, pkg.name).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
      for (const entry of Object.values(manifest.exports as Record<string, string | Record<string, string>>))
        for (const target of typeof entry === 'string' ? [entry] : Object.values(entry))
          expect.soft(pkg.files, `${pkg.name} exports ${target}`).toContain(target.replace(/^\.\//, ''));
    }
  });

  it('hold what runs and nothing else: no tests, no sources, no maps pointing at missing files', () => {
    for (const pkg of packed) {
      for (const file of pkg.files) {
        expect.soft(file, pkg.name).toMatch(/^(dist\/|bin\/|README\.md$|LICENSE$|package\.json$)/);
        expect.soft(file, pkg.name).not.toMatch(/\.test\.|\.d\.ts\.map$/);
        if (!file.endsWith('.map')) continue;
        // A source map carries its sources, since `src` is not shipped.
        const map = JSON.parse(readFileSync(join(pkg.dir, file), 'utf8')) as {
          sources: string[];
          sourcesContent?: (string | null)[];
        };
        expect
          .soft(map.sourcesContent?.filter((text) => typeof text === 'string').length, `${pkg.name} ${file}`)
          .toBe(map.sources.length);
      }
    }
  });
});

describe('installed outside the workspace', () => {
  it('runs on SQLite in an app installed with pnpm, and tsc checks its migrations', () => {
    // pnpm reuses the better-sqlite3 it built for the workspace (its side-effects cache) only for
    // the same dependency graph: the driver's dependencies are pinned to the workspace's versions.
    const pins = lockedDependencies(readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8'), 'better-sqlite3');
    const app = newApp('sqlite', { 'better-sqlite3': installedVersion('better-sqlite3') }, (overrides) => ({
      pnpm: { overrides: { ...pins, ...overrides }, onlyBuiltDependencies: ['better-sqlite3', 'esbuild'] },
    }));
    const store = must('pnpm', ['store', 'path'], ROOT).trim();
    must('pnpm', ['install', '--no-frozen-lockfile', '--store-dir', store], app);
    expectLocalCairn(lockedCairnVersions(readFileSync(join(app, 'pnpm-lock.yaml'), 'utf8')));

    expect(npx(app, ['init'])).toBe(INIT_OUTPUT);
    expect(npx(app, ['revision', '-m', 'x'])).toMatch(
      /^Generating migrations\/\d{14}_[0-9a-f]{12}_x\.ts \.\.\. done\n$/,
    );
    const revision = revisionWritten(app);
    expect(npx(app, ['upgrade'])).toBe(`Running upgrade  -> ${revision}, x\n`);
    expect(npx(app, ['current'])).toBe(`${revision} (head)\n`);

    // The project type-checks as written (cairn resolves under pnpm's strict layout, ctx is typed),
    // and a misspelt operation is an error.
    expect(tsc(app)).toEqual({ status: 0, output: '' });
    writeFileSync(
      join(app, 'migrations', '20260101000000_typo00000000_typo.ts'),
      [
        "import { column, defineMigration, text } from 'cairn';",
        '',
        "export default defineMigration({ revision: 'typo00000000', downRevision: null,",
        "  async upgrade(ctx) { await ctx.op.addColum('account', column('name', text())); },",
        '});',
        '',
      ].join('\n'),
    );
    const typo = tsc(app);
    expect(typo.status).not.toBe(0);
    expect(typo.output).toContain("error TS2551: Property 'addColum' does not exist on type 'OpApi'");
  }, 240_000);

  it('runs on PostgreSQL in an app installed with npm with only pg, and names the drivers it lacks', () => {
    const app = newApp('postgres', { pg: installedVersion('pg') }, (overrides) => ({ overrides }));
    must('npm', ['install', '--no-audit', '--no-fund'], app);
    expectLocalCairn(lockedCairnVersions(readFileSync(join(app, 'package-lock.json'), 'utf8')));
    expect(findPackages(join(app, 'node_modules'), ['better-sqlite3', 'mysql2'])).toEqual([]);

    const env = { DATABASE_URL: database.url };
    expect(npx(app, ['init', '--dialect', 'postgres'])).toBe(INIT_OUTPUT);
    npx(app, ['revision', '-m', 'x']);
    const revision = revisionWritten(app);
    expect(npx(app, ['upgrade'], env)).toBe(`Running upgrade  -> ${revision}, x\n`);
    expect(npx(app, ['current'], env)).toBe(`${revision} (head)\n`);

    // A dialect whose driver is not installed: everything but a connection works, and the
    // connection is a DRIVER_MISSING that says what to install.
    npx(app, ['init', 'lite', '--dialect', 'sqlite', '-q']);
    npx(app, ['init', 'my', '--dialect', 'mysql', '-q']);
    for (const [project, driver] of [
      ['lite', 'better-sqlite3'],
      ['my', 'mysql2'],
    ] as const) {
      const config = ['-c', `${project}/cairn.config.ts`];
      expect(npx(app, [...config, 'upgrade', '--sql'])).toContain('CREATE TABLE IF NOT EXISTS');
      const human = cairnIn(app, [...config, 'current']);
      expect(human.status).toBe(1);
      expect(human.stderr).toMatch(
        new RegExp(`^FAILED: the [\\w/]+ driver '${driver}' is not installed; .*npm install ${driver} `),
      );
      const json = cairnIn(app, [...config, 'upgrade', '--json']);
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        error: {
          code: 'DRIVER_MISSING',
          message: expect.stringContaining(`npm install ${driver}`),
          details: { package: driver },
        },
      });
    }
    // The dialect packages themselves load without their drivers; opening a connection is what needs one.
    const script = [
      "const { openSqlite, sqliteDialect } = await import('@cairn/sqlite');",
      "const { mysqlDialect } = await import('@cairn/mysql');",
      'console.log(sqliteDialect().name, mysqlDialect().name);',
      "await openSqlite('sqlite::memory:').catch((error) => console.log(error.code));",
    ].join('\n');
    expect(must(process.execPath, ['--input-type=module', '--eval', script], app)).toBe(
      'sqlite mysql\nDRIVER_MISSING\n',
    );
  }, 240_000);
});

/**
 * A new directory under the system's temporary one with a package.json that installs the packed
 * `cairn` and `drivers`; `settings` adds the package manager's own keys given `overrides`, which
 * map every other packed package to its tarball, so that nothing named cairn comes from the
 * registry.
 */
function newApp(
  label: string,
  drivers: Record<string, string>,
  settings: (overrides: Record<string, string>) => Record<string, unknown>,
): string {
  const app = mkdtempSync(join(tmpdir(), `cairn-app-${label}-`));
  apps.push(app);
  const tarball = (pkg: Packed) => `file:${pkg.tarball}`;
  const cairn = packed.find((pkg) => pkg.name === 'cairn')!;
  const overrides = Object.fromEntries(packed.filter((pkg) => pkg !== cairn).map((pkg) => [pkg.name, tarball(pkg)]));
  const manifest = { private: true, type: 'module', devDependencies: { cairn: tarball(cairn), ...drivers } };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ ...manifest, ...settings(overrides) }, null, 2)}\n`);
  return app;
}

/** The id of the one revision in `app/migrations`. */
function revisionWritten(app: string): string {
  const [file, ...more] = readdirSync(join(app, 'migrations')).filter((name) => name.endsWith('.ts'));
  expect(more).toEqual([]);
  return /^\d{14}_([0-9a-f]{12})_/.exec(file ?? '')?.[1] ?? `no revision in ${readdirSync(join(app, 'migrations'))}`;
}

/** The version of `name` the workspace installed for the CLI's tests. */
function installedVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** `cairn`/`@cairn/*` packages in a lockfile, each with where it was resolved from. */
function lockedCairnVersions(lockfile: string): Map<string, string> {
  const found = new Map<string, string>();
  if (lockfile.startsWith('{')) {
    // npm: "node_modules/@cairn/core": { "resolved": "file:…" }; a registry package has none here.
    const { packages } = JSON.parse(lockfile) as { packages: Record<string, { resolved?: string }> };
    for (const [path, entry] of Object.entries(packages)) {
      const name = /(?:^|\/)node_modules\/((?:@cairn\/)?[^/]+)$/.exec(path)?.[1];
      if (name === 'cairn' || name?.startsWith('@cairn/')) found.set(name, entry.resolved ?? '(registry)');
    }
  } else {
    // pnpm: `  '@cairn/core@file:…':` or `  cairn@file:…(peers):` under packages and snapshots.
    for (const match of lockfile.matchAll(/^ {2}'?((?:@cairn\/)?[\w-]+)@([^'(:\s]+(?::[^'(\s]+)?)/gm)) {
      const [, name, version] = match;
      if (name === 'cairn' || name!.startsWith('@cairn/')) found.set(name!, version!.replace(/:$/, ''));
    }
  }
  return found;
}

function expectLocalCairn(locked: Map<string, string>): void {
  expect([...locked.keys()].sort()).toEqual(
    expect.arrayContaining(['@cairn/core', '@cairn/mysql', '@cairn/postgres', '@cairn/sqlite', 'cairn']),
  );
  for (const [name, resolved] of locked) expect(resolved, name).toMatch(/^file:.*\.tgz$/);
}

/**
 * The packages `root` (a direct dependency of the workspace) depends on, transitively, at the
 * versions the workspace's pnpm-lock.yaml (v9) has them: name → version.
 */
function lockedDependencies(lockfile: string, root: string): Record<string, string> {
  const snapshots = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lockfile.slice(lockfile.indexOf('\nsnapshots:')).split('\n')) {
    const key = /^ {2}'?([^'\s][^']*?)'?:(?: \{\})?$/.exec(line);
    if (key) {
      current = [];
      snapshots.set(key[1]!, current);
    }
    const dependency = /^ {6}'?([^':]+)'?: '?([^'\s]+)'?$/.exec(line);
    if (dependency && current) current.push(`${dependency[1]}@${dependency[2]}`);
  }
  const start = [...snapshots.keys()].find((key) => key.startsWith(`${root}@`));
  expect(start, `${root} in pnpm-lock.yaml`).toBeDefined();
  const pins: Record<string, string> = {};
  const queue = [...(snapshots.get(start!) ?? [])];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    const at = key.indexOf('@', 1);
    const name = key.slice(0, at);
    if (pins[name] !== undefined) continue;
    pins[name] = key.slice(at + 1).replace(/\(.*$/, '');
    queue.push(...(snapshots.get(key) ?? []));
  }
  return pins;
}

/** The installed packages named `names` in the `node_modules` directory `dir` and any nested in it. */
function findPackages(dir: string, names: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const packages = entry.name.startsWith('@')
      ? readdirSync(join(dir, entry.name)).map((name) => `${entry.name}/${name}`)
      : [entry.name];
    for (const name of packages) {
      if (names.includes(name)) found.push(join(dir, name));
      const nested = join(dir, name, 'node_modules');
      if (existsSync(nested)) found.push(...findPackages(nested, names));
    }
  }
  return found;
}

/**
 * The environment of a user's shell: without what pnpm and vitest set for this test (`NODE_PATH`
 * would let the app resolve the workspace's packages; the `npm_config_*` copies of the
 * workspace's settings would apply them to the app) and without cairn's own variables. The
 * registry and certificates pnpm was configured with stay.
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    const kept = name === 'npm_config_registry' || name === 'npm_config_cafile';
    if (!kept && /^(npm_|pnpm_|PNPM_|VITEST|CAIRN_|NODE_PATH$|NODE_ENV$|INIT_CWD$|DATABASE_URL$|FORCE_)/i.test(name))
      continue;
    env[name] = value;
  }
  // node-gyp builds against the local Node headers (there is no network to nodejs.org).
  return { ...env, NO_COLOR: '1', npm_config_nodedir: dirname(dirname(process.execPath)), ...extra };
}

function run(command: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, env: userEnv(extra), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function must(command: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}): string {
  const result = run(command, args, cwd, extra);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} in ${cwd} exited with ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * `npx cairn ...args` in `app` (written `npx --no -- cairn`: never fetched, and `-c` is cairn's,
 * not npm's), expected to succeed: its stdout.
 */
function npx(app: string, args: readonly string[], extra: Record<string, string> = {}): string {
  return must('npx', ['--no', '--', 'cairn', ...args], app, extra);
}

/** `npx cairn ...args` in `app`, whatever its exit code. */
function cairnIn(app: string, args: readonly string[]) {
  return run('npx', ['--no', '--', 'cairn', ...args], app);
}

/** `tsc --noEmit -p app` with the workspace's TypeScript. */
function tsc(app: string): { status: number | null; output: string } {
  const bin = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const result = run(process.execPath, [bin, '--noEmit', '-p', app], app);
  return { status: result.status, output: result.stdout + result.stderr };
}
