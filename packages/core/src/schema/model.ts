import type { IndexDefinition } from '../ops/index-definition.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { TableDefinition } from '../ops/table-definition.js';

/**
 * A table as the schema model holds it: its definition (as `create_table` takes it), its indexes
 * and its triggers. What `SchemaModel.tables` lists, what a dialect's `describeTable` returns and
 * what `RuleContext.tableBefore` gives a rule for the table an operation changes.
 */
export interface TableModel extends TableDefinition {
  readonly indexes: readonly IndexDefinition[];
  /**
   * The table's triggers, as the database stores their `CREATE TRIGGER` text. Dialects that
   * rebuild a table re-create them afterwards. Absent when the table has none.
   */
  readonly triggers?: readonly string[];
}

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
  readonly tables: readonly TableModel[];
  readonly enums: readonly EnumDefinition[];
}

/** The model of a database with nothing in it. */
export const emptySchema: SchemaModel = Object.freeze({ tables: Object.freeze([]), enums: Object.freeze([]) });
