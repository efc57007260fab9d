/**
 * SQL text as a list of tokens for comparison: whitespace and a redundant pair of outer
 * parentheses carry no meaning, unquoted words are case-insensitive; quoted text is kept as is.
 * This is no parser: expressions a server rewrites (PostgreSQL's casts, `BETWEEN`) still differ.
 */
export function sqlTokens(sql: string): string[] {
  const tokens: string[] = [];
  const pattern =
    /'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|<>|!=|<=|>=|\|\||::|\S/gu;
  for (const match of sql.matchAll(pattern)) {
    const token = match[0];
    tokens.push(/^[A-Za-z_]/u.test(token) ? token.toLowerCase() : token);
  }
  while (tokens[0] === '(' && tokens.at(-1) === ')' && closesAtEnd(tokens)) {
    tokens.shift();
    tokens.pop();
  }
  return tokens;
}

/** True when the `(` that opens `tokens` is closed by its last token. */
function closesAtEnd(tokens: readonly string[]): boolean {
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index] === '(') depth++;
    else if (tokens[index] === ')') depth--;
    if (depth === 0) return index === tokens.length - 1;
  }
  return false;
}

/** True when two SQL texts compare equal token by token (see `sqlTokens`). */
export function sameSql(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sqlTokens(a).join(' ') === sqlTokens(b).join(' ');
}
