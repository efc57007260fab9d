import { readFileSync } from 'node:fs';

/**
 * The version of the `cairn` package, read from its package.json (one level above `dist/`, and
 * above `src/` when run from source). Imported only by `--version`.
 */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
