import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ColumnDefinition,
  type ColumnType,
  diffSchemas,
  type EnumDefinition,
  type RenameHints,
  type SchemaModel,
  type TableModel,
} from '../../src/index.js';
import { canonical, strictReplay } from './helpers.js';

/*
 * The pure round-trip law (autogenerate.md §6, L2–L4 without a database): for random pairs of
 * small models (A, B) over shared name pools, so that they overlap, the upgrade applied to A gives
 * B, the downgrade applied to that gives A, and B against itself gives nothing. Operations are
 * replayed by a strict replayer that refuses an operation whose preconditions do not hold (a
 * missing referenced table or column, a drop under a dependent), so the order is checked too.
 */

const TABLES = ['t0', 't1', 't2', 't3'];
const COLUMNS = ['c0', 'c1', 'c2', 'c3'];
const ENUMS = ['e0', 'e1'];
const VALUES = ['v0', 'v1', 'v2', 'v3'];

const enumsArb: fc.Arbitrary<EnumDefinition[]> = fc
  .subarray(ENUMS)
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.shuffledSubarray(VALUES, { minLength: 1 }).map((values) => ({ name: { name }, values })),
      ),
    ),
  )
  .map((items) => [...items]);

function typeArb(enums: readonly EnumDefinition[]): fc.Arbitrary<ColumnType> {
  const plain: fc.Arbitrary<ColumnType>[] = [
    fc.constant({ kind: 'integer' }),
    fc.constant({ kind: 'text' }),
    fc.constantFrom(10, 20).map((length) => ({ kind: 'varchar', length }) as ColumnType),
    fc.constant({ kind: 'boolean' }),
  ];
  const enumTypes = enums.map((e) => fc.constant({ kind: 'enum', name: e.name, values: e.values } as ColumnType));
  return fc.oneof(...plain, ...enumTypes);
}

function columnArb(name: string, enums: readonly EnumDefinition[]): fc.Arbitrary<ColumnDefinition> {
  return fc
    .record({
      type: typeArb(enums),
      nullable: fc.boolean(),
      hasDefault: fc.boolean(),
      comment: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    })
    .map(({ type, nullable, hasDefault, comment }) => {
      const fallback =
        type.kind === 'integer' ? 0 : type.kind === 'boolean' ? true : type.kind === 'enum' ? type.values[0]! : 'x';
      return {
        name,
        type,
        nullable,
        ...(hasDefault ? { default: { kind: 'literal', value: fallback } as const } : {}),
        ...(comment === undefined ? {} : { comment }),
      };
    });
}

/** A table; foreign keys are added afterwards, once every table's key is known. */
function tableArb(name: string, enums: readonly EnumDefinition[]): fc.Arbitrary<TableModel> {
  return fc
    .shuffledSubarray(COLUMNS, { minLength: 1 })
    .chain((names) =>
      fc.record({
        columns: fc.tuple(...names.map((c) => columnArb(c, enums))),
        pk: fc.option(fc.shuffledSubarray(names, { minLength: 1, maxLength: Math.min(2, names.length) }), {
          nil: undefined,
        }),
        uniques: fc.subarray(names),
        checks: fc.subarray(names),
        indexes: fc.subarray(names.map((c) => [c, fc.boolean()] as const).map(([c]) => c)),
        uniqueIndex: fc.boolean(),
        check: fc.constantFrom('> 0', '<> 1'),
        comment: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
      }),
    )
    .map(({ columns, pk, uniques, checks, indexes, uniqueIndex, check, comment }) => ({
      name: { name },
      columns: [...columns],
      ...(pk ? { primaryKey: { name: `${name}_pkey`, columns: pk } } : {}),
      uniques: uniques.map((c) => ({ name: `${name}_${c}_key`, columns: [c] })),
      checks: checks.map((c) => ({ name: `${name}_${c}_check`, expression: `${c} ${check}` })),
      foreignKeys: [],
      indexes: indexes.map((c, at) => ({
        name: `${name}_${c}_idx`,
        table: { name },
        columns: [{ kind: 'column', name: c } as const],
        ...(uniqueIndex && at === 0 ? { unique: true } : {}),
      })),
      ...(comment === undefined ? {} : { comment }),
    }));
}

