import { CairnError } from '../errors.js';

/** The database driver a dialect loads on demand: an optional peer dependency of its package. */
export interface DriverPackage {
  /** The package the application installs, e.g. `'pg'`. */
  readonly name: string;
  /** What the dialect loads, when it is not the package itself, e.g. `'mysql2/promise'`. Default: `name`. */
  readonly specifier?: string;
  /** The database, for the message, e.g. `'PostgreSQL'`. */
  readonly database: string;
}

/**
 * A function that loads `driver` with `load` on its first call and returns it on every call,
 * so that a dialect package can be imported (compiling SQL, offline `--sql` scripts, reading
 * the graph) without its driver installed. `load` is the dialect's own `require` of the driver
 * (a `require` made with `createRequire(import.meta.url)` in the dialect's module), so the
 * driver resolves from the dialect's package as a peer dependency does.
 *
 * When the driver itself cannot be found, throws `CairnError('DRIVER_MISSING')` naming the
 * package and the command that installs it; `details.package` is its name. Any other failure
 * (a module the driver needs is missing, its native addon does not load) is rethrown unchanged.
 * A failed load is not remembered: the next call tries again.
 *
 * @example
 * const require = createRequire(import.meta.url);
 * const loadPg = driverLoader({ name: 'pg', database: 'PostgreSQL' }, () => require('pg') as typeof import('pg'));
 * const client = new (loadPg().Client)({ connectionString: url });
 */
export function driverLoader<T>(driver: DriverPackage, load: () => T): () => T {
  let loaded: { readonly module: T } | undefined;
  return () => {
    if (loaded !== undefined) return loaded.module;
    try {
      loaded = { module: load() };
    } catch (error) {
      if (isNotFound(error, driver)) throw driverMissing(driver, error);
      throw error;
    }
    return loaded.module;
  };
}

/** True when `error` says the driver itself (not a module the driver imports) cannot be resolved. */
function isNotFound(error: unknown, driver: DriverPackage): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // require: "Cannot find module 'mysql2/promise'"; import: "Cannot find package 'mysql2' imported from …".
  if (code === 'MODULE_NOT_FOUND')
    return error.message.startsWith(`Cannot find module '${driver.specifier ?? driver.name}'`);
  return code === 'ERR_MODULE_NOT_FOUND' && error.message.startsWith(`Cannot find package '${driver.name}'`);
}

function driverMissing(driver: DriverPackage, cause: unknown): CairnError {
  const { name, database } = driver;
  return new CairnError(
    'DRIVER_MISSING',
    `the ${database} driver '${name}' is not installed; cairn loads it only to connect to ${database}. Add it to the project: npm install ${name} (or pnpm add ${name}, yarn add ${name})`,
    { details: { package: name }, cause },
  );
}
