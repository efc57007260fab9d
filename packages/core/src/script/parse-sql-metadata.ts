import type { CairnError } from '../errors.js';
import type { RevisionMeta } from '../revision/revision.js';
import { BOM, CR, MINUS, SLASH, SPACE, STAR, TAB } from './char-codes.js';
import {
  finishRevisionMeta,
  METADATA_FIELDS,
  type MetadataField,
  malformed,
  unknownKeyError,
} from './metadata-rules.js';

/**
 * Reading `.sql` migrations. The format, line by line:
 *
 * ```sql
 * -- cairn:revision ae1027a6acf0
 * -- cairn:downRevision 1975ea83b712
 * -- cairn:branchLabels shoppingcart
 * -- cairn:dependsOn c3d4e5f6a7b8
 * -- cairn:message add a column
 * -- cairn:createdAt 2026-11-22T01:56:30.000Z
 * -- cairn:transaction false
 *
 * -- cairn:up
 * CREATE TABLE account (id integer primary key);
 *
 * -- cairn:down
 * DROP TABLE account;
 * ```
 *
 * - The header (everything before `-- cairn:up`) holds only `-- cairn:<field> <value>` lines,
 *   blank lines, other `--` comment lines and `/* *\/` comments.
 * - A value is separated from its key by whitespace. `downRevision`, `branchLabels` and
 *   `dependsOn` are lists separated by commas and/or whitespace. `transaction` is `true` or
 *   `false`. Other values are trimmed, except `message`: its value is the rest of the line after
 *   one separating space or tab, kept as written, and each further `-- cairn:message` line adds
 *   a line to the message.
 * - `-- cairn:downRevision` must be present; an empty value means the first revision (a base).
 * - `-- cairn:up` is required and `-- cairn:down` optional, each at most once, `up` first. The
 *   sections run to the next marker (or the end of the file) and are returned trimmed. A
 *   `-- cairn:` line inside a section is always read as a directive, never as SQL.
 */

/** The SQL bodies of a `.sql` migration. */
export interface SqlSections {
  /** The statements under `-- cairn:up`, trimmed. */
  readonly up: string;
  /** The statements under `-- cairn:down`, trimmed; `undefined` when the file has no down section. */
  readonly down: string | undefined;
}

/**
 * Reads the metadata of a `.sql` migration (see the module comment for the format) in one pass
 * over its lines, and normalises it like `parseScriptMetadata` does.
 *
 * Throws `CairnError('MALFORMED_MIGRATION')`, message prefixed by `${file}: `, `details`
 * `{ file, field? }`: missing `revision`/`downRevision` line, a repeated field (other than
 * `message`), an unknown `-- cairn:` key (with a suggestion), a bad `transaction` or `createdAt`,
 * a duplicate list entry, SQL before `-- cairn:up`, a header line after it, or a missing,
 * repeated or misordered section marker. Bad ids or labels throw `INVALID_REVISION_ID` /
 * `INVALID_BRANCH_LABEL`.
 *
 * @example
 * ```ts
 * const meta = parseSqlMetadata('migrations/x.sql', '-- cairn:revision a1\n-- cairn:downRevision\n-- cairn:up\n');
 * meta.downRevision; // []
 * ```
 */
export function parseSqlMetadata(file: string, source: string): RevisionMeta {
  return scanSqlMigration(file, source).meta;
}

/**
 * The `up` and `down` SQL of a `.sql` migration, each trimmed (`down` is `undefined` without a
 * `-- cairn:down` marker). The header is validated exactly as by `parseSqlMetadata`, so a file
 * that lists cleanly also splits cleanly.
 *
 * @example
 * ```ts
 * const { up, down } = splitSqlSections('m.sql', '-- cairn:revision a1\n-- cairn:downRevision\n-- cairn:up\nSELECT 1;\n');
 * // up === 'SELECT 1;', down === undefined
 * ```
 */
export function splitSqlSections(file: string, source: string): SqlSections {
  const { up, down } = scanSqlMigration(file, source);
  return { up, down };
}

