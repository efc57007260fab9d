import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import { RevisionGraph } from '../../src/revision/graph.js';
import { history } from '../../src/revision/history.js';
import { planDowngrade, planUpgrade } from '../../src/revision/plan.js';
import type { RevisionMeta } from '../../src/revision/revision.js';
import { planStamp } from '../../src/revision/stamp.js';
import { planMerge, planNewRevision } from '../../src/script/new-revision.js';
import { replay } from './fixtures.js';

/**
 * Random DAGs: each revision picks its parents and dependencies among earlier ones (so the graph
 * is acyclic by construction), some revisions carry labels, some dependencies name a label,
 * and creation times are shuffled so canonical order differs from construction order.
 */
const dagArb = fc
  .integer({ min: 1, max: 18 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      links: fc.array(
        fc.record({
          parentPicks: fc.array(fc.nat(), { maxLength: 3 }),
          depPicks: fc.array(fc.nat(), { maxLength: 2 }),
          base: fc.boolean(),
          label: fc.boolean(),
          depOnLabel: fc.boolean(),
        }),
        { minLength: n, maxLength: n },
      ),
      times: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: n, maxLength: n }),
    }),
  )
  .map(({ n, links, times }) => {
    const metas: RevisionMeta[] = [];
    const labelOf = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      const link = links[i]!;
      const parents = i === 0 || (link.base && i % 3 === 0) ? [] : [...new Set(link.parentPicks.map((p) => p % i))];
      if (i > 0 && parents.length === 0 && !(link.base && i % 3 === 0)) parents.push(i - 1);
      const deps = i === 0 ? [] : [...new Set(link.depPicks.map((p) => p % i))].filter((d) => !parents.includes(d));
      if (link.label) labelOf.set(i, `L${i}`);
      metas.push({
        revision: `r${i.toString(36)}x${(i * 7919) % 97}`,
        downRevision: parents.map((p) => metas[p]!.revision),
        branchLabels: link.label ? [`L${i}`] : [],
        dependsOn: deps.map((d) => (link.depOnLabel && labelOf.has(d) ? labelOf.get(d)! : metas[d]!.revision)),
        message: `rev ${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + times[i]! * 1000).toISOString(),
        transaction: true,
      });
    }
    return RevisionGraph.from(metas);
  });

/** A valid version-table state: a random set closed under "stands on", reduced to its tips. */
function stateArb(graph: RevisionGraph) {
  return fc.array(fc.boolean(), { minLength: graph.size, maxLength: graph.size }).map((picks) => {
    const applied = closure(
      graph,
      picks.flatMap((p, i) => (p ? [i] : [])),
    );
    return tips(graph, applied);
  });
}

function closure(graph: RevisionGraph, starts: number[]): Set<number> {
  const seen = new Set<number>(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    for (const d of graph.downOf(queue.pop()!)) {
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
    }
  }
  return seen;
}

function tips(graph: RevisionGraph, applied: Set<number>): string[] {
  return graph.ids([...applied].filter((i) => !graph.dependentsOf(i).some((d) => applied.has(d)))).sort();
}

function appliedOf(graph: RevisionGraph, rows: readonly string[]): Set<number> {
  return closure(
    graph,
    rows.map((r) => graph.indexOf(r)!),
  );
}

/** Checks that no row stands under another. */
function assertAntichain(graph: RevisionGraph, rows: readonly string[]): void {
  for (const r of rows) {
    const under = closure(graph, [...graph.downOf(graph.indexOf(r)!)]);
    for (const other of rows) expect(under.has(graph.indexOf(other)!), `${other} is under ${r}`).toBe(false);
  }
}

/** Replays a plan step by step, checking rows after every step. */
function replaySteps(graph: RevisionGraph, rows: readonly string[], plan: ReturnType<typeof planUpgrade>): string[] {
  let current = [...rows].sort();
  for (const step of plan.steps) {
    current = replay(current, step.writes);
    assertAntichain(graph, current);
  }
  return current;
}

const runs = { numRuns: 300 };

describe('engine properties on random graphs', () => {
  it('upgrading any state to heads applies each missing revision once, prerequisites first', () => {
    fc.assert(
      fc.property(
        dagArb.chain((g) => fc.tuple(fc.constant(g), stateArb(g))),
        ([graph, rows]) => {
          const before = appliedOf(graph, rows);
          const plan = planUpgrade(graph, rows, 'heads');
          const done = new Set(before);
          for (const step of plan.steps) {
            const i = graph.indexOf(step.revision)!;
            expect(done.has(i)).toBe(false);
            for (const d of graph.downOf(i)) expect(done.has(d)).toBe(true);
            done.add(i);
          }
          expect(done.size).toBe(graph.size);
          const after = replaySteps(graph, rows, plan);
          expect(after).toEqual([...plan.rowsAfter].sort());
          expect(after).toEqual([...graph.resolvedHeads()].sort());
        },
      ),
      runs,
    );
  });

  it('downgrade to base and back to heads returns to the same rows', () => {
    fc.assert(
      fc.property(
        dagArb.chain((g) => fc.tuple(fc.constant(g), stateArb(g))),
        ([graph, rows]) => {
          const up = planUpgrade(graph, rows, 'heads');
          const top = replaySteps(graph, rows, up);
          const down = planDowngrade(graph, top, 'base');
          expect(down.steps.length).toBe(graph.size);
          const bottom = replaySteps(graph, top, down);
          expect(bottom).toEqual([]);
          const again = replaySteps(graph, bottom, planUpgrade(graph, bottom, 'heads'));
          expect(again).toEqual(top);
        },
      ),
      runs,
    );
  });

  it('any upgrade or downgrade to any revision keeps rows the tips of what is applied', () => {
    fc.assert(
      fc.property(
        dagArb.chain((g) => fc.tuple(fc.constant(g), stateArb(g), fc.nat(g.size - 1), fc.boolean())),
        ([graph, rows, pick, up]) => {
          const target = graph.id(pick);
          let plan: ReturnType<typeof planUpgrade>;
          try {
            plan = up ? planUpgrade(graph, rows, target) : planDowngrade(graph, rows, target);
          } catch (error) {
            expect(error).toBeInstanceOf(CairnError);
            expect(up).toBe(false);
            expect((error as CairnError).code).toBe('INVALID_DOWNGRADE_TARGET');
            return;
          }
          const before = appliedOf(graph, rows);
          const after = replaySteps(graph, rows, plan);
          expect(after).toEqual([...plan.rowsAfter].sort());
          const applied = appliedOf(graph, after);
          expect(after).toEqual(tips(graph, applied));
          if (up) {
            expect(applied.has(pick)).toBe(true);
            for (const i of before) expect(applied.has(i)).toBe(true);
          } else {
            expect(applied.has(pick)).toBe(true);
            for (const i of applied) expect(before.has(i)).toBe(true);
            // Exactly what is built on the target's children went.
            for (const step of plan.steps) expect(graph.ancestors([graph.indexOf(step.revision)!], true)[pick]).toBe(1);
          }
        },
      ),
      runs,
    );
  });

  it('stamping any antichain of revisions gives exactly those rows', () => {
    fc.assert(
      fc.property(
        dagArb.chain((g) => fc.tuple(fc.constant(g), stateArb(g), stateArb(g))),
        ([graph, rows, wanted]) => {
          const plan = planStamp(graph, rows, wanted, { purge: true });
          expect(replay([], plan.writes)).toEqual([...wanted].sort());
          const merged = planStamp(graph, rows, wanted.length ? wanted : ['base']);
          const after = replay(rows, merged.writes);
          expect(after).toEqual([...merged.rowsAfter].sort());
          assertAntichain(graph, after);
          for (const w of wanted) expect(after).toContain(w);
        },
      ),
      runs,
    );
  });

  it('the result does not depend on the order files are read in', () => {
    fc.assert(
      fc.property(dagArb, fc.integer(), (graph, seed) => {
        const shuffled = [...graph.revisions].sort((a, b) => hash(a.revision, seed) - hash(b.revision, seed));
        const other = RevisionGraph.from(shuffled);
        expect(other.heads()).toEqual(graph.heads());
        expect(history(other).map((e) => e.revision)).toEqual(history(graph).map((e) => e.revision));
        expect(planUpgrade(other, [], 'heads').steps).toEqual(planUpgrade(graph, [], 'heads').steps);
      }),
      { numRuns: 100 },
    );
  });

  it('no input makes the engine throw anything but a CairnError', () => {
    const words = [
      'head',
      'heads',
      'base',
      'current',
      '+1',
      '-1',
      '+3',
      '-2',
      'L1@head',
      'L2@base',
      'L1@-1',
      'r',
      'r1',
      'zz',
      ':',
      'a:b',
      '@',
      '',
      'x@y@z',
      'head-1',
      'base+2',
      'L3@+1',
      'r0x0',
      ':head',
      'current:',
      '-2:',
    ];
    fc.assert(
      fc.property(
        dagArb,
        fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 3 }),
        fc.array(fc.oneof(fc.constantFrom('r0x0', 'r1x61', 'r2x25', 'nope'), fc.string({ maxLength: 4 })), {
          maxLength: 3,
        }),
        (graph, targets, rows) => {
          const calls: (() => unknown)[] = [
            () => planUpgrade(graph, rows, targets[0] ?? 'head'),
            () => planDowngrade(graph, rows, targets[0] ?? '-1'),
            () => planStamp(graph, rows, targets),
            () => planStamp(graph, rows, targets, { purge: true }),
            () => history(graph, { range: targets[0] ?? ':', rows }),
            () =>
              planNewRevision(graph, {
                head: targets,
                branchLabels: rows,
                dependsOn: targets.slice(1),
                revId: rows[0],
              }),
            () => planMerge(graph, targets),
          ];
          for (const call of calls) {
            try {
              call();
            } catch (error) {
              if (!(error instanceof CairnError)) throw error;
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('building a graph from arbitrary metadata fails only with a CairnError', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'L', 'head', 'x-y', '');
    const meta = fc.record({
      revision: name,
      downRevision: fc.array(name, { maxLength: 2 }),
      branchLabels: fc.array(name, { maxLength: 1 }),
      dependsOn: fc.array(name, { maxLength: 2 }),
      message: fc.string(),
      createdAt: fc.constantFrom('', '2026-01-01T00:00:00Z', 'garbage'),
      transaction: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(meta, { maxLength: 6 }), (metas) => {
        try {
          const graph = RevisionGraph.from(metas);
          history(graph);
          planUpgrade(graph, [], 'heads');
        } catch (error) {
          if (!(error instanceof CairnError)) throw error;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

function hash(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 2654435761);
  return h;
}
