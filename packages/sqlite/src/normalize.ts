import type { ColumnDefault, ColumnType, Normalizer } from '@cairn/core';
import { defaultFromText, typeFromDeclared } from './introspector.js';
import { quoteLiteral } from './quote.js';
import { sqliteType } from './render-table.js';

/**
 * SQLite's canonical forms are what `describeTable` reads back, so each value is rendered the
 * way the compiler writes it and parsed back the way the introspector reads it; the two can
 * never disagree:
 * - an auto-numbered integer of any width is `integer({ identity: 'by_default' })` (the rowid
 *   alias, `INTEGER PRIMARY KEY AUTOINCREMENT`, is the only auto-numbering SQLite has);
 * - a `raw` type whose SQLite spelling is one of cairn's own is that portable type
 *   (`rawType('VARCHAR(10)')` ≡ `varchar(10)`); enums stay enums (their CHECK carries them);
 * - a boolean literal default on a non-boolean column is the number 1/0, a number 1/0 on a
 *   boolean column `true`/`false`; an expression default loses one level of parentheses and a
 *   plain literal or `CURRENT_TIMESTAMP` written as an expression becomes that literal.
 */
export const sqliteNormalizer: Normalizer = Object.freeze({
  columnType(type: ColumnType): ColumnType {
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
        return type.identity === undefined ? type : Object.freeze({ kind: 'integer', identity: 'by_default' });
      case 'enum':
        return type;
      default:
        return typeFromDeclared(sqliteType(type));
    }
  },

  columnDefault(value: ColumnDefault | undefined, type: ColumnType): ColumnDefault | undefined {
    if (value === undefined) return undefined;
    switch (value.kind) {
      case 'current_timestamp':
        return value;
      case 'literal':
        return defaultFromText(quoteLiteral(value.value), type);
      case 'expression':
        return defaultFromText(value.sql, type);
    }
  },
});
