import { addEnumValue, createIndex, dropIndex, statement } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { postgresCompiler } from '../src/compiler.js';
import { postgresDialect } from '../src/index.js';
import { transactionNeeds } from '../src/transaction-needs.js';
import { ruleContext } from './rule-context.js';

const needs = (sql: string) => transactionNeeds(statement(sql));

describe('transactionNeeds (what a --sql script reads from a statement)', () => {
  it('reads ALTER TYPE … ADD VALUE as commit-before-use, compiled or raw, after comments', () => {
    const [compiled] = postgresCompiler.compile(addEnumValue('mood', 'ok', { after: 'happy' }), ruleContext());
    expect(transactionNeeds(compiled!)).toBe('commit-before-use');
    expect(needs(`alter type public."mood" add value if not exists 'ok'`)).toBe('commit-before-use');
    expect(needs("-- the new mood\n/* see #12 */\n  ALTER TYPE mood\n  ADD VALUE 'ok'")).toBe('commit-before-use');
  });

  it('reads statements PostgreSQL refuses in a transaction block as outside', () => {
    for (const sql of [
      'CREATE INDEX CONCURRENTLY i ON t (a)',
      'create unique index concurrently if not exists i on t (a)',
      'DROP INDEX CONCURRENTLY IF EXISTS i',
      'REINDEX (VERBOSE) TABLE CONCURRENTLY t',
      'VACUUM ANALYZE t',
      'CREATE DATABASE other',
      'ALTER SYSTEM SET work_mem = 65536',
    ]) {
      expect(needs(sql), sql).toBe('outside');
    }
  });

  it('leaves every other statement to its transactional flag', () => {
    for (const sql of [
      'CREATE INDEX i ON t (a)',
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'",
      'ALTER TYPE mood ADD ATTRIBUTE x integer',
      "INSERT INTO t VALUES ('ALTER TYPE mood ADD VALUE')",
      'SELECT 1 -- VACUUM',
      'REINDEX TABLE t',
    ]) {
      expect(needs(sql), sql).toBeUndefined();
    }
    const ctx = ruleContext();
    // The compiler's own marks stay what they are; the hook agrees with them.
    const [concurrent] = postgresCompiler.compile(createIndex('i', 't', ['a'], { concurrently: true }), ctx);
    expect([concurrent!.transactional, transactionNeeds(concurrent!)]).toEqual([false, 'outside']);
    const [drop] = postgresCompiler.compile(dropIndex('i', 't', { concurrently: true }), ctx);
    expect(transactionNeeds(drop!)).toBe('outside');
  });

  it('is the dialect’s hook', () => {
    expect(postgresDialect().transactionNeeds).toBe(transactionNeeds);
  });
});
