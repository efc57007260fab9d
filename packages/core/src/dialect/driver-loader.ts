import { CairnError } from '../errors.js';

/**
 * A function that loads the driver package `name` with `load` on its first call and returns it on every call,
 * so that a dialect package can be imported (compiling SQL, offline `--sql` scripts, reading
 * the graph) without its driver installed. `load` is the dialect's own `require` of the driver
 * or of one of its modules (a `require` made with `createRequire(import.meta.url)` in the
 * dialect's module), so the driver resolves from the dialect's package as a peer dependency does.
 * `database` names the database in the message (`'PostgreSQL'`).
 *
 * When the driver itself cannot be found, throws `CairnError('DRIVER_MISSING')` naming the
 * package and the command that installs it; `details.package` is its name. Any other failure
 * (a module the driver needs is missing, its native addon does not load) is rethrown unchanged.
 * A failed load is not remembered: the next call tries again.
 *
 * @example
 * const require = createRequire(import.meta.url);
 * const loadPg = driverLoader('pg', 'PostgreSQL', () => require('pg') as typeof import('pg'));
 * const client = new (loadPg().Client)({ connectionString: url });
 */
export function driverLoader<T>(name: string, database: string, load: () => T): () => T {
  let loaded: { readonly module: T } | undefined;
  return () => {
    if (loaded !== undefined) return loaded.module;
    try {
      loaded = { module: load() };
    } catch (error) {
      if (isNotFound(error, name)) throw driverMissing(name, database, error);
      throw error;
    }
    return loaded.module;
  };
}

/** True when `error` says package `name` itself (not a module it imports) cannot be resolved. */
function isNotFound(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // require: "Cannot find module 'pg'" (or 'mysql2/promise'); import: "Cannot find package 'pg' imported from …".
  if (code === 'MODULE_NOT_FOUND')
    return (
      error.message.startsWith(`Cannot find module '${name}'`) ||
      error.message.startsWith(`Cannot find module '${name}/`)
    );
  return code === 'ERR_MODULE_NOT_FOUND' && error.message.startsWith(`Cannot find package '${name}'`);
}

function driverMissing(name: string, database: string, cause: unknown): CairnError {
  return new CairnError(
    'DRIVER_MISSING',
    `the ${database} driver '${name}' is not installed; cairn loads it only to connect to ${database}. Add it to the project: npm install ${name} (or pnpm add ${name}, yarn add ${name})`,
    { details: { package: name }, cause },
  );
}
