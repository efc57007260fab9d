import type { Operation, Session, TableModel } from '@cairn/core';
import { mysqlCompiler } from '../src/index.js';
import { ruleContext } from './rule-context.js';

/** Compiles `ops` with MySQL's rules (the model knows `tables`) and runs their statements on `session`. */
export async function apply(
  session: Session,
  ops: readonly Operation[],
  tables: readonly TableModel[] = [],
): Promise<void> {
  for (const op of ops) for (const s of mysqlCompiler.compile(op, ruleContext(tables))) await session.execute(s);
}
