import {
  type HistoryRecord,
  type QualifiedName,
  type StateCompiler,
  type Statement,
  sqlStateCompiler,
  statement,
} from '@cairn/core';
import { mysqlDateTime, quoteIdentifier, quoteLiteral } from './quote.js';

/**
 * The table options of cairn's own tables. InnoDB for transactions and crash safety; utf8mb4 so
 * any revision id and error text fits; `utf8mb4_bin` so revision ids compare exactly (under the
 * default case-insensitive collations `ABC` and `abc` would be one primary key). The primary key
 * `version_num varchar(255)` is 1,020 bytes in utf8mb4: within InnoDB's 3,072-byte key limit for
 * the DYNAMIC and COMPRESSED row formats (the default since MySQL 5.7 and MariaDB 10.2); servers
 * still on COMPACT/REDUNDANT (767 bytes) refuse it with "Specified key was too long".
 */
const TABLE_OPTIONS = ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/** Columns whose `Date`s core binds as ISO-8601 text (`toISOString()`). */
const TIME_COLUMNS = new Set(['started_at', 'finished_at']);

/**
 * The MySQL/MariaDB statements for cairn's own tables: core's `sqlStateCompiler` with MySQL's
 * spelling. Placeholders are `?`.
 *
 * - Both tables are `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin` (see above).
 * - `cairn_history` has an `AUTO_INCREMENT` `id`, `datetime(6)` times in UTC and a `longtext`
 *   error. Core binds
 *   times as ISO-8601 text with a `Z`, which MySQL refuses for `datetime` ("Incorrect datetime
 *   value"), so `insertHistory` rebinds them as `YYYY-MM-DD HH:MM:SS.ffffff` UTC text.
 * - A `QualifiedName.schema` is a MySQL database: names are then written `db`.`table`.
 *
 * @example mysqlStateCompiler().readVersionRows({ name: 'cairn_version' }).sql
 * // 'SELECT version_num FROM `cairn_version`'
 */
export function mysqlStateCompiler(): StateCompiler {
  const base = sqlStateCompiler({
    quoteIdentifier,
    quoteLiteral,
    placeholder: () => '?',
    types: {
      varchar: (length) => `varchar(${length})`,
      // The error column: a failure's message quotes its statement, which can outgrow TEXT's 64 KB.
      text: 'longtext',
      integer: 'int',
      timestamp: 'datetime(6)',
      autoId: 'bigint NOT NULL AUTO_INCREMENT PRIMARY KEY',
    },
  });
  const withOptions = (statements: readonly Statement[]) =>
    statements.map((s) =>
      /^CREATE TABLE\b/i.test(s.sql) ? statement(`${s.sql}${TABLE_OPTIONS}`, s.params, optionsOf(s)) : s,
    );
  return Object.freeze({
    ...base,
    createVersionTable: (table: QualifiedName) => withOptions(base.createVersionTable(table)),
    createHistoryTable: (table: QualifiedName) => withOptions(base.createHistoryTable(table)),
    insertHistory: (record: HistoryRecord, table: QualifiedName) => {
      const insert = base.insertHistory(record, table);
      const columns = insertColumns(insert.sql);
      const params = insert.params.map((value, k) => {
        const name = columns[k];
        if (name === undefined || !TIME_COLUMNS.has(name) || typeof value !== 'string') return value;
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? value : mysqlDateTime(date);
      });
      return statement(insert.sql, params, optionsOf(insert));
    },
  });
}

function optionsOf(s: Statement): { transactional?: boolean } {
  return s.transactional === false ? { transactional: false } : {};
}

/** The column names of `INSERT INTO t (a, b, …) VALUES …`, in order (the names are plain words). */
function insertColumns(sql: string): string[] {
  const match = /\(([^)]*)\)\s*VALUES/i.exec(sql);
  return match === null ? [] : match[1]!.split(',').map((name) => name.trim().replace(/^`|`$/g, ''));
}
