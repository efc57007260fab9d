import { CairnError, listForMessage } from '../errors.js';
import { assertValidName, type RevisionMeta } from './revision.js';

/**
 * The revision graph, validated and indexed. Built once per command from the metadata of every
 * migration file; every query after that is pure and bounded (no recursion, no repeated scans).
 *
 * Revisions are kept in **canonical order**: by `createdAt`, then by id. That order is the only
 * tie-breaker cairn uses (Alembic uses file load order, which with random ids is arbitrary), so
 * plans, `heads` and `history` are the same on every machine.
 *
 * Internally a revision is its index in canonical order; the public methods speak ids.
 */
export class RevisionGraph {
  /** Every revision, in canonical order. */
  readonly revisions: readonly RevisionMeta[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #labelOwner: ReadonlyMap<string, number>;
  /** Ids sorted by code unit, for prefix search by binary search. Built on first use. */
  #sortedIds: readonly string[] | undefined;
  readonly #parents: readonly (readonly number[])[];
  readonly #deps: readonly (readonly number[])[];
  readonly #children: readonly (readonly number[])[];
  readonly #dependents: readonly (readonly number[])[];
  /** Parents then dependencies (declared order, without repeats): what a revision stands on. */
  readonly #down: readonly (readonly number[])[];
  /** `#down` sorted by canonical index: the order prerequisites are visited in. */
  readonly #prereqs: readonly (readonly number[])[];
  #inheritedCache: readonly (readonly string[])[] | undefined;
  #propagatedLabels: readonly (readonly string[])[] | undefined;
  readonly #lineageCache = new Map<number, Uint8Array>();

  // The constructor runs on every command over every revision (10,000 in the benchmark), and a
  // CLI runs it cold, so it avoids per-revision allocation where it can: revisions without
  // dependencies share their parent list as their `down` list, leaves share one empty array,
  // and the dependency structures are the parent ones when no revision has dependencies.
  private constructor(revisions: readonly RevisionMeta[]) {
    this.revisions = revisions;
    const n = revisions.length;
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const rev = revisions[i]!;
      const earlier = index.get(rev.revision);
      if (earlier !== undefined) {
        throw new CairnError(
          'DUPLICATE_REVISION',
          `revision id '${rev.revision}' is used by two files: ${revisions[earlier]!.file ?? '(in memory)'} and ${rev.file ?? '(in memory)'}; give one of them a new id (and update any downRevision that points at it)`,
          { details: { revision: rev.revision, files: [revisions[earlier]!.file, rev.file] } },
        );
      }
      index.set(rev.revision, i);
    }
    this.#index = index;

    const labelOwner = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const labels = revisions[i]!.branchLabels;
      for (let k = 0; k < labels.length; k++) this.#claimLabel(labelOwner, index, labels[k]!, i);
    }
    this.#labelOwner = labelOwner;

    const parents: (readonly number[])[] = new Array(n);
    const deps: (readonly number[])[] = new Array(n);
    const children: (readonly number[])[] = new Array(n).fill(NONE);
    let anyDeps = false;
    for (let i = 0; i < n; i++) {
      const rev = revisions[i]!;
      const declared = rev.downRevision;
      const own: number[] | readonly number[] = declared.length === 0 ? NONE : new Array<number>(declared.length);
      for (let k = 0; k < declared.length; k++) {
        const j = index.get(declared[k]!);
        if (j === undefined) throw unknownParent(rev, declared[k]!);
        (own as number[])[k] = j;
        const siblings = children[j]!;
        if (siblings === NONE) children[j] = [i];
        else (siblings as number[]).push(i);
      }
      parents[i] = own;
      deps[i] =
        rev.dependsOn.length === 0 ? NONE : rev.dependsOn.map((d) => resolveDependency(rev, d, i, index, labelOwner));
      if (deps[i]!.length > 0) anyDeps = true;
    }
    this.#parents = parents;
    this.#deps = deps;
    this.#children = children;

    if (anyDeps) {
      const down: (readonly number[])[] = new Array(n);
      const dependents: (readonly number[])[] = new Array(n).fill(NONE);
      for (let i = 0; i < n; i++) {
        const d = deps[i]!.length === 0 ? parents[i]! : [...new Set([...parents[i]!, ...deps[i]!])];
        down[i] = d;
        for (const p of d) {
          const list = dependents[p]!;
          if (list === NONE) dependents[p] = [i];
          else (list as number[]).push(i);
        }
      }
      this.#down = down;
      this.#dependents = dependents;
    } else {
      this.#down = parents;
      this.#dependents = children;
    }
    this.#prereqs = this.#down.map((d) => (d.length < 2 ? d : [...d].sort((a, b) => a - b)));

