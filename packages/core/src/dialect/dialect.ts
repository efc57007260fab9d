import type { CairnErrorCode } from '../errors.js';
import type { ColumnDefault } from '../ops/column-default.js';
import type { ColumnType } from '../ops/column-type.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { Statement } from '../ops/statement.js';
import type { VersionWrite } from '../revision/version-rows.js';
import type { Session } from '../runtime/session.js';
import type { SchemaModel, TableModel } from '../schema/model.js';
import type { OperationCompiler } from './rules.js';
import type { SqlSyntax } from './syntax.js';

/** What a dialect can do. Plain data; unknown future flags default conservatively in core. */
export interface Capabilities {
  /** DDL runs inside transactions and rolls back with them (PostgreSQL, SQLite; not MySQL). */
  readonly transactionalDdl: boolean;
  /** Named schemas besides the default (PostgreSQL). */
  readonly schemas: boolean;
  /** How column changes that `ALTER TABLE` cannot do are performed. */
  readonly alterColumn: 'native' | 'recreate-table';
  /** Longest identifier in bytes; longer names are refused, never truncated. */
  readonly maxIdentifierLength: number;
  /** Table and column comments are stored and read back (not SQLite, which accepts and drops them). */
  readonly comments: boolean;
  /** Indexes can have a `WHERE` (not MySQL/MariaDB). */
  readonly partialIndexes: boolean;
  /**
   * A primary key keeps the name it was created with (not MySQL/MariaDB, where every primary key
   * is `PRIMARY`): where false, primary-key names carry no meaning and are never compared.
   */
  readonly namedPrimaryKeys: boolean;
  /**
   * Enums are types of their own that `add_enum_value`, `rename_enum_value` and
   * `drop_enum_value` change (PostgreSQL); where false, an enum is part of each column using it
   * (MySQL's inline `ENUM`, SQLite's `CHECK`) and is changed with `alterColumn`.
   */
  readonly enumTypes: boolean;
}

/**
 * One row of `cairn_history`. Atomic steps (their migration, version writes and record in one
 * transaction) write one record, `succeeded` or `failed`. A step that runs outside a transaction
 * (MySQL's DDL, `transaction: false`, statements such as `CREATE INDEX CONCURRENTLY`) writes
 * `started` before it begins and `succeeded` or `failed` after: a `started` or `failed` record
 * after a `started` one leaves the database dirty (`DIRTY_DATABASE`) until `cairn resolve` (a
 * `resolved` record) or a stamp says what state the database is really in.
 */
export interface HistoryRecord {
  readonly revision: string;
  readonly direction: 'up' | 'down' | 'stamp';
  /** SHA-256 of the migration file, hex; `''` for stamps. */
  readonly checksum: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly status: 'started' | 'succeeded' | 'failed' | 'resolved';
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly toolVersion: string;
}

/**
 * The statements for cairn's own tables. Pure: same input, same output; never touches a session.
 * Placeholders follow the dialect's syntax.
 */
export interface StateCompiler {
  /** Creates the version table if it does not exist (`version_num varchar(255)` primary key). */
  createVersionTable(table: QualifiedName): readonly Statement[];
  /** Selects the rows; the result column is `version_num`. */
  readVersionRows(table: QualifiedName): Statement;
  /** One insert, update or delete of a version row. */
  versionWrite(write: VersionWrite, table: QualifiedName): Statement;
  /** Creates the history table if it does not exist. */
  createHistoryTable(table: QualifiedName): readonly Statement[];
  /** Appends a record; the statement returns nothing the runner needs. */
  insertHistory(record: HistoryRecord, table: QualifiedName): Statement;
  /** Selects every record oldest first, with the columns `revision`, `direction`, `checksum`, `status`. */
  readHistory(table: QualifiedName): Statement;
  /**
   * Like `readHistory`, but only each revision's records after its last one that is neither
   * `started` nor `failed` (all of a revision's records when it has none): everything `dirtySteps`
   * looks at, in a few rows however long the history has grown.
   */
  readUnsettledHistory(table: QualifiedName): Statement;
  /** Quotes an identifier for this dialect (the only way names reach SQL). */
  quoteIdentifier(name: string): string;
  /** Renders a parameter value as a SQL literal, for offline (`--sql`) scripts. */
  quoteLiteral(value: unknown): string;
}

/**
 * Canonical forms of what a database stores differently from how it was declared, applied to
 * BOTH sides before two schema models are compared (autogenerate, the test kit's round trips), so
 * that only real differences remain. Pure. Each function receives values already parsed by core
 * and returns the form this dialect reads back: e.g. PostgreSQL `serial` → `integer` identity,
 * MySQL `boolean` → `tinyint(1)` read back as `boolean`, a `literal` default `1` on a boolean
 * column → `true`. A normaliser that has nothing to fold returns its input.
 */
