import type { CairnError } from '../errors.js';
import type { RevisionMeta } from '../revision/revision.js';
import {
  BACKSLASH,
  BACKTICK,
  BOM,
  COLON,
  COMMA,
  CR,
  DIGIT_0,
  DIGIT_7,
  DIGIT_9,
  DOLLAR,
  DOT,
  DQUOTE,
  FF,
  HASH,
  isDigit,
  LBRACE,
  LBRACKET,
  LF,
  LINE_SEPARATOR,
  LPAREN,
  LT,
  MINUS,
  NBSP,
  PARAGRAPH_SEPARATOR,
  RBRACE,
  RBRACKET,
  SLASH,
  SPACE,
  SQUOTE,
  STAR,
  TAB,
  UNDERSCORE,
  VT,
} from './char-codes.js';
import {
  finishRevisionMeta,
  METADATA_FIELDS,
  type MetadataDraft,
  type MetadataField,
  malformed,
  unknownKeyError,
} from './metadata-rules.js';

// The "did you mean" lookup, shared with the SQL format; its tests import it from here.
export { closestName } from './metadata-rules.js';

/**
 * Reading the metadata of a `.ts`/`.mts`/`.js`/`.mjs` migration without executing it.
 *
 * Listing, graph and planning commands must never run migration code, and `cairn heads` reads
 * thousands of files, so this is a small hand-written scanner rather than a parser: it walks
 * the source once, left to right, comparing char codes (and jumping over comments and plain
 * strings with `indexOf`), until it reaches `export default defineMigration({`, then reads that
 * object literal. Values of metadata fields must be literals; the `upgrade`/`downgrade` values
 * are skipped by bracket matching that understands strings, template literals, comments and
 * regular-expression literals.
 *
 * Known limit of any scanner that does not parse: whether `/` starts a regex is decided from the
 * previous token, so a regex literal directly after `)` or `}` (as in `if (x) /re/.test(y)`) is
 * read as a division. That only matters when the regex holds quotes, brackets or backticks.
 */

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
  const scanner = new Scanner(file, source);
  const objectStart = scanner.findDefineMigrationObject();
  return finishRevisionMeta(file, scanner.readMigrationObject(objectStart));
}

// Character classes for the code-skipping loop; ASCII is looked up in a table.
const K_OTHER = 0; // operators and other punctuation
const K_SPACE = 1;
const K_IDENT = 2;
const K_DIGIT = 3;
const K_OPEN = 4;
const K_CLOSE = 5;
const K_COMMA = 6;
const K_QUOTE = 7;
const K_BACKTICK = 8;
const K_SLASH = 9;
const K_PLUS_MINUS = 10;
const K_DOT = 11;

const ASCII_CLASS: Uint8Array = buildClassTable();

// What `skipCode` stops at.
const STOP_AT_VALUE_END = 0; // a `,` at depth 0 or an unmatched closer: the end of a property value
const STOP_AT_CLOSER = 1; // an unmatched closer: the `}` that ends a template's `${`
const STOP_AT_EXPORT = 2; // the identifier `export`, at any depth

// What the previous significant token was, which decides whether `/` starts a regex.
const PREV_OPERATOR = 0; // `/` starts a regex: `= /x/`, `( /x/`, `return /x/` (via PREV_IDENT)
const PREV_VALUE = 1; // `/` divides: `a) / 2`, `'s' / 2`, `1 / 2`
const PREV_IDENT = 2; // divides, unless the identifier is a keyword that expects an expression

/** Keywords after which an expression (and so a regex) may follow. */
const KEYWORDS_BEFORE_EXPRESSION: ReadonlySet<string> = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

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

