import {
  bigint,
  binary,
  boolean,
  type Capabilities,
  type ColumnDefinition,
  type ColumnType,
  type ColumnTypeKind,
  char,
  column,
  createEnum,
  createIndex,
  createTable,
  currentTimestampDefault,
  type Dialect,
  date,
  double,
  enumType,
  type IndexDefinition,
  integer,
  json,
  type Normalizer,
  numeric,
  type Operation,
  type RuleContext,
  real,
  type Session,
  serial,
  smallint,
  type TableModel,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectSuiteOptions, TestConnection } from '../define-dialect-suite.js';

/** The differences between what a dialect creates and what its `describeTable` reads back. */
export interface ReflectionOptions {
  /**
   * Portable column types the dialect cannot create, with the reason: the round-trip tables
   * leave those columns out. (`raw` is never sampled: its SQL is dialect-specific.)
   */
  readonly unsupportedTypes?: Partial<Record<ColumnTypeKind, string>>;
  /**
   * Columns declared in a form the database stores differently (`rawType('int4')` on
   * PostgreSQL, a default written as an expression): added to a round-trip table (`rt_spelled`),
   * they must read back equal once both sides went through the dialect's `Normalizer`.
   */
  readonly respelledColumns?: readonly ColumnDefinition[];
}

/** Every portable type but `raw`, one column each, nullable, in a fixed order. */
const TYPED_COLUMNS: readonly { readonly kind: ColumnTypeKind; readonly type: ColumnType }[] = [
  { kind: 'smallint', type: smallint() },
  { kind: 'integer', type: integer() },
  { kind: 'bigint', type: bigint() },
  { kind: 'boolean', type: boolean() },
  { kind: 'text', type: text() },
  { kind: 'varchar', type: varchar(40) },
  { kind: 'char', type: char(2) },
  { kind: 'numeric', type: numeric(10, 2) },
  { kind: 'real', type: real() },
  { kind: 'double', type: double() },
  { kind: 'date', type: date() },
  { kind: 'time', type: time() },
  { kind: 'timestamp', type: timestamp() },
  { kind: 'json', type: json() },
  { kind: 'uuid', type: uuid() },
  { kind: 'binary', type: binary() },
  { kind: 'enum', type: enumType('rt_mood', ['happy', 'sad']) },
];

/** One created table: the operations that make it, and what `describeTable` must read back. */
interface Sample {
  readonly ops: readonly Operation[];
  readonly expected: TableModel;
}

function sample(create: ReturnType<typeof createTable>, indexes: readonly ReturnType<typeof createIndex>[]): Sample {
  const { kind: _kind, ...definition } = create;
  return {
    ops: [create, ...indexes],
    expected: {
      ...definition,
      indexes: indexes.map(({ kind: _k, concurrently: _c, ifNotExists: _i, ...index }) => index),
    },
  };
}

/**
 * The round-trip tables. `rt_plan` is referenced by `rt_account`, which has the defaults (text
 * with a quote, integer, double, boolean, CURRENT_TIMESTAMP), a named identity primary key, a
 * single and a composite unique, a check, a foreign key with actions, a partial index and a
 * descending unique index. `rt_types` has a column of every portable type the dialect supports.
 * Every constraint is named, so no dialect's default names are involved.
 */
function samples(
  reflection: ReflectionOptions,
  capabilities: Capabilities,
): { readonly enums: readonly Operation[]; readonly tables: Sample[] } {
  const unsupportedTypes = reflection.unsupportedTypes ?? {};
  const supports = (kind: ColumnTypeKind) => unsupportedTypes[kind] === undefined;
  const plan = sample(
    createTable({
      name: 'rt_plan',
      columns: [column('id', integer(), { nullable: false }), column('name', varchar(40), { nullable: false })],
      primaryKey: { name: 'rt_plan_pkey', columns: ['id'] },
    }),
    [],
  );
  const account = sample(
    createTable({
      name: 'rt_account',
      columns: [
        column('id', serial(), { nullable: false }),
        column('email', varchar(255), { nullable: false, comment: 'login' }),
        column('tenant', integer(), { nullable: false, default: 1 }),
        column('note', text(), { default: "it's" }),
        column('ratio', double(), { default: 1.5 }),
        column('active', boolean(), { nullable: false, default: true }),
        column('created_at', timestamp({ withTimeZone: true }), {
          nullable: false,
          default: currentTimestampDefault(),
        }),
        column('plan_id', integer()),
        column('deleted_at', timestamp()),
      ],
      primaryKey: { name: 'rt_account_pkey', columns: ['id'] },
      uniques: [
        { name: 'rt_account_email_key', columns: ['email'] },
        { name: 'rt_account_tenant_note_key', columns: ['tenant', 'note'] },
      ],
      checks: [{ name: 'rt_account_tenant_check', expression: 'tenant > 0' }],
      foreignKeys: [
        {
          name: 'rt_account_plan_fk',
          columns: ['plan_id'],
          references: { table: 'rt_plan', columns: ['id'] },
          onDelete: 'set_null',
          onUpdate: 'cascade',
        },
      ],
      comment: 'registered users',
    }),
    [
      createIndex(
        'rt_account_plan_idx',
        'rt_account',
        ['plan_id'],
        capabilities.partialIndexes ? { where: 'deleted_at IS NULL' } : {},
      ),
      createIndex('rt_account_created_idx', 'rt_account', [{ kind: 'column', name: 'created_at', order: 'desc' }], {
        unique: true,
      }),
    ],
  );
  const typed = TYPED_COLUMNS.filter((c) => supports(c.kind));
  const types = sample(
    createTable({
      name: 'rt_types',
      columns: [
        column('id', integer(), { nullable: false }),
        ...typed.map(({ kind, type }) => column(`c_${kind}`, type)),
      ],
      primaryKey: { name: 'rt_types_pkey', columns: ['id'] },
    }),
    [],
  );
  const enums = supports('enum') ? [createEnum('rt_mood', ['happy', 'sad'])] : [];
  const respelled = reflection.respelledColumns ?? [];
  const spelled = sample(
    createTable({
      name: 'rt_spelled',
      columns: [column('id', integer(), { nullable: false }), ...respelled],
      primaryKey: { name: 'rt_spelled_pkey', columns: ['id'] },
    }),
    [],
  );
  return { enums, tables: [plan, account, types, ...(respelled.length > 0 ? [spelled] : [])] };
}

