import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDirFor } from './cache-files.js';
import { formatOf, transpileCached } from './transpile-cache.js';
import type { TypeScriptHooksData } from './typescript-hooks.js';

/**
 * Loading TypeScript modules (the config now, migrations later) without a TypeScript runtime
 * such as tsx: esbuild strips the types, a disk cache keeps esbuild off warm starts, and Node
 * module hooks handle the imports between TypeScript files.
 */

let registered = false;

/**
 * Registers the TypeScript module hooks (`typescript-hooks.ts`) for the rest of the process.
 * Costs a loader thread (tens of milliseconds), so callers do it only when a TypeScript module
 * has to be imported with its own imports. Idempotent; the first `cacheDir` wins (`undefined`: no cache).
 */
export function registerTypeScriptHooks(cacheDir: string | undefined): void {
  if (registered) return;
  registered = true;
  const data: TypeScriptHooksData = { cacheDir };
  register(new URL('./typescript-hooks.js', import.meta.url), { data });
}

/**
 * Imports the TypeScript module `file` (absolute path) and returns its namespace.
 *
 * When the compiled module imports nothing (a config that only has `import type` lines is the
 * common case), the cached JavaScript is imported directly and no hooks are registered; otherwise
 * the hooks are registered and `file` is imported through them. Compilation errors reject with
 * `<file>:<line>:<column>: <message>`.
 */
export async function importTypeScript(file: string): Promise<Record<string, unknown>> {
  const cacheDir = cacheDirFor(dirname(file));
  if (!registered && formatOf(file) === 'module') {
    const { code, entry } = await transpileCached(cacheDir, file, readFileSync(file, 'utf8'));
    if (entry !== undefined && importsNothing(code)) return import(pathToFileURL(entry).href);
  }
  registerTypeScriptHooks(cacheDir);
  return import(pathToFileURL(file).href);
}

/**
 * True when compiled ESM `code` certainly has no import of any kind (and no `import.meta`), so
 * it runs the same from the cache directory as from its own. Errs towards false: the word
 * `import` anywhere, even in a string, sends the module through the hooks.
 */
function importsNothing(code: string): boolean {
  const body = code.replace(/\/\/# sourceMappingURL=\S*\s*$/, '');
  return !/\bimport\b|\bfrom\s*["'`]|\brequire\b/.test(body);
}