const modelArb: fc.Arbitrary<SchemaModel> = enumsArb.chain((enums) =>
  fc
    .subarray(TABLES)
    .chain((names) => fc.tuple(...names.map((name) => tableArb(name, enums))))
    .chain((tables) =>
      // Foreign keys to any table's primary key (itself included, cycles allowed).
      fc
        .tuple(
          ...tables.map(() => {
            const keyed = tables.filter((other) => other.primaryKey !== undefined).map((other) => other.name.name);
            return fc.subarray(keyed, { maxLength: Math.min(2, keyed.length) });
          }),
        )
        .chain((targets) =>
          fc
            .tuple(
              ...tables.map((t, at) =>
                fc.tuple(
                  ...targets[at]!.map((target) => {
                    const key = tables.find((x) => x.name.name === target)!.primaryKey!.columns;
                    return fc
                      .tuple(
                        fc.shuffledSubarray(
                          t.columns.map((c) => c.name),
                          {
                            minLength: Math.min(key.length, t.columns.length),
                            maxLength: Math.min(key.length, t.columns.length),
                          },
                        ),
                        fc.constantFrom(undefined, 'cascade' as const),
                      )
                      .map(([columns, onDelete]) => ({
                        name: `${t.name.name}_${target}_fkey`,
                        columns,
                        references: { table: { name: target }, columns: key },
                        ...(onDelete ? { onDelete } : {}),
                      }));
                  }),
                ),
              ),
            )
            .map((fks) =>
              tables.map((t, at) => ({
                ...t,
                foreignKeys: [...fks[at]!].filter((k) => k.columns.length === k.references.columns.length),
              })),
            ),
        ),
    )
    .map((tables) => ({ tables: [...tables], enums })),
);

/** Rename hints that fit (A, B): an A-only table renamed to a B-only one, and so on. */
function hintsFor(a: SchemaModel, b: SchemaModel, pick: number): RenameHints {
  const aNames = a.tables.map((t) => t.name.name);
  const bNames = b.tables.map((t) => t.name.name);
  const oldTables = aNames.filter((n) => !bNames.includes(n));
  const newTables = bNames.filter((n) => !aNames.includes(n));
  const tables = new Map<string, string>();
  if (pick % 2 === 1 && oldTables.length > 0 && newTables.length > 0) tables.set(newTables[0]!, oldTables[0]!);
  const columns = new Map<string, Map<string, string>>();
  for (const target of b.tables) {
    const old = a.tables.find((t) => t.name.name === target.name.name);
    if (old === undefined || tables.has(target.name.name) || pick % 3 !== 0) continue;
    const gone = old.columns.filter((c) => !target.columns.some((x) => x.name === c.name));
    const fresh = target.columns.filter((c) => !old.columns.some((x) => x.name === c.name));
    if (gone.length > 0 && fresh.length > 0) columns.set(target.name.name, new Map([[fresh[0]!.name, gone[0]!.name]]));
  }
  const enumValues = new Map<string, Map<string, string>>();
  for (const target of b.enums) {
    const old = a.enums.find((e) => e.name.name === target.name.name);
    if (old === undefined || pick % 5 !== 0) continue;
    const gone = old.values.filter((v) => !target.values.includes(v));
    const fresh = target.values.filter((v) => !old.values.includes(v));
    if (gone.length > 0 && fresh.length > 0) enumValues.set(target.name.name, new Map([[fresh[0]!, gone[0]!]]));
  }
  return { tables, columns, enumValues };
}

describe('diffSchemas round trip (pure)', () => {
  it('upgrade(A) = B, downgrade(upgrade(A)) = A, diff(B, B) = []', () => {
    fc.assert(
      fc.property(modelArb, modelArb, fc.nat(29), (a, b, pick) => {
        const renames = hintsFor(a, b, pick);
        const { upgrade, downgrade } = diffSchemas(a, b, { renames });
        const upgraded = strictReplay(a, upgrade);
        expect(canonical(upgraded)).toEqual(canonical(b));
        expect(canonical(strictReplay(upgraded, downgrade))).toEqual(canonical(a));
        expect(diffSchemas(b, b).upgrade).toEqual([]);
        expect(diffSchemas(upgraded, b).upgrade).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
