import { Buffer } from 'node:buffer';
import {
  bigint,
  binary,
  boolean,
  type ColumnDefault,
  type ColumnType,
  char,
  date,
  double,
  integer,
  json,
  numeric,
  rawType,
  real,
  smallint,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';

/*
 * Parsers for the SQL text PostgreSQL's catalog functions print — `format_type` for types,
 * `pg_get_expr` for defaults — shared by the introspector (which reads that text) and the
 * normaliser (which predicts it from what a migration declared), so the two cannot disagree.
 * Everything here is pure. The forms below were checked against PostgreSQL 15:
 *
 * | declared                     | `pg_get_expr` prints                |
 * | ---------------------------- | ----------------------------------- |
 * | text `'x'`                   | `'x'::text`                         |
 * | varchar(n) `'x'`             | `'x'::character varying`            |
 * | char(n) `'x'`                | `'x'::bpchar`                       |
 * | enum `'a'`                   | `'a'::mood` / `'a'::app.mood`       |
 * | any column `5`, `1.5`, `1.50`| `5`, `1.5`, `1.50` (as written)     |
 * | any column `-5`              | `'-5'::integer` (the literal's type)|
 * | `1e20`, `2147483648`         | `'100…0'::numeric`, `'2147483648'::bigint` |
 * | double `'1.5'` (a string)    | `'1.5'::double precision`           |
 * | integer `'7'` (a string)     | `7`                                 |
 * | boolean `'yes'`              | `true`                              |
 * | jsonb `'{"b":1,"a":2}'`      | `'{"a": 2, "b": 1}'::jsonb`         |
 * | `(1+2)`                      | `(1 + 2)`                           |
 * | `CURRENT_TIMESTAMP`, `now()` | `CURRENT_TIMESTAMP`, `now()`        |
 */

type Token = {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** Words lowercased, quoted identifiers and strings unescaped, punctuation as written. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
};

const PUNCT = ['::', '(', ')', '[', ']', ',', '.'];

/**
 * Splits short catalog texts (a type name, a default) into tokens. Returns undefined for text it
 * does not understand (an `E'…'` or dollar-quoted string, an unterminated quote): callers then
 * keep the text as it is rather than guess.
 */
function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === "'" || ch === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= sql.length) return undefined;
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += sql[i];
        i += 1;
      }
      // `E'…'`, `U&'…'` and `B'…'` strings read a word straight before the quote: not parsed here.
      const previous = tokens[tokens.length - 1];
      if (ch === "'" && previous !== undefined && previous.kind === 'word' && previous.end === start) return undefined;
      tokens.push({ kind: ch === "'" ? 'string' : 'quoted', value, start, end: i });
      continue;
    }
    if (ch === '$') return undefined;
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
    if (number !== null) {
      i += number[0].length;
      tokens.push({ kind: 'number', value: number[0], start, end: i });
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i));
    if (word !== null) {
      i += word[0].length;
      tokens.push({ kind: 'word', value: word[0].toLowerCase(), start, end: i });
      continue;
    }
    const punct = PUNCT.find((p) => sql.startsWith(p, i));
    const value = punct ?? ch;
    i += value.length;
    tokens.push({ kind: 'punct', value, start, end: i });
  }
  return tokens;
}

/** Index of the `)` closing the `(` at `open`, or -1. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.kind !== 'punct') continue;
    if (token.value === '(') depth += 1;
    else if (token.value === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * `sql` without the parentheses that enclose all of it, at any depth: `((a + b))` → `a + b`,
 * while `(a) + (b)` stays. PostgreSQL wraps deparsed operator expressions and predicates in one
 * pair; the compiler adds one around expression defaults and index keys.
 */