export interface Normalizer {
  /** The type as this dialect reads it back. */
  columnType(type: ColumnType): ColumnType;
  /**
   * The default as this dialect reads it back, for a column of `type` (already normalised);
   * `undefined` in and out means no default.
   */
  columnDefault(value: ColumnDefault | undefined, type: ColumnType): ColumnDefault | undefined;
}

/** Which part of a database `introspect` reads. */
export interface IntrospectOptions {
  /**
   * The schema (PostgreSQL) or database (MySQL) to read. Default: the connection's current one
   * (`current_schema()`, `DATABASE()`); SQLite has only `main`.
   */
  readonly schema?: string;
}

/** Resolves once the lock is held; `release` gives it back (idempotent). */
export type Release = () => Promise<void>;

/** The database-wide lock every writing command holds for its whole run. */
export interface Locker {
  /** Rejects with `CairnError('LOCK_TIMEOUT')` after `timeoutMs`. */
  acquire(key: string, options: { readonly timeoutMs: number }): Promise<Release>;
}

/**
 * A database dialect: what a plugin author writes. Everything but `locker` can be tested without
 * a database.
 */
export interface Dialect {
  /** 'sqlite', 'postgres', 'mysql', or a plugin's own name. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** How statement text is written: placeholders, quoting and comment forms. */
  readonly syntax: SqlSyntax;
  /**
   * The knex client (`'pg'`, `'mysql2'`, `'better-sqlite3'`) whose SQL `ctx.knex` builds, or
   * undefined when knex has none for this database (`ctx.knex` is then refused with a message).
   */
  readonly knexClient?: string;
  readonly state: StateCompiler;
  /** Turns operations into statements: pure, never touches a session. */
  readonly compiler: OperationCompiler;
  /** Canonical types and defaults, for comparing schema models. */
  readonly normalizer: Normalizer;
  locker(session: Session): Locker;
  /**
   * Every table (indexes included) and enum of one schema, read in a few bulk queries (never one
   * round of queries per table). cairn's own version and history tables are included; callers
   * filter them. Tables and enums sorted by name; names carry `schema` only where the dialect has
   * schemas (`capabilities.schemas`).
   */
  introspect?(session: Session, options?: IntrospectOptions): Promise<SchemaModel>;
  /**
   * The current definition of a table (indexes included), or undefined when it does not exist.
   * Dialects whose compilers read `RuleContext.tableBefore` (SQLite's rebuilds, MySQL's
   * `MODIFY`) implement it: the runner calls it when, and only when, compiling an operation asks
   * for the table, so the compiler itself stays pure.
   */
  describeTable?(session: Session, name: QualifiedName): Promise<TableModel | undefined>;
  /**
   * Runs inside each step's transaction, after its migration and version-row writes; rejecting
   * fails the step, which is then rolled back. SQLite checks foreign keys here, because its lock
   * turns their enforcement off for the run (a table rebuild needs that).
   */
  verifyStep?(session: Session): Promise<void>;
  /**
   * Runs `work` on `session` with no transaction open, while the run's lock stays held: how a
   * step that cannot be atomic (`transaction: false`, a statement such as `VACUUM`) gets out of
   * the transaction the lock itself is (SQLite's `BEGIN IMMEDIATE`). Absent: the lock is not a
   * transaction, and `work` simply runs.
   */
  outsideTransaction?(session: Session, work: (session: Session) => Promise<void>): Promise<void>;
  /**
   * What a statement needs of the transaction around it beyond its `transactional` flag, read
   * from its text, for `--sql` scripts: they have no database to learn it from. (Online, the
   * runner learns it from the database refusing the statement — `classifyError` →
   * `TRANSACTION_NOT_ALLOWED` — and never calls this.) `'outside'`: it cannot run inside a
   * transaction block (raw `CREATE INDEX CONCURRENTLY`, `VACUUM`). `'commit-before-use'`: it
   * may run in one, but what it adds cannot be used until that transaction commits
   * (PostgreSQL's `ALTER TYPE … ADD VALUE`). Undefined, and when absent: neither.
   */
  transactionNeeds?(statement: Statement): 'outside' | 'commit-before-use' | undefined;
  /** Maps a driver error to a cairn code; undefined → core reports it as `DRIVER_ERROR`. */
  classifyError?(error: unknown): CairnErrorCode | undefined;
}
