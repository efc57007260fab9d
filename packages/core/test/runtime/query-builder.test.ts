import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/dialect/dialect.js';
import { type Statement, statement } from '../../src/ops/statement.js';
import type { RevisionMeta } from '../../src/revision/revision.js';
import type { MigrationContext } from '../../src/runtime/migration-context.js';
import { type MigrationLoader, Migrator } from '../../src/runtime/migrator.js';
import { offlineScript } from '../../src/runtime/offline.js';
import type { QueryBuilderFactory } from '../../src/runtime/query-builder.js';
import type { Row, Session } from '../../src/runtime/session.js';
import { graphOf } from '../revision/fixtures.js';
import { TEST_CAPABILITIES } from './test-capabilities.js';

/** Short statements, `?` placeholders; no lock, no introspection. */
function testDialect(): Dialect {
  return {
    name: 'test',
    capabilities: TEST_CAPABILITIES,
    syntax: {
      placeholders: 'question',
      backslashEscapes: false,
      hashComments: false,
      bracketIdentifiers: false,
      escapeStrings: false,
    },
    normalizer: { columnType: (type) => type, columnDefault: (value) => value },
    state: {
      createVersionTable: (t) => [statement(`CREATE TABLE ${t.name} (version_num text)`)],
      readVersionRows: (t) => statement(`SELECT version_num FROM ${t.name}`),
      versionWrite: (w, t) => {
        if (w.kind === 'insert') return statement(`INSERT INTO ${t.name} VALUES (?)`, [w.revision]);
        if (w.kind === 'update')
          return statement(`UPDATE ${t.name} SET version_num = ? WHERE version_num = ?`, [w.to, w.from]);
        return statement(`DELETE FROM ${t.name} WHERE version_num = ?`, [w.revision]);
      },
      createHistoryTable: (t) => [statement(`CREATE TABLE ${t.name} (revision text)`)],
      insertHistory: (r, t) => statement(`INSERT INTO ${t.name} VALUES (?)`, [r.revision]),
      readHistory: (t) => statement(`SELECT revision FROM ${t.name}`),
      readUnsettledHistory: (t) => statement(`SELECT revision FROM ${t.name}`),
      quoteIdentifier: (name) => `"${name}"`,
      quoteLiteral: (value) => (typeof value === 'number' ? String(value) : `'${String(value)}'`),
    },
    compiler: { compile: (op) => (op.kind === 'execute' ? [statement(op.sql, op.params)] : []) },
    locker: () => ({ acquire: async () => async () => {} }),
  };
}

/**
 * A session that logs every statement, marking those run inside a transaction with `tx:`, and
 * fails any statement containing `FAIL`.
 */
function loggingSession(log: string[]): Session {
  const make = (prefix: string): Session => {
    const record = (s: Statement): void => {
      if (s.sql.includes('FAIL')) throw new Error('the database refused it');
      log.push(`${prefix}${s.sql}${s.params.length ? ` [${s.params.join(', ')}]` : ''}`);
    };
    return {
      async query<R extends Row = Row>(s: Statement): Promise<readonly R[]> {
        record(s);
        return [];
      },
      async execute(s: Statement) {
        record(s);
        return { rowsAffected: 1 };
      },
      async transaction<T>(work: (tx: Session) => Promise<T>): Promise<T> {
        log.push('BEGIN');
        try {
          const result = await work(make('tx:'));
          log.push('COMMIT');
          return result;
        } catch (error) {
          log.push('ROLLBACK');
          throw error;
        }
      },
    };
  };
  return make('');
}

/**
 * A stand-in for knex: `builder(table).insert(row)` is a thenable that runs an INSERT through the
 * session it was made for. Counts how often the factory was called.
 */
function countingFactory(): { factory: QueryBuilderFactory; calls: () => number } {
  let calls = 0;
  const factory: QueryBuilderFactory = (session) => {
    calls++;
    return (table: string) => ({
      insert: (row: Record<string, unknown>) => ({
        // biome-ignore lint/suspicious/noThenProperty: a thenable builder is what knex's look like.
        then<T>(resolve: (value: unknown) => T, reject: (error: unknown) => T) {
          const columns = Object.keys(row);
          const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
          return session.execute({ sql, params: Object.values(row) }).then(resolve, reject);
        },
      }),
    });
  };
  return { factory, calls: () => calls };
}

