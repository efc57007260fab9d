import { CairnError, listForMessage } from '../errors.js';
import type { RevisionGraph } from './graph.js';
import { multipleHeads, resolveAbsolute, resolveBranch } from './resolve.js';
import { formatTarget, parseTarget, type Target } from './target.js';
import { VersionRows, type VersionWrite } from './version-rows.js';

/** What `stamp` writes to the version table, without running any migration. */
export interface StampPlan {
  readonly targets: readonly string[];
  readonly purge: boolean;
  readonly writes: readonly VersionWrite[];
  readonly rowsBefore: readonly string[];
  readonly rowsAfter: readonly string[];
}

/**
 * Plans `stamp TARGET...`. Each target replaces the rows on its lineage (rows that are its
 * ancestors or descendants, dependencies included; `base` replaces every row, `L@base` the rows
 * on branch L); rows on unrelated branches stay. `purge` starts from an empty table and
 * ignores the current rows entirely, even ones no file defines.
 *
 * Writes are paired per target: the rows it replaces are deleted but the last, which is
 * updated to the target; a target replacing nothing is inserted. Refuses (`STAMP_OVERLAP`) a
 * result where one row stands under another, which Alembic accepts and then fails on.
 */
export function planStamp(
  graph: RevisionGraph,
  rows: readonly string[],
  targets: readonly (Target | string)[],
  options: { readonly purge?: boolean } = {},
): StampPlan {
  const purge = options.purge ?? false;
  const parsed = (targets.length === 0 ? ['base'] : targets).map((t) => (typeof t === 'string' ? parseTarget(t) : t));
  const texts = parsed.map(formatTarget);
  const before = purge ? VersionRows.trusted(graph, []) : VersionRows.fromRows(graph, rows);
  const rowsBefore = purge ? [...rows] : before.rows();
  const current = before.rowIndexes;

  const replaced = new Set<number>();
  const destinations: number[] = [];
  parsed.forEach((target, k) => {
    const text = texts[k]!;
    if (target.kind === 'range' || target.kind === 'relative' || target.kind === 'current') {
      throw new CairnError(
        'INVALID_TARGET',
        `'${text}' cannot be stamped; stamp takes revisions, heads, 'L@head' or 'base'`,
        {
          details: { target: text },
        },
      );
    }
    if (target.kind === 'base') {
      const lineage =
        target.branch === undefined ? undefined : graph.lineage(resolveBranch(graph, target.branch, text));
      for (const r of current) if (!lineage || lineage[r]) replaced.add(r);
      return;
    }
    if (target.kind === 'head' && target.branch === undefined && graph.resolvedHeadIndexes().length > 1) {
      throw multipleHeads(graph, graph.resolvedHeadIndexes(), text);
    }
    for (const d of resolveAbsolute(graph, target, text)) {
      if (!destinations.includes(d)) destinations.push(d);
      const up = graph.ancestors([d], true);
      const down = graph.descendants([d], true);
      for (const r of current) if (up[r] || down[r]) replaced.add(r);
    }
  });

  const finalRows = [...new Set([...current.filter((r) => !replaced.has(r)), ...destinations])];
  assertAntichain(graph, finalRows, texts);

  // Pair each new row with the replaced rows on its lineage, so the writes read like Alembic's.
  const writes: VersionWrite[] = [];
  const pending = current.filter((r) => replaced.has(r) && !finalRows.includes(r));
  for (const d of destinations) {
    if (current.includes(d)) continue;
    const up = graph.ancestors([d], true);
    const down = graph.descendants([d], true);
    const mine = pending.filter((r) => up[r] || down[r]);
    if (mine.length === 0) {
      writes.push({ kind: 'insert', revision: graph.id(d) });
      continue;
    }
    for (const r of mine.slice(0, -1)) writes.push({ kind: 'delete', revision: graph.id(r) });
    writes.push({ kind: 'update', from: graph.id(mine[mine.length - 1]!), to: graph.id(d) });
    for (const r of mine) pending.splice(pending.indexOf(r), 1);
  }
  for (const r of pending) writes.push({ kind: 'delete', revision: graph.id(r) });

  return Object.freeze({
    targets: Object.freeze(texts),
    purge,
    writes: Object.freeze(writes.map((w) => Object.freeze(w))),
    rowsBefore: Object.freeze(rowsBefore),
    rowsAfter: Object.freeze(VersionRows.trusted(graph, finalRows).rows()),
  });
}

function assertAntichain(graph: RevisionGraph, rows: readonly number[], texts: readonly string[]): void {
  const under = graph.ancestors(
    rows.flatMap((r) => graph.downOf(r)),
    true,
  );
  const covered = rows.filter((r) => under[r]);
  if (covered.length === 0) return;
  throw new CairnError(
    'STAMP_OVERLAP',
    `stamping ${texts.map((t) => `'${t}'`).join(' ')} would leave ${listForMessage(graph.ids(covered))} in the version table next to a revision that already includes ${covered.length === 1 ? 'it' : 'them'} (rows would be ${listForMessage(graph.ids(rows))}); stamp only the newest revision of each branch`,
    { details: { targets: texts, rows: graph.ids(rows), overlapping: graph.ids(covered) } },
  );
}

/**
 * What a stamp records in the history table: the revisions it made rows, or, for a stamp that
 * only removes rows (`base`), the ones it removed. Online and offline runs share this rule.
 */
export function stampedRevisions(before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((r) => !before.includes(r));
  return added.length > 0 ? added : before.filter((r) => !after.includes(r));
}
