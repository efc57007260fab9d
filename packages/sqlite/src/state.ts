import { type StateCompiler, sqlStateCompiler } from '@cairn/core';
import { quoteIdentifier, quoteLiteral } from './quote.js';

/**
 * The SQLite statements for cairn's own tables (core's `sqlStateCompiler` with SQLite's
 * spelling). Placeholders are `?`.
 *
 * - `version_num VARCHAR(255)`: SQLite does not enforce the length, the other dialects do.
 * - `cairn_history` stores times as ISO-8601 UTC text (SQLite has no timestamp type, and ISO text
 *   sorts chronologically); its `id` is `INTEGER PRIMARY KEY AUTOINCREMENT`.
 * - A `QualifiedName.schema` names an attached database (`main`, `temp` or an `ATTACH` alias),
 *   which is what SQLite calls a schema; cairn's own capabilities say `schemas: false`, so core
 *   normally passes none.
 *
 * @example sqliteStateCompiler().readVersionRows({ name: 'cairn_version' }).sql
 * // 'SELECT version_num FROM "cairn_version"'
 */
export function sqliteStateCompiler(): StateCompiler {
  return sqlStateCompiler({
    quoteIdentifier,
    quoteLiteral,
    placeholder: () => '?',
    types: {
      varchar: (length) => `VARCHAR(${length})`,
      text: 'TEXT',
      integer: 'INTEGER',
      timestamp: 'TEXT',
      autoId: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    },
  });
}