const HEADER = 0;
const UP = 1;
const DOWN = 2;

const DIRECTIVE = 'cairn:';
const SQL_KEYS: readonly string[] = [...METADATA_FIELDS, 'up', 'down'];
const FIELD_SET: ReadonlySet<string> = new Set(METADATA_FIELDS);
const LIST_SEPARATOR = /[\s,]+/;

interface Fields {
  revision?: string;
  downRevision?: string[];
  branchLabels?: string[];
  dependsOn?: string[];
  message?: string;
  createdAt?: string;
  transaction?: boolean;
}

function scanSqlMigration(file: string, source: string): SqlSections & { meta: RevisionMeta } {
  const end = source.length;
  const fields: Fields = {};
  let section = HEADER;
  let upStart = -1;
  let upEnd = end;
  let downStart = -1;
  let lineStart = source.charCodeAt(0) === BOM ? 1 : 0;
  let line = 0;

  for (;;) {
    line++;
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? end : newline;
    const contentEnd = lineEnd > lineStart && source.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    const first = skipBlanks(source, lineStart, contentEnd);

    if (first < contentEnd) {
      const c = source.charCodeAt(first);
      const isLineComment = c === MINUS && source.charCodeAt(first + 1) === MINUS;
      const directiveAt = isLineComment ? skipBlanks(source, first + 2, contentEnd) : -1;
      if (isLineComment && source.startsWith(DIRECTIVE, directiveAt)) {
        const keyStart = directiveAt + DIRECTIVE.length;
        let keyEnd = keyStart;
        while (keyEnd < contentEnd && !isBlank(source.charCodeAt(keyEnd))) keyEnd++;
        const key = source.slice(keyStart, keyEnd);
        const where = `line ${line}`;
        if (key === 'up') {
          expectNoValue(file, source, keyEnd, contentEnd, 'up', where);
          if (section !== HEADER) {
            const problem =
              section === UP ? "'-- cairn:up' appears twice" : "'-- cairn:up' comes after '-- cairn:down'";
            throw malformed(
              file,
              `${problem} (${where}); a file has one up section, then at most one down section`,
              'up',
            );
          }
          section = UP;
          upStart = Math.min(lineEnd + 1, end);
        } else if (key === 'down') {
          expectNoValue(file, source, keyEnd, contentEnd, 'down', where);
          if (section !== UP) {
            const problem =
              section === HEADER ? "'-- cairn:down' comes before '-- cairn:up'" : "'-- cairn:down' appears twice";
            throw malformed(
              file,
              `${problem} (${where}); a file has one up section, then at most one down section`,
              'down',
            );
          }
          section = DOWN;
          upEnd = lineStart;
          downStart = Math.min(lineEnd + 1, end);
        } else if (FIELD_SET.has(key)) {
          if (section !== HEADER) {
            throw malformed(
              file,
              `'-- cairn:${key}' (${where}) comes after '-- cairn:up'; metadata lines belong in the header, above '-- cairn:up'`,
              key,
            );
          }
          setField(file, fields, key as MetadataField, source, keyEnd, contentEnd, where);
        } else {
          throw unknownKey(file, key, where);
        }
      } else if (section === HEADER) {
        if (c === SLASH && source.charCodeAt(first + 1) === STAR) {
          // A block comment in the header: continue scanning on the line where it closes.
          const close = source.indexOf('*/', first + 2);
          if (close < 0) {
            throw malformed(
              file,
              `unterminated '/*' comment starting on line ${line}; the file is truncated or malformed`,
            );
          }
          const closeLineEnd = source.indexOf('\n', close);
          const afterClose = closeLineEnd < 0 ? end : closeLineEnd;
          line += countNewlines(source, first, close);
          const rest = skipBlanks(source, close + 2, afterClose);
          const restEnd = trimCr(source, close + 2, afterClose);
          if (rest < restEnd && !(source.charCodeAt(rest) === MINUS && source.charCodeAt(rest + 1) === MINUS)) {
            throw sqlBeforeUp(file, `line ${line}`);
          }
          if (closeLineEnd < 0) break;
          lineStart = closeLineEnd + 1;
          continue;
        }
        if (!isLineComment) throw sqlBeforeUp(file, `line ${line}`);
      }
    }

    if (newline < 0) break;
    lineStart = newline + 1;
  }

  if (section === HEADER) {
    throw malformed(
      file,
      "no '-- cairn:up' line; put the upgrade SQL after a '-- cairn:up' line (and the downgrade SQL after '-- cairn:down')",
      'up',
    );
  }
  if (fields.revision === undefined) {
    throw malformed(
      file,
      "no '-- cairn:revision <id>' line; add one to the header with the migration's unique id",
      'revision',
    );
  }
  if (fields.downRevision === undefined) {
    throw malformed(
      file,
      "no '-- cairn:downRevision' line; add it to the header with the parent id(s), or with no value for the first revision",
      'downRevision',
    );
  }
  const meta = finishRevisionMeta(file, {
    revision: fields.revision,
    downRevision: fields.downRevision,
    branchLabels: fields.branchLabels ?? [],
    dependsOn: fields.dependsOn ?? [],
    message: fields.message ?? '',
    createdAt: fields.createdAt ?? '',
    transaction: fields.transaction ?? true,
  });
  return {
    meta,
    up: source.slice(upStart, upEnd).trim(),
    down: downStart < 0 ? undefined : source.slice(downStart, end).trim(),
  };
}

