import type { CairnError } from '../errors.js';
import type { RevisionMeta } from '../revision/revision.js';
import {
  BACKSLASH,
  BACKTICK,
  COLON,
  COMMA,
  CR,
  DOLLAR,
  DOT,
  DQUOTE,
  isDigit,
  LBRACE,
  LBRACKET,
  LF,
  LPAREN,
  LT,
  MINUS,
  RBRACE,
  RBRACKET,
  SQUOTE,
  STAR,
} from './char-codes.js';
import { identEnd, isIdentStart, JsScanner, numberEnd, STOP_AT_EXPORT, STOP_AT_VALUE_END } from './js-scanner.js';
import {
  finishRevisionMeta,
  METADATA_FIELDS,
  type MetadataDraft,
  type MetadataField,
  malformed,
  unknownKeyError,
} from './metadata-rules.js';

/**
 * Reading the metadata of a `.ts`/`.mts`/`.js`/`.mjs` migration without executing it.
 *
 * Listing, graph and planning commands must never run migration code, and `cairn heads` reads
 * thousands of files, so this is not a parser: the scanner (`js-scanner.ts`) skips code until it
 * reaches `export default defineMigration({`, and the reader here reads that object literal on
 * top of it. Values of metadata fields must be literals; the `upgrade`/`downgrade` values are
 * skipped by the scanner's bracket matching. What the values must then satisfy is the same for
 * every format (`metadata-rules.ts`).
 */

// The "did you mean" lookup, shared with the SQL format; its tests import it from here.
export { closestName } from './metadata-rules.js';

/** Every key `defineMigration({...})` accepts: the metadata fields, then the two functions. */
const SCRIPT_KEYS: readonly string[] = [...METADATA_FIELDS, 'upgrade', 'downgrade'];

/**
 * Reads the metadata of a script migration (`.ts`, `.mts`, `.js`, `.mjs`) without executing it.
 *
 * The file must contain `export default defineMigration({ ... })` with the object literal
 * written in place. Metadata values must be literals: strings (single, double or backtick
 * quoted, without `${}`), `null`, `true`/`false`, or arrays of strings; `as const` after a
 * value is accepted. `upgrade`/`downgrade` may be methods, arrow functions, function
 * expressions or shorthand properties; their code is skipped, never evaluated.
 *
 * Normalisation: `downRevision` `null`/`''` → `[]`, a string → `[s]`; `branchLabels` and
 * `dependsOn` likewise (absent or `null` → `[]`); `message` defaults to `''`, `createdAt` to
 * `''` (else normalised to UTC ISO form), `transaction` to `true`; `file` is set to `file`.
 *
 * Throws `CairnError('MALFORMED_MIGRATION')` — message prefixed by `${file}: `, `details`
 * `{ file, field? }` — when the default export is missing, a value is not a literal or has the
 * wrong type, `revision` or `downRevision` is missing, a key is duplicated or unknown (with a
 * suggestion), a list repeats an entry, `createdAt` is not an ISO-8601 date, or the file is
 * truncated. Bad ids or labels throw `INVALID_REVISION_ID` / `INVALID_BRANCH_LABEL`.
 *
 * @param file the path used in messages and stored in `meta.file`
 * @param source the file's text
 * @example
 * ```ts
 * const meta = parseScriptMetadata(
 *   'migrations/20261122015630_ae1027a6acf0_init.ts',
 *   "export default defineMigration({ revision: 'ae1027a6acf0', downRevision: null, async upgrade() {} });",
 * );
 * meta.downRevision; // []
 * ```
 */
export function parseScriptMetadata(file: string, source: string): RevisionMeta {
  const reader = new DefineMigrationReader(file, source);
  const objectStart = reader.findDefineMigrationObject();
  return finishRevisionMeta(file, reader.readMigrationObject(objectStart));
}

/** The literal forms a metadata value may take. */
type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly value: readonly string[] }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number' };

/** What each field accepts, for messages. */
const EXPECTED: Readonly<Record<MetadataField, string>> = {
  revision: 'a string',
  downRevision: 'null, a string or an array of strings',
  branchLabels: 'a string or an array of strings',
  dependsOn: 'a string or an array of strings',
  message: 'a string',
  createdAt: 'an ISO-8601 date string',
  transaction: 'true or false',
};

const NOT_EXECUTED_HINT =
  'cairn reads metadata without running the file, so write the value itself (not a variable or expression)';

/** Reads the `defineMigration({ ... })` object literal of one script migration. */
class DefineMigrationReader extends JsScanner {
  /** Set by `readKey`: the key had a method modifier (`async`, `get`, `set`, `*`). */
  private keyModified = false;

