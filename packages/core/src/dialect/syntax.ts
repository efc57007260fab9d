/**
 * How a dialect writes statement text, for the code that reads SQL without a database: the
 * offline script writer, which inlines parameters into their placeholders, must skip what only
 * looks like a placeholder (inside a string, a quoted name or a comment). Plain data.
 */
export interface SqlSyntax {
  /** `?` (SQLite's `?NNN` too; SQLite, MySQL) or `$1…$n` (PostgreSQL). */
  readonly placeholders: 'question' | 'dollar';
  /** `\` escapes the next character inside `'…'` and `"…"` strings (MySQL's default SQL mode). */
  readonly backslashEscapes: boolean;
  /** `#` starts a comment to the end of the line (MySQL). */
  readonly hashComments: boolean;
  /** `[…]` quotes a name (SQLite, after SQL Server). */
  readonly bracketIdentifiers: boolean;
  /** `E'…'` strings take backslash escapes (PostgreSQL). */
  readonly escapeStrings: boolean;
}
