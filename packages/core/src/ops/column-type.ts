import { CairnError, isCairnError } from '../errors.js';
import { type NameInput, type QualifiedName, toQualifiedName } from './qualified-name.js';
import {
  freezeData,
  isRecord,
  optionalBoolean,
  requireOneOf,
  requireRecord,
  requireString,
  requireStringList,
  usageError,
} from './validate.js';

/**
 * How an integer column numbers itself. `by_default` accepts explicit values (what `serial`,
 * SQLite's `INTEGER PRIMARY KEY` and MySQL's `AUTO_INCREMENT` do, so it is the portable choice);
 * `always` refuses them where the dialect can (PostgreSQL `GENERATED ALWAYS AS IDENTITY`).
 */
export type IdentityMode = 'by_default' | 'always';

/**
 * A portable column type. Plain frozen data with a literal `kind`; each dialect maps it to its own
 * type name, and autogenerate compares it after the dialect's normalisation.
 *
 * Auto-numbering is not a kind of its own: it is `identity` on an integer kind, so `serial()` is
 * `{ kind: 'integer', identity: 'by_default' }` and a type change from `integer` to `serial` is a
 * change of one field. Optional fields are absent, never `undefined`.
 */
export type ColumnType =
  /** 2-byte integer; `identity` makes it auto-numbered. */
  | { readonly kind: 'smallint'; readonly identity?: IdentityMode }
  /** 4-byte integer; `identity` makes it auto-numbered. */
  | { readonly kind: 'integer'; readonly identity?: IdentityMode }
  /** 8-byte integer; `identity` makes it auto-numbered. */
  | { readonly kind: 'bigint'; readonly identity?: IdentityMode }
  | { readonly kind: 'boolean' }
  /** Unbounded text. */
  | { readonly kind: 'text' }
  /** Variable-length text of at most `length` characters. */
  | { readonly kind: 'varchar'; readonly length: number }
  /** Fixed-length text of `length` characters. */
  | { readonly kind: 'char'; readonly length: number }
  /** Exact decimal; both absent = the dialect's unconstrained numeric; `scale` needs `precision`. */
  | { readonly kind: 'numeric'; readonly precision?: number; readonly scale?: number }
  /** 4-byte float. */
  | { readonly kind: 'real' }
  /** 8-byte float. */
  | { readonly kind: 'double' }
  | { readonly kind: 'date' }
  /** Time of day without a time zone. */
  | { readonly kind: 'time' }
  /** Date and time; `withTimeZone` is always present. */
  | { readonly kind: 'timestamp'; readonly withTimeZone: boolean }
  | { readonly kind: 'json' }
  | { readonly kind: 'uuid' }
  /** Variable-length bytes. */
  | { readonly kind: 'binary' }
  /**
   * A named enumeration: PostgreSQL's `CREATE TYPE` (created by a `create_enum` operation), MySQL's
   * inline `ENUM(...)`, SQLite's `CHECK (… IN (...))`. `values` are in declaration order.
   */
  | { readonly kind: 'enum'; readonly name: QualifiedName; readonly values: readonly string[] }
  /**
   * A type cairn does not model, written in SQL (`tsvector`, `geometry(Point, 4326)`). `dialects`
   * overrides it per dialect name (`{ sqlite: 'text' }`); dialects not listed use `sql`.
   */
  | { readonly kind: 'raw'; readonly sql: string; readonly dialects?: Readonly<Record<string, string>> };

/** The `kind` of every column type. */
export type ColumnTypeKind = ColumnType['kind'];

/** Options of the integer factories. */
export interface IntegerOptions {
  /** Makes the column auto-numbered. Default: absent (a plain integer). */
  readonly identity?: IdentityMode;
}

const IDENTITY_MODES: readonly IdentityMode[] = ['by_default', 'always'];
/** PostgreSQL's limit, the largest of the three dialects (MySQL: 65, SQLite: unchecked). */
const MAX_NUMERIC_PRECISION = 1000;

function integerKind<K extends 'smallint' | 'integer' | 'bigint'>(kind: K, options: IntegerOptions | undefined) {
  const checked = requireRecord(options ?? {}, `${kind}: options`, ['identity']);
  const identity =
    checked.identity === undefined
      ? undefined
      : requireOneOf(checked.identity, IDENTITY_MODES, `${kind}: options.identity`);
  return freezeData({ kind, identity });
}