  /**
   * Scans the code up to `export default defineMigration(` and returns the position of the `{`
   * that opens its argument. Scanning (rather than searching for the text) is what keeps
   * comments and strings that mention `defineMigration({` from matching.
   */
  findDefineMigrationObject(): number {
    let from = this.pos;
    for (;;) {
      const at = this.skipCode(from, STOP_AT_EXPORT, 'file', from);
      if (at < 0) {
        throw malformed(
          this.file,
          "no 'export default defineMigration({ ... })' found; a migration file must default-export a defineMigration call whose argument is an object literal, so that cairn can read its metadata without running it",
        );
      }
      this.pos = at + 'export'.length;
      if (!this.readWord('default')) {
        from = this.pos;
        continue;
      }
      if (this.readWord('defineMigration')) {
        this.skipTrivia();
        if (this.src.charCodeAt(this.pos) === LPAREN) {
          this.pos++;
          this.skipTrivia();
          if (this.src.charCodeAt(this.pos) === LBRACE) return this.pos;
          throw malformed(
            this.file,
            `the argument of defineMigration (line ${this.lineOf(this.pos)}) is not an object literal; write 'export default defineMigration({ revision: ..., downRevision: ..., ... })' with the object in place, because cairn reads metadata without running the file`,
          );
        }
      }
      throw malformed(
        this.file,
        `the default export (line ${this.lineOf(at)}) is not a 'defineMigration({ ... })' call; write 'export default defineMigration({ revision: ..., downRevision: ..., ... })' so that cairn can read the metadata without running the file`,
      );
    }
  }

