import { existsSync, readFileSync, statSync } from 'node:fs';
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { formatOf, transpileCached } from './transpile-cache.js';

/**
 * Node module hooks that let `import` load TypeScript. Registered with `module.register` by
 * `registerTypeScriptHooks` (never imported directly): they run on Node's loader thread.
 *
 * - `load`: `.ts`/`.mts` become ESM and `.cts` CommonJS, through the transpile cache.
 * - `resolve`: when Node cannot find a relative import, the TypeScript conventions are tried:
 *   `./x.js` → `./x.ts` (likewise `.mjs` → `.mts`, `.cjs` → `.cts`), and an extensionless
 *   `./x` → `./x.ts`, `./x.mts`, `./x/index.ts`. When a migration imports `@cairn/core` or
 *   `cairn` and the project has not installed them (a project made by `cairn init` needs only
 *   the CLI), the CLI's own copies are used: `defineMigration` and the types are all a
 *   migration takes from them.
 */

/** What `registerTypeScriptHooks` passes to `initialize`. */
export interface TypeScriptHooksData {
  /** Where transpiled modules are cached; `undefined`: no cache. */
  readonly cacheDir: string | undefined;
}

let cacheDir: string | undefined;

export const initialize: InitializeHook<TypeScriptHooksData> = (data) => {
  cacheDir = data.cacheDir;
};

const TS_FILE = /\.[cm]?ts$/;
const SIBLINGS: Readonly<Record<string, string>> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };
const KNOWN_EXTENSION = /\.(?:[cm]?[jt]s|json|node)$/;

/**
 * Packages a migration may import that cairn can stand in for when the project has not
 * installed them: `@cairn/core` as this module's own dependency, and `cairn` as the `index.js`
 * beside this module (the CLI's bundle puts these hooks next to its own index).
 */
const OWN_PACKAGES = new Set(['@cairn/core', 'cairn']);

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (OWN_PACKAGES.has(specifier)) {
    try {
      return await nextResolve(specifier, context);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      if (specifier === 'cairn') return { url: new URL('./index.js', import.meta.url).href, shortCircuit: true };
      // Resolved as if the CLI itself imported it: the CLI's own dependency.
      return nextResolve(specifier, { ...context, parentURL: import.meta.url });
    }
  }
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (!relative || !context.parentURL?.startsWith('file:')) return nextResolve(specifier, context);
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
    for (const candidate of candidates(specifier)) {
      const url = new URL(candidate, context.parentURL);
      if (isFile(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw error;
  }
};

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  if (!TS_FILE.test(file)) return nextLoad(url, context);
  const { code } = await transpileCached(cacheDir, file, readFileSync(file, 'utf8'));
  return { format: formatOf(file), source: code, shortCircuit: true };
};

function candidates(specifier: string): string[] {
  const [path, suffix = ''] = splitQuery(specifier);
  for (const [js, ts] of Object.entries(SIBLINGS)) {
    if (path.endsWith(js)) return [`${path.slice(0, -js.length)}${ts}${suffix}`];
  }
  if (KNOWN_EXTENSION.test(path)) return [];
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  return [`${base}.ts${suffix}`, `${base}.mts${suffix}`, `${base}/index.ts${suffix}`];
}

/** `./x.js?v=1` → [`./x.js`, `?v=1`]: a query or hash stays on the resolved URL. */
function splitQuery(specifier: string): [string, string] {
  const at = specifier.search(/[?#]/);
  return at < 0 ? [specifier, ''] : [specifier.slice(0, at), specifier.slice(at)];
}

function isFile(path: string): boolean {
  if (!existsSync(path)) return false;
  return statSync(path).isFile();
}