export function stripEnclosingParens(sql: string): string {
  let current = sql.trim();
  for (;;) {
    const tokens = tokenize(current);
    if (tokens === undefined || tokens.length < 2) return current;
    if (tokens[0]!.value !== '(' || tokens[0]!.kind !== 'punct' || closing(tokens, 0) !== tokens.length - 1)
      return current;
    current = current.slice(tokens[0]!.end, tokens[tokens.length - 1]!.start).trim();
  }
}

function isWordish(token: Token): boolean {
  return token.kind === 'word' || token.kind === 'quoted' || token.kind === 'number';
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A type name in one spelling: unquoted words lowercased (PostgreSQL folds them) except inside a
 * type modifier (`geometry(Point,4326)` keeps its case, as `format_type` prints it), one space
 * between words, none around `(`, `)`, `,`, `.`, `[`, `]` (but one after `)` before a word, as in
 * `timestamp(3) with time zone`), a leading `pg_catalog.` dropped.
 */
export function canonicalTypeText(sql: string): string {
  const tokens = tokenize(sql);
  if (tokens === undefined) return sql.trim();
  let out = '';
  let depth = 0;
  let previous: Token | undefined;
  for (const token of tokens) {
    let piece: string;
    if (token.kind === 'quoted') piece = quoteIdent(token.value);
    else if (token.kind === 'string') piece = `'${token.value.replaceAll("'", "''")}'`;
    else if (token.kind === 'word' && depth > 0) piece = sql.slice(token.start, token.end);
    else piece = token.value;
    if (previous !== undefined && isWordish(token) && (isWordish(previous) || previous.value === ')')) out += ' ';
    out += piece;
    if (token.kind === 'punct' && token.value === '(') depth += 1;
    if (token.kind === 'punct' && token.value === ')') depth -= 1;
    previous = token;
  }
  return out.startsWith('pg_catalog.') ? out.slice('pg_catalog.'.length) : out;
}

const SIMPLE_TYPES: Readonly<Record<string, () => ColumnType>> = {
  smallint: () => smallint(),
  int2: () => smallint(),
  integer: () => integer(),
  int: () => integer(),
  int4: () => integer(),
  bigint: () => bigint(),
  int8: () => bigint(),
  smallserial: () => smallint({ identity: 'by_default' }),
  serial2: () => smallint({ identity: 'by_default' }),
  serial: () => integer({ identity: 'by_default' }),
  serial4: () => integer({ identity: 'by_default' }),
  bigserial: () => bigint({ identity: 'by_default' }),
  serial8: () => bigint({ identity: 'by_default' }),
  boolean: () => boolean(),
  bool: () => boolean(),
  text: () => text(),
  real: () => real(),
  float4: () => real(),
  'double precision': () => double(),
  float8: () => double(),
  float: () => double(),
  date: () => date(),
  time: () => time(),
  'time without time zone': () => time(),
  timestamp: () => timestamp(),
  'timestamp without time zone': () => timestamp(),
  timestamptz: () => timestamp({ withTimeZone: true }),
  'timestamp with time zone': () => timestamp({ withTimeZone: true }),
  jsonb: () => json(),
  uuid: () => uuid(),
  bytea: () => binary(),
  numeric: () => numeric(),
  decimal: () => numeric(),
  character: () => char(1),
  char: () => char(1),
  // Spellings `format_type` prints differently, for raw types that stay raw.
  varchar: () => rawType('character varying'),
  'char varying': () => rawType('character varying'),
  timetz: () => rawType('time with time zone'),
  varbit: () => rawType('bit varying'),
  bit: () => rawType('bit(1)'),
};

function numericType(precision: number, scale: number): ColumnType {
  // PostgreSQL 15 also allows a negative scale or one above the precision; the IR does not.
  if (precision < 1 || precision > 1000 || scale < 0 || scale > precision)
    return rawType(`numeric(${precision},${scale})`);
  return numeric(precision, scale);
}

/**
 * A type as PostgreSQL spells it (any alias: `int4`, `varchar(10)`, `character varying(10)`,
 * `timestamptz`, `float8`, `bool`, `decimal(10,2)`, `serial`) → the portable type it is, or
 * `rawType(<format_type spelling>)` for anything else (`json`, `timestamp(3) without time zone`,
 * `integer[]`, `public.citext`). Notable folds: `jsonb` is `json()` (the compiler writes `json()` as
 * `jsonb`; a real `json` column stays `rawType('json')`), `numeric(p)` is `numeric(p, 0)`, `char`
 * is `char(1)`, the serials are identity integers (`by_default`).
 */
export function typeFromText(sql: string): ColumnType {
  const canonical = canonicalTypeText(sql);
  const array = /^(.*?)((?:\[\d*\])+)$/.exec(canonical);
  if (array !== null) {
    // `format_type` prints one `[]` whatever the declared dimensions.
    const element = typeFromText(array[1]!);
    return rawType(`${formatTypeText(element)}[]`);
  }
  const simple = SIMPLE_TYPES[canonical];
  if (simple !== undefined) return simple();
  let m = /^(?:character varying|varchar|char varying)\((\d+)\)$/.exec(canonical);
  if (m !== null) return Number(m[1]) > 0 ? varchar(Number(m[1])) : rawType(canonical);
  m = /^(?:character|char|bpchar)\((\d+)\)$/.exec(canonical);
  if (m !== null) return Number(m[1]) > 0 ? char(Number(m[1])) : rawType(canonical);
  m = /^(?:numeric|decimal)\((\d+)(?:,(-?\d+))?\)$/.exec(canonical);
  if (m !== null) return numericType(Number(m[1]), m[2] === undefined ? 0 : Number(m[2]));
  m = /^float\((\d+)\)$/.exec(canonical);
  if (m !== null) {
    const bits = Number(m[1]);
    if (bits >= 1 && bits <= 24) return real();
    if (bits >= 25 && bits <= 53) return double();
    return rawType(canonical);
  }
  m = /^(time|timestamp)(tz)?\((\d+)\)(?: (with|without) time zone)?$/.exec(canonical);
  if (m !== null) {
    const zone = m[2] === 'tz' || m[4] === 'with' ? 'with' : 'without';
    return rawType(`${m[1]}(${m[3]}) ${zone} time zone`);
  }
  m = /^(?:bit varying|varbit)\((\d+)\)$/.exec(canonical);
  if (m !== null) return rawType(`bit varying(${m[1]})`);
  return rawType(canonical);
}

/**
 * The `format_type` spelling of a type (identity left out): `character varying(40)`,
 * `numeric(10,2)`, `timestamp with time zone`, `jsonb` for `json()`, the quoted, qualified name
 * of an enum, a raw type's PostgreSQL spelling in canonical form.
 */
export function formatTypeText(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'text':
    case 'real':
    case 'date':
    case 'uuid':
      return type.kind;
    case 'varchar':
      return `character varying(${type.length})`;
    case 'char':
      return `character(${type.length})`;
    case 'numeric':
      return type.precision === undefined ? 'numeric' : `numeric(${type.precision},${type.scale ?? 0})`;
    case 'double':
      return 'double precision';
    case 'time':
      return 'time without time zone';
    case 'timestamp':
      return `timestamp ${type.withTimeZone ? 'with' : 'without'} time zone`;
    case 'json':
      return 'jsonb';
    case 'binary':
      return 'bytea';
    case 'enum':
      return type.name.schema === undefined
        ? quoteIdent(type.name.name)
        : `${quoteIdent(type.name.schema)}.${quoteIdent(type.name.name)}`;
    case 'raw':
      return canonicalTypeText(type.dialects?.postgres ?? type.sql);
  }
}

