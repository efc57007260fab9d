import { RevisionGraph } from '../../src/revision/graph.js';
import type { RevisionMeta } from '../../src/revision/revision.js';

export interface Spec {
  readonly labels?: readonly string[];
  readonly deps?: readonly string[];
  readonly message?: string;
}

/**
 * Builds revision metadata from `[id, parents, spec?]` rows. Creation times follow the row order,
 * so canonical order is the order written (unless a test overrides createdAt).
 */
export function metas(rows: readonly (readonly [string, readonly string[], Spec?])[]): RevisionMeta[] {
  return rows.map(([revision, parents, spec], k) => ({
    revision,
    downRevision: parents,
    branchLabels: spec?.labels ?? [],
    dependsOn: spec?.deps ?? [],
    message: spec?.message ?? revision,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
    transaction: true,
    file: `migrations/${revision}.ts`,
  }));
}

export function graphOf(rows: readonly (readonly [string, readonly string[], Spec?])[]): RevisionGraph {
  return RevisionGraph.from(metas(rows));
}

/** Alembic's branched fixture: a → b → (c1 → d1), (c2 → d2), with labels on c1 and c2. */
export function branched(): RevisionGraph {
  return graphOf([
    ['a', []],
    ['b', ['a']],
    ['c1', ['b'], { labels: ['c1branch'] }],
    ['d1', ['c1']],
    ['c2', ['b'], { labels: ['c2branch'] }],
    ['d2', ['c2']],
  ]);
}

/** Chains q1…q5, a1…a4, t1…t3 with q4 depending on t3 (Alembic's HEADSDEP). */
export function headsDep(): RevisionGraph {
  return graphOf([
    ['q1', []],
    ['q2', ['q1']],
    ['q3', ['q2']],
    ['q4', ['q3'], { deps: ['t3'] }],
    ['q5', ['q4']],
    ['a1', []],
    ['a2', ['a1']],
    ['a3', ['a2']],
    ['a4', ['a3']],
    ['t1', []],
    ['t2', ['t1']],
    ['t3', ['t2']],
  ]);
}

/** Reads the `code` of what `fn` throws. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? 'NOT_A_CAIRN_ERROR';
  }
  return undefined;
}

/** Applies version writes to a set of rows the way a database would, failing on mismatches. */
export function replay(
  rows: readonly string[],
  writes: readonly import('../../src/revision/version-rows.js').VersionWrite[],
): string[] {
  const table = new Set(rows);
  for (const w of writes) {
    if (w.kind === 'insert') {
      if (table.has(w.revision)) throw new Error(`insert of existing row ${w.revision}`);
      table.add(w.revision);
    } else if (w.kind === 'delete') {
      if (!table.delete(w.revision)) throw new Error(`delete of missing row ${w.revision}`);
    } else {
      if (!table.delete(w.from)) throw new Error(`update of missing row ${w.from}`);
      if (table.has(w.to)) throw new Error(`update onto existing row ${w.to}`);
      table.add(w.to);
    }
  }
  return [...table].sort();
}
