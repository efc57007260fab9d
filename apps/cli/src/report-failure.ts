import { isCairnError } from '@cairn/core';
import { red } from './color.js';
import { EXIT } from './exit-codes.js';
import type { Output, TextSink } from './output.js';

/** Where and how a failure is reported. */
export interface FailureReport {
  readonly out: Output;
  readonly stderr: TextSink;
  /** `-v`: add the stack (and causes) on stderr. */
  readonly verbose: boolean;
  /** ANSI colour on stderr. */
  readonly color: boolean;
}

/**
 * Prints `error` and returns the exit code: 2 for a `USAGE` error, 1 for anything else.
 *
 * A `CairnError` is expected: its message is the whole report (`FAILED: <message>` on stderr, or
 * `{"error":{"code","message","details"?}}` on stdout with `--json`). Anything else (a bug, or
 * an operating-system error such as EACCES) is reported as `internal error: <message>`, code
 * `INTERNAL`, with a hint to rerun with `--verbose`. A stack trace is printed only with
 * `--verbose`, always on stderr.
 */
export function reportFailure(error: unknown, report: FailureReport): number {
  const { out, stderr, verbose, color } = report;
  const expected = isCairnError(error);
  const message = expected ? error.message : `internal error: ${messageOf(error)}`;
  if (out.json) {
    const details = expected && Object.keys(error.details).length > 0 ? { details: error.details } : {};
    out.fail({ code: expected ? error.code : 'INTERNAL', message, ...details });
  } else {
    stderr.write(`${red('FAILED:', color)} ${message}\n`);
  }
  if (verbose) stderr.write(`${stackOf(error)}\n`);
  else if (!expected) stderr.write('Run the command again with --verbose to see where it happened.\n');
  return expected && error.code === 'USAGE' ? EXIT.usage : EXIT.failure;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stack of `error` followed by those of its causes. */
function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('Caused by:');
  }
  return parts.join('\n');
}