const NUMERIC_KINDS = new Set<ColumnType['kind']>(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double']);
const TEXT_KINDS = new Set<ColumnType['kind']>(['text', 'varchar', 'char']);
const TEXT_CASTS = new Set(['text', 'character varying', 'character', 'bpchar']);
/** The types PostgreSQL gives a bare numeric literal: its deparser casts negative and large ones so. */
const NUMBER_LITERAL_CASTS = new Set(['integer', 'bigint', 'numeric']);
const NUMERIC_CASTS = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal's value as `digits e exponent`, without insignificant zeros: `1.50` and `15e-1` agree. */
function decimalKey(textValue: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(textValue);
  if (m === null) return textValue;
  const fraction = m[3] ?? '';
  let digits = `${m[2]}${fraction}`.replace(/^0+/, '');
  let exponent = Number(m[4] ?? 0) - fraction.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  return `${m[1] === '-' ? '-' : ''}${digits}e${exponent}`;
}

/**
 * The decimal text as a JavaScript number, when the number says exactly the same value (so
 * `9007199254740993` and `0.1000000000000000000001` stay text); `-0` is `0`.
 */
export function exactNumber(textValue: string): number | undefined {
  const trimmed = textValue.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  if (decimalKey(trimmed.replace(/^\+/, '')) !== decimalKey(String(value))) return undefined;
  return value === 0 ? 0 : value;
}

/** PostgreSQL's boolean input (`boolin`): unique prefixes of true/false/yes/no, on/off, 1/0. */
export function parseBoolean(textValue: string): boolean | undefined {
  const t = textValue.trim().toLowerCase();
  if (t === '') return undefined;
  if ('true'.startsWith(t) || 'yes'.startsWith(t) || t === 'on' || t === '1') return true;
  if ('false'.startsWith(t) || 'no'.startsWith(t) || t === 'of' || t === 'off' || t === '0') return false;
  return undefined;
}

/** A UUID as PostgreSQL prints it (lowercase, hyphenated), or undefined if it is not one. */
function canonicalUuid(textValue: string): string | undefined {
  const hex = textValue
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `numeric_out` of a JSON number: exponent applied, display scale kept (`1.50e1` → `15.0`). */
function jsonNumberText(textValue: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(textValue)!;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? 0);
  const scale = Math.max(0, fraction.length - exponent);
  const digits = `${m[2]}${fraction}`;
  const point = m[2]!.length + exponent;
  let whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  let part = point < 0 ? '0'.repeat(-point) + digits : digits.slice(Math.max(point, 0));
  part = part.slice(0, scale).padEnd(scale, '0');
  whole = whole.replace(/^0+(?=\d)/, '');
  const zero = /^0*$/.test(whole + part);
  return `${m[1] === '-' && !zero ? '-' : ''}${whole}${scale > 0 ? `.${part}` : ''}`;
}

type JsonValue =
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, JsonValue> };

function jsonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Parses JSON keeping number texts (JSON.parse would turn `1.0` into `1`); undefined if invalid. */
function parseJson(source: string): JsonValue | undefined {
  let i = 0;
  const space = () => {
    while (i < source.length && ' \t\n\r'.includes(source[i]!)) i += 1;
  };
  const value = (): JsonValue | undefined => {
    space();
    const ch = source[i];
    if (ch === '{') {
      i += 1;
      const entries = new Map<string, JsonValue>();
      space();
      if (source[i] === '}') {
        i += 1;
        return { kind: 'object', entries };
      }
      for (;;) {
        space();
        const key = string();
        if (key === undefined) return undefined;
        space();
        if (source[i] !== ':') return undefined;
        i += 1;
        const item = value();
        if (item === undefined) return undefined;
        // jsonb keeps the last of duplicate keys.
        entries.delete(key);
        entries.set(key, item);
        space();
        if (source[i] === ',') i += 1;
        else if (source[i] === '}') {
          i += 1;
          return { kind: 'object', entries };
        } else return undefined;
      }
    }
    if (ch === '[') {
      i += 1;
      const items: JsonValue[] = [];
      space();
      if (source[i] === ']') {
        i += 1;
        return { kind: 'array', items };
      }
      for (;;) {
        const item = value();
        if (item === undefined) return undefined;
        items.push(item);
        space();
        if (source[i] === ',') i += 1;
        else if (source[i] === ']') {
          i += 1;
          return { kind: 'array', items };
        } else return undefined;
      }
    }
    if (ch === '"') {
      const s = string();
      return s === undefined ? undefined : { kind: 'scalar', text: jsonString(s) };
    }
    const literal = /^(true|false|null)/.exec(source.slice(i));
    if (literal !== null) {
      i += literal[0].length;
      return { kind: 'scalar', text: literal[0] };
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
    if (number !== null) {
      i += number[0].length;
      return { kind: 'scalar', text: jsonNumberText(number[0]) };
    }
    return undefined;
  };
  const string = (): string | undefined => {
    if (source[i] !== '"') return undefined;
    let end = i + 1;
    // Finds the closing quote; raw control characters are invalid JSON, escapes JSON.parse checks.
    while (end < source.length && source[end] !== '"') {
      if (source.charCodeAt(end) < 0x20) return undefined;
      end += source[end] === '\\' ? 2 : 1;
    }
    if (end >= source.length) return undefined;
    const literal = source.slice(i, end + 1);
    i = end + 1;
    try {
      const decoded = JSON.parse(literal) as string;
      // jsonb refuses \u0000 (text cannot hold NUL).
      return decoded.includes('\0') ? undefined : decoded;
    } catch {
      return undefined;
    }
  };
  const result = value();
  space();
  return result !== undefined && i === source.length ? result : undefined;
}

function byteOrder(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length - y.length || Buffer.compare(x, y);
}

function renderJsonb(value: JsonValue): string {
  if (value.kind === 'scalar') return value.text;
  if (value.kind === 'array') return `[${value.items.map(renderJsonb).join(', ')}]`;
  // jsonb stores object keys shorter first, then by their UTF-8 bytes.
  const keys = [...value.entries.keys()].sort(byteOrder);
  return `{${keys.map((key) => `${jsonString(key)}: ${renderJsonb(value.entries.get(key)!)}`).join(', ')}}`;
}

/** JSON text as `jsonb_out` prints it (keys sorted and deduplicated, `", "` and `": "`), or undefined. */
export function canonicalJsonb(source: string): string | undefined {
  const parsed = parseJson(source);
  return parsed === undefined ? undefined : renderJsonb(parsed);
}

/**
 * A literal default as PostgreSQL stores it on a column of `type`: a string on a numeric column
 * is the number it spells (PostgreSQL folds `'7'` into `7`; `'NaN'` stays text), on a boolean
 * column the boolean, on a uuid column the canonical UUID, on a `json()` (jsonb) column the JSON
 * as jsonb prints it; `-0` is `0`. Anything else is returned as it is.
 */
export function literalAsStored(value: string | number | boolean, type: ColumnType): ColumnDefault {
  if (typeof value === 'number') return { kind: 'literal', value: value === 0 ? 0 : value };
  if (typeof value === 'boolean') return { kind: 'literal', value };
  let folded: string | number | boolean | undefined;
  if (NUMERIC_KINDS.has(type.kind)) folded = exactNumber(value);
  else if (type.kind === 'boolean') folded = parseBoolean(value);
  else if (type.kind === 'uuid') folded = canonicalUuid(value);
  else if (type.kind === 'json') folded = canonicalJsonb(value);
  return { kind: 'literal', value: folded ?? value };
}

/** The parts of a (possibly qualified) name such as `app."Mood"`, or undefined. */
function nameParts(tokens: readonly Token[]): string[] | undefined {
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (i % 2 === 1) {
      if (token.kind !== 'punct' || token.value !== '.') return undefined;
    } else if (token.kind === 'word' || token.kind === 'quoted') parts.push(token.value);
    else return undefined;
  }
  return tokens.length % 2 === 1 ? parts : undefined;
}

