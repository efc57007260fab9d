import { CairnError } from '../errors.js';

/**
 * A revision target as the user wrote it, parsed once at the boundary. Internal code sees only
 * this union, never the raw string.
 *
 * `branch` is the part before `@`: a branch label, or a revision id or prefix whose lineage
 * stands for the branch (`ae10@head` = the head of the branch ae10 is on).
 */
export type Target =
  /** `heads`: every resolved head; `L@heads`: the plain heads on branch L. */
  | { readonly kind: 'heads'; readonly branch?: string }
  /** `head`: the single resolved head; `L@head`: the single head on branch L. */
  | { readonly kind: 'head'; readonly branch?: string }
  /** `base`: before the first revision; `L@base`: before branch L's own revisions. */
  | { readonly kind: 'base'; readonly branch?: string }
  /** `current`: the revisions in the version table. */
  | { readonly kind: 'current' }
  /** An id, a unique id prefix, or a branch label; `L@rev` also checks rev is on branch L. */
  | { readonly kind: 'revision'; readonly ref: string; readonly branch?: string }
  /**
   * `+N`/`-N` from the current revision, `L@+N` along branch L, or `anchor±N` from a fixed
   * point (`head-1`, `base+2`, `ae10+1`, `L@head-2`).
   */
  | { readonly kind: 'relative'; readonly delta: number; readonly anchor?: AnchorTarget; readonly branch?: string }
  /** `A:B` (either side may be empty): history ranges and offline `--sql FROM:TO`. */
  | { readonly kind: 'range'; readonly from?: Target; readonly to?: Target };

/** The fixed points a relative target can count from. */
export type AnchorTarget = Extract<Target, { kind: 'heads' | 'head' | 'base' | 'revision' }>;

const SYMBOLS = new Set(['head', 'heads', 'base', 'current']);

/**
 * Parses a target string. Throws `INVALID_TARGET` for text that is no target at all (an empty
 * string, two `@`, a zero step, `current` with a branch…); unknown ids are found later, by
 * resolution against the graph.
 *
 * @example parseTarget('shoppingcart@head') // { kind: 'head', branch: 'shoppingcart' }
 */
export function parseTarget(text: string): Target {
  const input = text.trim();
  if (input === '') throw invalid(text, 'it is empty');
  const colon = input.indexOf(':');
  if (colon >= 0) {
    if (input.indexOf(':', colon + 1) >= 0) throw invalid(text, 'a range has exactly one ":"');
    const from = input.slice(0, colon).trim();
    const to = input.slice(colon + 1).trim();
    return {
      kind: 'range',
      ...(from === '' ? {} : { from: parseSingle(from, text) }),
      ...(to === '' ? {} : { to: parseSingle(to, text) }),
    };
  }
  return parseSingle(input, text);
}

function parseSingle(input: string, original: string): Target {
  const at = input.indexOf('@');
  let branch: string | undefined;
  let rest = input;
  if (at >= 0) {
    if (input.indexOf('@', at + 1) >= 0) throw invalid(original, 'it has more than one "@"');
    branch = input.slice(0, at);
    rest = input.slice(at + 1);
    if (branch === '') throw invalid(original, 'nothing stands before "@"; write a branch label or revision there');
    if (SYMBOLS.has(branch))
      throw invalid(original, `"${branch}" cannot name a branch; write a branch label or revision before "@"`);
    if (rest === '') throw invalid(original, 'nothing follows "@"; write head, heads, base, a revision or ±N after it');
  }
  const withBranch = branch === undefined ? {} : { branch };

  const relative = /^([^+-]*)([+-])(\d+)$/.exec(rest);
  if (relative) {
    const symbol = relative[1]!;
    const steps = Number(relative[3]);
    if (!Number.isSafeInteger(steps) || steps === 0)
      throw invalid(original, 'a relative step must be a non-zero whole number');
    const delta = relative[2] === '+' ? steps : -steps;
    if (symbol === '') return { kind: 'relative', delta, ...withBranch };
    if (symbol === 'current') throw invalid(original, 'write "+N" or "-N" alone to count from the current revision');
    return { kind: 'relative', delta, anchor: parseAnchor(symbol), ...withBranch };
  }
  if (/[+-]/.test(rest))
    throw invalid(original, 'ids and labels cannot contain "+" or "-"; a relative step looks like "+2" or "head-1"');

  if (rest === 'current') {
    if (branch !== undefined) throw invalid(original, '"current" cannot be combined with a branch');
    return { kind: 'current' };
  }
  return { ...parseAnchor(rest), ...withBranch };
}

function parseAnchor(symbol: string): AnchorTarget {
  if (symbol === 'head' || symbol === 'heads' || symbol === 'base') return { kind: symbol };
  return { kind: 'revision', ref: symbol };
}

function invalid(text: string, why: string): CairnError {
  return new CairnError('INVALID_TARGET', `'${text}' is not a valid revision target: ${why}`, {
    details: { target: text },
  });
}

/** Writes a target back as text, e.g. for messages. `formatTarget(parseTarget(s))` is `s` normalised. */
export function formatTarget(target: Target): string {
  const prefix = 'branch' in target && target.branch !== undefined ? `${target.branch}@` : '';
  switch (target.kind) {
    case 'heads':
    case 'head':
    case 'base':
      return `${prefix}${target.kind}`;
    case 'current':
      return 'current';
    case 'revision':
      return `${prefix}${target.ref}`;
    case 'relative': {
      const sign = target.delta > 0 ? '+' : '-';
      const anchor = target.anchor ? formatTarget(target.anchor) : '';
      return `${prefix}${anchor}${sign}${Math.abs(target.delta)}`;
    }
    case 'range':
      return `${target.from ? formatTarget(target.from) : ''}:${target.to ? formatTarget(target.to) : ''}`;
  }
}
