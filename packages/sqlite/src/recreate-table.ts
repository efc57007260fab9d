import {
  CairnError,
  formatQualifiedName,
  type IndexDefinition,
  type QualifiedName,
  qualifiedName,
  type RuleContext,
  type Statement,
  siblingName,
  statement,
  type TableDefinition,
  type TableModel,
} from '@cairn/core';
import { renderCreateIndex, renderCreateTable } from './render-table.js';

/** What a change makes of a table: its new definition, how to fill each kept column, its indexes. */
export interface RebuiltTable {
  /** The table after the change (same name). */
  readonly definition: TableDefinition;
  /**
   * The columns copied from the old table: `column` of the new table gets `from`, an SQL
   * expression over the old table's columns (a quoted column name, or a type change's `using`).
   * New columns not listed here get their default.
   */
  readonly copy: readonly { readonly column: string; readonly from: string }[];
  /** The indexes to re-create after the rebuild (the old ones die with the old table). */
  readonly indexes: readonly IndexDefinition[];
}

/** The prefix of the temporary table a rebuild creates; cairn's own, so never a user table. */
export const REBUILD_PREFIX = '_cairn_new_';

/**
 * The table's current definition, or `CairnError('NEEDS_MODEL')` naming the operation: SQLite
 * cannot ALTER this, and the rebuild has to restate the whole table.
 */
export function requireTableBefore(kind: string, name: QualifiedName, ctx: RuleContext): TableModel {
  const before = ctx.tableBefore(name);
  if (before !== undefined) return before;
  const table = formatQualifiedName(name);
  throw new CairnError(
    'NEEDS_MODEL',
    `${kind} on ${table} needs the table's current definition to rebuild it (SQLite cannot ALTER this); run online, where cairn reads it from the database`,
    { details: { operation: kind, table } },
  );
}

/**
 * SQLite's table rebuild ("12-step" procedure, lang_altertable §7), as statements that are valid
 * inside the migration's transaction, computed only from `before` (the schema model's table,
 * never a connection: style rule 3) and `change`:
 *
 * 1. A guard that fails the migration when `PRAGMA foreign_keys` is ON and some table references
 *    this one. With foreign keys on, `DROP TABLE` runs an implicit `DELETE`: referencing rows
 *    would fail the commit, or — with `ON DELETE CASCADE`/`SET NULL` — be silently deleted or
 *    nulled (drizzle's data-loss bug). `PRAGMA foreign_keys = OFF` would prevent that, but it is
 *    a no-op inside a transaction, and neither `defer_foreign_keys` nor `legacy_alter_table`
 *    rescue it (checked against SQLite 3.53). Such a rebuild must run with foreign keys switched
 *    off *before* the transaction begins; the guard's CHECK error says so.
 * 2. `PRAGMA defer_foreign_keys = ON`: foreign keys of the new table (including self-references,
 *    which name the final table) are checked at COMMIT, after the copy — SQLite runs that check
 *    itself, so no `PRAGMA foreign_key_check` statement is needed (the runner could not read its
 *    rows anyway): a violation fails the COMMIT and the transaction rolls back. The pragma resets
 *    at the end of the transaction.
 * 3. `PRAGMA legacy_alter_table = ON` for the rename: without it, `ALTER TABLE … RENAME` fails
 *    when any view names the table ("error in view …: no such table"). Views keep naming the
 *    table and see the new one. Reset to OFF right after.
 * 4. `CREATE TABLE "_cairn_new_<t>"` with the new definition; `INSERT INTO … SELECT` the kept
 *    columns, listed explicitly; `DROP TABLE "<t>"`; `ALTER TABLE "_cairn_new_<t>" RENAME TO "<t>"`
 *    — in that order: renaming the old table away first would rewrite other tables' foreign keys
 *    to the old name.
 * 5. The table's indexes, re-created from `change.indexes`, then its triggers from their stored
 *    `CREATE TRIGGER` text (`before.triggers`).
 *
 * Limitations: generated columns are not modelled; an AUTOINCREMENT counter restarts from the
 * largest copied id, so ids of deleted rows beyond it may be reused; offline (no database to
 * read the table from) a rebuild has no definition to work from and fails with NEEDS_MODEL.
 */
export function recreateTable(before: TableModel, change: RebuiltTable, ctx: RuleContext): readonly Statement[] {
  const name = before.name;
  const target = qualifiedName(name, ctx);
  const temp = siblingName(name, `${REBUILD_PREFIX}${name.name}`);
  const tempName = qualifiedName(temp, ctx);
  const guardTable = `temp.${ctx.quoteIdentifier('_cairn_rebuild_guard')}`;
  const guardMessage = `cairn: rebuilding ${name.name} while other tables reference it needs PRAGMA foreign_keys = OFF before the transaction`;
  const schemaTable = name.schema === undefined ? 'sqlite_schema' : `${ctx.quoteIdentifier(name.schema)}.sqlite_schema`;
  const targets = change.copy.map((c) => ctx.quoteIdentifier(c.column)).join(', ');
  const sources = change.copy.map((c) => c.from).join(', ');
  return [
    statement(
      `CREATE TEMP TABLE IF NOT EXISTS ${ctx.quoteIdentifier('_cairn_rebuild_guard')} (${ctx.quoteIdentifier(
        'problem',
      )} TEXT CONSTRAINT ${ctx.quoteIdentifier(guardMessage)} CHECK (0))`,
    ),
    statement(
      `INSERT INTO ${guardTable} SELECT ${ctx.quoteLiteral(name.name)} WHERE (SELECT foreign_keys FROM pragma_foreign_keys) = 1 AND EXISTS (SELECT 1 FROM ${schemaTable} AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.${ctx.quoteIdentifier('table')} = ${ctx.quoteLiteral(
        name.name,
      )} COLLATE NOCASE)`,
    ),
    statement(`DROP TABLE ${guardTable}`),
    statement('PRAGMA defer_foreign_keys = ON'),
    statement(renderCreateTable(change.definition, ctx, temp)),
    ...(change.copy.length === 0
      ? []
      : [statement(`INSERT INTO ${tempName} (${targets}) SELECT ${sources} FROM ${target}`)]),
    statement(`DROP TABLE ${target}`),
    statement('PRAGMA legacy_alter_table = ON'),
    statement(`ALTER TABLE ${tempName} RENAME TO ${ctx.quoteIdentifier(name.name)}`),
    statement('PRAGMA legacy_alter_table = OFF'),
    ...change.indexes.map((index) => statement(renderCreateIndex(index, ctx))),
    // Triggers die with the old table; their stored text re-creates them on the new one. One that
    // names a dropped or renamed column fails here, and the operation rolls back.
    ...(before.triggers ?? []).map((sql) => statement(sql)),
  ];
}

/** The plain definition part of a `TableModel` (without its indexes). */
export function definitionOf(before: TableModel): TableDefinition {
  const { indexes: _indexes, triggers: _triggers, ...definition } = before;
  return definition;
}

/** Every column copied unchanged: `"c"` ← `"c"`. */
export function copyAll(definition: TableDefinition, ctx: RuleContext): RebuiltTable['copy'] {
  return definition.columns.map((c) => ({ column: c.name, from: ctx.quoteIdentifier(c.name) }));
}
