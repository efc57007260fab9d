import { CairnError } from '../errors.js';
import type { IndexDefinition } from './index-definition.js';
import {
  type AlterColumn,
  type ColumnChange,
  isOperationKind,
  type Operation,
  type OperationKind,
  type OperationOf,
} from './operation.js';
import { formatQualifiedName, type QualifiedName } from './qualified-name.js';
import type { TableDefinition } from './table-definition.js';
import { freezeData } from './validate.js';

/*
 * One reverser per kind, in a mapped type checked with `satisfies`: a kind added to `Operation`
 * fails to compile here until its downgrade is decided (derived, or refused with IRREVERSIBLE).
 */
type Reversers = { readonly [K in OperationKind]: (op: OperationOf<K>) => readonly Operation[] };

function irreversible(op: Operation, subject: string, missing: string, remedy: string): CairnError {
  return new CairnError(
    'IRREVERSIBLE',
    `cannot derive the downgrade of ${op.kind} ${subject}: ${missing}. ${remedy}, or write the downgrade by hand.`,
    { details: { operation: op.kind, subject } },
  );
}

const on = (table: QualifiedName, name: string): string => `'${name}' on '${formatQualifiedName(table)}'`;
const named = (name: QualifiedName): string => `'${formatQualifiedName(name)}'`;

function tableDefinitionOf(op: OperationOf<'create_table'>): TableDefinition {
  const { name, columns, primaryKey, uniques, checks, foreignKeys, comment } = op;
  return { name, columns, primaryKey, uniques, checks, foreignKeys, comment };
}

function indexDefinitionOf(op: OperationOf<'create_index'>): IndexDefinition {
  const { name, table, columns, unique, where } = op;
  return { name, table, columns, unique, where };
}

function swap<T>(aspect: ColumnChange<T> | undefined): ColumnChange<T> | undefined {
  return aspect && { to: aspect.from as T, from: aspect.to };
}

function reverseAlter(op: AlterColumn): readonly Operation[] {
  const aspects = { type: op.type, nullable: op.nullable, default: op.default, comment: op.comment };
  const unknown = Object.entries(aspects)
    .filter(([, aspect]) => aspect !== undefined && aspect.from === undefined)
    .map(([aspect]) => aspect);
  if (unknown.length > 0)
    throw irreversible(
      op,
      on(op.table, op.column),
      `the previous ${unknown.join(', ')} of the column ${unknown.length === 1 ? 'is' : 'are'} unknown`,
      'Give each change as { to, from } with the value it replaces',
    );
  return [
    {
      kind: 'alter_column',
      table: op.table,
      column: op.column,
      type: op.type && { ...swap(op.type)!, using: op.type.reverseUsing, reverseUsing: op.type.using },
      nullable: swap(op.nullable),
      default: swap(op.default),
      comment: swap(op.comment),
    },
  ];
}

