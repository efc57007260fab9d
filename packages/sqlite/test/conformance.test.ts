import { join } from 'node:path';
import { defineDialectSuite } from '@cairn/dialect-testkit';
import { openSqlite, sqliteDialect } from '../src/index.js';
import { tempDir } from './temp-dir.js';

// The conformance suite every dialect runs, against a real SQLite file: all connections open the
// same file, so the lock cases really contend.
const file = join(tempDir('conformance'), 'conformance.db');

defineDialectSuite({
  dialect: sqliteDialect(),
  connect: () => openSqlite(file),
});
