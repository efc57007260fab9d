/*
 * Small readers for the SQL text MySQL and MariaDB hand back through information_schema: string
 * literals (with both `''` and backslash escapes), ENUM lists, type spellings, CHECK clauses.
 * They tokenise rather than pattern-match, so a quote or a comma inside a value cannot break them.
 */

/** MySQL's backslash escapes in string literals (default `sql_mode`); any other `\x` is `x`. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  "'": "'",
  '"': '"',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '\\': '\\',
  // `\%` and `\_` keep their backslash (they are LIKE escapes).
  '%': '\\%',
  _: '\\_',
};

/**
 * Reads the quoted string starting at `text[start]` (a `'` or `"`): `''` and backslash escapes
 * are resolved. Returns the value and the index after the closing quote, or `undefined` when
 * the literal is not closed.
 */
export function readString(text: string, start: number): { value: string; end: number } | undefined {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      value += ESCAPES[next] ?? next;
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += c;
      i += 1;
    }
  }
  return undefined;
}

/** The value of `text` when it is exactly one quoted string literal, else `undefined`. */
export function stringLiteral(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed[0] !== "'" && trimmed[0] !== '"') return undefined;
  const read = readString(trimmed, 0);
  return read !== undefined && read.end === trimmed.length ? read.value : undefined;
}

/** The members of `enum('a','b')` / `set('a','b')`, or `undefined` when `type` is not one. */
export function enumMembers(type: string, keyword: 'enum' | 'set' = 'enum'): string[] | undefined {
  const match = new RegExp(`^\\s*${keyword}\\s*\\(`, 'i').exec(type);
  if (match === null) return undefined;
  const values: string[] = [];
  let i = match[0].length;
  for (;;) {
    while (type[i] === ' ') i += 1;
    if (type[i] !== "'") return undefined;
    const read = readString(type, i);
    if (read === undefined) return undefined;
    values.push(read.value);
    i = read.end;
    while (type[i] === ' ') i += 1;
    if (type[i] === ',') {
      i += 1;
      continue;
    }
    return type[i] === ')' && type.slice(i + 1).trim() === '' ? values : undefined;
  }
}

/**
 * `text` without one pair of parentheses around all of it: `(a + 1)` → `a + 1`; `(a) + (b)` is
 * left alone. Quotes are respected.
 */
export function stripOuterParens(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) return trimmed;
  let depth = 0;
  for (let i = 0; i < trimmed.length; i += 1) {
    const c = trimmed[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = c === '`' ? trimmed.indexOf('`', i + 1) : (readString(trimmed, i)?.end ?? trimmed.length) - 1;
      if (end < 0) return trimmed;
      i = end;
      continue;
    }
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0 && i < trimmed.length - 1) return trimmed;
    }
  }
  return trimmed.slice(1, -1).trim();
}

/**
 * Removes the backticks MySQL puts around every identifier in the expressions it prints (CHECK
 * clauses, generated columns), where they are not needed: around names made of ASCII letters,
 * digits and `_`, not starting with a digit, that are not keywords of the server (`keywords`,
 * upper case). `` `ratio` >= 0 `` → `ratio >= 0`; `` `order` `` and `` `Mixed Col` `` keep
 * theirs. Without a keyword list nothing is unquoted. String literals are left untouched.
 */
export function unquoteIdentifiers(text: string, keywords: ReadonlySet<string> | undefined): string {
  if (keywords === undefined) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = readString(text, i)?.end ?? text.length;
      out += text.slice(i, end);
      i = end;
    } else if (c === '`') {
      let j = i + 1;
      let name = '';
      while (j < text.length) {
        if (text[j] === '`') {
          if (text[j + 1] === '`') {
            name += '`';
            j += 2;
            continue;
          }
          break;
        }
        name += text[j];
        j += 1;
      }
      const quoted = text.slice(i, j + 1);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !keywords.has(name.toUpperCase()) ? name : quoted;
      i = j + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Integer types whose display width (`int(11)`) carries no meaning unless ZEROFILL is set. */
const INTEGER_WIDTH = /\b(tinyint|smallint|mediumint|int|bigint)\s*\(\s*\d+\s*\)/g;

/** Spellings MySQL accepts for a type, and the one `COLUMN_TYPE` shows. */
const SYNONYMS: readonly [RegExp, string][] = [
  [/^(bool|boolean)\b/, 'tinyint(1)'],
  [/^integer\b/, 'int'],
  [/^int1\b/, 'tinyint'],
  [/^int2\b/, 'smallint'],
  [/^(int3|middleint)\b/, 'mediumint'],
  [/^int4\b/, 'int'],
  [/^int8\b/, 'bigint'],
  [/^float4\b/, 'float'],
  [/^(float8|double precision|real)\b/, 'double'],
  [/^(numeric|dec|fixed)\b/, 'decimal'],
  [/^character varying\b/, 'varchar'],
  [/^character\b/, 'char'],
];

/**
 * A type spelling in the form `information_schema.COLUMNS.COLUMN_TYPE` shows it, so that two
 * spellings of one type compare equal: lower case outside quotes, single spaces, no space
 * before `(` or after `,`, synonyms resolved (`integer` → `int`, `boolean` → `tinyint(1)`,
 * `numeric` → `decimal`, `real` → `double`), `decimal` → `decimal(10,0)`, `char` → `char(1)`,
 * and integer display widths removed (`int(11)` → `int`: MariaDB prints them, MySQL 8.0.19+
 * does not) except `tinyint(1)` and ZEROFILL columns.
 *
 * @example canonicalType('INTEGER(11) UNSIGNED') // 'int unsigned'
 */
export function canonicalType(spelling: string): string {
  const source = spelling.trim();
  const zerofill = /\bzerofill\b/i.test(source);
  // Quoted parts (ENUM and SET members) are kept as written; only the rest is rewritten.
  const parts: string[] = [];
  let plain = '';
  const flush = () => {
    let text = plain
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/ ?\( ?/g, '(')
      .replace(/ ?\)/g, ')')
      .replace(/ ?, ?/g, ',');
    if (parts.length === 0) for (const [pattern, replacement] of SYNONYMS) text = text.replace(pattern, replacement);
    if (!zerofill)
      text = text.replace(INTEGER_WIDTH, (whole, kind: string) =>
        kind === 'tinyint' && /\(\s*1\s*\)$/.test(whole) ? 'tinyint(1)' : kind,
      );
    parts.push(text);
    plain = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'" || c === '"') {
      flush();
      const end = readString(source, i)?.end ?? source.length;
      parts.push(source.slice(i, end));
      i = end;
    } else {
      plain += c;
      i += 1;
    }
  }
  flush();
  return parts
    .join('')
    .replace(/^decimal(?![(\w])/, 'decimal(10,0)')
    .replace(/^decimal\((\d+)\)/, 'decimal($1,0)')
    .replace(/^(char|binary)(?![(\w])/, '$1(1)');
}
