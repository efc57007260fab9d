import type { Dialect } from '../dialect/dialect.js';
import type { RuleContext } from '../dialect/rules.js';
import { createOpApi, type OpApi } from '../ops/op-api.js';
import type { Operation } from '../ops/operation.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { SqlValue } from '../ops/sql-value.js';
import type { Statement } from '../ops/statement.js';
import type { TableModel } from '../schema/model.js';
import { nameKey } from '../schema/schema-builder.js';

/**
 * Where compiling finds a table's current definition: online, the dialect's `describeTable` on
 * the step's session; offline, the schema model replayed from the migrations.
 */
export type TableLookup = (name: QualifiedName) => Promise<TableModel | undefined>;

/**
 * The `op` object of a migration context: each operation is compiled by the dialect (a pure
 * function of the operation and the current definition of the tables it asks for) and its
 * statements go to `run`. `applied` hears of each operation after its statements ran.
 */
export function operationApi(
  dialect: Dialect,
  run: (statement: Statement) => Promise<unknown>,
  lookup: TableLookup | undefined,
  applied?: (op: Operation) => void,
): OpApi {
  return createOpApi(async (op: Operation) => {
    for (const statement of await compileOperation(dialect, op, lookup)) await run(statement);
    applied?.(op);
  });
}

/** Thrown through the compiler when it asks for a table not fetched yet; never escapes. */
class TableRequest {
  constructor(readonly name: QualifiedName) {}
}

/**
 * Compiles `op`, fetching the tables the compiler asks for through `lookup`, and only those:
 * most operations on most dialects never ask, and then nothing is read. `tableBefore` is
 * synchronous (the compiler is pure), so the first request of a table not fetched yet throws a
 * private marker out of the compiler; the table is fetched and the compile starts again with it
 * known. Without `lookup` every table is unknown, and the compiler reports what it needed.
 */
export async function compileOperation(
  dialect: Dialect,
  op: Operation,
  lookup: TableLookup | undefined,
): Promise<readonly Statement[]> {
  const known = new Map<string, TableModel | undefined>();
  const ctx: RuleContext = {
    quoteIdentifier: (name) => dialect.state.quoteIdentifier(name),
    quoteLiteral: (value: SqlValue) => dialect.state.quoteLiteral(value),
    tableBefore: (name) => {
      const key = nameKey(name);
      if (known.has(key) || lookup === undefined) return known.get(key);
      throw new TableRequest(name);
    },
  };
  for (;;) {
    try {
      return dialect.compiler.compile(op, ctx);
    } catch (error) {
      if (!(error instanceof TableRequest) || lookup === undefined) throw error;
      known.set(nameKey(error.name), await lookup(error.name));
    }
  }
}
