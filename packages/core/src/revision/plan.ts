import { CairnError, listForMessage } from '../errors.js';
import type { RevisionGraph } from './graph.js';
import { branchMask, resolveAbsolute, resolveBranch, walk } from './resolve.js';
import { formatTarget, parseTarget, type Target } from './target.js';
import { VersionRows, type VersionWrite } from './version-rows.js';

/** One migration to run, with the version-table writes that go in the same transaction. */
export interface PlanStep {
  readonly direction: 'up' | 'down';
  readonly revision: string;
  /** The revision's parents, for "Running upgrade a -> b" lines. */
  readonly downRevision: readonly string[];
  readonly writes: readonly VersionWrite[];
}

/** What an upgrade or downgrade will do. Plain frozen data. */
export interface Plan {
  readonly direction: 'up' | 'down';
  /** The target as given (normalised). */
  readonly target: string;
  readonly steps: readonly PlanStep[];
  readonly rowsBefore: readonly string[];
  readonly rowsAfter: readonly string[];
}

/**
 * Plans `upgrade TARGET` from the version table's `rows` (default target: `head`).
 *
 * Applies every revision the target needs that is not applied yet, each after its parents and
 * dependencies (order: `RevisionGraph.applyOrder`). A target already applied is a no-op; an
 * upgrade never removes anything. Relative targets: `+N` counts from the single current row
 * (several rows: name the branch, `L@+N`), `L@+N` along branch L, `rev+N` from rev.
 */
export function planUpgrade(graph: RevisionGraph, rows: readonly string[], target: Target | string = 'head'): Plan {
  const parsed = typeof target === 'string' ? parseTarget(target) : target;
  const text = formatTarget(parsed);
  const state = VersionRows.fromRows(graph, rows);
  const rowsBefore = state.rows();
  const targets = upgradeTargets(graph, state, parsed, text);
  assertNoOverlap(graph, targets, text);
  const needed = graph.ancestors(targets, true);
  for (let i = 0; i < needed.length; i++) if (state.isApplied(i)) needed[i] = 0;
  const steps = graph.applyOrder(needed, targets).map((i) => step(graph, i, 'up', state.up(i)));
  return freezePlan({ direction: 'up', target: text, steps, rowsBefore, rowsAfter: state.rows() });
}

/**
 * Plans `downgrade TARGET` from `rows` (default target: `-1`).
 *
 * - `rev` (or `head`, `rev@…`): reverts everything applied that is built on rev (its
 *   descendants through children and dependents); other branches stay. `L@rev` keeps the
 *   revert to the children of rev on branch L.
 * - `base`: reverts everything. `L@base`: reverts branch L's own revisions (from
 *   `RevisionGraph.branchRoot` up) and what is built on them — nothing below the branch.
 * - `-N`: N steps down from the single current row (several rows: name the branch, `L@-N`).
 *
 * Order: the reverse of the order an upgrade would apply the same revisions in. A target that is
 * neither applied nor below the rows is `INVALID_DOWNGRADE_TARGET`.
 */
export function planDowngrade(graph: RevisionGraph, rows: readonly string[], target: Target | string = '-1'): Plan {
  const parsed = typeof target === 'string' ? parseTarget(target) : target;
  const text = formatTarget(parsed);
  const state = VersionRows.fromRows(graph, rows);
  const rowsBefore = state.rows();
  const roots = downgradeRoots(graph, state, parsed, text);
  const drop = graph.descendants(roots.roots, true);
  for (let i = 0; i < drop.length; i++) if (!state.isApplied(i)) drop[i] = 0;
  if (roots.destination !== undefined && !state.isApplied(roots.destination) && !drop.includes(1)) {
    throw new CairnError(
      'INVALID_DOWNGRADE_TARGET',
      `cannot downgrade to '${text}': revision '${graph.id(roots.destination)}' is not applied and nothing applied is built on it (current: ${rowsBefore.length ? listForMessage(rowsBefore) : 'nothing'}); to move forward use 'cairn upgrade'`,
      { details: { target: text, current: rowsBefore } },
    );
  }
  const order = graph.applyOrder(drop, state.rowIndexes).reverse();
  const steps = order.map((i) => step(graph, i, 'down', state.down(i)));
  return freezePlan({ direction: 'down', target: text, steps, rowsBefore, rowsAfter: state.rows() });
}

function upgradeTargets(graph: RevisionGraph, state: VersionRows, target: Target, text: string): number[] {
  switch (target.kind) {
    case 'heads':
    case 'head':
    case 'base':
    case 'revision':
      return resolveAbsolute(graph, target, text);
    case 'current':
      return state.rowIndexes;
    case 'range':
      throw rangeNotAllowed(text);
    case 'relative': {
      const mask = target.branch === undefined ? undefined : branchMask(graph, target.branch, text);
      if (target.anchor) {
        const from = single(graph, resolveAbsolute(graph, target.anchor, text), text);
        const to = walk(graph, from, target.delta, text, mask);
        return to === null ? [] : [to];
      }
      if (target.delta < 0) {
        throw new CairnError(
          'INVALID_TARGET',
          `'${text}' moves down; use 'cairn downgrade ${text}' to revert migrations`,
          {
            details: { target: text },
          },
        );
      }
      const to = walk(graph, relativeStart(graph, state, mask, text, target.branch), target.delta, text, mask);
      return to === null ? [] : [to];
    }
  }
}

interface DowngradeRoots {
  /** Revert these and everything built on them (what is applied of it). */
  readonly roots: readonly number[];
  /** The revision the user asked to land on, when there is one, for the validity check. */
  readonly destination?: number;
}

