/** The databases cairn has dialects for. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** The dialects, in the order help and messages list them. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'];

/**
 * The project configuration: the default export of `cairn.config.{ts,mts,js,mjs,json}`, a plain
 * object. Every key is optional.
 */
export interface CairnConfig {
  /** Default: `'sqlite'`. */
  readonly dialect?: Dialect;
  /** The database URL. `--url` and `$DATABASE_URL` take precedence. */
  readonly url?: string;
  /** The migrations directory, relative to the configuration file's directory. Default: `'migrations'`. */
  readonly migrations?: string;
  /** The version table's name, optionally schema-qualified (`schema.table`). Default: `'cairn_version'`. */
  readonly versionTable?: string;
}

/** The configuration a command works with: validated, defaults applied, paths absolute. */
export interface ResolvedConfig {
  /** Absolute path of the configuration file. */
  readonly file: string;
  readonly dialect: Dialect;
  /** From `--url`, else `$DATABASE_URL`, else the file. Never printed: it may hold a password. */
  readonly url: string | undefined;
  /** Absolute path of the migrations directory. */
  readonly migrationsDir: string;
  readonly versionTable: string;
}

/**
 * Types a configuration object in a `cairn.config.ts`. Returns its argument unchanged.
 *
 * @example
 * export default defineConfig({ dialect: 'postgres', migrations: 'db/migrations' });
 */
export function defineConfig(config: CairnConfig): CairnConfig {
  return config;
}
