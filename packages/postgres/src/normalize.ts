import type { ColumnDefault, ColumnType, Normalizer } from '@cairn/core';
import { defaultFromText, literalAsStored, typeFromText } from './catalog-text.js';
import { postgresType } from './render.js';

/** `postgresType` quotes only enum names, which the normaliser never renders. */
const NO_QUOTING = {
  quoteIdentifier: (name: string) => name,
  quoteLiteral: (value: unknown) => String(value),
};

/**
 * PostgreSQL's canonical forms are what the introspector reads back, so, as on SQLite, each value
 * is rendered the way the compiler writes it and parsed back by the same code that parses what
 * the catalog prints (catalog-text.ts):
 * - types: the compiler's spelling (`postgresType`) read as `format_type` text, so a raw type
 *   spelled like a portable one is that type (`rawType('int4')` ≡ `integer()`,
 *   `rawType('character varying(10)')` ≡ `varchar(10)`, `rawType('jsonb')` ≡ `json()`,
 *   `rawType('serial')` ≡ `serial()`), `numeric(p)` is `numeric(p, 0)`, and other raw types take
 *   `format_type`'s spelling without their per-dialect overrides (`rawType('int4[]')` ≡
 *   `rawType('integer[]')`). A real `json` column stays `rawType('json')`, distinct from
 *   `json()` (jsonb). Integers keep their identity; enums are left as they are;
 * - defaults: a literal as PostgreSQL stores it on the column (`'7'` on an integer is `7`, `'yes'`
 *   on a boolean `true`, JSON as jsonb prints it, a UUID in lowercase); an expression read as
 *   `pg_get_expr` text would be (a literal or a cast literal in it is that literal, `now()` is
 *   `current_timestamp`, parentheses around all of it are dropped).
 *
 * What it cannot predict without the server is left alone: how PostgreSQL re-spells an arbitrary
 * expression (`1+2` is printed `(1 + 2)`, so `expressionDefault('1+2')` and its reflection still
 * differ), dates and times in another format than PostgreSQL's output, and whether an enum or raw
 * type named without a schema lives in the connection's current one.
 */
export const postgresNormalizer: Normalizer = Object.freeze({
  columnType(type: ColumnType): ColumnType {
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'enum':
        return type;
      default:
        return typeFromText(postgresType(type, NO_QUOTING));
    }
  },

  columnDefault(value: ColumnDefault | undefined, type: ColumnType): ColumnDefault | undefined {
    if (value === undefined) return undefined;
    switch (value.kind) {
      case 'current_timestamp':
        return value;
      case 'literal':
        return Object.freeze(literalAsStored(value.value, type));
      case 'expression':
        return Object.freeze(defaultFromText(value.sql, type));
    }
  },
} satisfies Normalizer);
