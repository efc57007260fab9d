/**
 * Splits a SQL script (a `.sql` migration's up or down section) into single statements, because
 * sessions run exactly one statement per call. Semicolons inside quotes ('…', "…", `…`),
 * comments (`--`, `/* … *\/`), PostgreSQL dollar quotes (`$tag$ … $tag$`) and the body of a
 * `CREATE TRIGGER … BEGIN … END` do not end a statement. Statements are trimmed; empty ones and
 * ones holding only comments are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let hasCode = false;
  /** BEGIN…END depth inside a trigger body. */
  let depth = 0;
  const n = script.length;
  const flush = (end: number): void => {
    if (hasCode) statements.push(script.slice(start, end).trim());
    start = end + 1;
    hasCode = false;
    depth = 0;
  };
  while (i < n) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') {
      const eol = script.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      hasCode = true;
      i = skipQuoted(script, i, c);
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i, i + 64));
      if (tag) {
        hasCode = true;
        const close = script.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        continue;
      }
    }
    if (c === ';') {
      if (depth === 0) flush(i);
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(script[i - 1]!))) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i, i + 32))![0];
      const upper = word.toUpperCase();
      if (upper === 'BEGIN' && isTrigger(script.slice(start, i))) depth++;
      else if (upper === 'CASE' && depth > 0) depth++;
      else if (upper === 'END' && depth > 0) depth--;
      hasCode = true;
      i += word.length;
      continue;
    }
    if (!/\s/.test(c)) hasCode = true;
    i++;
  }
  flush(n);
  return statements;
}

function skipQuoted(script: string, at: number, quote: string): number {
  let i = at + 1;
  for (;;) {
    const close = script.indexOf(quote, i);
    if (close < 0) return script.length;
    // A doubled quote is an escaped quote.
    if (script[close + 1] === quote) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}

function isTrigger(statementSoFar: string): boolean {
  return /^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?TRIGGER\b/i.test(
    statementSoFar.replace(/^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''),
  );
}
