import type { QualifiedName } from '../ops/qualified-name.js';
import { type Statement, statement } from '../ops/statement.js';
import type { VersionWrite } from '../revision/version-rows.js';
import type { HistoryRecord, StateCompiler } from './dialect.js';

/** What differs between SQL databases in cairn's own tables: spelling, placeholders, quoting. */
export interface SqlStateDialect {
  /** The dialect's identifier quoting (its quote.ts). */
  quoteIdentifier(name: string): string;
  /** The dialect's literal quoting (its quote.ts). */
  quoteLiteral(value: unknown): string;
  /** The n-th (1-based) positional parameter: `?` or `$n`. */
  placeholder(n: number): string;
  /** Column types of the two tables. */
  readonly types: {
    /** A short string column of at most `length` characters, e.g. `VARCHAR(255)`. */
    varchar(length: number): string;
    readonly text: string;
    readonly integer: string;
    /** A point in time; records are bound as `bindTime` makes them (default: ISO-8601 UTC text). */
    readonly timestamp: string;
    /** The history table's auto-numbered primary key column, after its name. */
    readonly autoId: string;
  };
  /** Statements to run before creating a table in a schema (PostgreSQL: create the schema if missing). */
  beforeCreate?(table: QualifiedName): readonly Statement[];
  /** Appended to both `CREATE TABLE` statements (MySQL: engine, charset, collation). Default: none. */
  readonly tableOptions?: string;
  /** A time as the `timestamp` column accepts it as a parameter. Default: `toISOString()`. */
  bindTime?(time: Date): unknown;
}

const DIRECTIONS = ['up', 'down', 'stamp'] as const satisfies readonly HistoryRecord['direction'][];
const STATUSES = ['started', 'succeeded', 'failed', 'resolved'] as const satisfies readonly HistoryRecord['status'][];

/** Columns of the history table, in the order `insertHistory` binds them. */
const HISTORY_COLUMNS = [
  'revision',
  'direction',
  'checksum',
  'started_at',
  'finished_at',
  'status',
  'error',
  'duration_ms',
  'tool_version',
] as const;

/**
 * The `StateCompiler` of a SQL database, from what differs between them. Pure: it never
 * touches a connection, so offline mode prints exactly what an online run executes.
 *
 * - `cairn_version` keeps Alembic's shape (`version_num` varchar(255), primary key named
 *   `<table>_pkc`): one row per applied branch tip.
 * - `cairn_history` is append-only: an auto-numbered `id` (the order records were written),
 *   times, and CHECKs on `direction` and `status`.
 *
 * A dialect may replace single methods of the result; an override must stay pure and keep the
 * result column `version_num` and the history column names, which core reads.
 */
export function sqlStateCompiler(sql: SqlStateDialect): StateCompiler {
  const { quoteIdentifier, quoteLiteral, types } = sql;
  const tableName = (table: QualifiedName) =>
    table.schema === undefined
      ? quoteIdentifier(table.name)
      : `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
  const before = (table: QualifiedName) => sql.beforeCreate?.(table) ?? [];
  // ISO text with `Z` by default: the stored instant does not depend on the client's time zone.
  const bindTime = (time: Date): unknown => (sql.bindTime ? sql.bindTime(time) : time.toISOString());
  const options = sql.tableOptions ?? '';
  const params = (count: number) => Array.from({ length: count }, (_, k) => sql.placeholder(k + 1)).join(', ');
  // The history insert is rendered once per step of a run: its text is kept per table.
  const historyInserts = new Map<string, string>();
  const historyInsert = (table: QualifiedName): string => {
    const name = tableName(table);
    let text = historyInserts.get(name);
    if (text === undefined) {
      text = `INSERT INTO ${name} (${HISTORY_COLUMNS.join(', ')}) VALUES (${params(HISTORY_COLUMNS.length)})`;
      historyInserts.set(name, text);
    }
    return text;
  };
  const oneOf = (values: readonly string[]) => values.map((v) => quoteLiteral(v)).join(', ');
  const versionWrites: {
    readonly [K in VersionWrite['kind']]: (write: Extract<VersionWrite, { kind: K }>, table: string) => Statement;
  } = {
    insert: (write, table) =>
      statement(`INSERT INTO ${table} (version_num) VALUES (${sql.placeholder(1)})`, [write.revision]),
    update: (write, table) =>
      statement(`UPDATE ${table} SET version_num = ${sql.placeholder(1)} WHERE version_num = ${sql.placeholder(2)}`, [
        write.to,
        write.from,
      ]),
    delete: (write, table) =>
      statement(`DELETE FROM ${table} WHERE version_num = ${sql.placeholder(1)}`, [write.revision]),
  };

  return Object.freeze({
    createVersionTable: (table: QualifiedName) => [
      ...before(table),
      statement(
        `CREATE TABLE IF NOT EXISTS ${tableName(table)} (version_num ${types.varchar(255)} NOT NULL, CONSTRAINT ${quoteIdentifier(`${table.name}_pkc`)} PRIMARY KEY (version_num))${options}`,
      ),
    ],
    readVersionRows: (table: QualifiedName) => statement(`SELECT version_num FROM ${tableName(table)}`),
    // The cast is the usual price of indexing a mapped type by a union; the table itself is checked per kind.
    versionWrite: (write: VersionWrite, table: QualifiedName) =>
      (versionWrites[write.kind] as (write: VersionWrite, table: string) => Statement)(write, tableName(table)),
    createHistoryTable: (table: QualifiedName) => [
      ...before(table),
      statement(
        `CREATE TABLE IF NOT EXISTS ${tableName(table)} (` +
          `id ${types.autoId}, ` +
          `revision ${types.varchar(255)} NOT NULL, ` +
          `direction ${types.varchar(5)} NOT NULL CHECK (direction IN (${oneOf(DIRECTIONS)})), ` +
          `checksum ${types.varchar(64)} NOT NULL, ` +
          `started_at ${types.timestamp} NOT NULL, ` +
          `finished_at ${types.timestamp}, ` +
          `status ${types.varchar(9)} NOT NULL CHECK (status IN (${oneOf(STATUSES)})), ` +
          `error ${types.text}, ` +
          `duration_ms ${types.integer}, ` +
          `tool_version ${types.varchar(64)} NOT NULL)${options}`,
      ),
    ],
    insertHistory: (record: HistoryRecord, table: QualifiedName) =>
      statement(historyInsert(table), [
        record.revision,
        record.direction,
        record.checksum,
        // ISO text with `Z`: the stored instant does not depend on the client's time zone.
        bindTime(record.startedAt),
        record.finishedAt === null ? null : bindTime(record.finishedAt),
        record.status,
        record.error,
        record.durationMs,
        record.toolVersion,
      ]),
    readHistory: (table: QualifiedName) =>
      statement(`SELECT revision, direction, checksum, status FROM ${tableName(table)} ORDER BY id`),
    // One pass for the last settling record of each revision, joined back: no correlated
    // subquery, whose cost grows with the square of the history on a table without indexes.
    readUnsettledHistory: (table: QualifiedName) =>
      statement(
        `SELECT h.revision, h.direction, h.checksum, h.status FROM ${tableName(table)} h ` +
          `LEFT JOIN (SELECT revision, MAX(id) AS settled FROM ${tableName(table)} WHERE status NOT IN (${oneOf(['started', 'failed'])}) GROUP BY revision) s ` +
          'ON s.revision = h.revision WHERE s.settled IS NULL OR h.id > s.settled ORDER BY h.id',
      ),
    quoteIdentifier,
    quoteLiteral,
  });
}