function setField(
  file: string,
  fields: Fields,
  key: MetadataField,
  source: string,
  valueStart: number,
  contentEnd: number,
  where: string,
): void {
  if (key === 'message') {
    // One separating blank, then the text exactly as written, so messages survive a round trip.
    const start = valueStart < contentEnd ? valueStart + 1 : valueStart;
    const text = source.slice(start, contentEnd);
    fields.message = fields.message === undefined ? text : `${fields.message}\n${text}`;
    return;
  }
  if (fields[key] !== undefined) {
    throw malformed(file, `'-- cairn:${key}' appears more than once (${where}); keep one line`, key);
  }
  const value = source.slice(valueStart, contentEnd).trim();
  switch (key) {
    case 'revision':
      fields.revision = value;
      return;
    case 'createdAt':
      fields.createdAt = value;
      return;
    case 'transaction':
      if (value !== 'true' && value !== 'false') {
        throw malformed(file, `'-- cairn:transaction' must be 'true' or 'false', not '${value}' (${where})`, key);
      }
      fields.transaction = value === 'true';
      return;
    case 'downRevision':
    case 'branchLabels':
    case 'dependsOn':
      fields[key] = value === '' ? [] : value.split(LIST_SEPARATOR).filter((item) => item !== '');
      return;
  }
}

function expectNoValue(file: string, source: string, from: number, to: number, key: string, where: string): void {
  if (skipBlanks(source, from, to) < to) {
    throw malformed(file, `'-- cairn:${key}' takes no value (${where}); put the SQL on the lines below it`, key);
  }
}

function unknownKey(file: string, key: string, where: string): CairnError {
  if (key === '') {
    return malformed(
      file,
      `'-- cairn:' without a key (${where}); write '-- cairn:<field> <value>' with no space after the colon, or reword the comment so it does not start with 'cairn:'`,
    );
  }
  return unknownKeyError(file, key, `key '-- cairn:${key}' (${where})`, SQL_KEYS, 'keys');
}

function sqlBeforeUp(file: string, where: string): CairnError {
  return malformed(
    file,
    `SQL before '-- cairn:up' (${where}); the header holds only '-- cairn:' lines and comments, so put statements below '-- cairn:up' or '-- cairn:down'`,
  );
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function skipBlanks(source: string, from: number, to: number): number {
  let i = from;
  while (i < to && isBlank(source.charCodeAt(i))) i++;
  return i;
}

function trimCr(source: string, from: number, to: number): number {
  return to > from && source.charCodeAt(to - 1) === CR ? to - 1 : to;
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let i = source.indexOf('\n', from); i >= 0 && i < to; i = source.indexOf('\n', i + 1)) count++;
  return count;
}
