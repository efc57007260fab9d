import {
  bigint,
  boolean,
  column,
  expressionDefault,
  integer,
  numeric,
  rawType,
  statement,
  text,
  timestamp,
} from '@cairn/core';
import { defineDialectSuite, runNativeClient } from '@cairn/dialect-testkit';
import { openPostgres, postgresDialect } from '../src/index.js';
import { testDatabase } from './database.js';

// The conformance suite every dialect runs, against a real PostgreSQL server: each connection is
// a new pg.Client to this file's own database, so the lock cases really contend on the advisory lock.
const database = testDatabase();

defineDialectSuite({
  dialect: postgresDialect({ lock: { pollMs: 25 } }),
  connect: () => openPostgres(database.url()),
  reflection: {
    // Spellings PostgreSQL reads back differently, which its normaliser must fold.
    respelledColumns: [
      column('raw_int4', rawType('int4')),
      column('raw_varchar', rawType('character varying(10)')),
      column('raw_jsonb', rawType('jsonb')),
      column('raw_timestamptz', rawType('timestamptz')),
      column('big_serial', bigint({ identity: 'by_default' }), { nullable: false }),
      column('now_expr', timestamp({ withTimeZone: true }), { default: expressionDefault('now()') }),
      column('flag', boolean(), { default: expressionDefault('TRUE') }),
      column('amount', numeric(10, 2), { default: 0 }),
      column('count', integer(), { default: expressionDefault('(7)') }),
      column('label', text(), { default: expressionDefault("'x'::text") }),
    ],
  },
  runScript: (script) =>
    runNativeClient('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database.url(), '-f', '-'], script),
  lostConnection: {
    sleep: 'SELECT pg_sleep(5)',
    async killSleeping(session) {
      const [row] = await session.query<{ pid: number }>(
        statement(
          "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND datname = current_database()",
        ),
      );
      if (row !== undefined) await session.query(statement('SELECT pg_terminate_backend($1)', [row.pid]));
      return row !== undefined;
    },
  },
});
