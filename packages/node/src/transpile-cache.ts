import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCacheFile } from './cache-files.js';

/**
 * The on-disk cache of TypeScript transpiled to JavaScript, shared by the config loader (main
 * thread) and the module hooks (loader thread). An entry's name is a 128-bit hash of everything
 * the output depends on, so entries never go stale and a warm start never loads esbuild.
 */

/** The module system a TypeScript file is compiled to: `.cts` is CommonJS, the rest ESM. */
export type ModuleFormat = 'module' | 'commonjs';

/** Bumped when the transpile options change, so old entries are no longer found. */
const CACHE_VERSION = 'cairn-ts-2';

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
  const hash = hash128(`${CACHE_VERSION}\0${format}\0${file}\0${source}`);
  return join(cacheDir, `${hash}${format === 'module' ? '.mjs' : '.cjs'}`);
}

/**
 * A 128-bit hash of `text` as 32 hex digits: four 32-bit multiply-xor lanes that feed each
 * other, then a final mix (bryc's public-domain cyrb128). Not cryptographic, which a cache of
 * the user's own files does not need, but `node:crypto` is not loaded for it: that costs a
 * `cairn current` with a `cairn.config.ts` about 4 ms of its start-up, more than hashing any
 * config or migration file in JavaScript.
 */
export function hash128(text: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
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
