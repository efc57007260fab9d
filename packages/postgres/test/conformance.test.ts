import { defineDialectSuite } from '@cairn/dialect-testkit';
import { openPostgres, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';

// The conformance suite every dialect runs, against a real PostgreSQL server: each connection is
// a new pg.Client to this file's own database, so the lock cases really contend on the advisory lock.
const database = testDatabase();

defineDialectSuite({
  dialect: postgresDialect({ lock: { pollMs: 25 } }),
  connect: () => openPostgres(database.url()),
});
