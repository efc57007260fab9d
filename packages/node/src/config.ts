import type { DialectDescriptor, DialectSettings } from '@cairn/core';

/** The dialects cairn ships, by the names a configuration may use for them. */
export type BuiltInDialectName = 'sqlite' | 'postgres' | 'mysql';

/**
 * The project configuration: the default export of `cairn.config.{ts,mts,js,mjs,json}`, a plain
 * object. Every key is optional. Keys besides cairn's own are options of the dialect in use,
 * which checks them (PostgreSQL's `schema`); any other key is refused, so a misspelt one is
 * never silently ignored.
 */
export interface CairnConfig {
  /**
   * The database: a built-in dialect (`'sqlite'`, `'postgres'`, `'mysql'`), the name of an
   * installed package whose default export is a dialect descriptor (`'@acme/cairn-mssql'`), a
   * path to such a module (`'./dialects/acme.ts'`, relative to the configuration file), or the
   * descriptor itself. Default: `'sqlite'`.
   */
  readonly dialect?: BuiltInDialectName | (string & {}) | DialectDescriptor;
  /** The database URL. `--url` and `$DATABASE_URL` take precedence. */
  readonly url?: string;
  /** The migrations directory, relative to the configuration file's directory. Default: `'migrations'`. */
  readonly migrations?: string;
  /**
   * The schema module autogenerate compares the database with: a TypeScript or JavaScript module
   * exporting the tables and enums built with `table()` and `defineEnum()`, relative to the
   * configuration file's directory. Default: none. (Not `schema`: that is PostgreSQL's namespace.)
   */
  readonly models?: string;
  /**
   * The version table's name. On PostgreSQL it may be schema-qualified (`schema.table`), which
   * puts the history table in that schema too. Default: `'cairn_version'`.
   */
  readonly versionTable?: string;
  /**
   * An option of the postgres dialect: the schema cairn works in. Its version and history tables
   * live there (the schema is created if missing), and migrations run with `search_path` set to
   * this schema followed by `public`. Default: none (the connection's own `search_path`).
   */
  readonly schema?: string;
  /** Options of the dialect in use, checked by it. */
  readonly [option: string]: unknown;
}

/** The configuration a command works with: validated, defaults applied, paths absolute. */
export interface ResolvedConfig {
  /** Absolute path of the configuration file. */
  readonly file: string;
  /** The dialect's descriptor, loaded. */
  readonly dialect: DialectDescriptor;
  /** What the dialect is told: its options (checked), the version table, the base directory. */
  readonly settings: DialectSettings;
  /** From `--url`, else `$DATABASE_URL`, else the file. Never printed: it may hold a password. */
  readonly url: string | undefined;
  /** Absolute path of the migrations directory. */
  readonly migrationsDir: string;
  /** Absolute path of the schema module (`models`), if configured. */
  readonly modelsFile: string | undefined;
  readonly versionTable: string;
}
