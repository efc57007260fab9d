import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** The server's maintenance database; `CAIRN_TEST_POSTGRES_URL` overrides it. */
const ADMIN_URL = process.env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A database of its own for one test file (`<prefix>_<pid>_<time>`), created before its tests
 * and dropped `WITH (FORCE)` after them, so the file runs in parallel with the others.
 * `url` is the database's; `admin(work, target)` runs `work` on a fresh client to `target`
 * (default: the server's maintenance database) and closes it; `query(sql)` runs one statement on
 * the test database and returns its rows.
 */
export function postgresTestDatabase(prefix: string): {
  readonly url: string;
  admin<T>(work: (client: pg.Client) => Promise<T>, target?: string): Promise<T>;
  query(sql: string): Promise<Record<string, unknown>[]>;
} {
  const database = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const admin = async <T>(work: (client: pg.Client) => Promise<T>, target = ADMIN_URL): Promise<T> => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${database}`));
  });
  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });
  return { url, admin, query: async (sql) => admin(async (c) => (await c.query(sql)).rows, url) };
}
