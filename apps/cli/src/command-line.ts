import { parseArgs } from 'node:util';
import { CairnError } from '@cairn/core';
import type { OptionSpec, OptionTable, PositionalSpec } from './command.js';

/** The raw result of parsing: option values by long name, and positionals. */
export interface RawArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` against `options` with `node:util` `parseArgs`, then checks each token
 * itself so that every mistake becomes a `USAGE` error that names the option and `where` it was
 * given (e.g. `'cairn heads'`), with a pointer to the help.
 *
 * - unknown options, values given to flags and missing values are errors;
 * - a string option's separate value may not look like an option (`-m --json`): write
 *   `--message=--json` for that; values such as `-1` or `-2:head` are accepted;
 * - boolean options default to `false`, repeatable options to `[]`; a non-repeatable option
 *   given twice keeps the last value;
 * - everything after `--` is positional, and so is an argument that starts with `-` and a digit
 *   (`cairn downgrade -1`, `-2:head`): a relative target, as in Alembic.
 */
export function parseCommandLine(args: readonly string[], options: OptionTable, where: string): RawArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  const { tokens } = parseArgs({
    args: [...args],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, spec] of Object.entries(options))
    values[name] = spec.type === 'boolean' ? false : spec.multiple ? [] : undefined;
  const positionals: string[] = [];
  let relativeIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    // A relative target (`-1`, `-2`, `-1:head`) is an argument, not a group of short options
    // (`-1:head` would otherwise read as -1 -: -h …). No option of cairn is a digit.
    if (token.index === relativeIndex) continue;
    if (RELATIVE_TARGET.test(args[token.index] ?? '')) {
      relativeIndex = token.index;
      positionals.push(args[token.index]!);
      continue;
    }
    const spec = options[token.name];
    if (spec === undefined) throw unknownOption(token.rawName, where);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) {
        throw usage(`option ${token.rawName} of ${where} takes no value (got '${token.value}')`, where);
      }
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined) throw missingValue(token.name, spec, where);
    if (!token.inlineValue && looksLikeOption(token.value)) {
      throw usage(
        `option ${token.rawName} of ${where} needs a value, but is followed by '${token.value}'; write --${token.name}=${token.value} if that is the value`,
        where,
      );
    }
    if (spec.multiple) (values[token.name] as string[]).push(token.value);
    else values[token.name] = token.value;
  }
  return { values, positionals };
}

/** An argument that starts like a relative revision target: `-` then a digit. */
const RELATIVE_TARGET = /^-\d/;

/**
 * Checks `positionals` against `specs`: required ones present, no extra ones unless the last spec
 * is variadic. Throws `USAGE`.
 */
export function checkPositionals(
  positionals: readonly string[],
  specs: readonly PositionalSpec[],
  where: string,
): void {
  const required = specs.filter((s) => s.required).length;
  if (positionals.length < required) {
    const missing = specs[positionals.length]!;
    throw usage(`${where} needs ${missing.variadic ? 'at least one' : 'the'} ${missing.name} argument`, where);
  }
  const variadic = specs.length > 0 && specs[specs.length - 1]!.variadic === true;
  if (!variadic && positionals.length > specs.length) {
    const extra = positionals
      .slice(specs.length)
      .map((p) => `'${p}'`)
      .join(', ');
    throw usage(
      `${where} takes ${specs.length === 0 ? 'no' : `at most ${specs.length}`} argument${specs.length === 1 ? '' : 's'}; unexpected ${extra}`,
      where,
    );
  }
}

/** A `USAGE` error that ends with where to find the help for `where`. */
export function usage(message: string, where: string): CairnError {
  return new CairnError('USAGE', `${message}; run '${where} --help' for usage`, { details: { command: where } });
}

function unknownOption(rawName: string, where: string): CairnError {
  return usage(`unknown option ${rawName} for ${where}`, where);
}

function missingValue(name: string, spec: OptionSpec, where: string): CairnError {
  const shown = spec.short ? `-${spec.short}/--${name}` : `--${name}`;
  return usage(`option ${shown} of ${where} needs a value (${spec.placeholder ?? 'VALUE'})`, where);
}

/** `--x` or `-x`: an option name, not a value. Negative numbers and ranges such as `-2:head` pass. */
function looksLikeOption(value: string): boolean {
  return value.startsWith('--') ? value.length > 2 : /^-[A-Za-z]/.test(value);
}
