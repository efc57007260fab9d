import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { quoteIdentifier } from '../src/quote.js';

/**
 * The server the tests use: `MYSQL_URL` (without a database, e.g. `mysql://root@127.0.0.1:3306`)
 * or the local MariaDB as root with an empty password.
 */
export const SERVER = (process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

async function admin<T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(SERVER);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/**
 * A fresh database for one test file (`cairn_<random>`), created before its tests and dropped
 * after them, so test files can run in parallel. Returns its URL (valid once the file's
 * `beforeAll` hooks have run).
 */
export function testDatabase(): { readonly url: () => string; readonly name: () => string } {
  const name = `cairn_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET utf8mb4`));
  });
  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`));
  });
  return { url: () => `${SERVER}/${name}`, name: () => name };
}