function downgradeRoots(graph: RevisionGraph, state: VersionRows, target: Target, text: string): DowngradeRoots {
  switch (target.kind) {
    case 'base':
      if (target.branch === undefined) return { roots: graph.baseIndexes() };
      return { roots: [graph.branchRoot(resolveBranch(graph, target.branch, text))] };
    case 'current':
      return { roots: [] };
    case 'range':
      throw rangeNotAllowed(text);
    case 'heads':
    case 'head':
    case 'revision': {
      const destinations = resolveAbsolute(graph, target, text);
      const mask = target.branch === undefined ? undefined : branchMask(graph, target.branch, text);
      const roots = destinations.flatMap((d) => graph.childrenOf(d).filter((c) => !mask || mask[c]));
      return destinations.length === 1 ? { roots, destination: destinations[0]! } : { roots };
    }
    case 'relative': {
      const mask = target.branch === undefined ? undefined : branchMask(graph, target.branch, text);
      if (target.anchor) {
        const from = single(graph, resolveAbsolute(graph, target.anchor, text), text);
        const to = walk(graph, from, target.delta, text, mask);
        return to === null ? { roots: graph.baseIndexes() } : { roots: graph.childrenOf(to), destination: to };
      }
      if (target.delta > 0) {
        throw new CairnError('INVALID_TARGET', `'${text}' moves up; use 'cairn upgrade ${text}' to apply migrations`, {
          details: { target: text },
        });
      }
      const start = relativeStart(graph, state, mask, text, target.branch);
      if (start === null) {
        throw new CairnError(
          'RELATIVE_OVERWALK',
          `'${text}' counts down from the current revision, but nothing is applied${target.branch ? ` on branch '${target.branch}'` : ''}`,
          {
            details: { target: text },
          },
        );
      }
      // `-N` reverts the current revision and the N-1 below it on its line; only moving *below*
      // a revision needs a single parent, so `-1` from a merge simply unmerges.
      const last = target.delta === -1 ? start : walk(graph, start, target.delta + 1, text, mask);
      if (last === null) throw overwalkBelowBase(text, target.delta);
      return { roots: [last] };
    }
  }
}

/**
 * Where `+N` / `-N` count from: the single row (on the branch, when one is named); when the
 * branch has no row, the tip of what is applied on it; `null` when nothing on it is applied.
 * Several candidates → `AMBIGUOUS_RELATIVE` (Alembic guesses by physical row order).
 */
function relativeStart(
  graph: RevisionGraph,
  state: VersionRows,
  mask: Uint8Array | undefined,
  text: string,
  branch: string | undefined,
): number | null {
  let candidates = state.rowIndexes.filter((r) => !mask || mask[r]);
  if (candidates.length === 0 && mask) {
    // The branch has no row of its own (a later merge absorbed it): its applied tip.
    const applied = state.appliedMask();
    candidates = [];
    for (let i = 0; i < applied.length; i++) {
      if (applied[i] && mask[i] && !graph.childrenOf(i).some((c) => applied[c] && mask[c])) candidates.push(i);
    }
  }
  if (candidates.length === 0) return null;
  if (candidates.length > 1) {
    const ids = graph.ids(candidates);
    throw new CairnError(
      'AMBIGUOUS_RELATIVE',
      `'${text}' is ambiguous: the database is at ${ids.length} revisions${branch ? ` on branch '${branch}'` : ''} (${listForMessage(ids)}); name the branch, e.g. '<label>@${text.replace(/^.*@/, '')}', or give a revision id`,
      { details: { target: text, current: ids } },
    );
  }
  return candidates[0]!;
}

function overwalkBelowBase(text: string, delta: number): CairnError {
  return new CairnError(
    'RELATIVE_OVERWALK',
    `'${text}' reverts ${-delta} revisions, but fewer are applied on that line`,
    {
      details: { target: text, delta },
    },
  );
}

function single(graph: RevisionGraph, found: number[], text: string): number | null {
  if (found.length > 1) {
    throw new CairnError(
      'MULTIPLE_HEADS',
      `'${text}' counts from ${found.length} revisions (${listForMessage(graph.ids(found))}); name one`,
      {
        details: { target: text, heads: graph.ids(found) },
      },
    );
  }
  return found[0] ?? null;
}

/** Refuses targets where one includes another: `upgrade a b` with a below b means nothing sane. */
export function assertNoOverlap(graph: RevisionGraph, targets: readonly number[], text: string): void {
  if (targets.length < 2) return;
  const under = graph.ancestors(
    targets.flatMap((t) => graph.downOf(t)),
    true,
  );
  const covered = targets.filter((t) => under[t]);
  if (covered.length > 0) {
    throw new CairnError(
      'OVERLAPPING_TARGETS',
      `'${text}' names ${listForMessage(graph.ids(covered))}, which another of the requested revisions already includes; name only the newest`,
      { details: { target: text, overlapping: graph.ids(covered) } },
    );
  }
}

function rangeNotAllowed(text: string): CairnError {
  return new CairnError(
    'INVALID_TARGET',
    `'${text}' is a range; ranges are only allowed with --sql (FROM:TO) and history -r`,
    {
      details: { target: text },
    },
  );
}

function step(graph: RevisionGraph, i: number, direction: 'up' | 'down', writes: VersionWrite[]): PlanStep {
  return Object.freeze({
    direction,
    revision: graph.id(i),
    downRevision: graph.revisions[i]!.downRevision,
    writes: Object.freeze(writes.map((w) => Object.freeze(w))),
  });
}

function freezePlan(plan: Plan): Plan {
  return Object.freeze({
    ...plan,
    steps: Object.freeze([...plan.steps]),
    rowsBefore: Object.freeze([...plan.rowsBefore]),
    rowsAfter: Object.freeze([...plan.rowsAfter]),
  });
}
