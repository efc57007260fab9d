import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { quoteIdentifier } from '../src/quote.js';

/** The server the tests use; `PGHOST`/`PGPORT`/`PGUSER` override the defaults. */
export const SERVER = `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${
  process.env.PGPORT ?? '5432'
}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/${process.env.PGDATABASE ?? 'test'}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file (`cairn_<random>`), created before its tests and dropped
 * `WITH (FORCE)` after them, so test files can run in parallel. Returns its URL (valid once the
 * file's `beforeAll` hooks have run).
 */
export function testDatabase(): { readonly url: () => string; readonly name: () => string } {
  const name = `cairn_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  });
  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
  });
  return { url: () => `${SERVER}/${name}`, name: () => name };
}