const stripModifiers = (sql: string) => sql.replace(/\([^()]*\)/g, '');

/**
 * Whether a literal cast to `cast` is a plain literal of a column of `type`: the cast names the
 * column's own type, modifiers aside (`'x'::character varying` on `varchar(10)`), `bpchar` on
 * `char(n)`, any text type on a text column, the enum's own name (qualified or not).
 */
function castIsColumnType(castTokens: readonly Token[], castSql: string, type: ColumnType): boolean {
  if (type.kind === 'enum') {
    const parts = nameParts(castTokens);
    if (parts === undefined || parts[parts.length - 1] !== type.name.name || parts.length > 2) return false;
    return parts.length === 1 || type.name.schema === undefined || parts[0] === type.name.schema;
  }
  const cast = stripModifiers(formatTypeText(typeFromText(castSql)));
  if (TEXT_KINDS.has(type.kind) && TEXT_CASTS.has(cast)) return true;
  return cast === stripModifiers(formatTypeText(type)) || (cast === 'bpchar' && type.kind === 'char');
}

/**
 * A default as `pg_get_expr` prints it (or as a migration wrote an expression default) → the
 * portable default it means, for a column of `type`:
 * - `CURRENT_TIMESTAMP`, `now()` and `transaction_timestamp()` (all the transaction's start
 *   time) are `current_timestamp`;
 * - `true`/`false`, a number (`5`, `1.50`) and a string literal, bare or cast to the column's own
 *   type (`'x'::text`, `'happy'::mood`), or a number written as a string cast to a numeric type
 *   (`'-5'::integer`, how PostgreSQL prints negative numbers), are literals, folded as
 *   `literalAsStored` says; a number no JavaScript number holds exactly is, on a numeric column,
 *   the string literal of its digits (`'9007199254740993'`), which makes the same default;
 * - anything else is an expression, without the parentheses that enclose all of it.
 */