function byName<T extends { readonly name?: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
}

function withoutComment<T extends { readonly comment?: string }>(item: T): T {
  const { comment: _comment, ...rest } = item;
  return rest as T;
}

/** A column with its type and default in the dialect's canonical form (absent default stays absent). */
function normaliseColumn(column: ColumnDefinition, normalizer: Normalizer): ColumnDefinition {
  const type = normalizer.columnType(column.type);
  const value = normalizer.columnDefault(column.default, type);
  const { default: _default, ...rest } = column;
  return value === undefined ? { ...rest, type } : { ...rest, type, default: value };
}

/**
 * What is applied to both sides before comparing (and nothing else is forgiven):
 * - each column's type and default go through the dialect's `Normalizer`, as autogenerate
 *   will do before comparing a model with a database;
 * - uniques, checks, foreign keys and indexes are sorted by name: their order carries no
 *   meaning, and catalogs list them in their own order;
 * - where the dialect keeps no comments (`capabilities.comments`), table and column comments
 *   are removed; where it names primary keys itself (`capabilities.namedPrimaryKeys`), their names.
 */
export function normaliseReflection(
  table: TableModel,
  dialect: Pick<Dialect, 'capabilities' | 'normalizer'>,
): TableModel {
  const { capabilities, normalizer } = dialect;
  const dropComments = !capabilities.comments;
  const commented = dropComments ? withoutComment(table) : table;
  const base =
    !capabilities.namedPrimaryKeys && commented.primaryKey !== undefined
      ? { ...commented, primaryKey: { columns: commented.primaryKey.columns } }
      : commented;
  return {
    ...base,
    columns: base.columns.map((c: ColumnDefinition) =>
      normaliseColumn(dropComments ? withoutComment(c) : c, normalizer),
    ),
    uniques: byName(base.uniques),
    checks: byName(base.checks),
    foreignKeys: byName(base.foreignKeys),
    indexes: byName<IndexDefinition>(base.indexes),
  };
}

/**
 * Apply → reflect round trips, for dialects with `describeTable`: the statements the dialect
 * compiles for `create_enum`, `create_table` and `create_index` samples are executed, and
 * `describeTable` must read back exactly what was created (after `normaliseReflection`, both
 * sides through the dialect's normaliser); a table that does not exist describes as `undefined`.
 * `introspect`, where the dialect has it, must agree with `describeTable` table by table.
 */
export function roundTripCases(options: DialectSuiteOptions): void {
  const { dialect } = options;
  const describeTable = dialect.describeTable?.bind(dialect);
  const introspect = dialect.introspect?.bind(dialect);
  const reflection = options.reflection ?? {};
  const ctx: RuleContext = {
    quoteIdentifier: (name) => dialect.state.quoteIdentifier(name),
    quoteLiteral: (value) => dialect.state.quoteLiteral(value),
    tableBefore: () => undefined,
  };
  const apply = async (session: Session, ops: readonly Operation[]) => {
    for (const op of ops) for (const stmt of dialect.compiler.compile(op, ctx)) await session.execute(stmt);
  };

  // Not registered at all (rather than skipped) for a dialect that does not reflect: a skipped
  // database test would read as a gap in CI.
  if (describeTable === undefined) return;
  describe(`${dialect.name}: apply → reflect round trips`, () => {
    let conn: TestConnection;
    const { enums, tables } = samples(reflection, dialect.capabilities);
    beforeAll(async () => {
      conn = await options.connect();
      await apply(conn.session, enums);
      for (const table of tables) await apply(conn.session, table.ops);
    });
    afterAll(async () => {
      await conn?.close();
    });

    for (const table of tables) {
      it(`reads ${table.expected.name.name} back as it was created`, async () => {
        const described = await describeTable(conn.session, table.expected.name);
        expect(described).toBeDefined();
        expect(normaliseReflection(described!, dialect)).toStrictEqual(normaliseReflection(table.expected, dialect));
      });
    }

    if (introspect !== undefined) {
      it('introspects every table in bulk as describeTable reads each, and the enums', async () => {
        const model = await introspect(conn.session);
        for (const table of tables) {
          const found = model.tables.find((t) => t.name.name === table.expected.name.name);
          expect(found, table.expected.name.name).toBeDefined();
          expect(found).toStrictEqual(await describeTable(conn.session, table.expected.name));
        }
        const names = model.tables.map((t) => `${t.name.schema ?? ''}.${t.name.name}`);
        expect(names).toStrictEqual([...names].sort());
        for (const op of enums) {
          // Only dialects with enum objects (PostgreSQL) have any to read back.
          if (op.kind !== 'create_enum' || dialect.compiler.compile(op, ctx).length === 0) continue;
          expect(model.enums.find((e) => e.name.name === op.name.name)?.values).toStrictEqual(op.values);
        }
      });
    }

    it('describes a table that does not exist as undefined', async () => {
      expect(await describeTable(conn.session, { name: 'rt_missing' })).toBeUndefined();
    });
  });
}
