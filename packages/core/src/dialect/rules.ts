/**
 * The compiler contract for dialects: a rule table with one pure function per operation kind,
 * turned into a compiler by `compilerFromRules`. Rules never touch a session; what they need to
 * know about the database (the quoting, the current shape of a table) comes in the context.
 */
import { CairnError } from '../errors.js';
import { isOperationKind, type Operation, type OperationKind, type OperationOf } from '../ops/operation.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { SqlValue } from '../ops/sql-value.js';
import type { Statement } from '../ops/statement.js';
import type { TableModel } from '../schema/model.js';

/** @deprecated The same type as `TableModel`, under its old name; use `TableModel`. */
export type TableBefore = TableModel;

/** What a rule may use besides its operation. Built by the runner (or offline mode) for each compile. */
export interface RuleContext {
  /** The dialect's identifier quoting; the only way names reach SQL. */
  quoteIdentifier(name: string): string;
  /** The dialect's literal quoting, for values inlined into DDL (defaults, enum labels). */
  quoteLiteral(value: SqlValue): string;
  /**
   * The table as it is before the operation, from the schema model (never read from a
   * connection), or `undefined` when the model does not know it. Dialects that rebuild tables
   * (SQLite) or restate whole columns (MySQL `MODIFY`) need it and must fail with a
   * `CairnError` saying so when it is `undefined`; others may ignore it.
   */
  tableBefore(name: QualifiedName): TableModel | undefined;
}

/**
 * One rule per operation kind, each receiving its own operation type. A dialect's table that
 * misses a kind fails to compile, so adding a kind to `Operation` is a compile error in every
 * dialect until it decides what to emit. Rules return the statements in order, possibly none
 * (e.g. `create_enum` on a dialect without named enums); `transactional: false` marks those that
 * must run outside a transaction.
 *
 * @example
 * export const acmeRules = { ...postgresRules, rename_table: (op, ctx) => [statement(`…`)] } satisfies CompileRules;
 */
export type CompileRules = {
  readonly [K in OperationKind]: (op: OperationOf<K>, ctx: RuleContext) => readonly Statement[];
};

/** Compiles operations to statements. Pure: same operation and context, same statements. */
export interface OperationCompiler {
  compile(op: Operation, ctx: RuleContext): readonly Statement[];
}

/**
 * Builds a compiler that dispatches each operation to the rule of its kind. An operation whose
 * `kind` is not a known kind (data read back from JSON, a newer core) is refused with
 * `CairnError('USAGE')` rather than a `TypeError`.
 *
 * @example compilerFromRules(sqliteRules).compile(addColumn('account', column('phone', text())), ctx)
 */
export function compilerFromRules(rules: CompileRules): OperationCompiler {
  return Object.freeze({
    compile(op: Operation, ctx: RuleContext): readonly Statement[] {
      if (!isOperationKind(op.kind) || typeof rules[op.kind] !== 'function')
        throw new CairnError('USAGE', `cannot compile ${JSON.stringify(op.kind)}: it is not an operation kind`, {
          details: { operation: op.kind },
        });
      // The one place the union is narrowed by hand: `rules[op.kind]` is the rule for this very kind.
      const rule = rules[op.kind] as (op: Operation, ctx: RuleContext) => readonly Statement[];
      return rule(op, ctx);
    },
  });
}