class Scanner {
  private readonly file: string;
  private readonly src: string;
  private readonly end: number;
  private pos = 0;
  /** Set by `decodeEscape`: the text an escape sequence stands for. */
  private escaped = '';
  /** Set by `readKey`: the key had a method modifier (`async`, `get`, `set`, `*`). */
  private keyModified = false;
  // Where the next line terminators and backslash are: comments and strings are skipped with
  // `indexOf` (which is vectorised) instead of a loop over their characters.
  private readonly nextLf: NextIndex;
  private readonly nextCr: NextIndex;
  private readonly nextLineSeparator: NextIndex;
  private readonly nextParagraphSeparator: NextIndex;
  private readonly nextBackslash: NextIndex;

  constructor(file: string, src: string) {
    this.file = file;
    this.src = src;
    this.end = src.length;
    this.nextLf = new NextIndex(src, '\n');
    this.nextCr = new NextIndex(src, '\r');
    this.nextLineSeparator = new NextIndex(src, '\u2028');
    this.nextParagraphSeparator = new NextIndex(src, '\u2029');
    this.nextBackslash = new NextIndex(src, '\\');
    if (src.charCodeAt(0) === BOM) this.pos = 1;
    if (src.charCodeAt(this.pos) === HASH && src.charCodeAt(this.pos + 1) === 0x21) {
      this.pos = this.lineEnd(this.pos);
    }
  }

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

