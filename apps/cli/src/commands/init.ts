import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CairnError, type DialectDescriptor } from '@cairn/core';
import {
  BUILT_IN_DIALECT_NAMES,
  BUILT_IN_DIALECTS,
  CONFIG_FILE_NAMES,
  cairnVersion,
  displayPath,
  isBuiltInDialect,
} from '@cairn/node';
import { green } from '../color.js';
import { defineCommand } from '../command.js';
import { usage } from '../command-line.js';

/**
 * `cairn init [DIR] [--dialect D]`: writes `DIR/cairn.config.ts` and an empty `DIR/migrations/`
 * (with a `.gitkeep` so that git keeps it), and, where DIR has none, a `package.json` (private,
 * ESM, `cairn` and the dialect's driver as devDependencies) and a `tsconfig.json` that
 * type-checks the configuration and the migrations in the editor. Refuses when DIR already has a
 * configuration file; never overwrites a file. JSON: `{"config":"<path>","migrations":"<path>",
 * "dialect":"<dialect>","packageJson":"<path>"|null,"tsconfig":"<path>"|null}` (`null`: one was
 * there already and was left alone).
 */
export default defineCommand({
  name: 'init',
  description:
    "The configuration is TypeScript that type-checks against 'cairn' but needs nothing installed to load.\nA package.json and a tsconfig.json are written when DIR has none, so that the editor checks the\nconfiguration and the migrations once the packages are installed (npm install).\nDIR defaults to the working directory and is created if missing.",
  options: {
    dialect: {
      type: 'string',
      placeholder: 'DIALECT',
      description: `the database: ${BUILT_IN_DIALECT_NAMES.join(', ')} (default: sqlite)`,
    },
  },
  positionals: [{ name: 'DIR', required: false, description: 'the project directory' }],
  async run(context, args) {
    const dialect = args.options.dialect ?? 'sqlite';
    if (!isBuiltInDialect(dialect)) {
      throw usage(
        `--dialect must be one of ${BUILT_IN_DIALECT_NAMES.join(', ')}, not '${args.options.dialect}'`,
        'cairn init',
      );
    }
    const dir = resolve(context.cwd, args.positionals[0] ?? '.');
    const show = (path: string) => displayPath(path, context.cwd);
    const existing = CONFIG_FILE_NAMES.map((name) => join(dir, name)).find((file) => existsSync(file));
    if (existing !== undefined) {
      throw new CairnError(
        'CONFIG_ERROR',
        `${show(existing)} already exists; cairn init does not overwrite a configuration`,
        {
          details: { file: existing },
        },
      );
    }
    const migrations = join(dir, 'migrations');
    if (existsSync(migrations) && !statSync(migrations).isDirectory()) {
      throw new CairnError(
        'CONFIG_ERROR',
        `${show(migrations)} exists and is not a directory; move it away or run cairn init elsewhere`,
        {
          details: { file: migrations },
        },
      );
    }
    const { out } = context;
    const done = green('done', out.color);
    if (!existsSync(migrations)) {
      mkdirSync(migrations, { recursive: true });
      out.status(`Creating directory ${show(migrations)} ... ${done}`);
    }
    if (readdirSync(migrations).length === 0) writeFileSync(join(migrations, '.gitkeep'), '');
    const descriptor = await BUILT_IN_DIALECTS[dialect]();
    const config = join(dir, 'cairn.config.ts');
    writeFileSync(config, configSource(dialect, descriptor.exampleUrl), { flag: 'wx' });
    out.status(`Generating ${show(config)} ... ${done}`);
    const writeIfMissing = (name: string, source: string): string | null => {
      const file = join(dir, name);
      if (existsSync(file)) return null;
      writeFileSync(file, source, { flag: 'wx' });
      out.status(`Generating ${show(file)} ... ${done}`);
      return show(file);
    };
    const packageJson = writeIfMissing('package.json', packageJsonSource(descriptor));
    const tsconfig = writeIfMissing('tsconfig.json', TSCONFIG_SOURCE);
    out.result({ config: show(config), migrations: show(migrations), dialect, packageJson, tsconfig });
  },
});

/**
 * A new project's package.json: ESM (as cairn loads `.ts` files), with `cairn` and the dialect's
 * driver at the versions of this release as devDependencies, which give the editor the types.
 */
function packageJsonSource(descriptor: DialectDescriptor): string {
  const devDependencies: Record<string, string> = { cairn: `^${cairnVersion()}` };
  if (descriptor.driver !== undefined) devDependencies[descriptor.driver.name] = descriptor.driver.version;
  const sorted = Object.fromEntries(Object.entries(devDependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ private: true, type: 'module', devDependencies: sorted }, null, 2)}\n`;
}

/**
 * A tsconfig.json for the editor and `tsc --noEmit`: the configuration and the migrations,
 * strict, resolved as cairn loads them (every `.ts` file an ES module, relative imports with or
 * without an extension), nothing emitted.
 */
const TSCONFIG_SOURCE = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['cairn.config.ts', 'migrations'],
  },
  null,
  2,
)}\n`;

/** A configuration for `dialect`, with its descriptor's example URL (a local development database). */
function configSource(dialect: string, url: string): string {
  return [
    "import type { CairnConfig } from 'cairn';",
    '',
    'export default {',
    `  dialect: '${dialect}',`,
    `  url: '${url}',`,
    "  migrations: 'migrations',",
    "  versionTable: 'cairn_version',",
    '} satisfies CairnConfig;',
    '',
  ].join('\n');
}
