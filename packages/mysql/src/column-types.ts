import type { ColumnType } from '@cairn/core';
import { canonicalType, enumMembers } from './sql-text.js';

/**
 * A `COLUMN_TYPE` (or any MySQL type spelling) as a portable type, when it is one of cairn's own
 * spellings (`mysqlType`), else `rawType(<canonical spelling>)` (see `canonicalType`):
 *
 * `tinyint(1)` → boolean; `smallint`/`int`/`bigint` (any display width) → smallint/integer/bigint,
 * auto-numbered (`by_default`) when `identity`; `longtext` → text; `varchar(n)`, `char(n)`;
 * `decimal(p,s)` → numeric(p, s); `float` → real; `double` → double; `date`; `time(6)` → time;
 * `datetime(6)` → timestamp (without time zone); `json`; `longblob` → binary; `enum(…)` →
 * `enumType(enumName, values)`. `char(36)` stays `char(36)`: a uuid is not told apart from other
 * text of that length (and `mysqlNormalizer` maps `uuid()` to it).
 *
 * An auto-numbered column of a type that is not a portable integer (`int unsigned`) keeps
 * `AUTO_INCREMENT` in its raw spelling.
 *
 * @example typeFromColumnType('int(11)', 'account_id', true) // { kind: 'integer', identity: 'by_default' }
 */
export function typeFromColumnType(columnType: string, enumName: string, identity = false): ColumnType {
  const t = canonicalType(columnType);
  const integerKind = t === 'smallint' ? 'smallint' : t === 'int' ? 'integer' : t === 'bigint' ? 'bigint' : undefined;
  if (integerKind !== undefined)
    return Object.freeze(identity ? { kind: integerKind, identity: 'by_default' } : { kind: integerKind });
  if (identity) return Object.freeze({ kind: 'raw', sql: `${t} AUTO_INCREMENT` });
  const simple = SIMPLE[t];
  if (simple !== undefined) return simple;
  let match = /^varchar\((\d+)\)$/.exec(t);
  if (match !== null) return Object.freeze({ kind: 'varchar', length: Number(match[1]) });
  match = /^char\((\d+)\)$/.exec(t);
  if (match !== null) return Object.freeze({ kind: 'char', length: Number(match[1]) });
  match = /^decimal\((\d+),(\d+)\)$/.exec(t);
  if (match !== null) return Object.freeze({ kind: 'numeric', precision: Number(match[1]), scale: Number(match[2]) });
  const values = enumMembers(t);
  if (values !== undefined) return Object.freeze({ kind: 'enum', name: Object.freeze({ name: enumName }), values });
  return Object.freeze({ kind: 'raw', sql: t });
}

const SIMPLE: Readonly<Record<string, ColumnType>> = Object.freeze({
  'tinyint(1)': Object.freeze({ kind: 'boolean' }),
  longtext: Object.freeze({ kind: 'text' }),
  float: Object.freeze({ kind: 'real' }),
  double: Object.freeze({ kind: 'double' }),
  date: Object.freeze({ kind: 'date' }),
  'time(6)': Object.freeze({ kind: 'time' }),
  'datetime(6)': Object.freeze({ kind: 'timestamp', withTimeZone: false }),
  json: Object.freeze({ kind: 'json' }),
  longblob: Object.freeze({ kind: 'binary' }),
});
