import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CairnError } from '@cairn/core';
import { green } from '../color.js';
import { defineCommand } from '../command.js';
import { usage } from '../command-line.js';
import { DIALECTS, type Dialect } from '../config.js';
import { CONFIG_FILE_NAMES } from '../config-file.js';
import { displayPath } from '../display-path.js';

/** The URL `init` writes for each dialect: a local development database, no password. */
const DEFAULT_URLS: Readonly<Record<Dialect, string>> = {
  sqlite: 'sqlite:./cairn.db',
  postgres: 'postgres://postgres@127.0.0.1:5432/app',
  mysql: 'mysql://root@127.0.0.1:3306/app',
};

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
      description: `the database: ${DIALECTS.join(', ')} (default: sqlite)`,
    },
  },
  positionals: [{ name: 'DIR', required: false, description: 'the project directory' }],
  run(context, args) {
    const dialect = (args.options.dialect ?? 'sqlite') as Dialect;
    if (!DIALECTS.includes(dialect)) {
      throw usage(`--dialect must be one of ${DIALECTS.join(', ')}, not '${args.options.dialect}'`, 'cairn init');
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
    writeFileSync(config, configSource(dialect), { flag: 'wx' });
    out.status(`Generating ${show(config)} ... ${done}`);
    out.result({ config: show(config), migrations: show(migrations), dialect });
  },
});

function configSource(dialect: Dialect): string {
  return [
    "import type { CairnConfig } from 'cairn';",
    '',
    'export default {',
    `  dialect: '${dialect}',`,
    `  url: '${DEFAULT_URLS[dialect]}',`,
    "  migrations: 'migrations',",
    "  versionTable: 'cairn_version',",
    '} satisfies CairnConfig;',
    '',
  ].join('\n');
}