    this.#assertAcyclic(parents, children, 'CYCLE');
    if (anyDeps) this.#assertAcyclic(this.#down, this.#dependents, 'DEPENDENCY_CYCLE');
  }

  #claimLabel(labelOwner: Map<string, number>, index: ReadonlyMap<string, number>, label: string, i: number): void {
    const revisions = this.revisions;
    const owner = labelOwner.get(label);
    if (owner !== undefined) {
      throw new CairnError(
        'LABEL_COLLISION',
        `${describe(revisions[i]!)} declares branch label '${label}', which ${describe(revisions[owner]!)} already uses; branch labels must be unique`,
        {
          details: {
            label,
            revision: revisions[i]!.revision,
            other: revisions[owner]!.revision,
            file: revisions[i]!.file,
          },
        },
      );
    }
    const sameId = index.get(label);
    if (sameId !== undefined) {
      throw new CairnError(
        'LABEL_COLLISION',
        `${describe(revisions[i]!)} declares branch label '${label}', which is the id of ${describe(revisions[sameId]!)}; choose a label that is not a revision id`,
        { details: { label, revision: revisions[i]!.revision, other: label, file: revisions[i]!.file } },
      );
    }
    labelOwner.set(label, i);
  }

  /**
   * Validates and indexes `revisions`. Throws a `CairnError` naming the file(s) for duplicate ids,
   * bad characters, self-loops, unknown parents or dependencies, label collisions and cycles.
   */
  static from(revisions: readonly RevisionMeta[]): RevisionGraph {
    for (const rev of revisions) {
      assertValidName(rev.revision, 'revision id', rev.file);
      for (const label of rev.branchLabels) assertValidName(label, 'branch label', rev.file);
      if (rev.downRevision.includes(rev.revision)) {
        throw new CairnError(
          'SELF_LOOP',
          `${describe(rev)} lists itself in downRevision; a revision cannot be its own parent`,
          {
            details: { revision: rev.revision, file: rev.file },
          },
        );
      }
      if (rev.dependsOn.includes(rev.revision)) {
        throw new CairnError('DEPENDENCY_SELF_LOOP', `${describe(rev)} lists itself in dependsOn; remove it`, {
          details: { revision: rev.revision, file: rev.file },
        });
      }
    }
    return new RevisionGraph(sortCanonical(revisions));
  }

  get size(): number {
    return this.revisions.length;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** The index of an exact id, or undefined. */
  indexOf(id: string): number | undefined {
    return this.#index.get(id);
  }

  /** The revision with this exact id. Throws `UNKNOWN_REVISION`. */
  get(id: string): RevisionMeta {
    const i = this.#index.get(id);
    if (i === undefined)
      throw new CairnError('UNKNOWN_REVISION', `no revision has the id '${id}'`, { details: { revision: id } });
    return this.revisions[i]!;
  }

  has(id: string): boolean {
    return this.#index.has(id);
  }

  /** The index of the revision that declares `label`, or undefined. */
  labelOwner(label: string): number | undefined {
    return this.#labelOwner.get(label);
  }

  /** Every declared branch label. */
  get labels(): readonly string[] {
    return [...this.#labelOwner.keys()];
  }

  /** Ids starting with `prefix`, in code-unit order (at most `limit`). */
  idsWithPrefix(prefix: string, limit = Number.POSITIVE_INFINITY): string[] {
    this.#sortedIds ??= this.revisions.map((r) => r.revision).sort(compareCodeUnits);
    const ids = this.#sortedIds;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < ids.length && out.length < limit && ids[i]!.startsWith(prefix); i++) out.push(ids[i]!);
    return out;
  }

  // ---- structure (indexes) -------------------------------------------------------------------

  parentsOf(i: number): readonly number[] {
    return this.#parents[i]!;
  }
  depsOf(i: number): readonly number[] {
    return this.#deps[i]!;
  }
  childrenOf(i: number): readonly number[] {
    return this.#children[i]!;
  }
  dependentsOf(i: number): readonly number[] {
    return this.#dependents[i]!;
  }
  /** Parents then dependencies, declared order, no repeats. */
  downOf(i: number): readonly number[] {
    return this.#down[i]!;
  }
  id(i: number): string {
    return this.revisions[i]!.revision;
  }
  ids(indexes: Iterable<number>): string[] {
    const out: string[] = [];
    for (const i of indexes) out.push(this.revisions[i]!.revision);
    return out;
  }

  // ---- classification ------------------------------------------------------------------------

  /** Plain heads: revisions with no children, canonical order. */
  headIndexes(): number[] {
    return this.#select((i) => this.#children[i]!.length === 0);
  }
  /** Resolved heads: revisions nothing builds on or depends on. */
  resolvedHeadIndexes(): number[] {
    return this.#select((i) => this.#dependents[i]!.length === 0);
  }
  /** Bases: revisions without parents (they may still have dependencies). */
  baseIndexes(): number[] {
    return this.#select((i) => this.#parents[i]!.length === 0);
  }
  isHead(i: number): boolean {
    return this.#children[i]!.length === 0;
  }
  isResolvedHead(i: number): boolean {
    return this.#dependents[i]!.length === 0;
  }
  /** A plain head that another revision depends on. */
  isEffectiveHead(i: number): boolean {
    return this.#children[i]!.length === 0 && this.#dependents[i]!.length > 0;
  }
  isBranchPoint(i: number): boolean {
    return this.#children[i]!.length > 1;
  }
  isMergePoint(i: number): boolean {
    return this.#parents[i]!.length > 1;
  }

  /** Plain heads, as ids. */
  heads(): string[] {
    return this.ids(this.headIndexes());
  }
  /** Resolved heads, as ids: what `heads --resolve-dependencies`, `head` and `merge heads` use. */
  resolvedHeads(): string[] {
    return this.ids(this.resolvedHeadIndexes());
  }
  bases(): string[] {
    return this.ids(this.baseIndexes());
  }
  branchPoints(): string[] {
    return this.ids(this.#select((i) => this.isBranchPoint(i)));
  }
  mergePoints(): string[] {
    return this.ids(this.#select((i) => this.isMergePoint(i)));
  }

  // ---- reachability --------------------------------------------------------------------------

  /** Marks `starts` and everything they stand on: parents only, or parents and dependencies. */
  ancestors(starts: Iterable<number>, withDeps: boolean): Uint8Array {
    return this.#reach(starts, withDeps ? this.#down : this.#parents);
  }
  /** Marks `starts` and everything built on them: children only, or children and dependents. */
  descendants(starts: Iterable<number>, withDeps: boolean): Uint8Array {
    return this.#reach(starts, withDeps ? this.#dependents : this.#children);
  }

  /**
   * Marks the revisions sharing plain lineage with `i` (its plain ancestors and descendants,
   * itself included): what "revision X is on branch L" means. Cached per revision.
   */
  lineage(i: number): Uint8Array {
    let mask = this.#lineageCache.get(i);
    if (!mask) {
      mask = this.ancestors([i], false);
      const down = this.descendants([i], false);
      for (let k = 0; k < mask.length; k++) mask[k]! |= down[k]!;
      this.#lineageCache.set(i, mask);
    }
    return mask;
  }

  /**
   * Orders `members` so that every revision comes after everything it stands on (parents and
   * dependencies): the order an upgrade applies them in.
   *
   * The walk is depth-first from `targets` (canonical order, then any member not reached):
   * each target is applied after its prerequisites, and prerequisites are visited oldest
   * first. Independent branches therefore run one after the other, in creation order of their
   * tips, each branch as one contiguous run — the documented order that replaces Alembic's
   * file-order tie-break. Iterative, so a 10,000-revision chain cannot overflow the stack.
   */
  applyOrder(members: Uint8Array, targets: Iterable<number>): number[] {
    const n = this.revisions.length;
    const visited = new Uint8Array(n);
    const out: number[] = [];
    const stack: number[] = [];
    const pos: number[] = [];
    const visit = (root: number): void => {
      if (!members[root] || visited[root]) return;
      visited[root] = 1;
      stack.push(root);
      pos.push(0);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const node = stack[top]!;
        const prereqs = this.#prereqs[node]!;
        let k = pos[top]!;
        while (k < prereqs.length && (!members[prereqs[k]!] || visited[prereqs[k]!])) k++;
        if (k < prereqs.length) {
          const next = prereqs[k]!;
          pos[top] = k + 1;
          visited[next] = 1;
          stack.push(next);
          pos.push(0);
        } else {
          stack.pop();
          pos.pop();
          out.push(node);
        }
      }
    };
    for (const t of [...targets].sort((a, b) => a - b)) visit(t);
    for (let i = 0; i < n; i++) visit(i);
    return out;
  }

  // ---- branch labels -------------------------------------------------------------------------

  /**
   * The labels shown next to each revision. A label covers the revision that declares it, its
   * descendants up to the next revision that declares a label of its own, and the unlabelled
   * plain chain below it down to the nearest branch point or merge point (see `branchRoot`).
   * A merge of two labelled branches carries both labels.
   */
  propagatedLabels(i: number): readonly string[] {
    if (!this.#propagatedLabels) this.#propagatedLabels = this.#propagateLabels();
    return this.#propagatedLabels[i]!;
  }

  /**
   * The first revision of the branch that `i` heads: walk down single-parent links while the
   * parent has no other child, is not a merge point and carries no label (declared or inherited
   * from above). `L@base` reverts the revisions from this root upward, and nothing below it.
   */
  branchRoot(i: number): number {
    const inherited = this.#inheritedLabels();
    let current = i;
    for (;;) {
      const parents = this.#parents[current]!;
      if (parents.length !== 1) return current;
      const p = parents[0]!;
      if (this.#children[p]!.length !== 1 || this.#parents[p]!.length > 1 || inherited[p]!.length > 0) return current;
      current = p;
    }
  }

  /**
   * Labels flowing forward: a revision's own labels, else the union of its parents'. Apply order
   * settles parents first. Lists are shared along chains, so this allocates only at labels and
   * merges (and not at all when the project has no labels).
   */
  #inheritedLabels(): readonly (readonly string[])[] {
    if (this.#inheritedCache) return this.#inheritedCache;
    const n = this.revisions.length;
    const labels: (readonly string[])[] = new Array(n).fill(NO_LABELS);
    if (this.#labelOwner.size > 0) {
      for (const i of this.applyOrder(new Uint8Array(n).fill(1), [])) {
        const own = this.revisions[i]!.branchLabels;
        const parents = this.#parents[i]!;
        if (own.length > 0) labels[i] = [...own].sort(compareCodeUnits);
        else if (parents.length === 1) labels[i] = labels[parents[0]!]!;
        else if (parents.length > 1) labels[i] = unionSorted(parents.map((p) => labels[p]!));
      }
    }
    this.#inheritedCache = labels;
    return labels;
  }

  #propagateLabels(): readonly (readonly string[])[] {
    const labels = [...this.#inheritedLabels()];
    for (const [label, owner] of this.#labelOwner) {
      const root = this.branchRoot(owner);
      for (let k = owner; k !== root; ) {
        k = this.#parents[k]![0]!;
        labels[k] = unionSorted([labels[k]!, [label]]);
      }
    }
    return labels;
  }

  // ---- internals -----------------------------------------------------------------------------

  #select(predicate: (i: number) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.revisions.length; i++) if (predicate(i)) out.push(i);
    return out;
  }

  #reach(starts: Iterable<number>, edges: readonly (readonly number[])[]): Uint8Array {
    const mask = new Uint8Array(this.revisions.length);
    const queue: number[] = [];
    for (const s of starts) {
      if (!mask[s]) {
        mask[s] = 1;
        queue.push(s);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      for (const next of edges[queue[q]!]!) {
        if (!mask[next]) {
          mask[next] = 1;
          queue.push(next);
        }
      }
    }
    return mask;
  }

  /**
   * Kahn's algorithm strips everything not on a cycle from both ends (from the roots along
   * `down`, then from the leaves along `up`); what is left lies on a cycle and is reported.
   */
  #assertAcyclic(
    down: readonly (readonly number[])[],
    up: readonly (readonly number[])[],
    code: 'CYCLE' | 'DEPENDENCY_CYCLE',
  ): void {
    const n = this.revisions.length;
    const alive = new Uint8Array(n).fill(1);
    let remaining = n;
    const strip = (incoming: readonly (readonly number[])[], outgoing: readonly (readonly number[])[]): void => {
      const degree = new Int32Array(n);
      const queue: number[] = [];
      for (let i = 0; i < n; i++) {
        if (!alive[i]) continue;
        let d = 0;
        for (const j of incoming[i]!) if (alive[j]) d++;
        degree[i] = d;
        if (d === 0) queue.push(i);
      }
      for (let q = 0; q < queue.length; q++) {
        const i = queue[q]!;
        alive[i] = 0;
        remaining--;
        for (const j of outgoing[i]!) if (alive[j] && --degree[j]! === 0) queue.push(j);
      }
    };
    strip(down, up);
    if (remaining === 0) return;
    strip(up, down);
    const cyclic = this.#select((i) => alive[i] === 1).map((i) => this.revisions[i]!);
    const ids = cyclic.map((r) => r.revision).sort(compareCodeUnits);
    const files = cyclic.map((r) => r.file).filter((f): f is string => f !== undefined);
    const what = code === 'CYCLE' ? 'downRevision' : 'downRevision and dependsOn';
    throw new CairnError(
      code,
      `${code === 'CYCLE' ? 'cycle' : 'dependency cycle'} in the revision graph: ${listForMessage(ids, 10)} lead back to themselves through ${what}${files.length ? ` (files: ${files.slice(0, 10).join(', ')})` : ''}; a revision cannot come after itself, so correct one of these links`,
      { details: { revisions: ids, files } },
    );
  }
}

/** `revision 'ae10…' (migrations/…ts)` — how messages name a revision. */
export function describe(rev: Pick<RevisionMeta, 'revision' | 'file'>): string {
  return rev.file ? `revision '${rev.revision}' (${rev.file})` : `revision '${rev.revision}'`;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NO_LABELS: readonly string[] = Object.freeze([]);

function unionSorted(lists: readonly (readonly string[])[]): readonly string[] {
  const all = new Set<string>();
  for (const list of lists) for (const item of list) all.add(item);
  return all.size === 0 ? NO_LABELS : [...all].sort(compareCodeUnits);
}

/** The shared empty adjacency list (most revisions have no children, no dependencies). */
const NONE: readonly number[] = Object.freeze([]);

function unknownParent(rev: RevisionMeta, parent: string): CairnError {
  return new CairnError(
    'UNKNOWN_PARENT',
    `${describe(rev)} names parent '${parent}' in downRevision, but no migration file has that revision id; restore the missing file or correct downRevision`,
    { details: { revision: rev.revision, parent, file: rev.file } },
  );
}

function resolveDependency(
  rev: RevisionMeta,
  dependency: string,
  i: number,
  index: ReadonlyMap<string, number>,
  labelOwner: ReadonlyMap<string, number>,
): number {
  const j = index.get(dependency) ?? labelOwner.get(dependency);
  if (j === undefined) {
    throw new CairnError(
      'UNKNOWN_DEPENDENCY',
      `${describe(rev)} depends on '${dependency}', which is neither a revision id nor a branch label; dependsOn takes full ids or labels`,
      { details: { revision: rev.revision, dependency, file: rev.file } },
    );
  }
  if (j === i) {
    throw new CairnError(
      'DEPENDENCY_SELF_LOOP',
      `${describe(rev)} depends on itself ('${dependency}'); remove it from dependsOn`,
      {
        details: { revision: rev.revision, file: rev.file },
      },
    );
  }
  return j;
}

/**
 * Sorts into canonical order: creation time, then id; revisions without a (valid) creation time
 * first. Times in `Date#toISOString` form (what the file readers produce) compare as text, so
 * only other spellings ('…30Z' for '…30.000Z', offsets) are parsed. Input that is already in
 * order (files named by timestamp usually are) is returned as it is.
 */
function sortCanonical(revisions: readonly RevisionMeta[]): readonly RevisionMeta[] {
  const keys = revisions.map((rev) => canonicalTime(rev.createdAt));
  let sorted = true;
  for (let i = 1; i < revisions.length && sorted; i++) {
    sorted =
      keys[i - 1]! < keys[i]! || (keys[i - 1] === keys[i] && revisions[i - 1]!.revision < revisions[i]!.revision);
  }
  if (sorted) return revisions;
  const order = revisions.map((_, i) => i);
  order.sort(
    (a, b) => compareCodeUnits(keys[a]!, keys[b]!) || compareCodeUnits(revisions[a]!.revision, revisions[b]!.revision),
  );
  return order.map((i) => revisions[i]!);
}

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `createdAt` as comparable text: `toISOString` form, or `''` when missing or invalid. */
function canonicalTime(createdAt: string): string {
  if (createdAt === '' || CANONICAL_TIME.test(createdAt)) return createdAt;
  const time = Date.parse(createdAt);
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}
