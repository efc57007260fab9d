/**
 * The char codes the migration-file readers compare against: comparing numbers avoids allocating
 * a one-character string per step.
 */

export const TAB = 0x09;
export const LF = 0x0a;
export const VT = 0x0b;
export const FF = 0x0c;
export const CR = 0x0d;
export const SPACE = 0x20;
export const DQUOTE = 0x22;
export const HASH = 0x23;
export const DOLLAR = 0x24;
export const SQUOTE = 0x27;
export const LPAREN = 0x28;
export const STAR = 0x2a;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const SLASH = 0x2f;
export const DIGIT_0 = 0x30;
export const DIGIT_7 = 0x37;
export const DIGIT_9 = 0x39;
export const COLON = 0x3a;
export const LT = 0x3c;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RBRACKET = 0x5d;
export const UNDERSCORE = 0x5f;
export const BACKTICK = 0x60;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const NBSP = 0xa0;
export const LINE_SEPARATOR = 0x2028;
export const PARAGRAPH_SEPARATOR = 0x2029;
export const BOM = 0xfeff;

export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}
