import { CairnError, listForMessage } from '../errors.js';
import type { RevisionGraph } from './graph.js';
import { type AnchorTarget, formatTarget } from './target.js';

/**
 * Turns the reference part of a target (an exact id, an exact branch label, or a unique id
 * prefix) into a revision index. Unlike Alembic, an ambiguous prefix says so and lists the
 * candidates, and prefixes match ids only (never labels).
 */
export function resolveRef(graph: RevisionGraph, ref: string, target: string = ref): number {
  const exact = graph.indexOf(ref) ?? graph.labelOwner(ref);
  if (exact !== undefined) return exact;
  const candidates = graph.idsWithPrefix(ref, 11);
  if (candidates.length === 1) return graph.indexOf(candidates[0]!)!;
  if (candidates.length === 0) {
    throw new CairnError(
      'UNKNOWN_REVISION',
      `no revision matches '${ref}'${ref === target ? '' : ` (in '${target}')`}: it is not a revision id, an id prefix or a branch label; 'cairn history' lists the revisions`,
      { details: { target, ref } },
    );
  }
  const all = candidates.length > 10 ? graph.idsWithPrefix(ref) : candidates;
  throw new CairnError(
    'AMBIGUOUS_REVISION',
    `'${ref}'${ref === target ? '' : ` (in '${target}')`} is ambiguous: ${all.length} revisions start with it (${listForMessage(all)}); type more characters of the id`,
    { details: { target, ref, candidates: all } },
  );
}

/**
 * Resolves the part before `@`: a branch label, else a revision id or prefix whose lineage stands
 * for the branch. Returns the revision that defines the branch.
 */
export function resolveBranch(graph: RevisionGraph, branch: string, target: string): number {
  const owner = graph.labelOwner(branch);
  if (owner !== undefined) return owner;
  try {
    return resolveRef(graph, branch, target);
  } catch (error) {
    if (error instanceof CairnError && error.code === 'UNKNOWN_REVISION') {
      const labels = graph.labels;
      throw new CairnError(
        'UNKNOWN_BRANCH',
        `'${branch}' in '${target}' is neither a branch label nor a revision${labels.length ? `; the branch labels are ${listForMessage([...labels].sort(), 10)}` : '; this project has no branch labels'}`,
        { details: { target, branch } },
      );
    }
    throw error;
  }
}

/** Marks the revisions on the branch named by `branch` (see `RevisionGraph.lineage`). */
export function branchMask(graph: RevisionGraph, branch: string, target: string): Uint8Array {
  return graph.lineage(resolveBranch(graph, branch, target));
}

/**
 * The plural lookup: the revisions an absolute target stands for. `[]` means base (nothing).
 *
 * - `heads` → every resolved head; `L@heads` → the plain heads on branch L.
 * - `head` → the single resolved head (an effective head, one that another head depends on,
 *   does not count: upgrading the resolved head applies it anyway); `L@head` → the single plain
 *   head on branch L. Several → `MULTIPLE_HEADS`.
 * - `base` / `L@base` → nothing (callers that need the branch use it themselves).
 * - `rev`, `L@rev` → that revision, which must be on branch L.
 */
export function resolveAbsolute(
  graph: RevisionGraph,
  target: AnchorTarget,
  text: string = formatTarget(target),
): number[] {
  switch (target.kind) {
    case 'base':
      if (target.branch !== undefined) resolveBranch(graph, target.branch, text);
      return [];
    case 'heads': {
      if (target.branch === undefined) return graph.resolvedHeadIndexes();
      const mask = branchMask(graph, target.branch, text);
      return graph.headIndexes().filter((h) => mask[h]);
    }
    case 'head': {
      const heads =
        target.branch === undefined
          ? graph.resolvedHeadIndexes()
          : graph.headIndexes().filter((h) => branchMask(graph, target.branch!, text)[h]);
      if (heads.length > 1) throw multipleHeads(graph, heads, text, target.branch);
      return heads;
    }
    case 'revision': {
      const found = resolveRef(graph, target.ref, text);
      if (target.branch !== undefined && !branchMask(graph, target.branch, text)[found]) {
        throw new CairnError(
          'NOT_ON_BRANCH',
          `revision '${graph.id(found)}' is not on branch '${target.branch}' (in '${text}'): it is neither an ancestor nor a descendant of it`,
          { details: { target: text, revision: graph.id(found), branch: target.branch } },
        );
      }
      return [found];
    }
  }
}

/** The `MULTIPLE_HEADS` error for a target that needed one head and found several. */
export function multipleHeads(
  graph: RevisionGraph,
  heads: readonly number[],
  text: string,
  branch?: string,
): CairnError {
  const ids = graph.ids(heads);
  const where = branch === undefined ? 'there are' : `branch '${branch}' has`;
  return new CairnError(
    'MULTIPLE_HEADS',
    `'${text}' is ambiguous: ${where} ${ids.length} heads (${listForMessage(ids)}); name one with '<branch>@head' or its id, use 'heads' for all of them, or join them with 'cairn merge heads'`,
    { details: { target: text, heads: ids } },
  );
}

/**
 * Moves `|delta|` single steps from `start` (`null` = base, before every revision). Up follows
 * children, down follows parents; with `branch`, only revisions on that branch count. A step
 * with two ways to go (a branch point going up, a merge point going down) is `AMBIGUOUS_WALK`;
 * walking past either end is `RELATIVE_OVERWALK`. Returns `null` for base.
 */
export function walk(
  graph: RevisionGraph,
  start: number | null,
  delta: number,
  text: string,
  branch?: Uint8Array,
): number | null {
  let current = start;
  const steps = Math.abs(delta);
  for (let step = 1; step <= steps; step++) {
    let candidates: readonly number[];
    if (delta > 0) {
      candidates = current === null ? graph.baseIndexes() : graph.childrenOf(current);
    } else {
      if (current === null) throw overwalk(text, delta, step - 1);
      candidates = graph.parentsOf(current);
      if (candidates.length === 0) {
        current = null;
        continue;
      }
    }
    if (branch) candidates = candidates.filter((c) => branch[c]);
    if (candidates.length === 0) throw overwalk(text, delta, step - 1);
    if (candidates.length > 1) {
      const where = current === null ? 'base' : `'${graph.id(current)}'`;
      const what =
        delta > 0
          ? `${where} has ${candidates.length} children`
          : `${where} is a merge of ${candidates.length} parents`;
      throw new CairnError(
        'AMBIGUOUS_WALK',
        `'${text}' cannot be followed: ${what} (${listForMessage(graph.ids(candidates))}); name the branch with '<label>@${delta > 0 ? '+' : '-'}${steps}' or give a revision id`,
        {
          details: { target: text, at: current === null ? null : graph.id(current), candidates: graph.ids(candidates) },
        },
      );
    }
    current = candidates[0]!;
  }
  return current;
}

function overwalk(text: string, delta: number, done: number): CairnError {
  const dir = delta > 0 ? 'up' : 'down';
  return new CairnError(
    'RELATIVE_OVERWALK',
    `'${text}' goes ${Math.abs(delta)} step(s) ${dir}, but only ${done} ${done === 1 ? 'is' : 'are'} possible from there`,
    { details: { target: text, delta, possible: done } },
  );
}
