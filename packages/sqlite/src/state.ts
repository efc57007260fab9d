import {
  type HistoryRecord,
  type QualifiedName,
  type StateCompiler,
  type Statement,
  statement,
  type VersionWrite,
} from '@cairn/core';
import { quoteIdentifier, quoteLiteral } from './quote.js';

const DIRECTIONS = ['up', 'down', 'stamp'] as const satisfies readonly HistoryRecord['direction'][];
const STATUSES = ['started', 'succeeded', 'failed'] as const satisfies readonly HistoryRecord['status'][];

/** Columns of the history table, in the order `insertHistory` binds them. */
const HISTORY_COLUMNS =
  'revision, direction, checksum, started_at, finished_at, status, error, duration_ms, tool_version';

type VersionWriteRules = {
  readonly [K in VersionWrite['kind']]: (write: Extract<VersionWrite, { kind: K }>, table: string) => Statement;
};

const versionWriteRules = {
  insert: (write, table) => statement(`INSERT INTO ${table} (version_num) VALUES (?)`, [write.revision]),
  update: (write, table) =>
    statement(`UPDATE ${table} SET version_num = ? WHERE version_num = ?`, [write.to, write.from]),
  delete: (write, table) => statement(`DELETE FROM ${table} WHERE version_num = ?`, [write.revision]),
} satisfies VersionWriteRules;

/**
 * The SQLite statements for cairn's own tables. Pure: it never touches a connection, so offline
 * mode prints exactly what an online run executes. Placeholders are `?`.
 *
 * - `cairn_version` keeps Alembic's shape (`version_num VARCHAR(255)`, primary key named
 *   `<table>_pkc`); SQLite does not enforce the length, the other dialects do.
 * - `cairn_history` stores times as ISO-8601 UTC text (SQLite has no timestamp type, and ISO text
 *   sorts chronologically), and constrains `direction` and `status` with CHECKs.
 * - A `QualifiedName.schema` names an attached database (`main`, `temp` or an `ATTACH` alias),
 *   which is what SQLite calls a schema; cairn's own capabilities say `schemas: false`, so core
 *   normally passes none.
 *
 * A dialect built on this one may replace single methods; an override must stay pure and keep
 * the result column `version_num` and the history column names, which core reads.
 *
 * @example sqliteStateCompiler().readVersionRows({ name: 'cairn_version' }).sql
 * // 'SELECT version_num FROM "cairn_version"'
 */
export function sqliteStateCompiler(): StateCompiler {
  return Object.freeze({
    createVersionTable: (table: QualifiedName) => [
      statement(
        `CREATE TABLE IF NOT EXISTS ${tableName(table)} (version_num VARCHAR(255) NOT NULL, CONSTRAINT ${quoteIdentifier(`${table.name}_pkc`)} PRIMARY KEY (version_num))`,
      ),
    ],
    readVersionRows: (table: QualifiedName) => statement(`SELECT version_num FROM ${tableName(table)}`),
    versionWrite: (write: VersionWrite, table: QualifiedName) => compileVersionWrite(write, tableName(table)),
    createHistoryTable: (table: QualifiedName) => [
      statement(
        `CREATE TABLE IF NOT EXISTS ${tableName(table)} (` +
          'id INTEGER PRIMARY KEY AUTOINCREMENT, ' +
          'revision VARCHAR(255) NOT NULL, ' +
          `direction VARCHAR(5) NOT NULL CHECK (direction IN (${literalList(DIRECTIONS)})), ` +
          'checksum VARCHAR(64) NOT NULL, ' +
          'started_at TEXT NOT NULL, ' +
          'finished_at TEXT, ' +
          `status VARCHAR(9) NOT NULL CHECK (status IN (${literalList(STATUSES)})), ` +
          'error TEXT, ' +
          'duration_ms INTEGER, ' +
          'tool_version VARCHAR(64) NOT NULL)',
      ),
    ],
    insertHistory: (record: HistoryRecord, table: QualifiedName) =>
      statement(`INSERT INTO ${tableName(table)} (${HISTORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        record.revision,
        record.direction,
        record.checksum,
        record.startedAt.toISOString(),
        record.finishedAt === null ? null : record.finishedAt.toISOString(),
        record.status,
        record.error,
        record.durationMs,
        record.toolVersion,
      ]),
    readHistory: (table: QualifiedName) =>
      statement(`SELECT revision, direction, checksum, status FROM ${tableName(table)} ORDER BY id`),
    quoteIdentifier,
    quoteLiteral,
  });
}

function compileVersionWrite(write: VersionWrite, table: string): Statement {
  // The cast is the usual price of indexing a mapped type by a union; the rules table itself is
  // checked per kind by `satisfies`.
  const rule = versionWriteRules[write.kind] as (write: VersionWrite, table: string) => Statement;
  return rule(write, table);
}

function tableName(table: QualifiedName): string {
  const name = quoteIdentifier(table.name);
  return table.schema === undefined ? name : `${quoteIdentifier(table.schema)}.${name}`;
}

function literalList(values: readonly string[]): string {
  return values.map(quoteLiteral).join(', ');
}
