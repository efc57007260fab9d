import { parseArgs } from 'node:util';
import { CairnError } from '@cairn/core';
import type { ResolvedConfig } from '@cairn/node';
import { cairnVersion, loadConfig, Project } from '@cairn/node';
import { useColor } from './color.js';
import type { CommandContext, OptionTable, ParsedArgs } from './command.js';
import { checkPositionals, parseCommandLine, usage } from './command-line.js';
import { COMMANDS, findCommand } from './command-registry.js';
import { EXIT } from './exit-codes.js';
import { GLOBAL_OPTIONS, type GlobalOptions } from './global-options.js';
import { commandHelp, generalHelp } from './help.js';
import { Output, type TextSink } from './output.js';
import { reportFailure } from './report-failure.js';
import { stepLine } from './run-migrations.js';

/** The process around `main`; every field defaults to the real one. */
export interface MainEnvironment {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdout?: TextSink & { readonly isTTY?: boolean };
  readonly stderr?: TextSink & { readonly isTTY?: boolean };
}

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 failure, 2 usage error. Never throws: every failure is printed (`FAILED: …` on
 * stderr, or `{"error":{…}}` on stdout with `--json`).
 *
 * Global options may come before or after the command name.
 */
export async function main(argv: readonly string[], environment: MainEnvironment = {}): Promise<number> {
  const cwd = environment.cwd ?? process.cwd();
  const env = environment.env ?? process.env;
  const stdout = environment.stdout ?? process.stdout;
  const stderr = environment.stderr ?? process.stderr;
  // Known before parsing, so that even a usage error is reported in the requested form.
  const early = earlyFlags(argv);
  const out = new Output(stdout, { json: early.json, quiet: early.quiet, color: useColor(stdout, env) });
  try {
    return await run(argv, cwd, env, out, stderr);
  } catch (error) {
    // In JSON mode the failure replaces any result, so stdout still holds exactly one object.
    return reportFailure(error, { out, stderr, verbose: early.verbose, color: useColor(stderr, env) });
  } finally {
    out.flush();
  }
}

async function run(
  argv: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  out: Output,
  stderr: TextSink,
): Promise<number> {
  const at = commandIndex(argv);
  const before = parseCommandLine(argv.slice(0, at < 0 ? argv.length : at), GLOBAL_OPTIONS, 'cairn');
  if (at < 0) {
    const global = globalOptions(before.values);
    if (global.version) return printVersion(out);
    if (global.help) {
      out.result({ help: generalHelp(COMMANDS) });
      out.data(generalHelp(COMMANDS));
      return EXIT.ok;
    }
    if (before.positionals.length === 0 && !out.json) {
      stderr.write(`${generalHelp(COMMANDS)}\n`);
      return EXIT.usage;
    }
    throw usage('no command given', 'cairn');
  }

  const name = argv[at]!;
  const entry = findCommand(name);
  if (entry === undefined) {
    throw new CairnError(
      'USAGE',
      `unknown command '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`,
      {
        details: { command: name },
      },
    );
  }
  const { command } = entry;
  const where = `cairn ${command.name}`;
  const table: OptionTable = { ...GLOBAL_OPTIONS, ...command.options };
  const after = parseCommandLine(argv.slice(at + 1), table, where);
  const global = globalOptions(mergeValues(before.values, after.values));
  if (global.help) {
    const text = commandHelp(entry, command);
    out.result({ help: text });
    out.data(text);
    return EXIT.ok;
  }
  if (global.version) return printVersion(out);
  checkPositionals(after.positionals, command.positionals, where);

  let config: Promise<ResolvedConfig> | undefined;
  let project: Promise<Project> | undefined;
  const loadOnce = () => {
    config ??= loadConfig(cwd, env, global);
    return config;
  };
  const context: CommandContext = {
    cwd,
    env,
    global,
    out,
    config: loadOnce,
    project: () => {
      project ??= loadOnce().then(
        (resolved) =>
          new Project(resolved, cwd, {
            onProgress: (event) => {
              if (event.kind === 'step-finished') out.progress(stepLine(event.graph, event.step));
              else if (event.kind === 'lock-waiting')
                out.progress('Waiting for the database lock: another process is migrating this database ...');
            },
          }),
      );
      return project;
    },
  };
  const options = Object.fromEntries(Object.keys(command.options).map((key) => [key, after.values[key]]));
  await command.run(context, { options, positionals: after.positionals } as ParsedArgs<OptionTable>);
  if (out.json && !out.hasResult) throw new Error(`command '${command.name}' produced no JSON result`);
  return EXIT.ok;
}

/**
 * Where the command name is: the first argument that is neither an option nor the value of a
 * global option that takes one. -1 when there is none.
 */
function commandIndex(argv: readonly string[]): number {
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseArgsTable(GLOBAL_OPTIONS),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return -1;
    if (token.kind === 'positional') return token.index;
  }
  return -1;
}

function parseArgsTable(options: OptionTable): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  return Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
}

/** `--json`, `-q` and `-v` as the user typed them, before anything can fail. */
function earlyFlags(argv: readonly string[]): { json: boolean; quiet: boolean; verbose: boolean } {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  const short = (letter: string) => args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));
  return {
    json: args.includes('--json'),
    quiet: args.includes('--quiet') || short('q'),
    verbose: args.includes('--verbose') || short('v'),
  };
}

function mergeValues(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...after };
  for (const [key, value] of Object.entries(before)) {
    if (value === true || (typeof value === 'string' && after[key] === undefined)) merged[key] = value;
  }
  return merged;
}

function globalOptions(values: Readonly<Record<string, unknown>>): GlobalOptions {
  return {
    config: values.config as string | undefined,
    url: values.url as string | undefined,
    json: values.json === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    help: values.help === true,
    version: values.version === true,
  };
}

function printVersion(out: Output): number {
  const version = cairnVersion();
  out.result({ version });
  out.data(`cairn ${version}`);
  return EXIT.ok;
}