const REVERSERS = {
  create_table: (op) => [{ kind: 'drop_table', name: op.name, definition: tableDefinitionOf(op) }],
  drop_table: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        named(op.name),
        "the operation does not carry the table's definition",
        'Pass { definition } to op.dropTable',
      );
    return [{ kind: 'create_table', ...op.definition }];
  },
  rename_table: (op) => [{ kind: 'rename_table', name: { ...op.name, name: op.newName }, newName: op.name.name }],
  comment_table: (op) => {
    if (op.previous === undefined)
      throw irreversible(op, named(op.name), 'the previous comment is unknown', 'Pass { previous } to op.commentTable');
    return [{ kind: 'comment_table', name: op.name, comment: op.previous, previous: op.comment }];
  },
  add_column: (op) => [{ kind: 'drop_column', table: op.table, column: op.column.name, definition: op.column }],
  drop_column: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        on(op.table, op.column),
        "the operation does not carry the column's definition",
        'Pass { definition } to op.dropColumn',
      );
    return [{ kind: 'add_column', table: op.table, column: op.definition }];
  },
  rename_column: (op) => [{ kind: 'rename_column', table: op.table, column: op.newName, newName: op.column }],
  alter_column: reverseAlter,
  create_index: (op) => [
    {
      kind: 'drop_index',
      name: op.name,
      table: op.table,
      concurrently: op.concurrently,
      ifExists: op.ifNotExists,
      definition: indexDefinitionOf(op),
    },
  ],
  drop_index: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        on(op.table, op.name),
        "the operation does not carry the index's definition",
        'Pass { definition } to op.dropIndex',
      );
    return [{ kind: 'create_index', ...op.definition, concurrently: op.concurrently, ifNotExists: op.ifExists }];
  },
  add_primary_key: (op) => [
    { kind: 'drop_primary_key', table: op.table, name: op.name, definition: { name: op.name, columns: op.columns } },
  ],
  drop_primary_key: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        `on '${formatQualifiedName(op.table)}'`,
        "the operation does not carry the key's columns",
        'Pass { definition } to op.dropPrimaryKey',
      );
    return [{ kind: 'add_primary_key', table: op.table, name: op.name, columns: op.definition.columns }];
  },
  add_unique: (op) => [
    { kind: 'drop_unique', table: op.table, name: op.name, definition: { name: op.name, columns: op.columns } },
  ],
  drop_unique: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        on(op.table, op.name),
        "the operation does not carry the constraint's columns",
        'Pass { definition } to op.dropUnique',
      );
    return [{ kind: 'add_unique', table: op.table, name: op.name, columns: op.definition.columns }];
  },
  add_foreign_key: (op) => {
    const { name, columns, references, onDelete, onUpdate } = op;
    return [
      {
        kind: 'drop_foreign_key',
        table: op.table,
        name,
        definition: { name, columns, references, onDelete, onUpdate },
      },
    ];
  },
  drop_foreign_key: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        on(op.table, op.name),
        "the operation does not carry the key's definition",
        'Pass { definition } to op.dropForeignKey',
      );
    return [{ kind: 'add_foreign_key', table: op.table, ...op.definition, name: op.name }];
  },
  add_check: (op) => [
    { kind: 'drop_check', table: op.table, name: op.name, definition: { name: op.name, expression: op.expression } },
  ],
  drop_check: (op) => {
    if (!op.definition)
      throw irreversible(
        op,
        on(op.table, op.name),
        "the operation does not carry the check's expression",
        'Pass { definition } to op.dropCheck',
      );
    return [{ kind: 'add_check', table: op.table, name: op.name, expression: op.definition.expression }];
  },
  create_enum: (op) => [{ kind: 'drop_enum', name: op.name, values: op.values }],
  drop_enum: (op) => {
    if (!op.values)
      throw irreversible(
        op,
        named(op.name),
        "the operation does not carry the enum's values",
        'Pass { values } to op.dropEnum',
      );
    return [{ kind: 'create_enum', name: op.name, values: op.values }];
  },
  add_enum_value: (op) => [{ kind: 'drop_enum_value', name: op.name, value: op.value }],
  rename_enum_value: (op) => [{ kind: 'rename_enum_value', name: op.name, from: op.to, to: op.from }],
  drop_enum_value: (op) => {
    throw irreversible(
      op,
      `'${op.value}' of ${named(op.name)}`,
      'which rows held the value is lost once it is removed',
      'Re-add it with op.addEnumValue and restore the rows with op.execute',
    );
  },
  execute: (op) => {
    if (!op.down)
      throw irreversible(op, `"${abbreviate(op.sql)}"`, 'it has no down SQL', 'Pass { down } to op.execute');
    return [{ kind: 'execute', sql: op.down.sql, params: op.down.params, down: { sql: op.sql, params: op.params } }];
  },
  bulk_insert: (op) => {
    if (!op.key)
      throw irreversible(
        op,
        `into ${named(op.table)}`,
        'without a key the inserted rows cannot be told from others',
        'Pass { key } (the columns that identify a row) to op.bulkInsert',
      );
    return [{ kind: 'bulk_delete', table: op.table, key: op.key, rows: op.rows }];
  },
  bulk_delete: (op) => [{ kind: 'bulk_insert', table: op.table, rows: op.rows, key: op.key }],
} satisfies Reversers;

function abbreviate(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/**
 * The downgrade of one operation: the operations that undo it, in the order to run them (usually
 * one). The result is new frozen data sharing nothing with `op`, with absent fields omitted, so
 * `reverse(reverse(op))` deep-equals `op` whenever both directions are derivable.
 *
 * Throws `CairnError('IRREVERSIBLE')` naming the operation and what it lacks when the downgrade
 * cannot be derived: a drop without the dropped definition, an alter without the previous value,
 * raw SQL without `down`, a bulk insert without `key`, and always for `drop_enum_value`.
 *
 * @example reverse(addColumn('account', column('phone', text()))) // [drop_column account.phone, carrying its definition]
 */
export function reverse(op: Operation): Operation[] {
  if (!isOperationKind(op.kind))
    throw new CairnError('USAGE', `reverse: ${JSON.stringify(op.kind)} is not an operation kind`, {
      details: { operation: op.kind },
    });
  // One dispatch point where the union is narrowed by hand; the table above is fully typed per kind.
  const reverser = REVERSERS[op.kind] as (op: Operation) => readonly Operation[];
  // structuredClone: the result must not share (and so freeze) objects of an `op` that came unfrozen from JSON.
  return reverser(op).map((reversed) => freezeData(structuredClone(reversed)));
}

/**
 * The downgrade of a sequence of operations: each one reversed, last first. Throws like `reverse`
 * at the first operation that cannot be reversed.
 */
export function reverseAll(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().flatMap((op) => reverse(op));
}
