import type { QualifiedName } from '../ops/qualified-name.js';
import type { Statement } from '../ops/statement.js';
import type { Session } from '../runtime/session.js';
import type { Dialect } from './dialect.js';

/**
 * What a dialect package exports so that a project can name it in its configuration
 * (`dialect: 'postgres'`, `dialect: '@acme/cairn-mssql'`, or the object itself): the only place
 * that knows its database. It says how to open a connection from a URL (loading the driver only
 * then), which configuration keys it adds and how they are checked, where cairn's own tables go,
 * and how to build the `Dialect` the runner and the compilers work with. Plain data and
 * functions, no state: the same descriptor serves every project in a process.
 *
 * Keep the module that defines it light (no driver, no compiler imported at the top): the CLI
 * loads it for every command, including those that never touch the database.
 *
 * @example
 * // a dialect under another name, reusing SQLite's
 * import { sqliteDescriptor } from '@cairn/sqlite';
 * export default {
 *   ...sqliteDescriptor,
 *   name: 'acme-lite',
 *   title: 'Acme Lite',
 *   async create(settings) {
 *     return { ...(await sqliteDescriptor.create(settings)), name: 'acme-lite' };
 *   },
 * } satisfies DialectDescriptor;
 */
export interface DialectDescriptor {
  /** Tells a descriptor apart from any other object a configuration might hold. */
  readonly kind: 'cairn-dialect';
  /** The name `Dialect.name` carries: `'postgres'`, `'acme-mssql'`. */
  readonly name: string;
  /** The database's name for people, in messages: `'PostgreSQL'`. */
  readonly title: string;
  /** A URL of a local development database, which `cairn init` writes into a new configuration. */
  readonly exampleUrl: string;
  /**
   * The driver package `open` loads (an optional peer dependency of the dialect's package, which
   * the application installs), which `cairn init` adds to a new package.json. Default: none.
   */
  readonly driver?: DriverPackage;
  /**
   * The configuration keys this dialect adds to cairn's own (`dialect`, `url`, `migrations`,
   * `versionTable`), e.g. PostgreSQL's `schema`. Default: none.
   */
  readonly options?: Readonly<Record<string, DialectOption>>;
  /** Where cairn's version and history tables are, for these settings. */
  stateTables(settings: DialectSettings): StateTables;
  /**
   * Statements each connection runs before cairn's own (PostgreSQL's `SET search_path` for a
   * `schema`), which `--sql` scripts also print first. Default: none.
   */
  sessionSetup?(settings: DialectSettings): readonly Statement[];
  /** The dialect for these settings. */
  create(settings: DialectSettings): Promise<Dialect>;
  /**
   * Opens a connection to `url` with the setup above done. The driver is loaded here, on
   * demand: a missing one is a `CairnError('DRIVER_MISSING')` that names the package to install.
   * Rejects with `CONFIG_ERROR` for a URL the dialect cannot read.
   */
  open(url: string, settings: DialectSettings): Promise<DialectConnection>;
}

/** The database driver a dialect loads on demand: an optional peer dependency of its package. */
export interface DriverPackage {
  /** The package the application installs, e.g. `'pg'`. */
  readonly name: string;
  /** The versions the dialect works with, as its package's `peerDependencies` gives them, e.g. `'^8.23.1'`. */
  readonly version: string;
}

/** One configuration key a dialect adds. */
export interface DialectOption {
  /** What the key is for, one line (shown when the key is used with another dialect). */
  readonly description: string;
  /**
   * The problem with `value`, as the end of a sentence that starts with the key (`must be a
   * schema name such as 'app', not 42`), or undefined when it is valid.
   */
  check(value: unknown): string | undefined;
}

/** What a project's configuration tells its dialect. */
export interface DialectSettings {
  /** The values of the keys the dialect declared in `options`, already checked; absent keys are absent. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The configured version table name as written (`cairn_version`, `meta.cairn_version`). */
  readonly versionTable: string;
  /** The directory relative paths in a URL are relative to (the configuration file's). */
  readonly baseDir: string;
  /** The configuration file as messages name it (`cairn.config.ts`), when there is one. */
  readonly configFile?: string;
}

/** The names of cairn's version and history tables. */
export interface StateTables {
  readonly versionTable: QualifiedName;
  readonly historyTable: QualifiedName;
}

/** A connection a descriptor opened; `close` releases everything it holds. */
export interface DialectConnection {
  readonly session: Session;
  close(): Promise<void>;
}

/** The history table's name: beside the version table, in the same schema. */
export const HISTORY_TABLE_NAME = 'cairn_history';

/**
 * The state tables of a dialect without schemas: the version table as configured (a dot is part
 * of the name), the history table beside it.
 */
export function unqualifiedStateTables(settings: Pick<DialectSettings, 'versionTable'>): StateTables {
  return { versionTable: { name: settings.versionTable }, historyTable: { name: HISTORY_TABLE_NAME } };
}

/** True for an object that declares itself a dialect descriptor (`kind: 'cairn-dialect'`). */
export function isDialectDescriptor(value: unknown): value is DialectDescriptor {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'cairn-dialect';
}
