import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFile } from './cache-files.js';

/**
 * The on-disk cache of TypeScript transpiled to JavaScript, shared by the config loader (main
 * thread) and the module hooks (loader thread). An entry's name is a hash of everything the
 * output depends on, so entries never go stale and a warm start never loads esbuild.
 */

/** The module system a TypeScript file is compiled to: `.cts` is CommonJS, the rest ESM. */
export type ModuleFormat = 'module' | 'commonjs';

/** Bumped when the transpile options change, so old entries are no longer found. */
const CACHE_VERSION = 'cairn-ts-1';

/** How `file` is compiled and loaded, by its extension. */
export function formatOf(file: string): ModuleFormat {
  return file.endsWith('.cts') ? 'commonjs' : 'module';
}

/**
 * The entry path for `file` with `source`. The absolute path is part of the key because the
 * inline source map names it.
 */
function cacheEntryPath(cacheDir: string, file: string, source: string): string {
  const format = formatOf(file);
  const hash = createHash('sha256')
    .update(`${CACHE_VERSION}\0${format}\0${file}\0`)
    .update(source)
    .digest('hex')
    .slice(0, 40);
  return join(cacheDir, `${hash}${format === 'module' ? '.mjs' : '.cjs'}`);
}

/** The cached output, or `undefined` on a miss. */
function readCacheEntry(entry: string): string | undefined {
  try {
    return readFileSync(entry, 'utf8');
  } catch {
    return undefined;
  }
}

/** What `transpileCached` returns: the code, and its cache file when it is stored in one. */
export interface TranspileResult {
  readonly code: string;
  /** The cache file holding `code`; `undefined` when there is no cache or it could not be written. */
  readonly entry: string | undefined;
}

/**
 * The JavaScript for TypeScript `file` (whose text is `source`): from the cache in `cacheDir`,
 * else compiled with esbuild (loaded only then) and stored. `cacheDir` `undefined`: no cache.
 */
export async function transpileCached(
  cacheDir: string | undefined,
  file: string,
  source: string,
): Promise<TranspileResult> {
  const entry = cacheDir === undefined ? undefined : cacheEntryPath(cacheDir, file, source);
  const cached = entry === undefined ? undefined : readCacheEntry(entry);
  if (cached !== undefined) return { code: cached, entry };
  const { transpile } = await import('./transpile.js');
  const code = transpile(file, source, formatOf(file));
  return { code, entry: entry !== undefined && writeCacheFile(entry, code) ? entry : undefined };
}
