import type { OptionTable } from './command.js';

/** Options every command accepts, before or after the command name. */
export const GLOBAL_OPTIONS = {
  config: {
    type: 'string',
    short: 'c',
    placeholder: 'FILE',
    description: 'configuration file (default: cairn.config.{ts,mts,js,mjs,json} found upward, or $CAIRN_CONFIG)',
  },
  url: {
    type: 'string',
    placeholder: 'URL',
    description: 'database URL (default: $DATABASE_URL, then the configuration)',
  },
  json: { type: 'boolean', description: 'print exactly one JSON object on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'print no progress or status lines' },
  verbose: { type: 'boolean', short: 'v', description: 'print more detail (and the stack of a failure)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', description: 'print the version' },
} as const satisfies OptionTable;

/** The global options after parsing. */
export interface GlobalOptions {
  readonly config: string | undefined;
  readonly url: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly version: boolean;
}
