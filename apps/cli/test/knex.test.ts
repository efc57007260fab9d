import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cairn, initProject, ok, writeFiles } from './helpers.js';

/** Creates t_account with ctx.op, then writes, reads and updates it with ctx.knex. */
const ACCOUNTS = [
  "import { column, defineMigration, integer, text } from '@cairn/core';",
  'export default defineMigration({',
  "  revision: 'a',",
  '  downRevision: null,',
  "  message: 'accounts',",
  '  async upgrade(ctx) {',
  "    await ctx.op.createTable({ name: 't_account', columns: [column('id', integer(), { nullable: false }), column('email', text(), { nullable: false }), column('active', integer())], primaryKey: ['id'] });",
  "    await ctx.sql('CREATE TABLE t_log (value text)');",
  "    await ctx.knex('t_account').insert({ id: 1, email: \"o'brien@example.com\", active: true });",
  "    const returned = await ctx.knex('t_account').insert([{ id: 2, email: 'b@example.com' }, { id: 3, email: 'c@example.com' }]).returning('id');",
  "    const rows = await ctx.knex('t_account').select('id', 'email').orderBy('id');",
  "    const first = await ctx.knex('t_account').where({ id: 1 }).first();",
  "    const updated = await ctx.knex('t_account').where('id', '>', 1).update({ active: false });",
  "    const emails = await ctx.knex('t_account').where({ active: 0 }).pluck('email');",
  "    await ctx.knex('t_log').insert({ value: JSON.stringify({ returned, rows, first, updated, emails }) });",
  '  },',
  '  async downgrade(ctx) {',
  "    await ctx.knex('t_account').where({ id: 1 }).del();",
  "    await ctx.op.dropTable('t_log');",
  "    await ctx.op.dropTable('t_account');",
  '  },',
  '});',
].join('\n');

/** Inserts with ctx.knex, then fails: the rows must go with the step. */
const FAILING = [
  "import { defineMigration } from '@cairn/core';",
  'export default defineMigration({',
  "  revision: 'b',",
  "  downRevision: 'a',",
  '  async upgrade(ctx) {',
  "    await ctx.knex('t_account').insert({ id: 10, email: 'new@example.com' });",
  "    await ctx.knex('t_account').where({ id: 1 }).update({ email: 'changed@example.com' });",
  "    const seen = await ctx.knex('t_account').count({ n: '*' }).first();",
  "    throw new Error('gave up after seeing ' + seen.n + ' accounts');",
  '  },',
  '});',
].join('\n');

function query(dir: string, sql: string): unknown[] {
  const db = new Database(join(dir, 'cairn.db'), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('ctx.knex in migrations', () => {
  it('inserts, reads and updates rows on the migration connection', () => {
    const dir = initProject();
    writeFiles(dir, { 'migrations/20260101000000_a_accounts.ts': ACCOUNTS });
    expect(ok(dir, ['upgrade'])).toBe('Running upgrade  -> a, accounts\n');
    expect(query(dir, 'SELECT id, email, active FROM t_account ORDER BY id')).toEqual([
      { id: 1, email: "o'brien@example.com", active: 1 },
      { id: 2, email: 'b@example.com', active: 0 },
      { id: 3, email: 'c@example.com', active: 0 },
    ]);
    const [log] = query(dir, 'SELECT value FROM t_log') as { value: string }[];
    expect(JSON.parse(log!.value)).toEqual({
      returned: [{ id: 2 }, { id: 3 }],
      rows: [
        { id: 1, email: "o'brien@example.com" },
        { id: 2, email: 'b@example.com' },
        { id: 3, email: 'c@example.com' },
      ],
      first: { id: 1, email: "o'brien@example.com", active: 1 },
      updated: 2,
      emails: ['b@example.com', 'c@example.com'],
    });
    ok(dir, ['downgrade', 'base']);
    expect(query(dir, "SELECT name FROM sqlite_master WHERE name LIKE 't\\_%' ESCAPE '\\'")).toEqual([]);
  });

  it("rolls back a failing step's knex writes with the step: one connection, one transaction", () => {
    const dir = initProject();
    writeFiles(dir, {
      'migrations/20260101000000_a_accounts.ts': ACCOUNTS,
      'migrations/20260101000001_b_fails.ts': FAILING,
    });
    const result = cairn(dir, ['upgrade']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('Running upgrade  -> a, accounts\n');
    // The count ran on the step's connection and saw its own uncommitted insert.
    expect(result.stderr).toContain('gave up after seeing 4 accounts');
    expect(query(dir, 'SELECT id, email FROM t_account ORDER BY id')).toEqual([
      { id: 1, email: "o'brien@example.com" },
      { id: 2, email: 'b@example.com' },
      { id: 3, email: 'c@example.com' },
    ]);
    expect(query(dir, 'SELECT version_num FROM cairn_version')).toEqual([{ version_num: 'a' }]);
  });

  it("shows a failing knex statement and refuses knex's own transactions", () => {
    const dir = initProject();
    const migration = (body: string) =>
      [
        "import { defineMigration } from '@cairn/core';",
        "export default defineMigration({ revision: 'a', downRevision: null,",
        `  async upgrade(ctx) { ${body} },`,
        '});',
      ].join('\n');
    writeFiles(dir, { 'migrations/20260101000000_a_a.ts': migration("await ctx.knex('t_missing').insert({ x: 1 });") });
    const missing = cairn(dir, ['upgrade']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such table: t_missing');
    expect(missing.stderr).toContain('while running: insert into `t_missing` (`x`) values (?)');

    writeFiles(dir, {
      'migrations/20260101000000_a_a.ts': migration("await ctx.knex.transaction(async (trx) => trx('t').insert({}));"),
    });
    const nested = cairn(dir, ['upgrade']);
    expect(nested.status).toBe(1);
    expect(nested.stderr).toContain('upgrade of migrations/20260101000000_a_a.ts failed: ');
    expect(nested.stderr).toContain(
      "ctx.knex.transaction is not available in a cairn migration: every ctx.knex query already runs on the step's connection, in the step's transaction",
    );
  });

  it('renders knex statements into the --sql script with their values inlined', () => {
    const dir = initProject();
    writeFiles(dir, { 'migrations/20260101000000_a_accounts.ts': ACCOUNTS });
    const script = ok(dir, ['upgrade', '--sql']);
    expect(script).toContain(
      [
        'CREATE TABLE t_log (value text);',
        "insert into `t_account` (`active`, `email`, `id`) values (1, 'o''brien@example.com', 1);",
        "insert into `t_account` (`email`, `id`) select 'b@example.com' as `email`, 2 as `id` union all select 'c@example.com' as `email`, 3 as `id` returning `id`;",
        'select `id`, `email` from `t_account` order by `id` asc;',
        'select * from `t_account` where `id` = 1 limit 1;',
        'update `t_account` set `active` = 0 where `id` > 1;',
        'select `email` from `t_account` where `active` = 0;',
      ].join('\n'),
    );
    expect(script).toMatch(
      /^insert into `t_log` \(`value`\) values \('\{"returned":\[\],"rows":\[\],"emails":\[\]\}'\);$/m,
    );
    // Nothing ran: the database was never opened.
    expect(existsSync(join(dir, 'cairn.db'))).toBe(false);
  });
});
