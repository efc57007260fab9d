import { statement } from '@cairn/core';
import { defineDialectSuite } from '@cairn/dialect-testkit';
import { mysqlDialect, openMysql } from '../src/index.js';
import { testDatabase } from './database.js';
import { RESPELLED_COLUMNS } from './respelled.js';

// The conformance suite every dialect runs, against a real MySQL/MariaDB server: each connection
// is a new mysql2 connection to this file's own database, so the lock cases really contend on
// GET_LOCK.
const database = testDatabase();

// MySQL has no enum types: an ENUM list is part of each column using it, and an operation on the
// enum alone does not say which columns those are (compiler.ts `enumValueRefused`).
const enumValues = 'MySQL has no enum types; change each column with alterColumn and the full new ENUM list';

defineDialectSuite({
  dialect: mysqlDialect({ lock: { pollMs: 25 } }),
  connect: () => openMysql(database.url()),
  unsupported: {
    add_enum_value: enumValues,
    rename_enum_value: enumValues,
    drop_enum_value: enumValues,
  },
  reflection: {
    // Spellings MySQL reads back differently, which its normaliser must fold.
    respelledColumns: RESPELLED_COLUMNS,
  },
  lostConnection: {
    sleep: 'SELECT SLEEP(5)',
    async killSleeping(session) {
      const [row] = await session.query<{ id: number }>(
        statement(
          "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)' AND DB = DATABASE()",
        ),
      );
      if (row !== undefined) await session.execute(statement(`KILL CONNECTION ${Number(row.id)}`));
      return row !== undefined;
    },
  },
});
