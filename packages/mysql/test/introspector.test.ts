import {
  boolean,
  type ColumnDefinition,
  column,
  commentTable,
  createIndex,
  createTable,
  currentTimestampDefault,
  double,
  enumType,
  integer,
  json,
  type Session,
  serial,
  statement,
  type TableModel,
  text,
  timestamp,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeTable,
  introspect,
  type MysqlConnection,
  mariadbDefault,
  mysqlDefault,
  mysqlNormalizer,
  openMysql,
  quoteIdentifier,
} from '../src/index.js';
import { apply } from './apply.js';
import { testDatabase } from './database.js';

const database = testDatabase();
let conn: MysqlConnection;
let session: Session;
const run = (sql: string) => session.execute(statement(sql));

beforeAll(async () => {
  conn = await openMysql(database.url());
  session = conn.session;
});
afterAll(async () => {
  await conn?.close();
});

/** Both sides as autogenerate compares them: columns through the normaliser, lists by name. */
function normalised(table: TableModel): TableModel {
  const byName = <T extends { readonly name?: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return {
    ...table,
    columns: table.columns.map((c): ColumnDefinition => {
      const type = mysqlNormalizer.columnType(c.type);
      const value = mysqlNormalizer.columnDefault(c.default, type);
      const { default: _d, ...rest } = c;
      return value === undefined ? { ...rest, type } : { ...rest, type, default: value };
    }),
    uniques: byName(table.uniques),
    checks: byName(table.checks),
    foreignKeys: byName(table.foreignKeys),
    indexes: byName(table.indexes),
  };
}

describe('describeTable', () => {
  const plan = createTable({
    name: 'plan',
    columns: [column('id', integer(), { nullable: false }), column('name', varchar(40), { nullable: false })],
    primaryKey: ['id'],
  });
  const account = createTable({
    name: 'account',
    columns: [
      column('id', serial(), { nullable: false }),
      column('email', varchar(255), { nullable: false, comment: "user's login" }),
      column('tenant', integer(), { nullable: false, default: 1 }),
      column('note', text(), { default: "it's \\ here" }),
      column('ratio', double(), { default: 1.5 }),
      column('active', boolean(), { nullable: false, default: true }),
      column('created_at', timestamp({ withTimeZone: true }), { nullable: false, default: currentTimestampDefault() }),
      column('mood', enumType('mood', ['happy', "it's", 'a,b']), { default: "it's" }),
      column('doc', json()),
      column('plan_id', integer()),
    ],
    primaryKey: ['id'],
    uniques: [
      { name: 'account_email_key', columns: ['email'] },
      // A unique key over longtext: MariaDB makes it a hash unique (USING HASH).
      { name: 'account_tenant_note_key', columns: ['tenant', 'note'] },
    ],
    checks: [{ name: 'account_ratio_check', expression: 'ratio >= 0' }],
    foreignKeys: [
      {
        name: 'account_plan_fk',
        columns: ['plan_id'],
        references: { table: 'plan', columns: ['id'] },
        onDelete: 'set_null',
        onUpdate: 'cascade',
      },
    ],
    comment: "the app's users",
  });
  const indexes = [
    createIndex('account_created_idx', 'account', [{ kind: 'column', name: 'created_at', order: 'desc' }], {
      unique: true,
    }),
    createIndex('account_tenant_idx', 'account', ['tenant', 'email']),
  ];

  beforeAll(async () => {
    await apply(session, [plan, account, ...indexes]);
  });

  it('reads a table back as it was created, once both sides are normalised', async () => {
    const described = await describeTable(session, { name: 'account' });
    const { kind: _kind, ...definition } = account;
    const expected: TableModel = {
      ...definition,
      indexes: indexes.map(({ kind: _k, ...index }) => index),
    };
    expect(normalised(described!)).toStrictEqual(normalised(expected));
  });

  it('folds MariaDB json (longtext + json_valid CHECK) back into json, and reports no such CHECK', async () => {
    const described = await describeTable(session, { name: 'account' });
    expect(described?.columns.find((c) => c.name === 'doc')?.type).toEqual({ kind: 'json' });
    expect(described?.checks.map((c) => c.name)).toEqual(['account_ratio_check']);
  });

  it('names an enum <table>_<column> and keeps its values exactly', async () => {
    const described = await describeTable(session, { name: 'account' });
    expect(described?.columns.find((c) => c.name === 'mood')).toEqual({
      name: 'mood',
      type: { kind: 'enum', name: { name: 'account_mood' }, values: ['happy', "it's", 'a,b'] },
      nullable: true,
      default: { kind: 'literal', value: "it's" },
    });
  });

  it('reads defaults: literals with quotes and backslashes, numbers, booleans, CURRENT_TIMESTAMP', async () => {
    const byName = new Map((await describeTable(session, { name: 'account' }))!.columns.map((c) => [c.name, c]));
    expect(byName.get('note')?.default).toEqual({ kind: 'literal', value: "it's \\ here" });
    expect(byName.get('tenant')?.default).toEqual({ kind: 'literal', value: 1 });
    expect(byName.get('ratio')?.default).toEqual({ kind: 'literal', value: 1.5 });
    expect(byName.get('active')?.default).toEqual({ kind: 'literal', value: true });
    expect(byName.get('created_at')?.default).toEqual({ kind: 'current_timestamp' });
    expect(byName.get('plan_id')?.default).toBeUndefined();
  });

  it('hides the index MySQL made for a foreign key, keeps a user index on the same column', async () => {
    await apply(session, [
      createTable({
        name: 'child',
        columns: [column('a', integer()), column('b', integer())],
        foreignKeys: [
          { name: 'child_a_fk', columns: ['a'], references: { table: 'plan', columns: ['id'] } },
          { name: 'child_b_fk', columns: ['b'], references: { table: 'plan', columns: ['id'] }, onDelete: 'restrict' },
        ],
      }),
      createIndex('child_b_idx', 'child', ['b']),
    ]);
    const [auto] = await session.query<{ n: number }>(
      statement(
        "SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'child_a_fk'",
      ),
    );
    expect(Number(auto?.n)).toBe(1);
    const described = await describeTable(session, { name: 'child' });
    expect(described?.indexes.map((i) => i.name)).toEqual(['child_b_idx']);
    // RESTRICT and NO ACTION are InnoDB's default, read as the absent action.
    expect(described?.foreignKeys).toEqual([
      { name: 'child_a_fk', columns: ['a'], references: { table: { name: 'plan' }, columns: ['id'] } },
      { name: 'child_b_fk', columns: ['b'], references: { table: { name: 'plan' }, columns: ['id'] } },
    ]);
  });

  it('reads CHECK clauses with plain identifiers unquoted, keywords and odd names still quoted', async () => {
    await run(
      'CREATE TABLE checked (a int, `order` int, `Mixed Col` int, b varchar(10), ' +
        'CONSTRAINT c1 CHECK (a >= 0 AND `order` > 0), CONSTRAINT c2 CHECK (`Mixed Col` BETWEEN 1 AND 5), ' +
        "CONSTRAINT c3 CHECK (b <> 'it''s `a`'))",
    );
    await run("ALTER TABLE checked MODIFY b varchar(10) CHECK (b <> 'x')");
    const described = await describeTable(session, { name: 'checked' });
    expect([...(described?.checks ?? [])].sort((x, y) => (x.name ?? '').localeCompare(y.name ?? ''))).toEqual([
      // A column-level CHECK is named after its column.
      { name: 'b', expression: "b <> 'x'" },
      { name: 'c1', expression: 'a >= 0 and `order` > 0' },
      { name: 'c2', expression: '`Mixed Col` between 1 and 5' },
      { name: 'c3', expression: "b <> 'it\\'s `a`'" },
    ]);
  });

  it('keeps what MODIFY must restate in a raw type: ON UPDATE, generated, collation, invisible', async () => {
    await run(
      'CREATE TABLE attrs (a int, ' +
        'touched datetime(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6), ' +
        'twice int AS (a * 2) VIRTUAL, ' +
        'code varchar(10) CHARACTER SET latin1 COLLATE latin1_bin, ' +
        'hidden int INVISIBLE DEFAULT 3, ' +
        'flags int unsigned NOT NULL DEFAULT 0) DEFAULT CHARSET=utf8mb4',
    );
    const described = await describeTable(session, { name: 'attrs' });
    expect(described?.columns.map((c) => [c.name, c.type, c.default])).toEqual([
      ['a', { kind: 'integer' }, undefined],
      ['touched', { kind: 'raw', sql: 'datetime(6) ON UPDATE CURRENT_TIMESTAMP(6)' }, { kind: 'current_timestamp' }],
      ['twice', { kind: 'raw', sql: 'int(11) GENERATED ALWAYS AS (`a` * 2) VIRTUAL' }, undefined],
      ['code', { kind: 'raw', sql: 'varchar(10) CHARACTER SET latin1 COLLATE latin1_bin' }, undefined],
      ['hidden', { kind: 'raw', sql: 'int(11) INVISIBLE' }, { kind: 'literal', value: 3 }],
      ['flags', { kind: 'raw', sql: 'int unsigned' }, { kind: 'literal', value: 0 }],
    ]);
  });

  it('reads table and column comments; an empty comment is none', async () => {
    await apply(session, [commentTable('plan', null)]);
    expect((await describeTable(session, { name: 'plan' }))?.comment).toBeUndefined();
    await apply(session, [commentTable('plan', 'price list')]);
    expect((await describeTable(session, { name: 'plan' }))?.comment).toBe('price list');
  });

  it('tells tables apart by exact case, and describes a missing table as undefined', async () => {
    await run('CREATE TABLE `Case` (upper int)');
    await run('CREATE TABLE `case` (lower int)');
    expect((await describeTable(session, { name: 'Case' }))?.columns.map((c) => c.name)).toEqual(['upper']);
    expect((await describeTable(session, { name: 'case' }))?.columns.map((c) => c.name)).toEqual(['lower']);
    expect(await describeTable(session, { name: 'missing' })).toBeUndefined();
  });

  it('reads another database when the name carries it, and keeps the schema on references out of it', async () => {
    const other = `${database.name()}_other`;
    await run(`CREATE DATABASE ${quoteIdentifier(other)}`);
    try {
      await run(
        `CREATE TABLE ${quoteIdentifier(other)}.ref (id int, pid int, CONSTRAINT ref_fk FOREIGN KEY (pid) REFERENCES ${quoteIdentifier(database.name())}.plan (id))`,
      );
      const described = await describeTable(session, { schema: other, name: 'ref' });
      expect(described?.name).toEqual({ schema: other, name: 'ref' });
      expect(described?.foreignKeys[0]?.references.table).toEqual({ schema: database.name(), name: 'plan' });
      const model = await introspect(session, { schema: other });
      expect(model.tables.map((t) => t.name)).toEqual([{ name: 'ref' }]);
    } finally {
      await run(`DROP DATABASE ${quoteIdentifier(other)}`);
    }
  });
});

describe('introspect', () => {
  it('reads every table in bulk, sorted, exactly as describeTable reads each, with no enums', async () => {
    const model = await introspect(session);
    const names = model.tables.map((t) => t.name.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['account', 'attrs', 'checked', 'child', 'plan']));
    for (const table of model.tables) expect(table).toStrictEqual(await describeTable(session, table.name));
    expect(model.enums).toEqual([]);
  });

  it('uses a fixed number of queries whatever the number of tables', async () => {
    let queries = 0;
    const counting: Session = {
      query: (s) => {
        queries += 1;
        return session.query(s);
      },
      execute: (s) => session.execute(s),
    };
    await introspect(counting);
    const first = queries;
    for (let k = 0; k < 5; k += 1) await run(`CREATE TABLE extra_${k} (id int PRIMARY KEY)`);
    queries = 0;
    await introspect(counting);
    expect(queries).toBe(first - 2); // the server's flavour and keywords are read once per session
    expect(queries).toBeLessThanOrEqual(8);
  });
});

