import type { Operation, QualifiedName, Session, TableModel } from '@cairn/core';
import { sqliteCompiler } from '../src/compiler.js';
import { describeTable } from '../src/introspector.js';
import { ruleContext } from './rule-context.js';

function tableOf(op: Operation): QualifiedName | undefined {
  if ('table' in op) return op.table;
  if (op.kind === 'create_table' || op.kind === 'drop_table' || op.kind === 'rename_table') return op.name;
  return undefined;
}

/**
 * Applies operations the way an online run would: the table's current definition read with
 * `describeTable`, each operation compiled and run in one transaction (a savepoint).
 */
export async function apply(session: Session, ...ops: Operation[]): Promise<void> {
  for (const op of ops) {
    const table = tableOf(op);
    const before: TableModel[] = [];
    if (table !== undefined) {
      const found = await describeTable(session, table);
      if (found !== undefined) before.push(found);
    }
    const statements = sqliteCompiler.compile(op, ruleContext(before));
    await session.transaction!(async (tx) => {
      for (const stmt of statements) await tx.execute(stmt);
    });
  }
}
