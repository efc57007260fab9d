import type { TableBefore } from '../dialect/rules.js';
import type { QualifiedName } from '../ops/qualified-name.js';

/** A named enum type (PostgreSQL `CREATE TYPE … AS ENUM`); `values` in declaration order. */
export interface EnumDefinition {
  readonly name: QualifiedName;
  readonly values: readonly string[];
}

/**
 * A database schema as plain, JSON-serialisable data: what a dialect's `introspect` reads from a
 * database and what replaying migrations' operations builds (`applyOperation`). Autogenerate
 * compares two of them, each normalised by the dialect's `Normalizer` first.
 *
 * Tables and enums are sorted by schema, then name; each table's lists are in the order the
 * database (or the operations) gave them.
 */
export interface SchemaModel {
  readonly tables: readonly TableBefore[];
  readonly enums: readonly EnumDefinition[];
}

/** The model of a database with nothing in it. */
export const emptySchema: SchemaModel = Object.freeze({ tables: Object.freeze([]), enums: Object.freeze([]) });