export function defaultFromText(sql: string, type: ColumnType): ColumnDefault {
  const stripped = stripEnclosingParens(sql);
  const expression: ColumnDefault = { kind: 'expression', sql: stripped };
  const tokens = tokenize(stripped);
  if (tokens === undefined || tokens.length === 0) return expression;
  const first = tokens[0]!;
  const words = tokens.map((t) => t.value).join(' ');
  if (
    words === 'current_timestamp' ||
    words === 'now ( )' ||
    words === 'transaction_timestamp ( )' ||
    words === 'pg_catalog . now ( )'
  )
    return { kind: 'current_timestamp' };
  if (tokens.length === 1 && first.kind === 'word' && (first.value === 'true' || first.value === 'false'))
    return { kind: 'literal', value: first.value === 'true' };
  const signed = stripped.replace(/^([+-])\s+(?=\d|\.)/, '$1');
  if (DECIMAL.test(signed)) {
    const value = exactNumber(signed);
    if (value !== undefined) return { kind: 'literal', value };
    // More digits than a JavaScript number holds: on a numeric column the same text as a string
    // literal makes the same default (PostgreSQL reads it as the column's type).
    return NUMERIC_KINDS.has(type.kind) ? { kind: 'literal', value: signed } : expression;
  }
  if (first.kind !== 'string') return expression;
  if (tokens.length === 1) return literalAsStored(first.value, type);
  const cast = tokens[1]!;
  if (cast.kind !== 'punct' || cast.value !== '::' || tokens.length < 3) return expression;
  const castTokens = tokens.slice(2);
  const castSql = stripped.slice(castTokens[0]!.start);
  const castText = formatTypeText(typeFromText(castSql));
  if (NUMBER_LITERAL_CASTS.has(castText) || (NUMERIC_KINDS.has(type.kind) && NUMERIC_CASTS.has(castText))) {
    const value = exactNumber(first.value);
    if (value !== undefined) return { kind: 'literal', value };
  }
  return castIsColumnType(castTokens, castSql, type) ? literalAsStored(first.value, type) : expression;
}
