import type { CairnError } from '../errors.js';
import {
  BACKSLASH,
  BACKTICK,
  BOM,
  CR,
  DIGIT_0,
  DIGIT_7,
  DIGIT_9,
  DOLLAR,
  DOT,
  FF,
  HASH,
  isDigit,
  LBRACE,
  LBRACKET,
  LF,
  LINE_SEPARATOR,
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
import { malformed } from './metadata-rules.js';

/**
 * A hand-written scanner for JavaScript and TypeScript source, the ground floor of
 * `parseScriptMetadata`. It walks the source once, left to right, comparing char codes (and
 * jumping over comments and plain strings with `indexOf`); it skips code by bracket matching that
 * understands strings, template literals, comments and regular-expression literals, and decodes
 * string literals. It stays hand-written rather than a parser library: `cairn heads` reads
 * thousands of files, and on 10,000 files it is 3–5× faster than any parser library.
 *
 * Known limit of any scanner that does not parse: whether `/` starts a regex is decided from the
 * previous token, so a regex literal directly after `)` or `}` (as in `if (x) /re/.test(y)`) is
 * read as a division. That only matters when the regex holds quotes, brackets or backticks.
 */

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
export const STOP_AT_VALUE_END = 0; // a `,` at depth 0 or an unmatched closer: the end of a property value
const STOP_AT_CLOSER = 1; // an unmatched closer: the `}` that ends a template's `${`
export const STOP_AT_EXPORT = 2; // the identifier `export`, at any depth

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

/**
 * Scans one file's source forward from `pos`: the lexing a reader of one construct (such as the
 * `defineMigration({ ... })` reader) builds on by extending it. Errors are `MALFORMED_MIGRATION`,
 * naming the file and the line.
 */
export class JsScanner {
  protected readonly file: string;
  protected readonly src: string;
  protected readonly end: number;
  protected pos = 0;
  /** Set by `decodeEscape`: the text an escape sequence stands for. */
  protected escaped = '';
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

  /** Reads and decodes a quoted string starting at `this.pos`. */
  protected readString(quote: number): string {
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

  /**
   * Decodes the escape sequence at `i` (a backslash) into `this.escaped` and returns the index
   * after it. `literalStart` is where the enclosing literal began, for messages.
   */
  protected decodeEscape(i: number, literalStart: number): number {
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
  protected skipCode(from: number, mode: number, what: string, start: number): number {
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
  protected skipTrivia(): void {
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
  protected readWord(word: string): boolean {
    this.skipTrivia();
    const pos = this.pos;
    if (!this.isWordAt(pos, word)) return false;
    this.pos = pos + word.length;
    return true;
  }

  protected isWordAt(pos: number, word: string): boolean {
    return this.src.startsWith(word, pos) && identEnd(this.src, pos) === pos + word.length;
  }

  protected lineOf(pos: number): number {
    let line = 1;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < pos; i = this.src.indexOf('\n', i + 1)) line++;
    return line;
  }

  protected unterminated(what: string, start: number): CairnError {
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
}

export function isIdentStart(c: number): boolean {
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

export function identEnd(src: string, from: number): number {
  let i = from;
  for (;;) {
    const c = src.charCodeAt(i);
    if (isIdentStart(c) || isDigit(c)) i++;
    else return i;
  }
}

/** End of a numeric literal, loosely: digits, letters (hex, exponents, `n`), `_` and `.`. */
export function numberEnd(src: string, from: number): number {
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
