/*
 * A small tokenizer for the `CREATE TABLE` / `CREATE INDEX` text SQLite keeps in sqlite_schema:
 * the only place constraint names, CHECK expressions, AUTOINCREMENT, index expressions and
 * partial-index predicates are recorded (dialects.md §3.5). It understands just enough SQL to
 * split a definition into its parts: quoted identifiers ("x", `x`, [x]), string literals,
 * comments and nested parentheses.
 */

/** One token with its place in the source text (so expressions can be sliced back out verbatim). */
export interface Token {
  readonly kind: 'word' | 'identifier' | 'string' | 'punct';
  /** Words upper-cased; identifiers unquoted; strings unquoted; punctuation as is. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Splits SQL into tokens, skipping whitespace and comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (ch === '"' || ch === '`' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) {
            value += ch;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j += 1;
      }
      tokens.push({ kind: ch === "'" ? 'string' : 'identifier', value, start: i, end: j + 1 });
      i = j + 1;
    } else if (ch === '[') {
      const end = sql.indexOf(']', i);
      const stop = end === -1 ? sql.length : end;
      tokens.push({ kind: 'identifier', value: sql.slice(i + 1, stop), start: i, end: stop + 1 });
      i = stop + 1;
    } else if (/[\w$\u0080-\uffff]/.test(ch)) {
      let j = i;
      while (j < sql.length && /[\w$\u0080-\uffff]/.test(sql[j]!)) j += 1;
      const text = sql.slice(i, j);
      tokens.push({ kind: 'word', value: text.toUpperCase(), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
      i += 1;
    }
  }
  return tokens;
}

/** The index of the `)` closing the `(` at `open`. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const value = tokens[i]!.kind === 'punct' ? tokens[i]!.value : '';
    if (value === '(') depth += 1;
    else if (value === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Splits tokens on commas outside parentheses. */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct') {
      if (token.value === '(') depth += 1;
      else if (token.value === ')') depth -= 1;
      else if (token.value === ',' && depth === 0) {
        parts.push(current);
        current = [];
        continue;
      }
    }
    current.push(token);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** A name token's text: an identifier's unquoted value, or a bare word as written. */
export function nameOf(token: Token, sql: string): string {
  return token.kind === 'word' ? sql.slice(token.start, token.end) : token.value;
}

/** The source text between two tokens (inclusive). */
export function textBetween(sql: string, first: Token, last: Token): string {
  return sql.slice(first.start, last.end);
}

/** True when the token is the given keyword (or punctuation). */
export function is(token: Token | undefined, value: string): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'punct') && token.value === value;
}
