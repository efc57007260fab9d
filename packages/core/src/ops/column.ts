import { type ColumnDefault, type ColumnDefaultInput, toColumnDefault } from './column-default.js';
import { type ColumnType, toColumnType } from './column-type.js';
import { freezeData, optionalBoolean, optionalString, requireRecord, requireString } from './validate.js';

/**
 * One column as operations carry it. Keys, uniqueness and references are table constraints
 * (`primaryKey`, `uniques`, `foreignKeys` of a table), never column flags, so that each fact has
 * exactly one place in the IR.
 */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  /** Always present: `true` unless the column was declared `nullable: false`. */
  readonly nullable: boolean;
  /** Absent: no default. */
  readonly default?: ColumnDefault;
  /** Absent: no comment. */
  readonly comment?: string;
}

/** The optional parts of a column, as `column()` takes them. */
export interface ColumnOptions {
  /** Default: `true` (SQL's default). */
  readonly nullable?: boolean;
  /** A `ColumnDefault`, or a bare string/number/boolean literal. Default: none. */
  readonly default?: ColumnDefaultInput;
  readonly comment?: string;
}

/** A column as factories accept it: a `ColumnDefinition`, with `nullable` optional and defaults in shorthand. */
export interface ColumnInput extends ColumnOptions {
  readonly name: string;
  readonly type: ColumnType;
}

/**
 * Builds a frozen column definition.
 *
 * @example column('email', varchar(255), { nullable: false, default: '' })
 */
export function column(name: string, type: ColumnType, options?: ColumnOptions): ColumnDefinition {
  return toColumnDefinition(
    { ...requireRecord(options ?? {}, 'column: options', ['nullable', 'default', 'comment']), name, type },
    'column',
  );
}

/** Parses a column given as data (see `ColumnInput`) into a frozen `ColumnDefinition`. */
export function toColumnDefinition(value: unknown, at: string): ColumnDefinition {
  const input = requireRecord(value, at, ['name', 'type', 'nullable', 'default', 'comment']);
  return freezeData({
    name: requireString(input.name, `${at}.name`),
    type: toColumnType(input.type, `${at}.type`),
    nullable: optionalBoolean(input.nullable, `${at}.nullable`) ?? true,
    default: input.default === undefined ? undefined : toColumnDefault(input.default, `${at}.default`),
    comment: optionalString(input.comment, `${at}.comment`),
  });
}