  /** Reads the object literal that starts at `start` (a `{`) into a draft. */
  readMigrationObject(start: number): MetadataDraft {
    // Indexed like SCRIPT_KEYS; a bit mask records the keys seen. No map per file.
    const values: (Literal | undefined)[] = [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ];
    let seen = 0;
    this.pos = start + 1;
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.end) throw this.unterminated('defineMigration({ ... }) object', start);
      const c = this.src.charCodeAt(this.pos);
      if (c === RBRACE) break;
      const keyStart = this.pos;
      const key = this.readKey();
      const modified = this.keyModified;
      const index = SCRIPT_KEYS.indexOf(key);
      if (index < 0) throw this.unknownKey(key, keyStart);
      if ((seen & (1 << index)) !== 0) {
        throw malformed(this.file, `field '${key}' appears twice (line ${this.lineOf(keyStart)}); keep only one`, key);
      }
      seen |= 1 << index;
      this.skipTrivia();
      const after = this.src.charCodeAt(this.pos);
      if (index >= METADATA_FIELDS.length) {
        this.skipFunctionValue(key, after, modified, keyStart);
      } else {
        if (modified || after !== COLON) throw notLiteral(this.file, key as MetadataField);
        this.pos++;
        values[index] = this.readLiteral(key as MetadataField);
      }
      this.skipTrivia();
      const separator = this.src.charCodeAt(this.pos);
      if (separator === COMMA) this.pos++;
      else if (separator !== RBRACE) {
        if (this.pos >= this.end) throw this.unterminated('defineMigration({ ... }) object', start);
        throw malformed(
          this.file,
          `unexpected text after field '${key}' on line ${this.lineOf(this.pos)}; fields of defineMigration({ ... }) are separated by commas`,
          key,
        );
      }
    }
    return this.toDraft(values);
  }

  private toDraft(values: readonly (Literal | undefined)[]): MetadataDraft {
    const file = this.file;
    const [revision, downRevision, branchLabels, dependsOn, message, createdAt, transaction] = values;
    if (revision === undefined) {
      throw malformed(
        file,
        "field 'revision' is missing; every migration needs a unique id, e.g. revision: 'ae1027a6acf0'",
        'revision',
      );
    }
    if (downRevision === undefined) {
      throw malformed(
        file,
        "field 'downRevision' is missing; use null for the first revision, the parent's id otherwise, or an array of ids for a merge",
        'downRevision',
      );
    }
    return {
      revision: stringValue(file, 'revision', revision),
      downRevision: listValue(file, 'downRevision', downRevision),
      branchLabels: optionalList(file, 'branchLabels', branchLabels),
      dependsOn: optionalList(file, 'dependsOn', dependsOn),
      message: optionalString(file, 'message', message),
      createdAt: optionalString(file, 'createdAt', createdAt),
      transaction: optionalBoolean(file, 'transaction', transaction),
    };
  }

  /**
   * Reads a property key, including the `async`/`get`/`set`/`*` modifiers of a method, and sets
   * `keyModified` when a modifier was present (so the value is a method, not a literal). Known
   * identifier keys come back as the `SCRIPT_KEYS` strings themselves, without slicing.
   */
  private readKey(): string {
    const src = this.src;
    this.keyModified = false;
    let c = src.charCodeAt(this.pos);
    if (c === STAR) {
      this.keyModified = true;
      this.pos++;
      this.skipTrivia();
      c = src.charCodeAt(this.pos);
    }
    if (isIdentStart(c)) {
      const start = this.pos;
      this.pos = identEnd(src, start + 1);
      const length = this.pos - start;
      for (const known of SCRIPT_KEYS) {
        if (known.length === length && src.startsWith(known, start)) return known;
      }
      const word = src.slice(start, this.pos);
      if (!this.keyModified && (word === 'async' || word === 'get' || word === 'set')) {
        // `async upgrade() {}` versus a key literally named `async`: a modifier is followed by
        // another key, never by `(`, `:`, `,` or `}`.
        this.skipTrivia();
        const following = src.charCodeAt(this.pos);
        if (
          following !== LPAREN &&
          following !== COLON &&
          following !== COMMA &&
          following !== RBRACE &&
          following !== LT
        ) {
          const inner = this.readKey();
          this.keyModified = true;
          return inner;
        }
      }
      return word;
    }
    if (c === SQUOTE || c === DQUOTE) return this.readString(c);
    if (isDigit(c)) {
      const start = this.pos;
      this.pos = numberEnd(src, start);
      return src.slice(start, this.pos);
    }
    const line = this.lineOf(this.pos);
    if (c === LBRACKET) {
      throw malformed(
        this.file,
        `computed key on line ${line} in defineMigration({ ... }); write each field name literally, because cairn reads metadata without running the file`,
      );
    }
    if (c === DOT) {
      throw malformed(
        this.file,
        `spread ('...') on line ${line} in defineMigration({ ... }); write each field literally in the object, because cairn reads metadata without running the file`,
      );
    }
    if (this.pos >= this.end) throw this.unterminated('defineMigration({ ... }) object', this.pos);
    throw malformed(
      this.file,
      `unexpected character '${src[this.pos]}' on line ${line} where a field name was expected in defineMigration({ ... }); the file may be truncated or malformed`,
    );
  }

  /** Skips the value of `upgrade`/`downgrade` in any of the forms an object literal allows. */
  private skipFunctionValue(key: string, after: number, modified: boolean, keyStart: number): void {
    if (after === COLON && !modified) {
      this.pos++;
    } else if (after === COMMA || after === RBRACE) {
      if (modified) {
        throw malformed(this.file, `method '${key}' on line ${this.lineOf(keyStart)} has no body`, key);
      }
      return;
    } else if (after !== LPAREN && after !== LT) {
      if (this.pos >= this.end) throw this.unterminated(`'${key}' function`, keyStart);
      throw malformed(
        this.file,
        `unexpected text after '${key}' on line ${this.lineOf(this.pos)}; write '${key}: async (ctx) => { ... }' or 'async ${key}(ctx) { ... }'`,
        key,
      );
    }
    this.pos = this.skipCode(this.pos, STOP_AT_VALUE_END, `'${key}' function`, keyStart);
    const stop = this.src.charCodeAt(this.pos);
    if (stop !== COMMA && stop !== RBRACE) {
      throw malformed(
        this.file,
        `unbalanced '${String.fromCharCode(stop)}' in '${key}' on line ${this.lineOf(this.pos)}; the file is malformed`,
        key,
      );
    }
  }

  /** Reads one metadata value, which must be a literal followed by `,` or `}`. */
  private readLiteral(field: MetadataField): Literal {
    this.skipTrivia();
    const src = this.src;
    const start = this.pos;
    const c = src.charCodeAt(start);
    let literal: Literal;
    if (c === SQUOTE || c === DQUOTE) {
      literal = { kind: 'string', value: this.readString(c) };
    } else if (c === BACKTICK) {
      literal = { kind: 'string', value: this.readTemplate(field) };
    } else if (c === LBRACKET) {
      literal = { kind: 'array', value: this.readStringArray(field) };
    } else if (isDigit(c) || (c === MINUS && isDigit(src.charCodeAt(start + 1)))) {
      this.pos = numberEnd(src, start + 1);
      literal = { kind: 'number' };
    } else if (isIdentStart(c)) {
      this.pos = identEnd(src, start + 1);
      const word = src.slice(start, this.pos);
      if (word === 'null') literal = { kind: 'null' };
      else if (word === 'true' || word === 'false') literal = { kind: 'boolean', value: word === 'true' };
      else throw notLiteral(this.file, field);
    } else if (start >= this.end) {
      throw this.unterminated('defineMigration({ ... }) object', start);
    } else {
      throw notLiteral(this.file, field);
    }
    this.skipTrivia();
    if (this.src.startsWith('as', this.pos) && identEnd(src, this.pos) === this.pos + 2) {
      this.pos += 2;
      this.skipTrivia();
      const constStart = this.pos;
      if (!this.src.startsWith('const', constStart) || identEnd(src, constStart) !== constStart + 5) {
        throw notLiteral(this.file, field);
      }
      this.pos = constStart + 5;
      this.skipTrivia();
    }
    const next = src.charCodeAt(this.pos);
    if (next !== COMMA && next !== RBRACE) {
      if (this.pos >= this.end) throw this.unterminated('defineMigration({ ... }) object', start);
      throw notLiteral(this.file, field);
    }
    return literal;
  }

  /** Reads `['a', "b", `c`,]` — only string elements are allowed. */
  private readStringArray(field: MetadataField): string[] {
    const src = this.src;
    const start = this.pos;
    const items: string[] = [];
    this.pos++;
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.end) throw this.unterminated('array', start);
      const c = src.charCodeAt(this.pos);
      if (c === RBRACKET) break;
      if (c === SQUOTE || c === DQUOTE) items.push(this.readString(c));
      else if (c === BACKTICK) items.push(this.readTemplate(field));
      else if (c === COMMA) {
        throw malformed(
          this.file,
          `field '${field}' has an empty array element on line ${this.lineOf(this.pos)}; remove the extra comma`,
          field,
        );
      } else if (
        isDigit(c) ||
        this.isWordAt(this.pos, 'null') ||
        this.isWordAt(this.pos, 'true') ||
        this.isWordAt(this.pos, 'false')
      ) {
        throw wrongType(this.file, field, `array element ${items.length + 1} is not a string`);
      } else throw notLiteral(this.file, field);
      this.skipTrivia();
      const separator = src.charCodeAt(this.pos);
      if (separator === COMMA) this.pos++;
      else if (separator === RBRACKET) break;
      else if (this.pos >= this.end) throw this.unterminated('array', start);
      else throw notLiteral(this.file, field);
    }
    this.pos++;
    return items;
  }

  /** Reads and decodes a template literal that has no `${}` substitution. */
  private readTemplate(field: MetadataField): string {
    const src = this.src;
    const start = this.pos;
    let i = start + 1;
    let chunk = i;
    let out = '';
    for (;;) {
      if (i >= this.end) throw this.unterminated('template literal', start);
      const c = src.charCodeAt(i);
      if (c === BACKTICK) {
        this.pos = i + 1;
        return out + src.slice(chunk, i);
      }
      if (c === BACKSLASH) {
        out += src.slice(chunk, i);
        i = this.decodeEscape(i, start);
        out += this.escaped;
        chunk = i;
      } else if (c === DOLLAR && src.charCodeAt(i + 1) === LBRACE) {
        throw notLiteral(this.file, field, ` (a template literal with \${...} is an expression)`);
      } else if (c === CR) {
        // A template's CR and CRLF line breaks mean LF, as in JavaScript itself.
        out += `${src.slice(chunk, i)}\n`;
        i += src.charCodeAt(i + 1) === LF ? 2 : 1;
        chunk = i;
      } else {
        i++;
      }
    }
  }

  private unknownKey(key: string, at: number): CairnError {
    return unknownKeyError(
      this.file,
      key,
      `field '${key}' on line ${this.lineOf(at)} in defineMigration({ ... })`,
      SCRIPT_KEYS,
      'fields',
    );
  }
}

