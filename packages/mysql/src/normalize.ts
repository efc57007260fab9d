import { type ColumnDefault, type ColumnType, isCairnError, type Normalizer } from '@cairn/core';
import { typeFromColumnType } from './column-types.js';
import { expressionOrNow, literalFromText } from './introspector.js';
import { quoteIdentifier, quoteLiteral } from './quote.js';
import { mysqlType } from './render.js';
import { stringLiteral, stripOuterParens } from './sql-text.js';

/**
 * The name every enum type normalises to. MySQL has no named enums: an `ENUM(…)` list belongs to
 * its column, the introspector names it `<table>_<column>`, and a model names it as its author
 * chose — so names are not compared, only values (in order).
 */
export const MYSQL_ENUM_NAME = 'mysql_enum';

const QUOTING = { quoteIdentifier, quoteLiteral };

const NUMERIC_KINDS: ReadonlySet<ColumnType['kind']> = new Set([
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double',
]);

/**
 * MySQL's canonical forms are what `describeTable` reads back, so a declared type is rendered
 * the way the compiler writes it and parsed back the way the introspector reads it
 * (`typeFromColumnType(mysqlType(t))`), and the two can never disagree:
 *
 * - `uuid()` → `char(36)`; `timestamp({ withTimeZone: true })` → `timestamp()` (both are
 *   `datetime(6)`); `numeric()` → `numeric(65, 30)` and `numeric(p)` → `numeric(p, 0)`;
 * - an identity is `by_default` (`AUTO_INCREMENT` takes explicit values; there is no `always`);
 * - an enum keeps its values and is named `MYSQL_ENUM_NAME`;
 * - a raw type is its canonical MySQL spelling (`canonicalType`), which becomes a portable type
 *   when it is one of cairn's own (`rawType('tinyint(1)')` ≡ `boolean()`, `rawType('INT(11)')` ≡
 *   `integer()`).
 *
 * Defaults, for a column of the (normalised) type: on a boolean column `1`/`0` (number or text)
 * are `true`/`false`; on a numeric column a boolean is `1`/`0` and numeric text a number; on a
 * text column a number or boolean is its text (MySQL stores `DEFAULT 5` on a varchar as `'5'`).
 * An expression loses one pair of outer parentheses, and one that is only a literal, `TRUE`,
 * `FALSE`, `NULL` or the current time (`(1)`, `('x')`, `now(6)`) becomes that literal, no default
 * or `current_timestamp`, as MySQL reads it back. Whitespace and case inside expressions are compared as written: the server
 * prints `(1+1)` as `(1 + 1)`, which no pure function can predict for every expression.
 *
 * @example mysqlNormalizer.columnType(uuid()) // { kind: 'char', length: 36 }
 */
export const mysqlNormalizer: Normalizer = Object.freeze({
  columnType(type: ColumnType): ColumnType {
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
        return Object.freeze(
          type.identity === undefined ? { kind: type.kind } : { kind: type.kind, identity: 'by_default' },
        );
      case 'enum':
        return Object.freeze({ kind: 'enum', name: Object.freeze({ name: MYSQL_ENUM_NAME }), values: type.values });
      default:
        try {
          const spelling = mysqlType(type, QUOTING);
          const identity = /\sauto_increment\b/i.test(spelling);
          return typeFromColumnType(spelling.replace(/\s+auto_increment\b/i, ''), MYSQL_ENUM_NAME, identity);
        } catch (error) {
          // A type MySQL cannot hold (numeric(70)) is left as declared; compiling it reports why.
          if (isCairnError(error)) return type;
          throw error;
        }
    }
  },

  columnDefault(value: ColumnDefault | undefined, type: ColumnType): ColumnDefault | undefined {
    if (value === undefined) return undefined;
    switch (value.kind) {
      case 'current_timestamp':
        return value;
      case 'literal':
        return coerce(value.value, type);
      case 'expression': {
        const inner = stripOuterParens(value.sql);
        // MySQL stores these keywords as the values they stand for.
        if (/^null$/i.test(inner)) return undefined;
        if (/^(true|false)$/i.test(inner)) return coerce(inner.toLowerCase() === 'true', type);
        const literal = stringLiteral(inner);
        if (literal !== undefined) return coerce(literal, type);
        const parsed = literalFromText(inner, type) ?? expressionOrNow(inner);
        return parsed.kind === 'literal' ? coerce(parsed.value, type) : parsed;
      }
    }
  },
});

/** A literal as MySQL stores it in a column of `type`. */
function coerce(value: string | number | boolean, type: ColumnType): ColumnDefault {
  if (type.kind === 'boolean') {
    if (value === 1 || value === '1') return { kind: 'literal', value: true };
    if (value === 0 || value === '0') return { kind: 'literal', value: false };
    return { kind: 'literal', value };
  }
  if (NUMERIC_KINDS.has(type.kind)) {
    if (typeof value === 'boolean') return { kind: 'literal', value: value ? 1 : 0 };
    if (typeof value === 'string') return literalFromText(value.trim(), type) ?? { kind: 'literal', value };
    return { kind: 'literal', value };
  }
  if (type.kind === 'raw') return { kind: 'literal', value };
  if (typeof value === 'boolean') return { kind: 'literal', value: value ? '1' : '0' };
  return { kind: 'literal', value: typeof value === 'number' ? String(value) : value };
}
