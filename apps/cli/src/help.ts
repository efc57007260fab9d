import type { Command, OptionSpec, OptionTable } from './command.js';
import type { CommandEntry } from './command-registry.js';
import { GLOBAL_OPTIONS } from './global-options.js';

/** `cairn --help`: the commands and the global options. */
export function generalHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: cairn <command> [options]',
    '',
    "Database migrations for TypeScript with Alembic's revision graph.",
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    "Run 'cairn <command> --help' for the options of a command.",
  ].join('\n');
}

/** `cairn <command> --help`: usage, summary, description, arguments, options, global options. */
export function commandHelp(entry: CommandEntry, command: Command): string {
  const args = command.positionals.map((p) => {
    const name = p.variadic ? `${p.name}...` : p.name;
    return p.required ? name : `[${name}]`;
  });
  const lines = [`Usage: cairn ${[command.name, '[options]', ...args].join(' ')}`, '', entry.summary];
  if (command.description) lines.push('', command.description);
  if (command.positionals.length > 0) {
    const width = Math.max(...command.positionals.map((p) => p.name.length + (p.variadic ? 3 : 0)));
    lines.push('', 'Arguments:');
    for (const p of command.positionals)
      lines.push(`  ${(p.variadic ? `${p.name}...` : p.name).padEnd(width)}  ${p.description}`);
  }
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.verboseEffect) lines.push('', `With -v/--verbose: ${command.verboseEffect}`);
  return lines.join('\n');
}

function optionLines(options: OptionTable): string[] {
  const entries = Object.entries(options).map(([name, spec]) => [flagText(name, spec), describe(spec)] as const);
  const width = Math.max(...entries.map(([flags]) => flags.length));
  return entries.map(([flags, text]) => `  ${flags.padEnd(width)}  ${text}`);
}

function flagText(name: string, spec: OptionSpec): string {
  const long = spec.type === 'string' ? `--${name} ${spec.placeholder ?? 'VALUE'}` : `--${name}`;
  return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
}

function describe(spec: OptionSpec): string {
  return spec.multiple ? `${spec.description} (repeatable)` : spec.description;
}
