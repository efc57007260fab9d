import { Buffer } from 'node:buffer';
import { CairnError } from '@cairn/core';

/** PostgreSQL's identifier limit in bytes (`NAMEDATALEN` - 1); enum labels share it. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier for PostgreSQL: wrapped in double quotes, embedded `"` doubled. Every name
 * cairn writes into PostgreSQL SQL goes through here (style rule 5), keywords included, so case
 * and reserved words never matter.
 *
 * Throws `CairnError('USAGE')` for an empty name, a name containing NUL, or one longer than 63
 * bytes in UTF-8: PostgreSQL would silently truncate it (with only a NOTICE), and two long names
 * that share their first 63 bytes would later collide.
 *
 * @example quoteIdentifier('my "table"') // '"my ""table"""'
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0)
    throw new CairnError('USAGE', 'a PostgreSQL identifier cannot be empty; give the object a name', {
      details: { name },
    });
  if (name.includes('\0'))
    throw new CairnError(
      'USAGE',
      `the PostgreSQL identifier ${JSON.stringify(name)} contains a NUL character, which PostgreSQL refuses; remove it`,
      { details: { name } },
    );
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES)
    throw new CairnError(
      'USAGE',
      `the PostgreSQL identifier ${JSON.stringify(name)} is ${bytes} bytes long; PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES} bytes and would silently truncate it, so choose a name of at most ${MAX_IDENTIFIER_BYTES} bytes (UTF-8)`,
      { details: { name, bytes, maxBytes: MAX_IDENTIFIER_BYTES } },
    );
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Renders a value as a PostgreSQL literal, for offline (`--sql`) scripts and for the literals DDL
 * cannot bind (defaults, enum labels, comments):
 *
 * - string → `'…'` with `'` doubled. No `E'…'`: `standard_conforming_strings` is on (the default
 *   since 9.1), so backslashes are ordinary characters. NUL is refused (PostgreSQL text cannot
 *   hold it);
 * - finite number or bigint → its decimal text (NaN and ±Infinity are refused);
 * - boolean → `TRUE` / `FALSE`;
 * - `null` → `NULL`;
 * - `Date` → its ISO-8601 UTC text, quoted (an invalid date is refused);
 * - `Buffer` / `Uint8Array` → `'\x…'::bytea`.
 *
 * Anything else throws `CairnError('USAGE')` rather than guessing a representation.
 *
 * @example quoteLiteral("it's") // "'it''s'"
 */
export function quoteLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported(value, 'NaN and Infinity are not portable literals');
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unsupported(value, 'the date is invalid');
    return quoteString(value.toISOString());
  }
  if (value instanceof Uint8Array)
    return `'\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'::bytea`;
  throw unsupported(value, 'use a string, number, bigint, boolean, null, Date or Uint8Array');
}

function quoteString(text: string): string {
  if (text.includes('\0'))
    throw new CairnError(
      'USAGE',
      'a PostgreSQL string literal cannot contain a NUL character; remove it or store the value as bytea',
      { details: { value: text } },
    );
  return `'${text.replaceAll("'", "''")}'`;
}

function unsupported(value: unknown, hint: string): CairnError {
  const kind = value === undefined ? 'undefined' : value instanceof Date ? 'Date' : typeof value;
  return new CairnError('USAGE', `cannot render a value of type ${kind} as a PostgreSQL literal: ${hint}`, {
    details: { type: kind },
  });
}

/**
 * `DO <tag><body><tag>`: an anonymous PL/pgSQL block, dollar-quoted with a tag (`$cairn$`,
 * `$cairn1$`, …) that does not occur in `body`, so nothing in it can end the quoting early.
 *
 * @example doBlock('BEGIN NULL; END') // 'DO $cairn$BEGIN NULL; END$cairn$'
 */
export function doBlock(body: string): string {
  for (let n = 0; ; n++) {
    const tag = n === 0 ? '$cairn$' : `$cairn${n}$`;
    if (`${body}${tag}`.indexOf(tag) === body.length) return `DO ${tag}${body}${tag}`;
  }
}
