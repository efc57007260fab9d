import { CairnError, listForMessage } from '../errors.js';
import type { RevisionGraph } from './graph.js';

/** One write to the version table. Plain data: dialects compile it, offline mode prints it. */
export type VersionWrite =
  | { readonly kind: 'insert'; readonly revision: string }
  | { readonly kind: 'update'; readonly from: string; readonly to: string }
  | { readonly kind: 'delete'; readonly revision: string };

/**
 * The version table as a set of rows, with what they imply. The rows are always the *tips* of
 * the applied set: every applied revision is a row or stands under one (through parents or
 * dependencies), and no row stands under another. Each step keeps that invariant and returns
 * the writes that move the table along with it (revision-semantics.md §5.2, made deterministic:
 * where Alembic picks from a set, cairn takes the first in declared order — parents, then
 * dependencies).
 */
export class VersionRows {
  readonly #graph: RevisionGraph;
  /** Applied revisions: the rows and everything under them. */
  readonly #applied: Uint8Array;
  /** Rows in the order they appeared, so writes and output are stable. */
  readonly #rows: Set<number>;

  private constructor(graph: RevisionGraph, rows: Iterable<number>) {
    this.#graph = graph;
    this.#rows = new Set(rows);
    this.#applied = graph.ancestors(this.#rows, true);
  }

  /**
   * Reads the version table's rows. Throws `UNKNOWN_VERSION_ROW` for a row no migration file
   * defines, and `OVERLAPPING_ROWS` when one row stands under another (the state a careless
   * Alembic stamp leaves, which breaks every later command).
   */
  static fromRows(graph: RevisionGraph, rows: readonly string[]): VersionRows {
    const indexes: number[] = [];
    for (const row of rows) {
      const i = graph.indexOf(row);
      if (i === undefined) {
        throw new CairnError(
          'UNKNOWN_VERSION_ROW',
          `the version table holds revision '${row}', but no migration file defines it; restore the missing file, or if the database really is at another revision, set it with 'cairn stamp <revision> --purge'`,
          { details: { row } },
        );
      }
      if (!indexes.includes(i)) indexes.push(i);
    }
    // One sweep from every row's prerequisites marks everything strictly under some row.
    const under = graph.ancestors(
      indexes.flatMap((i) => graph.downOf(i)),
      true,
    );
    const covered = indexes.filter((i) => under[i]);
    if (covered.length > 0) {
      const ids = graph.ids(covered);
      throw new CairnError(
        'OVERLAPPING_ROWS',
        `the version table lists ${listForMessage(ids)} next to a revision that already includes ${ids.length === 1 ? 'it' : 'them'} (rows: ${listForMessage(graph.ids(indexes))}); set the real state with 'cairn stamp <revision>... --purge'`,
        { details: { rows: graph.ids(indexes), overlapping: ids } },
      );
    }
    return new VersionRows(graph, indexes);
  }

  /** A state from row indexes already known to be valid (used by stamp). */
  static trusted(graph: RevisionGraph, rows: Iterable<number>): VersionRows {
    return new VersionRows(graph, rows);
  }

  /** Row indexes, in table order. */
  get rowIndexes(): number[] {
    return [...this.#rows];
  }

  /** Row ids, canonical order. */
  rows(): string[] {
    return this.#graph.ids([...this.#rows].sort((a, b) => a - b));
  }

  isApplied(i: number): boolean {
    return this.#applied[i] === 1;
  }

  isRow(i: number): boolean {
    return this.#rows.has(i);
  }

  /** A copy of the applied mask. */
  appliedMask(): Uint8Array {
    return this.#applied.slice();
  }

  /**
   * Records the upgrade of `i`, whose prerequisites must all be applied. The rows it absorbs
   * (its parents and dependencies that were tips) go; it becomes a row: `INSERT` when it absorbs
   * nothing (a new branch), otherwise `DELETE` all absorbed rows but the last and `UPDATE` the
   * last to `i` (a plain step or a merge).
   */
  up(i: number): VersionWrite[] {
    const graph = this.#graph;
    const id = graph.id(i);
    const absorbed = graph.downOf(i).filter((p) => this.#rows.has(p));
    this.#applied[i] = 1;
    const writes: VersionWrite[] = [];
    if (absorbed.length === 0) {
      writes.push({ kind: 'insert', revision: id });
    } else {
      for (const p of absorbed.slice(0, -1)) {
        writes.push({ kind: 'delete', revision: graph.id(p) });
        this.#rows.delete(p);
      }
      const last = absorbed[absorbed.length - 1]!;
      writes.push({ kind: 'update', from: graph.id(last), to: id });
      this.#rows.delete(last);
    }
    this.#rows.add(i);
    return writes;
  }

  /**
   * Records the downgrade of `i`, which must be a row. Its prerequisites that nothing applied
   * still stands on become rows again: `UPDATE` to the first of them and `INSERT` the rest (an
   * unmerge), or `DELETE` when none does (closing a branch, or reaching base).
   */
  down(i: number): VersionWrite[] {
    const graph = this.#graph;
    const id = graph.id(i);
    this.#applied[i] = 0;
    this.#rows.delete(i);
    const exposed = graph.downOf(i).filter((p) => !graph.dependentsOf(p).some((d) => this.#applied[d]));
    if (exposed.length === 0) return [{ kind: 'delete', revision: id }];
    const [first, ...rest] = exposed;
    const writes: VersionWrite[] = [{ kind: 'update', from: id, to: graph.id(first!) }];
    this.#rows.add(first!);
    for (const p of rest) {
      writes.push({ kind: 'insert', revision: graph.id(p) });
      this.#rows.add(p);
    }
    return writes;
  }
}
