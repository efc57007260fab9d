/**
 * The naming convention: the names cairn gives the constraints and indexes a schema module leaves
 * unnamed. Deterministic (a function of the table and the object alone, never of creation order or
 * of the database), so that a later drop or downgrade names the right object on every dialect and
 * offline. See docs/schema.md, "Names the schema leaves out".
 */
import { CairnError } from '../errors.js';

/** The kinds of object the convention names. */
export type NamedObjectKind = 'pk' | 'uq' | 'ix' | 'fk' | 'ck';

/**
 * Templates per kind, SQLAlchemy's `naming_convention` in cairn's spelling. Placeholders:
 * - `{table}`: the table's name (without its schema);
 * - `{columns}`: the object's columns joined by `_` (index expressions count as `expr`, a check's
 *   columns are the table's columns its expression names, in order of first use);
 * - `{referred_table}`, `{referred_columns}`: a foreign key's referenced table and columns.
 *
 * Each template must contain `{table}` so that names stay unique across a schema's tables.
 */
export type NamingConvention = { readonly [K in NamedObjectKind]: string };

/**
 * The default convention: PostgreSQL's own names for unnamed objects, so that a PostgreSQL database
 * built without names matches its schema module on adoption (`users_pkey`, `users_email_key`,
 * `posts_author_id_fkey`, `users_email_idx`, `orders_qty_check`).
 */
export const DEFAULT_NAMING_CONVENTION: NamingConvention = Object.freeze({
  pk: '{table}_pkey',
  uq: '{table}_{columns}_key',
  ix: '{table}_{columns}_idx',
  fk: '{table}_{columns}_fkey',
  ck: '{table}_{columns}_check',
} satisfies NamingConvention);

/**
 * The convention Alembic's documentation recommends (`pk_users`, `uq_users_email`,
 * `ix_users_email`, `fk_posts_author_id_users`, `ck_orders_qty`), for projects coming from it.
 */
export const ALEMBIC_NAMING_CONVENTION: NamingConvention = Object.freeze({
  pk: 'pk_{table}',
  uq: 'uq_{table}_{columns}',
  ix: 'ix_{table}_{columns}',
  fk: 'fk_{table}_{columns}_{referred_table}',
  ck: 'ck_{table}_{columns}',
} satisfies NamingConvention);

/**
 * PostgreSQL's limit (63 bytes), the smallest of the built-in dialects (MySQL: 64 characters,
 * SQLite: none), so that one schema module gets the same names on each of them.
 */
export const DEFAULT_MAX_IDENTIFIER_LENGTH = 63;

/** What a template's placeholders stand for. */
export interface NameParts {
  readonly table: string;
  readonly columns: readonly string[];
  readonly referredTable?: string;
  readonly referredColumns?: readonly string[];
}

const PLACEHOLDER = /\{(table|columns|referred_table|referred_columns)\}/g;
const HASH_LENGTH = 8;
const encoder = new TextEncoder();

/** The UTF-8 length of `name`: limits are in bytes (PostgreSQL's `NAMEDATALEN`), never characters. */
export function identifierBytes(name: string): number {
  return encoder.encode(name).length;
}

/** 32-bit FNV-1a of the UTF-8 bytes, as 8 lowercase hex digits: short, stable, dependency-free. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that does not split a character. */
function headOf(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = identifierBytes(char);
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Fits a generated name into `maxBytes`: a name that fits is unchanged; a longer one becomes its
 * head, `_`, 8 hex digits of a hash of the whole name, then `suffix` (kept so that the kind stays
 * readable, e.g. `_fkey`). Distinct long names give distinct results unless their hashes collide.
 *
 * @example fitIdentifier('a'.repeat(70) + '_fkey', 63, '_fkey') // 'aaa…a_1b2c3d4e_fkey', 63 bytes
 */
export function fitIdentifier(name: string, maxBytes: number, suffix = ''): string {
  if (identifierBytes(name) <= maxBytes) return name;
  const tail = name.endsWith(suffix) ? suffix : '';
  const budget = maxBytes - identifierBytes(tail) - HASH_LENGTH - 1;
  if (budget < 1)
    throw new CairnError('USAGE', `An identifier limit of ${maxBytes} bytes is too short to name '${name}'`, {
      details: { name, maxIdentifierLength: maxBytes },
    });
  const body = name.slice(0, name.length - tail.length);
  return `${headOf(body, budget)}_${shortHash(name)}${tail}`;
}

/** The literal text after a template's last placeholder (`_fkey` of `{table}_{columns}_fkey`). */
function templateSuffix(template: string): string {
  const matches = [...template.matchAll(PLACEHOLDER)];
  const last = matches[matches.length - 1];
  return last === undefined ? template : template.slice((last.index ?? 0) + last[0].length);
}

/**
 * The conventional name of one object: the kind's template filled in, then fitted into
 * `maxIdentifierLength` bytes by `fitIdentifier`.
 *
 * @example conventionName('fk', { table: 'posts', columns: ['author_id'], referredTable: 'users' }) // 'posts_author_id_fkey'
 */
export function conventionName(
  kind: NamedObjectKind,
  parts: NameParts,
  convention: NamingConvention = DEFAULT_NAMING_CONVENTION,
  maxIdentifierLength: number = DEFAULT_MAX_IDENTIFIER_LENGTH,
): string {
  const template = convention[kind];
  const values: Readonly<Record<string, string>> = {
    table: parts.table,
    columns: parts.columns.join('_'),
    referred_table: parts.referredTable ?? '',
    referred_columns: (parts.referredColumns ?? []).join('_'),
  };
  // An empty column list (a check naming no column) must not leave a doubled or dangling `_`.
  const filled = template
    .replace(PLACEHOLDER, (_match, key: string) => values[key] ?? '')
    .replace(/_{2,}/g, '_')
    .replace(/^_|_$/g, '');
  return fitIdentifier(filled, maxIdentifierLength, templateSuffix(template));
}

/** Checks a user-supplied convention: every kind present, each template naming `{table}`. */
export function toNamingConvention(value: Partial<NamingConvention> | undefined): NamingConvention {
  if (value === undefined) return DEFAULT_NAMING_CONVENTION;
  const merged = { ...DEFAULT_NAMING_CONVENTION, ...value };
  for (const [kind, template] of Object.entries(merged))
    if (typeof template !== 'string' || !template.includes('{table}'))
      throw new CairnError('USAGE', `namingConvention.${kind} must be a template containing '{table}'`, {
        details: { argument: `namingConvention.${kind}` },
      });
  return Object.freeze(merged);
}

/**
 * The columns a check expression names, in order of first use: the identifiers (bare or
 * double-quoted, outside string literals) that are columns of the table.
 */
export function checkColumns(expression: string, columns: readonly string[]): string[] {
  const known = new Set(columns);
  const found: string[] = [];
  const token = /'(?:[^']|'')*'|"((?:[^"]|"")+)"|`([^`]+)`|([A-Za-z_][A-Za-z0-9_$]*)/g;
  for (const match of expression.matchAll(token)) {
    const name = match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3];
    if (name !== undefined && known.has(name) && !found.includes(name)) found.push(name);
  }
  return found;
}
