import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closestName, type DialectDescriptor, isCairnError, isDialectDescriptor } from '@cairn/core';
import { BUILT_IN_DIALECT_NAMES, BUILT_IN_DIALECTS, isBuiltInDialect } from './built-in-dialects.js';
import { importTypeScript } from './typescript-loader.js';
import { CORE_KEYS, configError } from './validate-config.js';

/**
 * The descriptor a configuration's `dialect` names: a built-in name, a path to a module
 * (`./dialects/acme.ts`, relative to the configuration file; TypeScript is loaded as migrations
 * are), the name of a package installed where the configuration is (resolved as Node resolves a
 * `require` from the configuration file), or the descriptor object itself. From a module, the
 * descriptor is its default export, else its export named `dialect`, else its only export that
 * is one. Throws `CONFIG_ERROR` naming the file, the key and what was looked for.
 *
 * @param file the configuration file, absolute; `shown` is how messages name it.
 */
export async function loadDialectDescriptor(
  spec: string | DialectDescriptor,
  file: string,
  shown: string,
): Promise<DialectDescriptor> {
  if (typeof spec !== 'string') return checkDescriptor(spec, shown, 'the configured object');
  if (isBuiltInDialect(spec)) return BUILT_IN_DIALECTS[spec]();
  const isPath = spec.startsWith('.') || isAbsolute(spec);
  const path = isPath ? resolve(dirname(file), spec) : resolvePackage(spec, file, shown);
  if (!existsSync(path)) {
    throw configError(
      shown,
      isPath
        ? `'dialect' is a path, but ${spec} (${path}) does not exist`
        : `'dialect' is the package '${spec}', but the file it exports (${path}) does not exist; reinstall the package`,
      'dialect',
    );
  }
  let namespace: Record<string, unknown>;
  try {
    const ext = extname(path);
    namespace =
      ext === '.ts' || ext === '.mts' || ext === '.cts'
        ? await importTypeScript(path)
        : ((await import(pathToFileURL(path).href)) as Record<string, unknown>);
  } catch (error) {
    if (isCairnError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw configError(shown, `the dialect module '${spec}' could not be loaded: ${reason}`, 'dialect', error);
  }
  return checkDescriptor(descriptorExport(namespace, spec, shown), shown, `'${spec}'`);
}

function resolvePackage(name: string, file: string, shown: string): string {
  try {
    return createRequire(file).resolve(name);
  } catch (error) {
    const importOnly = resolveImportOnly(name, dirname(file), shown);
    if (importOnly !== undefined) return importOnly;
    const builtIns = BUILT_IN_DIALECT_NAMES.map((d) => `'${d}'`).join(', ');
    throw configError(
      shown,
      `'dialect' is '${name}', which is not a built-in dialect (${builtIns}) and not a package that can be found from ${shown}; fix the name, or install the package that provides the dialect`,
      'dialect',
      error,
    );
  }
}

/**
 * Where `import(name)` from `dir` finds a package whose `exports` offer only an `import`
 * condition, which `require.resolve` refuses: the package's directory in the nearest
 * `node_modules` up the tree, then its `"."` export under `import`, `node` or `default` (or its
 * `main`). Undefined when no such package is installed.
 */
function resolveImportOnly(name: string, dir: string, shown: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const packageDir = join(at, 'node_modules', name);
    const manifest = join(packageDir, 'package.json');
    if (existsSync(manifest)) {
      let parsed: { exports?: unknown; main?: unknown };
      try {
        parsed = JSON.parse(readFileSync(manifest, 'utf8')) as typeof parsed;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw configError(
          shown,
          `'dialect': the package '${name}' has an unreadable ${manifest}: ${reason}`,
          'dialect',
          error,
        );
      }
      const { exports, main } = parsed;
      const target = importTarget(exports) ?? (typeof main === 'string' ? main : 'index.js');
      return resolve(packageDir, target);
    }
    if (dirname(at) === at) return undefined;
  }
}

/** The file an `exports` field gives `import` of the package itself, through nested conditions. */
function importTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const record = exports as Record<string, unknown>;
  // Keys are either subpaths ('.', './x') or, for the root alone, conditions.
  if (Object.keys(record).some((key) => key.startsWith('.'))) return importTarget(record['.']);
  for (const condition of ['import', 'node', 'default']) {
    const target = importTarget(record[condition]);
    if (target !== undefined) return target;
  }
  return undefined;
}

