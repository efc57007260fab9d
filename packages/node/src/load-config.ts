import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCairnError } from '@cairn/core';
import type { ResolvedConfig } from './config.js';
import { findConfigFile } from './config-file.js';
import { displayPath } from './display-path.js';
import { checkDialectOptions, loadDialectDescriptor } from './load-dialect.js';
import { importTypeScript } from './typescript-loader.js';

/** The dialect of a configuration that names none: the embedded one, nothing to install or run. */
const DEFAULT_DIALECT = 'sqlite';

import { configError, validateConfig } from './validate-config.js';

/**
 * Finds, loads and validates the configuration (see `findConfigFile`), and applies the
 * defaults and precedence: `--url`, then `$DATABASE_URL`, then the file's `url`; `migrations`
 * relative to the file's directory. Throws `CONFIG_ERROR` naming the file (and key).
 */
export async function loadConfig(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  global: { readonly config?: string; readonly url?: string },
): Promise<ResolvedConfig> {
  const file = findConfigFile(cwd, env, global.config);
  const shown = displayPath(file, cwd);
  const config = validateConfig(await importDefault(file, shown), shown);
  const dialect = await loadDialectDescriptor(config.dialect ?? DEFAULT_DIALECT, file, shown);
  const options = await checkDialectOptions(dialect, config.options, shown, config.dialect === undefined);
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  const versionTable = config.versionTable ?? 'cairn_version';
  return {
    file,
    dialect,
    settings: { options, versionTable, baseDir: dirname(file), configFile: shown },
    url: global.url ?? databaseUrl ?? config.url,
    migrationsDir: resolve(dirname(file), config.migrations ?? 'migrations'),
    modelsFile: config.models === undefined ? undefined : resolve(dirname(file), config.models),
    versionTable,
  };
}

/** The default export of the configuration module (the parsed value of a `.json` file). */
async function importDefault(file: string, shown: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw configError(shown, `cannot be read: ${messageOf(error)}`, undefined, error);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw configError(shown, `is not valid JSON: ${messageOf(error)}`, undefined, error);
    }
  }
  let namespace: Record<string, unknown>;
  try {
    if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
      namespace = await importTypeScript(file);
    } else if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
      namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } else {
      throw configError(shown, `has an extension cairn cannot load ('${ext}'); use .ts, .mts, .js, .mjs or .json`);
    }
  } catch (error) {
    if (isCairnError(error)) throw error;
    throw configError(shown, `could not be loaded: ${messageOf(error)}`, undefined, error);
  }
  if (!('default' in namespace) || namespace.default === undefined) {
    throw configError(shown, 'has no default export; write `export default { dialect: ... }`');
  }
  return namespace.default;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
