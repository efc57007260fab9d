import { statement } from '@cairn/core';
import { defineDialectSuite, runNativeClient } from '@cairn/dialect-testkit';
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
  // The `mariadb` client stops at the first error unless given --force.
  runScript: (script) => {
    const url = new URL(database.url());
    const args = [
      '--protocol=TCP',
      '-h',
      url.hostname,
      '-P',
      url.port || '3306',
      '-u',
      decodeURIComponent(url.username),
    ];
    if (url.password) args.push(`--password=${decodeURIComponent(url.password)}`);
    return runNativeClient('mariadb', [...args, '--default-character-set=utf8mb4', url.pathname.slice(1)], script);
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
