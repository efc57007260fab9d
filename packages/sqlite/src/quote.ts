import { CairnError } from '@cairn/core';

/**
 * Quotes an identifier for SQLite: wrapped in double quotes, embedded `"` doubled. Every name
 * cairn writes into SQLite SQL goes through here (style rule 5), keywords included, so case and
 * reserved words never matter.
 *
 * Throws `CairnError('USAGE')` for an empty name or one containing a NUL character: SQLite cuts
 * text at NUL, so the name that reached the database would differ from the one asked for.
 *
 * @example quoteIdentifier('my "table"') // '"my ""table"""'
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) {
    throw new CairnError('USAGE', 'an SQLite identifier cannot be empty; give the table or column a name', {
      details: { name },
    });
  }
  if (name.includes('\0')) {
    throw new CairnError(
      'USAGE',
      `the SQLite identifier ${JSON.stringify(name)} contains a NUL character, which SQLite would cut the name at; remove it`,
      { details: { name } },
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Renders a value as an SQLite literal, for offline (`--sql`) scripts and for the literals DDL
 * cannot bind (CHECK lists, defaults, pragma values). It renders a value the way the
 * better-sqlite3 session binds it, so offline and online runs store the same data:
 *
 * - string → `'…'` with `'` doubled (a NUL character is refused: SQLite would cut the text);
 * - finite number or bigint → its decimal text (NaN and ±Infinity are refused);
 * - boolean → `1` / `0` (SQLite has no boolean type);
 * - `null` → `NULL`;
 * - `Date` → its ISO-8601 UTC text, quoted (an invalid date is refused);
 * - `Buffer` / `Uint8Array` → `X'…'` hex blob.
 *
 * Anything else (undefined, objects, arrays, symbols) throws `CairnError('USAGE')` rather than
 * guessing a representation.
 *
 * @example quoteLiteral("it's") // "'it''s'"
 */
export function quoteLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported(value, 'SQLite has no literal for NaN or Infinity');
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unsupported(value, 'the date is invalid');
    return quoteString(value.toISOString());
  }
  if (value instanceof Uint8Array)
    return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
  throw unsupported(value, 'use a string, number, bigint, boolean, null, Date or Uint8Array');
}

function quoteString(text: string): string {
  if (text.includes('\0')) {
    throw new CairnError(
      'USAGE',
      'an SQLite string literal cannot contain a NUL character (SQLite would cut the text there); remove it or store the value as a blob',
      { details: { value: text } },
    );
  }
  return `'${text.replaceAll("'", "''")}'`;
}

function unsupported(value: unknown, hint: string): CairnError {
  const kind = value === undefined ? 'undefined' : value instanceof Date ? 'Date' : typeof value;
  return new CairnError('USAGE', `cannot render a value of type ${kind} as an SQLite literal: ${hint}`, {
    details: { type: kind },
  });
}