function notLiteral(file: string, field: MetadataField, why = ''): CairnError {
  return malformed(file, `field '${field}' must be a literal: ${EXPECTED[field]}${why}; ${NOT_EXECUTED_HINT}`, field);
}

function wrongType(file: string, field: MetadataField, got: string): CairnError {
  const hint = field === 'downRevision' ? '; use null for the first revision' : '';
  return malformed(file, `field '${field}' must be ${EXPECTED[field]}, but ${got}${hint}`, field);
}

function describe(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return 'it is a string';
    case 'array':
      return 'it is an array';
    case 'null':
      return 'it is null';
    case 'boolean':
      return `it is ${literal.value}`;
    case 'number':
      return 'it is a number';
  }
}

function stringValue(file: string, field: MetadataField, literal: Literal): string {
  if (literal.kind !== 'string') throw wrongType(file, field, describe(literal));
  return literal.value;
}

function listValue(file: string, field: MetadataField, literal: Literal): readonly string[] {
  if (literal.kind === 'null') return [];
  if (literal.kind === 'string') return literal.value === '' ? [] : [literal.value];
  if (literal.kind === 'array') return literal.value;
  throw wrongType(file, field, describe(literal));
}

function optionalList(file: string, field: MetadataField, literal: Literal | undefined): readonly string[] {
  return literal === undefined ? [] : listValue(file, field, literal);
}

function optionalString(file: string, field: MetadataField, literal: Literal | undefined): string {
  return literal === undefined ? '' : stringValue(file, field, literal);
}

function optionalBoolean(file: string, field: MetadataField, literal: Literal | undefined): boolean {
  if (literal === undefined) return true;
  if (literal.kind !== 'boolean') throw wrongType(file, field, describe(literal));
  return literal.value;
}
