import type { RuleContext } from '@cairn/core';
import { quoteIdentifier, quoteLiteral } from '../src/quote.js';

/** A `RuleContext` with PostgreSQL's quoting and no model (the PostgreSQL rules need none). */
export function ruleContext(): RuleContext {
  return { quoteIdentifier, quoteLiteral, tableBefore: () => undefined };
}
