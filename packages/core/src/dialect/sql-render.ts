import type { ReferentialAction } from '../ops/constraint.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { SqlValue } from '../ops/sql-value.js';
import { type Statement, statement } from '../ops/statement.js';
import type { RuleContext } from './rules.js';

/*
 * SQL text that every SQL dialect writes the same way, for their compilers. Names and literals
 * still go through the dialect's own quoting, passed in.
 */

/** The quoting a renderer needs: the two functions of `RuleContext`. */
export type Quoting = Pick<RuleContext, 'quoteIdentifier' | 'quoteLiteral'>;

/** `"s"."t"` when the name has a schema, else `"t"`. */
export function qualifiedName(name: QualifiedName, q: Quoting): string {
  return name.schema === undefined
    ? q.quoteIdentifier(name.name)
    : `${q.quoteIdentifier(name.schema)}.${q.quoteIdentifier(name.name)}`;
}

/** A name in the same schema as `like` (an index lives in its table's schema). */
export function siblingName(like: QualifiedName, name: string): QualifiedName {
  return like.schema === undefined ? { name } : { schema: like.schema, name };
}

/** `("a", "b")`. */
export function columnList(columns: readonly string[], q: Quoting): string {
  return `(${columns.map((c) => q.quoteIdentifier(c)).join(', ')})`;
}

/** `CONSTRAINT "name" ` or nothing (the database then picks the name). */
export function constraintPrefix(name: string | undefined, q: Quoting): string {
  return name === undefined ? '' : `CONSTRAINT ${q.quoteIdentifier(name)} `;
}

/** The SQL of each referential action. */
export const REFERENTIAL_ACTION_SQL: Readonly<Record<ReferentialAction, string>> = Object.freeze({
  no_action: 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  set_null: 'SET NULL',
  set_default: 'SET DEFAULT',
});

/** Limits of one multi-row `INSERT`, and the dialect's placeholder syntax. */
export interface InsertLimits {
  /** The n-th (1-based) parameter of a statement: `?` or `$n`. */
  placeholder(n: number): string;
  /** Most bound parameters the database takes in one statement. */
  readonly maxParams: number;
  /** Most rows per statement (keeps statements a sensible size). */
  readonly maxRows: number;
}

/**
 * `INSERT INTO <table> (cols) VALUES (…), (…)` statements for `rows`: consecutive rows with the
 * same columns share a statement, within the limits. `table` is already rendered.
 */
export function multiRowInserts(
  table: string,
  rows: readonly Readonly<Record<string, SqlValue>>[],
  q: Quoting,
  limits: InsertLimits,
): Statement[] {
  const statements: Statement[] = [];
  let index = 0;
  while (index < rows.length) {
    const columns = Object.keys(rows[index]!);
    const signature = JSON.stringify(columns);
    const limit = Math.max(1, Math.min(limits.maxRows, Math.floor(limits.maxParams / columns.length)));
    const chunk: Readonly<Record<string, SqlValue>>[] = [];
    while (index < rows.length && chunk.length < limit && JSON.stringify(Object.keys(rows[index]!)) === signature) {
      chunk.push(rows[index]!);
      index += 1;
    }
    let n = 0;
    const tuples = chunk.map(() => `(${columns.map(() => limits.placeholder(++n)).join(', ')})`);
    statements.push(
      statement(
        `INSERT INTO ${table} ${columnList(columns, q)} VALUES ${tuples.join(', ')}`,
        chunk.flatMap((row) => columns.map((c) => row[c])),
      ),
    );
  }
  return statements;
}

/**
 * One `DELETE FROM <table> WHERE k1 = ? AND …` per row, matching the row's `key` columns: `IS
 * NULL` for a NULL key cell (so the row holding NULL matches), `= <placeholder>` otherwise, so
 * the key's index can be used. `table` is already rendered.
 */
export function keyedDeletes(
  table: string,
  key: readonly string[],
  rows: readonly Readonly<Record<string, SqlValue>>[],
  q: Quoting,
  placeholder: (n: number) => string,
): Statement[] {
  return rows.map((row) => {
    const params: SqlValue[] = [];
    const where = key.map((k) => {
      const value = row[k] ?? null;
      if (value === null) return `${q.quoteIdentifier(k)} IS NULL`;
      params.push(value);
      return `${q.quoteIdentifier(k)} = ${placeholder(params.length)}`;
    });
    return statement(`DELETE FROM ${table} WHERE ${where.join(' AND ')}`, params);
  });
}
