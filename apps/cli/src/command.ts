import type { Project, ResolvedConfig } from '@cairn/node';
import type { GlobalOptions } from './global-options.js';
import type { Output } from './output.js';

/** One option of a command, as `--help` shows it and the parser accepts it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, without the dash. */
  readonly short?: string;
  /** The option may be given several times; its value is then always an array. */
  readonly multiple?: boolean;
  /** The placeholder shown in help for a string option, e.g. `MSG`. */
  readonly placeholder?: string;
  readonly description: string;
}

/** A table of options keyed by their long name (`'branch-label'` for `--branch-label`). */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** A positional argument. Only the last one may be `variadic`. */
export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic?: boolean;
  readonly description: string;
}

/** The parsed value of one option: string options are `undefined` when absent, lists `[]`. */
export type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string | undefined;

/** What the parser hands to a command: typed option values and the positionals in order. */
export interface ParsedArgs<O extends OptionTable> {
  readonly options: { readonly [K in keyof O]: OptionValue<O[K]> };
  readonly positionals: readonly string[];
}

/** Everything a command may use besides its own arguments. */
export interface CommandContext {
  /** The working directory every relative path is resolved against. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly global: GlobalOptions;
  readonly out: Output;
  /** Finds, loads and validates the configuration (at most once). */
  config(): Promise<ResolvedConfig>;
  /** The project over that configuration (at most once), which prints each step as it commits. */
  project(): Promise<Project>;
}

/**
 * A command of the CLI. Its module default-exports one of these and is listed in
 * `command-registry.ts`. Every command module is loaded at start-up, so one imports what only
 * its own runs need (`node:crypto`, a driver) inside `run`, not at its top level.
 */
export interface Command<O extends OptionTable = OptionTable> {
  readonly name: string;
  /** Paragraphs for `cairn <command> --help`, after the summary (which is in the registry). */
  readonly description?: string;
  readonly options: O;
  readonly positionals: readonly PositionalSpec[];
  /** What the global `-v/--verbose` changes for this command, shown in its help. */
  readonly verboseEffect?: string;
  run(context: CommandContext, args: ParsedArgs<O>): Promise<void> | void;
}

/**
 * Declares a command. Returns its argument unchanged; it exists so that the option table's
 * literal type flows into `run`'s `args`.
 */
export function defineCommand<const O extends OptionTable>(command: Command<O>): Command<O> {
  return command;
}
