/**
 * Minimal ANSI styling. Callers decide once whether colour is on (`useColor`) and pass that
 * flag; when it is off the text comes back unchanged, so tests and pipes see plain output.
 */

/** Colour is used only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export function useColor(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function red(text: string, on: boolean): string {
  return on ? `\u001b[31m${text}\u001b[39m` : text;
}

export function green(text: string, on: boolean): string {
  return on ? `\u001b[32m${text}\u001b[39m` : text;
}

export function bold(text: string, on: boolean): string {
  return on ? `\u001b[1m${text}\u001b[22m` : text;
}
