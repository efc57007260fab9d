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
  /**
   * The version table's name. On PostgreSQL it may be schema-qualified (`schema.table`), which
   * puts the history table in that schema too. Default: `'cairn_version'`.
   */
  readonly versionTable?: string;
  /**
   * PostgreSQL only: the schema cairn works in. Its version and history tables live there (the
   * schema is created if missing), and migrations run with `search_path` set to this schema
   * followed by `public`, so unqualified names in migrations land in it. Default: none (the
   * connection's own `search_path`).
   */
  readonly schema?: string;
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
  /** PostgreSQL's `schema`, if configured. */
  readonly schema: string | undefined;
}
