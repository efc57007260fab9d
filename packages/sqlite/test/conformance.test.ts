import { join } from 'node:path';
import { boolean, column, expressionDefault, integer, rawType, timestamp } from '@cairn/core';
import { defineDialectSuite, runNativeClient } from '@cairn/dialect-testkit';
import { openSqlite, sqliteDialect } from '../src/index.js';
import { tempDir } from './temp-dir.js';

// The conformance suite every dialect runs, against a real SQLite file: all connections open the
// same file, so the lock cases really contend.
const file = join(tempDir('conformance'), 'conformance.db');

// SQLite has no enum types: an enum lives in the CHECK of each column using it, and an operation
// on the enum alone does not say which tables those are (compiler.ts `enumValuesRefused`).
const enumValues = 'SQLite has no enum types; change each column with alterColumn instead';

defineDialectSuite({
  dialect: sqliteDialect(),
  connect: () => openSqlite(file),
  runScript: (script) => runNativeClient('sqlite3', ['-bail', file], script),
  unsupported: {
    add_enum_value: enumValues,
    rename_enum_value: enumValues,
    drop_enum_value: enumValues,
  },
  reflection: {
    // Spellings SQLite reads back differently, which its normaliser must fold.
    respelledColumns: [
      column('raw_varchar', rawType('VARCHAR(10)')),
      column('raw_int', rawType('int')),
      column('flag', boolean(), { default: 1 }),
      column('count', integer(), { default: true }),
      column('paren', integer(), { default: expressionDefault('(7)') }),
      column('now_expr', timestamp(), { default: expressionDefault('CURRENT_TIMESTAMP') }),
      column('raw_override', rawType('citext', { sqlite: 'TEXT' })),
    ],
  },
});
