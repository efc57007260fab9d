import {
  column,
  enumType,
  integer,
  isCairnError,
  type MigrationContext,
  type MigrationLoader,
  Migrator,
  offlineScript,
  type QualifiedName,
  RevisionGraph,
  type RevisionMeta,
  type RunResult,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';
import { type CaseTables, caseTables, historyOf, linearGraph } from '../fixtures.js';

/** A migration body; `name` prefixes every name it creates with the run's own prefix. */
type Body = (ctx: MigrationContext, name: (base: string) => string) => Promise<void>;

/** One migration shape of the test kit: a graph and each revision's upgrade and downgrade. */
interface Shape {
  readonly graph: RevisionGraph;
  readonly bodies: Readonly<Record<string, { readonly up: Body; readonly down: Body }>>;
  /** A query (given the run's `name`) whose rows must also come out the same. */
  readonly data?: (name: (base: string) => string) => string;
}

/** An upgrade or downgrade to `target`, run online and rendered with `--sql`. */
interface Command {
  readonly direction: 'up' | 'down';
  readonly target: string;
}

/** A revision of the branched graph with a merge (`branchedGraph` has none). */
function meta(revision: string, downRevision: readonly string[], k: number, branchLabels: string[] = []): RevisionMeta {
  return {
    revision,
    downRevision,
    branchLabels,
    dependsOn: [],
    message: revision,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
    transaction: true,
  };
}

/** Upgrade creates table `t_<rev>` with raw SQL, downgrade drops it. */
function tableBody(q: (name: string) => string, revision: string): { up: Body; down: Body } {
  return {
    up: (ctx, name) => ctx.sql(`CREATE TABLE ${q(name(`t_${revision}`))} (id integer)`).then(() => undefined),
    down: (ctx, name) => ctx.sql(`DROP TABLE ${q(name(`t_${revision}`))}`).then(() => undefined),
  };
}

function tableShape(q: (name: string) => string, graph: RevisionGraph): Shape {
  const bodies = graph.revisions.map((m) => [m.revision, tableBody(q, m.revision)]);
  return { graph, bodies: Object.fromEntries(bodies) };
}

/**
 * `--sql` scripts of every migration shape the kit runs online, run through the database's own
 * client (`runScript`), must leave what the online run of the same migrations leaves: the same
 * schema (`introspect`, where the dialect has it), the same version rows, the same history
 * records (`started` before and `succeeded` after a step outside a transaction, as online), and
 * the same rows. The shapes: branches with labels and a merge, up and down; a `transaction:
 * false` step; `ctx.op` table changes (a rebuild on SQLite) and a `concurrently` index; and,
 * where enums are types of their own, an enum value added and used in one migration (which
 * PostgreSQL only allows once the value is committed). `--single-transaction` is accepted or
 * refused alike. Each run has its own table prefix in the test database: the online run's names
 * are mapped to the script's before comparing. Registered where the suite says how to run a
 * script (`runScript`).
 */
export function offlineCases(options: DialectSuiteOptions): void {
  const { dialect, runScript } = options;
  if (runScript === undefined) return;
  const state = dialect.state;
  const q = (name: string) => state.quoteIdentifier(name);

  describe(`${dialect.name}: --sql scripts run by the database's own client`, () => {
    let conn: TestConnection;
    beforeAll(async () => {
      conn = await options.connect();
    });
    afterAll(async () => {
      await conn?.close();
    });

    const named = (tables: CaseTables) => (base: string) => `${tables.prefix}_${base}`;
    const loader = (shape: Shape, tables: CaseTables): MigrationLoader => ({
      async load(revision) {
        const body = shape.bodies[revision.revision]!;
        return {
          checksum: `sum-${revision.revision}`,
          run: (direction, ctx) => (direction === 'up' ? body.up : body.down)(ctx, named(tables)),
        };
      },
    });
    const migrator = (shape: Shape, tables: CaseTables) =>
      new Migrator({
        graph: shape.graph,
        dialect,
        session: conn.session,
        loader: loader(shape, tables),
        versionTable: tables.versionTable,
        historyTable: tables.historyTable,
        toolVersion: 'testkit',
      });
    const script = (shape: Shape, tables: CaseTables, command: Command, from: readonly string[], single = false) => {
      if (from.length > 1) throw new Error(`a --sql script starts from one revision, not ${from.join(', ')}`);
      return offlineScript({
        graph: shape.graph,
        dialect,
        loader: loader(shape, tables),
        direction: command.direction,
        target: from.length === 0 ? command.target : `${from[0]}:${command.target}`,
        versionTable: tables.versionTable,
        historyTable: tables.historyTable,
        toolVersion: 'testkit',
        ...(single ? { singleTransaction: true } : {}),
      });
    };
    const run = async (sql: string): Promise<void> => {
      try {
        await runScript(sql);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- the script ---\n${sql}`);
      }
    };

    /** What a run left: its tables and enums (not cairn's), version rows, history and data. */
    const outcome = async (shape: Shape, tables: CaseTables) => {
      const ownName = (name: QualifiedName) =>
        name.name.startsWith(`${tables.prefix}_`) &&
        name.name !== tables.versionTable.name &&
        name.name !== tables.historyTable.name;
      const model = await dialect.introspect?.(conn.session);
      const rows = await conn.session.query(state.readVersionRows(tables.versionTable));
      const data = shape.data && (await conn.session.query({ sql: shape.data(named(tables)), params: [] }));
      return {
        tables: model?.tables.filter((t) => ownName(t.name)),
        enums: model?.enums.filter((e) => ownName(e.name)),
        versions: rows.map((r) => String(r.version_num)).sort(),
        history: await historyOf(conn.session, state, tables),
        data: data?.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))),
      };
    };

    let runs = 0;
    /**
     * Runs `commands` online under one prefix, renders and runs each as a script under another,
     * and compares what they left after each. Returns the scripts.
     */
    const compare = async (shape: Shape, commands: readonly Command[], single = false): Promise<string[]> => {
      runs += 1;
      const online = caseTables(`ofl${runs}on`);
      const offline = caseTables(`ofl${runs}of`);
      const m = migrator(shape, online);
      const scripts: string[] = [];
      let from: readonly string[] = [];
      for (const command of commands) {
        const sql = await script(shape, offline, command, from, single);
        const result =
          command.direction === 'up'
            ? await m.upgrade(command.target, { singleTransaction: single })
            : await m.downgrade(command.target, { singleTransaction: single });
        expect(result.failed?.error.message).toBeUndefined();
        await run(sql);
        scripts.push(sql);
        from = result.current;
        const left = await outcome(shape, online);
        // Every shape's upgrades create tables: an empty comparison would prove nothing.
        if (command.direction === 'up' && dialect.introspect) expect(left.tables?.length).toBeGreaterThan(0);
        const renamed = JSON.parse(
          JSON.stringify(left).replaceAll(`${online.prefix}_`, `${offline.prefix}_`),
        ) as unknown;
        expect(await outcome(shape, offline), `after ${command.direction} ${command.target}`).toEqual(renamed);
      }
      return scripts;
    };

    /**
     * `--single-transaction` refused online (thrown up front, or the step's failure) and while
     * rendering, both with a message matching `expected`. Nothing of it stays online.
     */
    const refusedAlike = async (shape: Shape, command: Command, expected: RegExp): Promise<void> => {
      runs += 1;
      const online = caseTables(`ofl${runs}on`);
      const m = migrator(shape, online);
      const onlineError = await m.upgrade(command.target, { singleTransaction: true }).then(
        (result: RunResult) => result.failed?.error,
        (error: unknown) => error,
      );
      const offlineError = await script(shape, caseTables(`ofl${runs}of`), command, [], true).then(
        () => undefined,
        (error: unknown) => error,
      );
      for (const error of [onlineError, offlineError]) {
        expect(isCairnError(error, 'USAGE'), String(error)).toBe(true);
        expect((error as Error).message).toMatch(expected);
      }
      expect(await m.current()).toEqual([]);
    };

    const branched = (): Shape =>
      tableShape(
        q,
        RevisionGraph.from([
          meta('a', [], 0),
          meta('b', ['a'], 1),
          meta('c1', ['b'], 2, ['c1branch']),
          meta('d1', ['c1'], 3),
          meta('c2', ['b'], 4, ['c2branch']),
          meta('d2', ['c2'], 5),
          meta('m', ['d1', 'd2'], 6),
        ]),
      );

    it('branches and a merge: up, one branch down, up again and down to base', async () => {
      await compare(branched(), [
        { direction: 'up', target: 'heads' },
        { direction: 'down', target: 'c1branch@base' },
        { direction: 'up', target: 'heads' },
        { direction: 'down', target: 'base' },
      ]);
    });

    if (dialect.capabilities.transactionalDdl) {
      it('--single-transaction: one BEGIN/COMMIT around the run, as online', async () => {
        const [sql] = await compare(branched(), [{ direction: 'up', target: 'heads' }], true);
        expect(sql!.match(/^BEGIN;$/gm)).toHaveLength(1);
      });
    } else {
      it('--single-transaction is refused, as online: DDL commits implicitly', async () => {
        await refusedAlike(branched(), { direction: 'up', target: 'heads' }, /cannot make the run atomic/);
      });
    }

    const outside = (): Shape => tableShape(q, linearGraph(['n1', 'n2', 'n3'], ['n2']));

    it('a transaction: false step: no BEGIN/COMMIT around it, started before and succeeded after', async () => {
      const [up] = await compare(outside(), [
        { direction: 'up', target: 'head' },
        { direction: 'down', target: 'base' },
      ]);
      const sections = up!.split('\n\n');
      const n2 = sections.find((s) => s.startsWith('-- Running upgrade n1 -> n2\n'));
      // The step's statements, then its version write and record in a transaction of their own.
      expect(n2?.split('\n').filter((line) => /^(BEGIN|COMMIT);$/.test(line))).toEqual(['BEGIN;', 'COMMIT;']);
      expect(n2!.indexOf('CREATE TABLE')).toBeLessThan(n2!.indexOf('BEGIN;'));
      if (dialect.capabilities.transactionalDdl) {
        expect(sections.some((s) => s.startsWith('BEGIN;\n-- Running upgrade n1 -> n2'))).toBe(false);
        expect(sections.some((s) => s.startsWith('BEGIN;\n-- Running upgrade n2 -> n3'))).toBe(true);
      }
    });

    it('--single-transaction around a transaction: false step is refused, as online', async () => {
      const expected = dialect.capabilities.transactionalDdl ? /cannot include 'n2'/ : /cannot make the run atomic/;
      await refusedAlike(outside(), { direction: 'up', target: 'head' }, expected);
    });

    const account = 'account';
    const operations: Shape = {
      graph: linearGraph(['o1', 'o2', 'o3']),
      bodies: {
        o1: {
          async up({ op }, name) {
            await op.createTable({
              name: name(account),
              columns: [
                column('id', integer(), { nullable: false }),
                column('email', varchar(255), { nullable: false }),
              ],
              primaryKey: { name: name('account_pk'), columns: ['id'] },
            });
            await op.createIndex(name('account_email'), name(account), ['email'], { unique: true });
            await op.bulkInsert(name(account), [{ id: 1, email: "o'brien@example.com" }]);
          },
          async down({ op }, name) {
            await op.dropTable(name(account));
          },
        },
        // Relaxing NOT NULL rebuilds the table on SQLite, from the model the script replays.
        o2: {
          async up({ op }, name) {
            await op.addColumn(name(account), column('nickname', varchar(40)));
            await op.alterColumn(name(account), 'email', { nullable: { to: true, from: false } });
            await op.bulkInsert(name(account), [{ id: 2, email: null, nickname: 'two' }]);
          },
          async down({ op, sql }, name) {
            await sql(`DELETE FROM ${q(name(account))} WHERE ${q('email')} IS NULL`);
            await op.alterColumn(name(account), 'email', { nullable: { to: false, from: true } });
            await op.dropColumn(name(account), 'nickname');
          },
        },
        // Outside a transaction on PostgreSQL (CREATE INDEX CONCURRENTLY).
        o3: {
          async up({ op }, name) {
            await op.createIndex(name('account_nickname'), name(account), ['nickname'], { concurrently: true });
          },
          async down({ op }, name) {
            await op.dropIndex(name('account_nickname'), name(account));
          },
        },
      },
      data: (name) => `SELECT ${q('id')}, ${q('email')} FROM ${q(name(account))} ORDER BY ${q('id')}`,
    };

    it('ctx.op table changes, a rebuild where the dialect needs one, and a concurrently index', async () => {
      await compare(operations, [
        { direction: 'up', target: 'head' },
        { direction: 'down', target: 'o1' },
        { direction: 'up', target: 'head' },
      ]);
    });

    if (dialect.capabilities.enumTypes) {
      const mood = 'mood';
      const person = 'person';
      const enums: Shape = {
        graph: linearGraph(['e1', 'e2', 'e3']),
        bodies: {
          e1: {
            async up({ op }, name) {
              await op.createEnum(name(mood), ['happy']);
              await op.createTable({
                name: name(person),
                columns: [column('id', integer(), { nullable: false }), column('m', enumType(name(mood), ['happy']))],
              });
            },
            async down({ op }, name) {
              await op.dropTable(name(person));
              await op.dropEnum(name(mood));
            },
          },
          // Adds a value and uses it: only once the value is committed, on PostgreSQL.
          e2: {
            async up({ op }, name) {
              await op.addEnumValue(name(mood), 'sad');
              await op.bulkInsert(name(person), [{ id: 1, m: 'sad' }]);
            },
            async down({ op }, name) {
              await op.bulkDelete(name(person), ['id'], [{ id: 1 }]);
              await op.dropEnumValue(name(mood), 'sad');
            },
          },
          // Adds a value alone: stays atomic.
          e3: {
            async up({ op }, name) {
              await op.addEnumValue(name(mood), 'ok');
            },
            async down({ op }, name) {
              await op.dropEnumValue(name(mood), 'ok');
            },
          },
        },
        data: (name) => `SELECT ${q('id')}, ${q('m')} FROM ${q(name(person))} ORDER BY ${q('id')}`,
      };

      it('an enum value added and used in one migration; one added alone stays atomic', async () => {
        const [up] = await compare(enums, [
          { direction: 'up', target: 'head' },
          { direction: 'down', target: 'e1' },
          { direction: 'up', target: 'head' },
        ]);
        const sections = up!.split('\n\n');
        expect(sections.find((s) => s.includes('-> e2\n'))).toMatch(/^-- Running upgrade e1 -> e2\n/);
        expect(sections.find((s) => s.includes('-> e3\n'))).toMatch(/^BEGIN;\n-- Running upgrade e2 -> e3\n/);
      });

      it('--single-transaction around an enum value added and used is refused, as online', async () => {
        await refusedAlike(enums, { direction: 'up', target: 'head' }, /^revision 'e2' runs /);
      });
    }
  });
}