describe('COLUMN_DEFAULT parsers', () => {
  it('reads MariaDB defaults (SQL expressions)', () => {
    const int = { kind: 'integer' } as const;
    const bool = { kind: 'boolean' } as const;
    const str = { kind: 'varchar', length: 10 } as const;
    expect(mariadbDefault(undefined, int)).toBeUndefined();
    expect(mariadbDefault('NULL', str)).toBeUndefined();
    expect(mariadbDefault("'NULL'", str)).toEqual({ kind: 'literal', value: 'NULL' });
    expect(mariadbDefault("'it''s'", str)).toEqual({ kind: 'literal', value: "it's" });
    expect(mariadbDefault("'it\\'s\\n'", str)).toEqual({ kind: 'literal', value: "it's\n" });
    expect(mariadbDefault("''", str)).toEqual({ kind: 'literal', value: '' });
    expect(mariadbDefault('5', int)).toEqual({ kind: 'literal', value: 5 });
    expect(mariadbDefault('-1.50', { kind: 'numeric', precision: 5, scale: 2 })).toEqual({
      kind: 'literal',
      value: -1.5,
    });
    expect(mariadbDefault('1', bool)).toEqual({ kind: 'literal', value: true });
    expect(mariadbDefault('9223372036854775807', { kind: 'bigint' })).toEqual({
      kind: 'literal',
      value: '9223372036854775807',
    });
    expect(mariadbDefault('current_timestamp()', { kind: 'timestamp', withTimeZone: false })).toEqual({
      kind: 'current_timestamp',
    });
    expect(mariadbDefault('current_timestamp(6)', { kind: 'timestamp', withTimeZone: false })).toEqual({
      kind: 'current_timestamp',
    });
    expect(mariadbDefault('(1 + 1)', int)).toEqual({ kind: 'expression', sql: '1 + 1' });
    expect(mariadbDefault('uuid()', str)).toEqual({ kind: 'expression', sql: 'uuid()' });
  });

  it('reads MySQL 8 defaults (bare values, DEFAULT_GENERATED expressions)', () => {
    const int = { kind: 'integer' } as const;
    const str = { kind: 'varchar', length: 10 } as const;
    const when = { kind: 'timestamp', withTimeZone: false } as const;
    expect(mysqlDefault(undefined, '', str)).toBeUndefined();
    expect(mysqlDefault('NULL', '', str)).toEqual({ kind: 'literal', value: 'NULL' });
    expect(mysqlDefault("it's", '', str)).toEqual({ kind: 'literal', value: "it's" });
    expect(mysqlDefault('', '', str)).toEqual({ kind: 'literal', value: '' });
    expect(mysqlDefault('5', '', int)).toEqual({ kind: 'literal', value: 5 });
    expect(mysqlDefault('5', '', str)).toEqual({ kind: 'literal', value: '5' });
    expect(mysqlDefault('1', '', { kind: 'boolean' })).toEqual({ kind: 'literal', value: true });
    expect(mysqlDefault('CURRENT_TIMESTAMP(6)', 'DEFAULT_GENERATED', when)).toEqual({ kind: 'current_timestamp' });
    expect(mysqlDefault('CURRENT_TIMESTAMP', '', when)).toEqual({ kind: 'current_timestamp' });
    expect(mysqlDefault('(1 + 1)', 'DEFAULT_GENERATED', int)).toEqual({ kind: 'expression', sql: '1 + 1' });
    // MySQL 8 stores `DEFAULT ('it''s')` as _utf8mb4\'it\\\'s\' (from the manual and peers' reports).
    expect(mysqlDefault("_utf8mb4\\'it\\\\\\'s\\'", 'DEFAULT_GENERATED', { kind: 'text' })).toEqual({
      kind: 'literal',
      value: "it's",
    });
  });
});
