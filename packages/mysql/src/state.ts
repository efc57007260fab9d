import { type StateCompiler, sqlStateCompiler } from '@cairn/core';
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

/**
 * The MySQL/MariaDB statements for cairn's own tables: core's `sqlStateCompiler` with MySQL's
 * spelling. Placeholders are `?`.
 *
 * - Both tables are `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin` (see above).
 * - `cairn_history` has an `AUTO_INCREMENT` `id`, `datetime(6)` times in UTC and a `longtext`
 *   error; times are bound as `YYYY-MM-DD HH:MM:SS.ffffff` UTC text.
 * - A `QualifiedName.schema` is a MySQL database: names are then written `db`.`table`.
 *
 * @example mysqlStateCompiler().readVersionRows({ name: 'cairn_version' }).sql
 * // 'SELECT version_num FROM `cairn_version`'
 */
export function mysqlStateCompiler(): StateCompiler {
  return sqlStateCompiler({
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
    tableOptions: TABLE_OPTIONS,
    // MySQL refuses ISO-8601 text with a `Z` for `datetime` ("Incorrect datetime value").
    bindTime: mysqlDateTime,
  });
}