type Body = (ctx: MigrationContext) => Promise<void>;

function loader(bodies: Record<string, Body>): MigrationLoader {
  return {
    async load(meta: RevisionMeta) {
      return {
        checksum: `sum-${meta.revision}`,
        run: async (direction, ctx) => {
          if (direction === 'up') await bodies[meta.revision]?.(ctx);
        },
      };
    },
  };
}

const plainSql: Body = async (ctx) => {
  await ctx.sql('CREATE TABLE t (id integer)');
};
const usesBuilder: Body = async (ctx) => {
  await ctx.knex('t').insert({ id: 1 });
  // Read again: the step keeps the one builder.
  await ctx.knex('t').insert({ id: 2 });
};

const graph = () =>
  graphOf([
    ['a', []],
    ['b', ['a']],
  ]);

function migrator(bodies: Record<string, Body>, log: string[], queryBuilder?: QueryBuilderFactory): Migrator {
  return new Migrator({
    graph: graph(),
    dialect: testDialect(),
    session: loggingSession(log),
    loader: loader(bodies),
    toolVersion: '1.2.3',
    ...(queryBuilder ? { queryBuilder } : {}),
  });
}

describe('ctx.knex, the lazy query builder', () => {
  it('is never made for migrations that do not read it', async () => {
    const { factory, calls } = countingFactory();
    const result = await migrator({ a: plainSql, b: plainSql }, [], factory).upgrade();
    expect(result.failed).toBeUndefined();
    expect(calls()).toBe(0);
  });

  it('is made once per step that reads it, and runs its queries in the step transaction', async () => {
    const { factory, calls } = countingFactory();
    const log: string[] = [];
    const result = await migrator({ a: plainSql, b: usesBuilder }, log, factory).upgrade();
    expect(result.failed).toBeUndefined();
    expect(calls()).toBe(1);
    const step = log.slice(log.lastIndexOf('BEGIN'), log.lastIndexOf('COMMIT') + 1);
    expect(step).toEqual([
      'BEGIN',
      'tx:INSERT INTO t (id) VALUES (?) [1]',
      'tx:INSERT INTO t (id) VALUES (?) [2]',
      'tx:UPDATE cairn_version SET version_num = ? WHERE version_num = ? [b, a]',
      'tx:INSERT INTO cairn_history VALUES (?) [b]',
      'COMMIT',
    ]);
  });

  it("fails the step with the builder's statement, rolled back with it", async () => {
    const { factory } = countingFactory();
    const log: string[] = [];
    const failing: Body = async (ctx) => {
      await ctx.knex('t').insert({ id: 1 });
      await ctx.knex('FAIL').insert({ id: 2 });
    };
    const result = await migrator({ a: failing }, log, factory).upgrade();
    expect(result.failed?.error.message).toContain('the database refused it');
    expect(result.failed?.error.message).toContain('while running: INSERT INTO FAIL (id) VALUES (?)');
    expect(log.slice(log.indexOf('BEGIN'), log.indexOf('ROLLBACK') + 1)).toEqual([
      'BEGIN',
      'tx:INSERT INTO t (id) VALUES (?) [1]',
      'ROLLBACK',
    ]);
  });

  it('says who provides it when the run has no factory', async () => {
    const result = await migrator({ a: usesBuilder }, []).upgrade();
    expect(result.failed?.error.message).toMatch(/ctx\.knex needs a query builder.*`queryBuilder`/);
  });

  it('records its statements with --sql, and is not made when unused', async () => {
    const { factory, calls } = countingFactory();
    const render = (bodies: Record<string, Body>) =>
      offlineScript({
        graph: graph(),
        dialect: testDialect(),
        toolVersion: '1.2.3',
        direction: 'up',
        target: 'a:b',
        loader: loader(bodies),
        queryBuilder: factory,
      });
    await render({ b: plainSql });
    expect(calls()).toBe(0);
    const script = await render({ b: usesBuilder });
    expect(calls()).toBe(1);
    expect(script).toContain('INSERT INTO t (id) VALUES (1);\nINSERT INTO t (id) VALUES (2);\n');
  });
});
