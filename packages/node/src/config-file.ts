import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CairnError } from '@cairn/core';
import { displayPath } from './display-path.js';

/** The names `cairn` looks for, in order of preference within one directory. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'cairn.config.ts',
  'cairn.config.mts',
  'cairn.config.js',
  'cairn.config.mjs',
  'cairn.config.json',
];

/**
 * The configuration file to use, as an absolute path: `explicit` (`-c`) if given, else
 * `$CAIRN_CONFIG`, else the first of `CONFIG_FILE_NAMES` in `cwd` or the nearest directory
 * above it that has one. Throws `CONFIG_ERROR` when a named file does not exist or nothing is
 * found.
 */
export function findConfigFile(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  explicit: string | undefined,
): string {
  const named = explicit ?? (env.CAIRN_CONFIG === '' ? undefined : env.CAIRN_CONFIG);
  if (named !== undefined) {
    const file = resolve(cwd, named);
    const source = explicit === undefined ? '$CAIRN_CONFIG' : '-c/--config';
    if (!isFile(file)) {
      throw new CairnError(
        'CONFIG_ERROR',
        `configuration file '${displayPath(file, cwd)}' (from ${source}) does not exist`,
        {
          details: { file },
        },
      );
    }
    return file;
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    if (dirname(dir) === dir) break;
  }
  throw new CairnError(
    'CONFIG_ERROR',
    `no configuration file (${CONFIG_FILE_NAMES.join(', ')}) in ${cwd} or any directory above it; run 'cairn init' to create one, or name one with -c FILE`,
    { details: { cwd } },
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
