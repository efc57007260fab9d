import {
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  bulkDelete,
  bulkInsert,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  execute,
  type Operation,
  type OperationKind,
  type OperationOf,
  renameColumn,
  renameEnumValue,
  renameTable,
} from './operation.js';

/*
 * The factory of each kind. The mapped type makes this table, and therefore the `op` object, fail
 * to compile when a kind has no factory; `never[]` parameters accept any factory signature.
 */
const FACTORIES = {
  create_table: createTable,
  drop_table: dropTable,
  rename_table: renameTable,
  comment_table: commentTable,
  add_column: addColumn,
  drop_column: dropColumn,
  rename_column: renameColumn,
  alter_column: alterColumn,
  create_index: createIndex,
  drop_index: dropIndex,
  add_primary_key: addPrimaryKey,
  drop_primary_key: dropPrimaryKey,
  add_unique: addUnique,
  drop_unique: dropUnique,
  add_foreign_key: addForeignKey,
  drop_foreign_key: dropForeignKey,
  add_check: addCheck,
  drop_check: dropCheck,
  create_enum: createEnum,
  drop_enum: dropEnum,
  add_enum_value: addEnumValue,
  rename_enum_value: renameEnumValue,
  drop_enum_value: dropEnumValue,
  execute,
  bulk_insert: bulkInsert,
  bulk_delete: bulkDelete,
} as const satisfies { readonly [K in OperationKind]: (...args: never[]) => OperationOf<K> };

type Factories = typeof FACTORIES;

/** `create_table` → `createTable`: the factory's name for an operation kind. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * The `op` object migrations receive: one method per operation factory, named like it and taking
 * exactly its arguments (`op.createTable(definition)`, `op.addColumn(table, column)`,
 * `op.execute(sql, params, { down })`…). See each factory for the argument contract.
 *
 * Each method validates its arguments when called and resolves once the runner has run the
 * operation; a bad argument rejects with `CairnError('USAGE')` and nothing is emitted.
 */
export type OpApi = {
  readonly [K in OperationKind as CamelCase<K>]: (...args: Parameters<Factories[K]>) => Promise<void>;
};

function camelCase(kind: string): string {
  return kind.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The `op` methods' names and factories, computed once: a run builds one `op` per step. */
const METHODS: readonly (readonly [string, (...args: unknown[]) => Operation])[] = Object.entries(FACTORIES).map(
  ([kind, factory]) => [camelCase(kind), factory as (...args: unknown[]) => Operation],
);

/**
 * Builds the `op` object over `emit`, which receives each operation (to compile and run it, or to
 * record it). Operations reach `emit` one at a time in call order, each after the previous one's
 * promise settled, even when the migration forgets an `await`; once an `emit` rejects, every later
 * call rejects with the same error without emitting, so nothing runs past a failure.
 *
 * @example
 * const op = createOpApi(async (operation) => { for (const s of compiler.compile(operation, ctx)) await session.execute(s); });
 * await op.addColumn('account', column('phone', text()));
 */
export function createOpApi(emit: (op: Operation) => Promise<void>): OpApi {
  let previous: Promise<void> = Promise.resolve();
  const api: Record<string, (...args: unknown[]) => Promise<void>> = {};
  for (const [name, build] of METHODS) {
    api[name] = (...args) => {
      let op: Operation;
      try {
        op = build(...args);
      } catch (error) {
        return Promise.reject(error);
      }
      const run = previous.then(() => emit(op));
      previous = run;
      return run;
    };
  }
  return Object.freeze(api) as unknown as OpApi;
}

/** What `recordingOpApi` returns. */
export interface RecordingOpApi {
  /** The `op` object; each call appends its operation to `operations`. */
  readonly op: OpApi;
  /** The operations recorded so far, in call order (a live view; copy it to keep a snapshot). */
  readonly operations: readonly Operation[];
}

/**
 * An `op` object that records operations instead of running them: for tests, offline (`--sql`)
 * mode and rendering a migration's reverse.
 *
 * @example
 * const { op, operations } = recordingOpApi();
 * await migration.upgrade({ op });
 * reverseAll(operations);
 */
export function recordingOpApi(): RecordingOpApi {
  const operations: Operation[] = [];
  const op = createOpApi(async (operation) => {
    operations.push(operation);
  });
  return Object.freeze({ op, operations });
}
