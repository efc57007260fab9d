import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CairnError } from '@cairn/core';
import {
  BUILT_IN_DIALECT_NAMES,
  BUILT_IN_DIALECTS,
  CONFIG_FILE_NAMES,
  displayPath,
  isBuiltInDialect,
} from '@cairn/node';
import { green } from '../color.js';
import { defineCommand } from '../command.js';
import { usage } from '../command-line.js';

/**
 * `cairn init [DIR] [--dialect D]`: writes `DIR/cairn.config.ts` and an empty `DIR/migrations/`
 * (with a `.gitkeep` so that git keeps it). Refuses when DIR already has a configuration file.
 * JSON: `{"config":"<path>","migrations":"<path>","dialect":"<dialect>"}`.
 */
export default defineCommand({
  name: 'init',
  description:
    "The configuration is TypeScript that type-checks against 'cairn' but needs nothing installed to load.\nDIR defaults to the working directory and is created if missing.",
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
    const config = join(dir, 'cairn.config.ts');
    const { exampleUrl } = await BUILT_IN_DIALECTS[dialect]();
    writeFileSync(config, configSource(dialect, exampleUrl), { flag: 'wx' });
    out.status(`Generating ${show(config)} ... ${done}`);
    out.result({ config: show(config), migrations: show(migrations), dialect });
  },
});

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