/** 2-byte integer. @example smallint() */
export function smallint(options?: IntegerOptions): Extract<ColumnType, { kind: 'smallint' }> {
  return integerKind('smallint', options);
}

/** 4-byte integer. @example integer({ identity: 'always' }) */
export function integer(options?: IntegerOptions): Extract<ColumnType, { kind: 'integer' }> {
  return integerKind('integer', options);
}

/** 8-byte integer. @example bigint() */
export function bigint(options?: IntegerOptions): Extract<ColumnType, { kind: 'bigint' }> {
  return integerKind('bigint', options);
}

/** Auto-numbered 2-byte integer: `smallint({ identity: 'by_default' })`. */
export function smallserial(): Extract<ColumnType, { kind: 'smallint' }> {
  return smallint({ identity: 'by_default' });
}

/** Auto-numbered 4-byte integer: `integer({ identity: 'by_default' })`. @example serial() */
export function serial(): Extract<ColumnType, { kind: 'integer' }> {
  return integer({ identity: 'by_default' });
}

/** Auto-numbered 8-byte integer: `bigint({ identity: 'by_default' })`. */
export function bigserial(): Extract<ColumnType, { kind: 'bigint' }> {
  return bigint({ identity: 'by_default' });
}

/** `true`/`false` (MySQL stores `tinyint(1)`, SQLite `0`/`1`). */
export function boolean(): Extract<ColumnType, { kind: 'boolean' }> {
  return freezeData({ kind: 'boolean' });
}

/** Unbounded text. */
export function text(): Extract<ColumnType, { kind: 'text' }> {
  return freezeData({ kind: 'text' });
}

function requireLength(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw usageError(at, 'must be a positive integer', value);
  return value;
}

/**
 * Variable-length text of at most `length` characters (a positive integer).
 *
 * @example varchar(255)
 */
export function varchar(length: number): Extract<ColumnType, { kind: 'varchar' }> {
  return freezeData({ kind: 'varchar', length: requireLength(length, 'varchar: length') });
}

/**
 * Fixed-length text of `length` characters (a positive integer).
 *
 * @example char(2)
 */
export function char(length: number): Extract<ColumnType, { kind: 'char' }> {
  return freezeData({ kind: 'char', length: requireLength(length, 'char: length') });
}

/**
 * Exact decimal. `precision` is the total number of digits (1 to 1000), `scale` the digits after
 * the point (0 to `precision`, default: the dialect's, usually 0). Both absent: unconstrained.
 *
 * @example numeric(10, 2)
 */
export function numeric(precision?: number, scale?: number): Extract<ColumnType, { kind: 'numeric' }> {
  if (precision === undefined) {
    if (scale !== undefined) throw usageError('numeric: scale', 'needs a precision before it', scale);
    return freezeData({ kind: 'numeric' });
  }
  if (
    typeof precision !== 'number' ||
    !Number.isInteger(precision) ||
    precision < 1 ||
    precision > MAX_NUMERIC_PRECISION
  )
    throw usageError('numeric: precision', `must be an integer from 1 to ${MAX_NUMERIC_PRECISION}`, precision);
  if (scale !== undefined && (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision))
    throw usageError('numeric: scale', `must be an integer from 0 to the precision (${precision})`, scale);
  return freezeData({ kind: 'numeric', precision, scale });
}

/** 4-byte floating point. */
export function real(): Extract<ColumnType, { kind: 'real' }> {
  return freezeData({ kind: 'real' });
}

/** 8-byte floating point (`double precision`). */
export function double(): Extract<ColumnType, { kind: 'double' }> {
  return freezeData({ kind: 'double' });
}

/** Calendar date. */
export function date(): Extract<ColumnType, { kind: 'date' }> {
  return freezeData({ kind: 'date' });
}

/** Time of day without a time zone. */
export function time(): Extract<ColumnType, { kind: 'time' }> {
  return freezeData({ kind: 'time' });
}

/** Options of `timestamp()`. */
export interface TimestampOptions {
  /** Store an instant (`timestamptz`) rather than a wall-clock time. Default: `false`. */
  readonly withTimeZone?: boolean;
}

/**
 * Date and time.
 *
 * @example timestamp({ withTimeZone: true })
 */
export function timestamp(options?: TimestampOptions): Extract<ColumnType, { kind: 'timestamp' }> {
  const checked = requireRecord(options ?? {}, 'timestamp: options', ['withTimeZone']);
  const withTimeZone = optionalBoolean(checked.withTimeZone, 'timestamp: options.withTimeZone') ?? false;
  return freezeData({ kind: 'timestamp', withTimeZone });
}

