import { CairnError } from '../errors.js';
import type { RevisionGraph } from './graph.js';
import { branchMask, resolveAbsolute, resolveBranch, walk } from './resolve.js';
import { formatTarget, parseTarget, type Target } from './target.js';
import { VersionRows } from './version-rows.js';

/** Markers shown next to a revision (Alembic's `(head)`, `(branchpoint)`…). */
export type RevisionFlag = 'head' | 'effectiveHead' | 'branchpoint' | 'mergepoint' | 'current';

/** One revision as listing commands show it. Plain data, ready for `--json`. */
export interface RevisionEntry {
  readonly revision: string;
  readonly downRevision: readonly string[];
  readonly dependsOn: readonly string[];
  /** Propagated labels (see `RevisionGraph.propagatedLabels`). */
  readonly branchLabels: readonly string[];
  /** Labels this revision declares itself. */
  readonly declaredBranchLabels: readonly string[];
  readonly message: string;
  readonly createdAt: string;
  readonly file?: string;
  /** Revisions built directly on this one. */
  readonly children: readonly string[];
  readonly flags: readonly RevisionFlag[];
}

/**
 * Describes revision `i`. `(head)` marks a resolved head, `(effectiveHead)` a plain head that
 * another revision depends on; `current` comes from `rows` when given.
 */
export function revisionEntry(graph: RevisionGraph, i: number, rows?: ReadonlySet<number>): RevisionEntry {
  const meta = graph.revisions[i]!;
  const flags: RevisionFlag[] = [];
  if (graph.isResolvedHead(i)) flags.push('head');
  else if (graph.isEffectiveHead(i)) flags.push('effectiveHead');
  if (graph.isBranchPoint(i)) flags.push('branchpoint');
  if (graph.isMergePoint(i)) flags.push('mergepoint');
  if (rows?.has(i)) flags.push('current');
  return Object.freeze({
    revision: meta.revision,
    downRevision: meta.downRevision,
    dependsOn: meta.dependsOn,
    branchLabels: graph.propagatedLabels(i),
    declaredBranchLabels: meta.branchLabels,
    message: meta.message,
    createdAt: meta.createdAt,
    ...(meta.file === undefined ? {} : { file: meta.file }),
    children: graph.ids(graph.childrenOf(i)),
    flags: Object.freeze(flags),
  });
}

/**
 * The revisions of `history -r FROM:TO`, newest first. Both ends are inclusive; an empty FROM
 * means base, an empty TO means every head; `current` stands for the version-table rows (pass
 * `rows`). A relative end counts from the other one (`ae10:+2`, `-3:head`, clamped at base).
 * FROM must be below TO, else `INVALID_RANGE`.
 */
export function history(
  graph: RevisionGraph,
  options: { readonly range?: Target | string; readonly rows?: readonly string[] } = {},
): RevisionEntry[] {
  const rowSet = options.rows === undefined ? undefined : new Set(VersionRows.fromRows(graph, options.rows).rowIndexes);
  const range = parseRange(options.range);
  const text = range ? formatTarget(range) : ':';
  const everything = new Uint8Array(graph.size).fill(1);

  const fromSpec = range?.from;
  const toSpec = range?.to;
  const ends = (spec: Target | undefined, other: number[] | undefined, clamp: boolean): number[] | undefined => {
    if (spec === undefined) return undefined;
    return endpoint(graph, spec, other, rowSet, text, clamp);
  };
  // A relative end counts from the other end, so resolve the absolute one first.
  let from: number[] | undefined;
  let to: number[] | undefined;
  if (fromSpec?.kind === 'relative' && fromSpec.anchor === undefined) {
    to = ends(toSpec, undefined, false);
    from = ends(fromSpec, to ?? graph.resolvedHeadIndexes(), true);
  } else {
    from = ends(fromSpec, undefined, false);
    to = ends(toSpec, from ?? [], false);
  }

  const required = to === undefined ? everything : graph.ancestors(to, true);
  let members = required;
  if (from !== undefined && from.length > 0) {
    const outside = from.filter((f) => !required[f]);
    if (outside.length > 0) {
      throw new CairnError(
        'INVALID_RANGE',
        `history range '${text}' does not run upward: ${graph.ids(outside).join(', ')} is not below the end of the range; write it as FROM:TO with FROM the older revision`,
        { details: { range: text } },
      );
    }
    const above = graph.descendants(from, true);
    members = required.map((m, i) => m & above[i]!);
  }
  const order = graph.applyOrder(members, to ?? graph.resolvedHeadIndexes()).reverse();
  return order.map((i) => revisionEntry(graph, i, rowSet));
}

function parseRange(range: Target | string | undefined): Extract<Target, { kind: 'range' }> | undefined {
  if (range === undefined) return undefined;
  const parsed = typeof range === 'string' ? parseTarget(range) : range;
  if (parsed.kind !== 'range') {
    throw new CairnError(
      'INVALID_RANGE',
      `history takes a range FROM:TO ('${formatTarget(parsed)}' has no ':'); e.g. 'ae10:', ':head' or 'base:current'`,
      { details: { range: formatTarget(parsed) } },
    );
  }
  return parsed;
}

function endpoint(
  graph: RevisionGraph,
  spec: Target,
  other: number[] | undefined,
  rows: ReadonlySet<number> | undefined,
  text: string,
  clamp: boolean,
): number[] {
  switch (spec.kind) {
    case 'current':
      if (!rows) {
        throw new CairnError(
          'USAGE',
          `history range '${text}' uses 'current', which needs the database's version table`,
          {
            details: { range: text },
          },
        );
      }
      return [...rows];
    case 'range':
      throw new CairnError('INVALID_RANGE', `'${text}' nests a range`, { details: { range: text } });
    case 'relative': {
      const mask = spec.branch === undefined ? undefined : branchMask(graph, spec.branch, text);
      let start: number | null;
      if (spec.anchor) {
        const found = resolveAbsolute(graph, spec.anchor, text);
        start = found[0] ?? null;
      } else {
        if (other !== undefined && other.length > 1) {
          throw new CairnError(
            'AMBIGUOUS_RELATIVE',
            `'${text}' counts from several revisions (${graph.ids(other).join(', ')}); give the other end as one revision`,
            {
              details: { range: text },
            },
          );
        }
        start = other?.[0] ?? null;
      }
      if (clamp && spec.delta < 0) {
        // `-5:c` lists from base when c has fewer than five revisions below it.
        let current = start;
        for (let k = 0; k < Math.abs(spec.delta) && current !== null; k++) {
          const parents = graph.parentsOf(current);
          if (parents.length > 1) return [current];
          current = parents[0] ?? null;
        }
        return current === null ? [] : [current];
      }
      const to = walk(graph, start, spec.delta, text, mask);
      return to === null ? [] : [to];
    }
    case 'base':
      // `L@base:` starts where branch L's own revisions start.
      return spec.branch === undefined ? [] : [graph.branchRoot(resolveBranch(graph, spec.branch, text))];
    default:
      return resolveAbsolute(graph, spec, text);
  }
}
