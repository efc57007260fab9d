import { Buffer } from 'node:buffer';
import { CairnError } from '@cairn/core';

/**
 * MySQL's and MariaDB's identifier limit, in characters: tables, columns, indexes and
 * constraints (a 65-character name fails with "Identifier name … is too long").
 */
export const MAX_IDENTIFIER_LENGTH = 64;

/**
 * Quotes an identifier for MySQL/MariaDB: wrapped in backticks, embedded backticks doubled.
 * Backticks work whatever the `sql_mode` (`ANSI_QUOTES` only changes what `"` means). Every name
 * cairn writes into MySQL SQL goes through here, keywords included, so reserved words never
 * matter.
 *
 * Throws `CairnError('USAGE')` naming the identifier, never truncating it, when it is:
 * - empty, or contains a NUL character (MySQL refuses both);
 * - longer than 64 characters (MySQL's limit for every object cairn names);
 * - ends with a space (MySQL refuses such table and column names);
 * - contains a character outside the Basic Multilingual Plane (an emoji, for instance), which
 *   MySQL does not allow in identifiers.
 *
 * @example quoteIdentifier('my `table`') // '`my ``table```'
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0)
    throw new CairnError('USAGE', 'a MySQL identifier cannot be empty; give the object a name', { details: { name } });
  if (name.includes('\0'))
    throw new CairnError(
      'USAGE',
      `the MySQL identifier ${JSON.stringify(name)} contains a NUL character, which MySQL refuses; remove it`,
      { details: { name } },
    );
  // Supplementary characters are two UTF-16 units; MySQL identifiers allow only U+0001..U+FFFF.
  if (/[\uD800-\uDFFF]/.test(name))
    throw new CairnError(
      'USAGE',
      `the MySQL identifier ${JSON.stringify(name)} contains a character outside the Basic Multilingual Plane (such as an emoji), which MySQL does not allow in names; choose another name`,
      { details: { name } },
    );
  if (name.length > MAX_IDENTIFIER_LENGTH)
    throw new CairnError(
      'USAGE',
      `the MySQL identifier ${JSON.stringify(name)} is ${name.length} characters long; MySQL and MariaDB allow at most ${MAX_IDENTIFIER_LENGTH}, so choose a shorter name (cairn never truncates names)`,
      { details: { name, length: name.length, maxLength: MAX_IDENTIFIER_LENGTH } },
    );
  if (name.endsWith(' '))
    throw new CairnError(
      'USAGE',
      `the MySQL identifier ${JSON.stringify(name)} ends with a space, which MySQL does not allow in names; remove the trailing space`,
      { details: { name } },
    );
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * Renders a value as a MySQL literal, for offline (`--sql`) scripts and for the literals DDL
 * cannot bind (defaults, comments, enum labels):
 *
 * - string → `'…'` with `'` doubled, `\` doubled and NUL written `\0`. This assumes the default
 *   `sql_mode`, in which backslash is an escape character: under `NO_BACKSLASH_ESCAPES` a doubled
 *   backslash would store two. `openMysql` removes that mode from cairn's own connection for
 *   this reason; a script printed with `--sql` must run without it;
 * - finite number or bigint → its decimal text (NaN and ±Infinity are refused);
 * - boolean → `TRUE` / `FALSE` (MySQL's names for 1 and 0);
 * - `null` → `NULL`;
 * - `Date` → `'YYYY-MM-DD HH:MM:SS.ffffff'` in UTC, the form a `datetime(6)` column accepts
 *   (MySQL refuses ISO-8601 text with a `Z`); cairn's connections run with `time_zone` UTC;
 * - `Buffer` / `Uint8Array` → `X'…'` hex.
 *
 * Anything else throws `CairnError('USAGE')` rather than guessing a representation.
 *
 * @example quoteLiteral("it's C:\\") // "'it''s C:\\\\'"
 */
export function quoteLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported(value, 'MySQL has no literal for NaN or Infinity');
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unsupported(value, 'the date is invalid');
    return quoteString(mysqlDateTime(value));
  }
  if (value instanceof Uint8Array)
    return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
  throw unsupported(value, 'use a string, number, bigint, boolean, null, Date or Uint8Array');
}

/**
 * A date as `YYYY-MM-DD HH:MM:SS.ffffff` in UTC: what a `datetime(6)` column accepts and shows.
 *
 * @example mysqlDateTime(new Date('2026-01-02T03:04:05.678Z')) // '2026-01-02 03:04:05.678000'
 */
export function mysqlDateTime(date: Date): string {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z (or ±YYYYYY- for far years, which MySQL refuses anyway)
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''").replaceAll('\0', '\\0')}'`;
}

function unsupported(value: unknown, hint: string): CairnError {
  const kind = value === undefined ? 'undefined' : value instanceof Date ? 'Date' : typeof value;
  return new CairnError('USAGE', `cannot render a value of type ${kind} as a MySQL literal: ${hint}`, {
    details: { type: kind },
  });
}
