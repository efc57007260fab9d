import type { Dialect, QualifiedName } from '../dialect/dialect.js';
import type { RuleContext, TableBefore } from '../dialect/rules.js';
import { createOpApi, type OpApi } from '../ops/op-api.js';
import type { Operation } from '../ops/operation.js';
import { operationTable } from '../ops/operation-table.js';
import type { SqlValue } from '../ops/sql-value.js';
import type { Session, Statement } from './session.js';

/**
 * The `op` object of a migration context: each operation is compiled by the dialect (a pure
 * function of the operation and the table's current definition) and its statements run on the
 * step's session. For dialects that rebuild tables, the current definition is read from the
 * database just before compiling (`Dialect.describeTable`); offline runs pass none, and such
 * operations then fail with the compiler's message.
 */
export function operationApi(
  dialect: Dialect,
  session: Session,
  run: (statement: Statement) => Promise<unknown>,
  options: { readonly describe: boolean },
): OpApi {
  return createOpApi(async (op: Operation) => {
    const table = operationTable(op);
    const before =
      options.describe &&
      table !== undefined &&
      dialect.describeTable &&
      dialect.capabilities.alterColumn === 'recreate-table'
        ? await dialect.describeTable(session, table)
        : undefined;
    for (const statement of dialect.compiler.compile(op, ruleContext(dialect, table, before))) await run(statement);
  });
}

function ruleContext(dialect: Dialect, table: QualifiedName | undefined, before: TableBefore | undefined): RuleContext {
  return {
    quoteIdentifier: (name) => dialect.state.quoteIdentifier(name),
    quoteLiteral: (value: SqlValue) => dialect.state.quoteLiteral(value),
    tableBefore: (name) => (before !== undefined && table !== undefined && sameName(name, table) ? before : undefined),
  };
}

function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.name === b.name && (a.schema ?? '') === (b.schema ?? '');
}
