import type { RuleContext, TableModel } from '@cairn/core';
import { quoteIdentifier, quoteLiteral } from '../src/quote.js';

/** A `RuleContext` with MySQL's quoting whose model knows `tables` (matched by name). */
export function ruleContext(tables: readonly TableModel[] = []): RuleContext {
  return {
    quoteIdentifier,
    quoteLiteral,
    tableBefore: (name) => tables.find((table) => table.name.name === name.name),
  };
}
