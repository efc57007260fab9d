import { join } from 'node:path';
import { defineDialectSuite } from '@cairn/dialect-testkit';
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
  unsupported: {
    add_enum_value: enumValues,
    rename_enum_value: enumValues,
    drop_enum_value: enumValues,
  },
  // SQLite has no comment catalog: comments are accepted and not stored.
  reflection: { dropsComments: true },
});
