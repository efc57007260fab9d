import type { CairnErrorCode } from '../errors.js';
import type { VersionWrite } from '../revision/version-rows.js';
import type { Session, Statement } from '../runtime/session.js';
import type { OperationCompiler, TableBefore } from './rules.js';

/** A table name, optionally in a schema (PostgreSQL) or database (MySQL). */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
}

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
}

/** One row of `cairn_history`: a step as it started, and how it ended. */
export interface HistoryRecord {
  readonly revision: string;
  readonly direction: 'up' | 'down' | 'stamp';
  /** SHA-256 of the migration file, hex; `''` for stamps. */
  readonly checksum: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly status: 'started' | 'succeeded' | 'failed';
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
  /** Quotes an identifier for this dialect (the only way names reach SQL). */
  quoteIdentifier(name: string): string;
  /** Renders a parameter value as a SQL literal, for offline (`--sql`) scripts. */
  quoteLiteral(value: unknown): string;
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
  readonly state: StateCompiler;
  /** Turns operations into statements: pure, never touches a session. */
  readonly compiler: OperationCompiler;
  locker(session: Session): Locker;
  /**
   * The current definition of a table (indexes included), or undefined when it does not exist.
   * Dialects that rebuild tables (`alterColumn: 'recreate-table'`) implement it; the runner calls
   * it before compiling an operation on the table, so the compiler itself stays pure.
   */
  describeTable?(session: Session, name: QualifiedName): Promise<TableBefore | undefined>;
  /**
   * Runs inside each step's transaction, after its migration and version-row writes; rejecting
   * fails the step, which is then rolled back. SQLite checks foreign keys here, because its lock
   * turns their enforcement off for the run (a table rebuild needs that).
   */
  verifyStep?(session: Session): Promise<void>;
  /** Maps a driver error to a cairn code; undefined → core reports it as `DRIVER_ERROR`. */
  classifyError?(error: unknown): CairnErrorCode | undefined;
}