function descriptorExport(namespace: Record<string, unknown>, spec: string, shown: string): unknown {
  if (isDialectDescriptor(namespace.default)) return namespace.default;
  if (isDialectDescriptor(namespace.dialect)) return namespace.dialect;
  const found = Object.values(namespace).filter(isDialectDescriptor);
  if (found.length === 1) return found[0];
  throw configError(
    shown,
    found.length === 0
      ? `'${spec}' exports no cairn dialect: its default export must be a dialect descriptor (an object with kind: 'cairn-dialect'; see docs/writing-a-dialect.md)`
      : `'${spec}' exports ${found.length} dialect descriptors and no default one; export the one to use as default`,
    'dialect',
  );
}

/** The members every descriptor must have, with the type each must be. */
const REQUIRED: readonly (readonly [keyof DialectDescriptor, 'string' | 'function'])[] = [
  ['name', 'string'],
  ['title', 'string'],
  ['exampleUrl', 'string'],
  ['stateTables', 'function'],
  ['create', 'function'],
  ['open', 'function'],
];

/** `value` if it is a whole descriptor, else a `CONFIG_ERROR` naming what is missing. */
function checkDescriptor(value: unknown, shown: string, what: string): DialectDescriptor {
  const record = value as Record<string, unknown>;
  const missing = REQUIRED.filter(([key, type]) => typeof record[key] !== type || record[key] === '').map(
    ([key, type]) => (type === 'function' ? `${key}()` : key),
  );
  const options = record.options;
  if (options !== undefined && (typeof options !== 'object' || options === null)) missing.push('options (an object)');
  else if (options !== undefined) {
    for (const [key, option] of Object.entries(options as Record<string, unknown>)) {
      if (typeof (option as { check?: unknown } | null)?.check !== 'function') missing.push(`options.${key}.check()`);
    }
  }
  if (missing.length > 0) {
    throw configError(
      shown,
      `'dialect': ${what} is not a complete dialect descriptor: missing ${missing.join(', ')}`,
      'dialect',
    );
  }
  return value as DialectDescriptor;
}

/**
 * Checks the configuration keys that are not cairn's own with the dialect, which declares its
 * options; returns them for `DialectSettings.options`. A key no dialect declares is refused
 * with the list of valid keys; a key only another built-in dialect declares (PostgreSQL's
 * `schema` in an SQLite project) is refused with what to do instead.
 *
 * @param defaulted true when the configuration names no dialect (the default is SQLite).
 */
export async function checkDialectOptions(
  dialect: DialectDescriptor,
  options: Readonly<Record<string, unknown>>,
  shown: string,
  defaulted: boolean,
): Promise<Readonly<Record<string, unknown>>> {
  const own = dialect.options ?? {};
  for (const [key, value] of Object.entries(options)) {
    const option = Object.hasOwn(own, key) ? own[key] : undefined;
    if (option !== undefined) {
      const problem = option.check(value);
      if (problem !== undefined) throw configError(shown, `'${key}' ${problem}`, key);
      continue;
    }
    const elsewhere = await builtInDeclaring(key);
    if (elsewhere !== undefined && elsewhere.name !== dialect.name) {
      const which = defaulted ? `'${dialect.name}' (the default)` : `'${dialect.name}'`;
      throw configError(
        shown,
        `'${key}' is a ${elsewhere.title} option, but the dialect is ${which}; remove '${key}', or set dialect: '${elsewhere.name}'`,
        key,
      );
    }
    const keys = [...CORE_KEYS, ...Object.keys(own)];
    const suggestion = closestName(key, keys);
    const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
    throw configError(shown, `unknown key '${key}'${hint}; the keys are ${keys.join(', ')}`, key);
  }
  return options;
}

/** The built-in dialect that declares option `key`, if one does (only read on the error path). */
async function builtInDeclaring(key: string): Promise<DialectDescriptor | undefined> {
  for (const name of BUILT_IN_DIALECT_NAMES) {
    const descriptor = await BUILT_IN_DIALECTS[name]();
    if (descriptor.options !== undefined && Object.hasOwn(descriptor.options, key)) return descriptor;
  }
  return undefined;
}