  /** Reads and decodes a quoted string starting at `this.pos`. */
  private readString(quote: number): string {
    const src = this.src;
    const start = this.pos;
    // Most strings have no escapes: find the closing quote with `indexOf` and take a slice.
    const close = src.indexOf(quote === SQUOTE ? "'" : '"', start + 1);
    if (close >= 0 && this.nextBackslash.from(start + 1) > close && this.lineEnd(start + 1) > close) {
      this.pos = close + 1;
      return src.slice(start + 1, close);
    }
    let i = start + 1;
    let chunk = i;
    let out = '';
    for (;;) {
      if (i >= this.end) throw this.unterminated('string', start);
      const c = src.charCodeAt(i);
      if (c === quote) {
        this.pos = i + 1;
        return out + src.slice(chunk, i);
      }
      if (c === BACKSLASH) {
        out += src.slice(chunk, i);
        i = this.decodeEscape(i, start);
        out += this.escaped;
        chunk = i;
      } else if (c === LF || c === CR) {
        throw this.unterminated('string', start);
      } else {
        i++;
      }
    }
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

  /**
   * Decodes the escape sequence at `i` (a backslash) into `this.escaped` and returns the index
   * after it. `literalStart` is where the enclosing literal began, for messages.
   */
  private decodeEscape(i: number, literalStart: number): number {
    const src = this.src;
    const c = src.charCodeAt(i + 1);
    switch (c) {
      case 0x6e: // n
        this.escaped = '\n';
        return i + 2;
      case 0x74: // t
        this.escaped = '\t';
        return i + 2;
      case 0x72: // r
        this.escaped = '\r';
        return i + 2;
      case 0x62: // b
        this.escaped = '\b';
        return i + 2;
      case 0x66: // f
        this.escaped = '\f';
        return i + 2;
      case 0x76: // v
        this.escaped = '\v';
        return i + 2;
      case CR: // line continuation
        this.escaped = '';
        return src.charCodeAt(i + 2) === LF ? i + 3 : i + 2;
      case LF:
      case LINE_SEPARATOR:
      case PARAGRAPH_SEPARATOR:
        this.escaped = '';
        return i + 2;
      case 0x78: {
        // x
        const value = hexValue(src, i + 2, i + 4);
        if (value < 0) throw this.badEscape(i, 4);
        this.escaped = String.fromCharCode(value);
        return i + 4;
      }
      case 0x75: {
        // u
        if (src.charCodeAt(i + 2) === LBRACE) {
          const close = src.indexOf('}', i + 3);
          const value = close < 0 || close - (i + 3) > 8 ? -1 : hexValue(src, i + 3, close);
          if (value < 0 || value > 0x10ffff) throw this.badEscape(i, close < 0 ? 3 : close + 1 - i);
          this.escaped = String.fromCodePoint(value);
          return close + 1;
        }
        const value = hexValue(src, i + 2, i + 6);
        if (value < 0) throw this.badEscape(i, 6);
        this.escaped = String.fromCharCode(value);
        return i + 6;
      }
      default:
        if (i + 1 >= this.end) throw this.unterminated('string', literalStart);
        if (c >= DIGIT_0 && c <= DIGIT_9) {
          // `\0` is NUL; octal escapes (`\1`, `\01`) and `\8`, `\9` are syntax errors in modules.
          if (c === DIGIT_0 && !isDigit(src.charCodeAt(i + 2))) {
            this.escaped = '\0';
            return i + 2;
          }
          throw this.badEscape(i, c <= DIGIT_7 ? 3 : 2);
        }
        // `\'`, `\"`, `\\`, `` \` ``, `\$` and any other character stand for themselves.
        this.escaped = src[i + 1] ?? '';
        return i + 2;
    }
  }

  /**
   * Skips code from `from` and returns the index where it stopped (see the `STOP_AT_*` modes;
   * `STOP_AT_EXPORT` returns -1 at the end of the file, the others throw). This is the hot loop:
   * one pass, one table lookup per character, no allocation except when a `/` follows an
   * identifier (the keyword check below).
   *
   * A `/` starts a regex literal when the previous significant token cannot end an expression:
   * an operator or punctuator, an opening bracket, or a keyword such as `return`. After an
   * identifier, a number, a string or a closing bracket it divides.
   */
  private skipCode(from: number, mode: number, what: string, start: number): number {
    const src = this.src;
    const end = this.end;
    let i = from;
    let depth = 0;
    let prev = PREV_OPERATOR;
    let identStart = 0;
    let identEnd = 0;
    while (i < end) {
      const c = src.charCodeAt(i);
      switch (c < 128 ? (ASCII_CLASS[c] as number) : classOfNonAscii(c)) {
        case K_SPACE:
          i++;
          break;
        case K_IDENT: {
          identStart = i;
          i++;
          while (i < end) {
            const n = src.charCodeAt(i);
            const kind = n < 128 ? (ASCII_CLASS[n] as number) : classOfNonAscii(n);
            if (kind !== K_IDENT && kind !== K_DIGIT) break;
            i++;
          }
          identEnd = i;
          if (mode === STOP_AT_EXPORT && i - identStart === 6 && src.startsWith('export', identStart))
            return identStart;
          prev = PREV_IDENT;
          break;
        }
        case K_DIGIT:
          i = numberEnd(src, i + 1);
          prev = PREV_VALUE;
          break;
        case K_DOT:
          if (isDigit(src.charCodeAt(i + 1))) {
            i = numberEnd(src, i + 1);
            prev = PREV_VALUE;
          } else {
            i++;
            prev = PREV_OPERATOR;
          }
          break;
        case K_OPEN:
          depth++;
          i++;
          prev = PREV_OPERATOR;
          break;
        case K_CLOSE:
          if (depth === 0 && mode !== STOP_AT_EXPORT) return i;
          depth--;
          i++;
          prev = PREV_VALUE;
          break;
        case K_COMMA:
          if (depth === 0 && mode === STOP_AT_VALUE_END) return i;
          i++;
          prev = PREV_OPERATOR;
          break;
        case K_QUOTE:
          i = this.skipStringAt(i, c);
          prev = PREV_VALUE;
          break;
        case K_BACKTICK:
          i = this.skipTemplateAt(i);
          prev = PREV_VALUE;
          break;
        case K_SLASH: {
          const n = src.charCodeAt(i + 1);
          if (n === SLASH) {
            i = this.lineEnd(i + 2);
          } else if (n === STAR) {
            const close = src.indexOf('*/', i + 2);
            if (close < 0) throw this.unterminated('block comment', i);
            i = close + 2;
          } else {
            const regexAllowed =
              prev === PREV_OPERATOR ||
              (prev === PREV_IDENT && KEYWORDS_BEFORE_EXPRESSION.has(src.slice(identStart, identEnd)));
            const after = regexAllowed ? regexEnd(src, i) : -1;
            if (after < 0) {
              i++;
              prev = PREV_OPERATOR;
            } else {
              i = after;
              prev = PREV_VALUE;
            }
          }
          break;
        }
        case K_PLUS_MINUS:
          // `++`/`--` leave the state as it was: `i++ / 2` divides, `x = ++i` has no slash.
          if (src.charCodeAt(i + 1) === c) {
            i += 2;
          } else {
            i++;
            prev = PREV_OPERATOR;
          }
          break;
        default:
          i++;
          prev = PREV_OPERATOR;
      }
    }
    if (mode === STOP_AT_EXPORT) return -1;
    throw this.unterminated(what, start);
  }

  /** Skips the string literal opening at `start`; returns the index after it. */
  private skipStringAt(start: number, quote: number): number {
    const src = this.src;
    const end = this.end;
    const close = src.indexOf(quote === SQUOTE ? "'" : '"', start + 1);
    if (close >= 0 && this.nextBackslash.from(start + 1) > close && this.lineEnd(start + 1) > close) return close + 1;
    let i = start + 1;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c === quote) return i + 1;
      if (c === BACKSLASH) {
        i += src.charCodeAt(i + 1) === CR && src.charCodeAt(i + 2) === LF ? 3 : 2;
      } else if (c === LF || c === CR) {
        break;
      } else {
        i++;
      }
    }
    throw this.unterminated('string', start);
  }

  /** Skips the template literal opening at `start`, substitutions included; returns the index after it. */
  private skipTemplateAt(start: number): number {
    const src = this.src;
    const end = this.end;
    let i = start + 1;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c === BACKTICK) return i + 1;
      if (c === BACKSLASH) {
        i += 2;
      } else if (c === DOLLAR && src.charCodeAt(i + 1) === LBRACE) {
        const close = this.skipCode(i + 2, STOP_AT_CLOSER, 'template literal', start);
        if (src.charCodeAt(close) !== RBRACE) {
          throw malformed(
            this.file,
            `unbalanced '${src[close]}' inside the \${...} of a template literal on line ${this.lineOf(close)}; the file is malformed`,
          );
        }
        i = close + 1;
      } else {
        i++;
      }
    }
    throw this.unterminated('template literal', start);
  }

  /** Skips whitespace and comments. */
  private skipTrivia(): void {
    const src = this.src;
    const end = this.end;
    let pos = this.pos;
    while (pos < end) {
      const c = src.charCodeAt(pos);
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        pos++;
      } else if (c === SLASH) {
        const n = src.charCodeAt(pos + 1);
        if (n === SLASH) {
          pos = this.lineEnd(pos + 2);
        } else if (n === STAR) {
          const close = src.indexOf('*/', pos + 2);
          if (close < 0) throw this.unterminated('block comment', pos);
          pos = close + 2;
        } else {
          break;
        }
      } else if (c > 0x7f ? isUnicodeSpace(c) : c === VT || c === FF) {
        pos++;
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  /** The index of the first line terminator at or after `from`, or the end of the file. */
  private lineEnd(from: number): number {
    return Math.min(
      this.nextLf.from(from),
      this.nextCr.from(from),
      this.nextLineSeparator.from(from),
      this.nextParagraphSeparator.from(from),
    );
  }

  /** Skips trivia, then consumes `word` if it is the next identifier. */
  private readWord(word: string): boolean {
    this.skipTrivia();
    const pos = this.pos;
    if (!this.isWordAt(pos, word)) return false;
    this.pos = pos + word.length;
    return true;
  }

  private isWordAt(pos: number, word: string): boolean {
    return this.src.startsWith(word, pos) && identEnd(this.src, pos) === pos + word.length;
  }

  private lineOf(pos: number): number {
    let line = 1;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < pos; i = this.src.indexOf('\n', i + 1)) line++;
    return line;
  }

  private unterminated(what: string, start: number): CairnError {
    return malformed(
      this.file,
      `unterminated ${what} starting on line ${this.lineOf(start)}; the file is truncated or malformed`,
    );
  }

  private badEscape(i: number, length: number): CairnError {
    const text = this.src.slice(i, Math.min(i + Math.min(length, 12), this.end));
    return malformed(
      this.file,
      `invalid escape sequence '${text}' on line ${this.lineOf(i)}; use \\xHH, \\uHHHH or \\u{H...} for character codes`,
    );
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

function isIdentStart(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === DOLLAR ||
    c === UNDERSCORE ||
    c === HASH ||
    c === BACKSLASH ||
    (c > 0x7f && !isUnicodeSpace(c))
  );
}

function identEnd(src: string, from: number): number {
  let i = from;
  for (;;) {
    const c = src.charCodeAt(i);
    if (isIdentStart(c) || isDigit(c)) i++;
    else return i;
  }
}

/** End of a numeric literal, loosely: digits, letters (hex, exponents, `n`), `_` and `.`. */
function numberEnd(src: string, from: number): number {
  let i = from;
  for (;;) {
    const c = src.charCodeAt(i);
    if (isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === UNDERSCORE || c === DOT) i++;
    else return i;
  }
}

function hexValue(src: string, from: number, to: number): number {
  if (to <= from || to > src.length) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    let digit: number;
    if (c >= DIGIT_0 && c <= DIGIT_9) digit = c - DIGIT_0;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) digit = c - 0x41 + 10;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The index after the regex literal (flags included) whose `/` is at `start`, or -1 when there
 * is none: a regex cannot span lines, so reaching a line break means the `/` was a division.
 */
function regexEnd(src: string, start: number): number {
  let inClass = false;
  const end = src.length;
  for (let i = start + 1; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
      if (isLineTerminator(src.charCodeAt(i))) return -1;
    } else if (isLineTerminator(c)) {
      return -1;
    } else if (c === LBRACKET) {
      inClass = true;
    } else if (c === RBRACKET) {
      inClass = false;
    } else if (c === SLASH && !inClass) {
      return identEnd(src, i + 1);
    }
  }
  return -1;
}

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(128).fill(K_OTHER);
  const assign = (chars: string, kind: number) => {
    for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = kind;
  };
  for (let c = 0; c < 128; c++) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) table[c] = K_IDENT;
  }
  assign('$_#\\', K_IDENT);
  assign('0123456789', K_DIGIT);
  assign(' \t\n\r\v\f', K_SPACE);
  assign('([{', K_OPEN);
  assign(')]}', K_CLOSE);
  assign(',', K_COMMA);
  assign(`'"`, K_QUOTE);
  assign('`', K_BACKTICK);
  assign('/', K_SLASH);
  assign('+-', K_PLUS_MINUS);
  assign('.', K_DOT);
  return table;
}

/** Outside ASCII, a character is either a Unicode space or part of an identifier. */
function classOfNonAscii(c: number): number {
  return isUnicodeSpace(c) ? K_SPACE : K_IDENT;
}

function isLineTerminator(c: number): boolean {
  return c === LF || c === CR || c === LINE_SEPARATOR || c === PARAGRAPH_SEPARATOR;
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === NBSP ||
    c === BOM ||
    c === LINE_SEPARATOR ||
    c === PARAGRAPH_SEPARATOR ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * The next index of one character, remembered: the scanner only moves forward, so each
 * `indexOf` result serves every look-up until the scanner passes it, and the total work stays
 * linear in the file's length.
 */
class NextIndex {
  private readonly src: string;
  private readonly char: string;
  private searchedFrom = 0;
  private found = -1;

  constructor(src: string, char: string) {
    this.src = src;
    this.char = char;
  }

  /** The first index of the character at or after `position`, or the string's length. */
  from(position: number): number {
    if (position < this.searchedFrom || position > this.found) {
      const index = this.src.indexOf(this.char, position);
      this.searchedFrom = position;
      this.found = index < 0 ? this.src.length : index;
    }
    return this.found;
  }
}
