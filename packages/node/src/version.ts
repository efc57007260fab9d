import { readFileSync } from 'node:fs';

let version: string | undefined;

/**
 * The version of the `cairn` package, read from its package.json (one level above `dist/`, and
 * above `src/` when run from source) on the first call: by `--version`, and by the commands that
 * open the database (it is in every history row).
 */
export function cairnVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return version;
}