/** JSON document (the dialect picks its best storage, e.g. PostgreSQL `jsonb`). */
export function json(): Extract<ColumnType, { kind: 'json' }> {
  return freezeData({ kind: 'json' });
}

/** UUID (native on PostgreSQL; `char(36)` or text elsewhere, as the dialect decides). */
export function uuid(): Extract<ColumnType, { kind: 'uuid' }> {
  return freezeData({ kind: 'uuid' });
}

/** Variable-length bytes. */
export function binary(): Extract<ColumnType, { kind: 'binary' }> {
  return freezeData({ kind: 'binary' });
}

/**
 * A column of a named enum. `values` must be non-empty and distinct, in declaration order; on
 * PostgreSQL the type itself is created by `op.createEnum` with the same values.
 *
 * @example enumType('mood', ['happy', 'sad'])
 */
export function enumType(name: NameInput, values: readonly string[]): Extract<ColumnType, { kind: 'enum' }> {
  return freezeData({
    kind: 'enum',
    name: toQualifiedName(name, 'enumType: name'),
    values: [...requireStringList(values, 'enumType: values')],
  });
}

/**
 * A type written in SQL, passed to the dialect unchanged; `dialects` gives another spelling per
 * dialect name. Autogenerate compares raw types as text, so write them as the database reports them.
 *
 * @example rawType('tsvector', { sqlite: 'text', mysql: 'text' })
 */
export function rawType(
  sql: string,
  dialects?: Readonly<Record<string, string>>,
): Extract<ColumnType, { kind: 'raw' }> {
  const checkedSql = requireString(sql, 'rawType: sql');
  if (dialects === undefined) return freezeData({ kind: 'raw', sql: checkedSql });
  const map = requireRecord(dialects, 'rawType: dialects');
  const copy: Record<string, string> = {};
  for (const [dialect, spelling] of Object.entries(map))
    copy[dialect] = requireString(spelling, `rawType: dialects.${dialect}`);
  return freezeData({ kind: 'raw', sql: checkedSql, dialects: copy });
}

type TypeParsers = { readonly [K in ColumnTypeKind]: (value: Readonly<Record<string, unknown>>) => ColumnType };

/*
 * Re-runs the factory of each kind on plain data, so a type written as an object literal (or read
 * back from JSON) gets the same checks as one built by a factory. A mapped type: a new kind fails
 * to compile here until it can be parsed.
 */
const TYPE_PARSERS = {
  smallint: (value) => smallint({ identity: value.identity as IdentityMode }),
  integer: (value) => integer({ identity: value.identity as IdentityMode }),
  bigint: (value) => bigint({ identity: value.identity as IdentityMode }),
  boolean: () => boolean(),
  text: () => text(),
  varchar: (value) => varchar(value.length as number),
  char: (value) => char(value.length as number),
  numeric: (value) => numeric(value.precision as number | undefined, value.scale as number | undefined),
  real: () => real(),
  double: () => double(),
  date: () => date(),
  time: () => time(),
  timestamp: (value) => timestamp({ withTimeZone: value.withTimeZone as boolean | undefined }),
  json: () => json(),
  uuid: () => uuid(),
  binary: () => binary(),
  enum: (value) => enumType(value.name as NameInput, value.values as readonly string[]),
  raw: (value) => rawType(value.sql as string, value.dialects as Readonly<Record<string, string>> | undefined),
} satisfies TypeParsers;

const TYPE_KINDS = Object.keys(TYPE_PARSERS) as ColumnTypeKind[];

/**
 * Parses a column type given as data (a factory's result, an object literal, parsed JSON) and
 * returns a frozen copy. Throws `CairnError('USAGE')` naming `at` when the kind is unknown or a
 * field is invalid; the factory's own message follows.
 */
export function toColumnType(value: unknown, at: string): ColumnType {
  if (!isRecord(value)) throw usageError(at, 'must be a column type such as integer() or varchar(255)', value);
  const kind = requireOneOf(value.kind, TYPE_KINDS, `${at}.kind`);
  try {
    return TYPE_PARSERS[kind](value);
  } catch (error) {
    if (!isCairnError(error, 'USAGE')) throw error;
    throw new CairnError('USAGE', `${at}: ${error.message}`, { details: { argument: at }, cause: error });
  }
}
