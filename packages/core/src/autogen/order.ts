/**
 * Graph helpers for ordering tables by their foreign keys: `nodes` are keys, `edges(n)` the nodes
 * `n` depends on (must come first). Ties are broken by the order of `nodes`, so callers pass them
 * sorted and the result is deterministic.
 */

/** The strongly connected component of each node, as a component number (Tarjan). */
export function components(nodes: readonly string[], edges: (node: string) => readonly string[]): Map<string, number> {
  const known = new Set(nodes);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const component = new Map<string, number>();
  let counter = 0;
  let count = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) {
      if (!known.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, count);
      } while (member !== node);
      count++;
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return component;
}

/**
 * Kahn's sort: every node after the nodes it depends on. Edges to unknown nodes, self edges and
 * edges inside one strongly connected component are ignored (the caller moves those foreign keys
 * after the tables), so the sort always completes.
 */
export function dependencyOrder(nodes: readonly string[], edges: (node: string) => readonly string[]): string[] {
  const component = components(nodes, edges);
  const known = new Set(nodes);
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    const deps = new Set(
      edges(node).filter((dep) => known.has(dep) && dep !== node && component.get(dep) !== component.get(node)),
    );
    waitingOn.set(node, deps);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), node]);
  }
  const position = new Map(nodes.map((node, at) => [node, at]));
  const ready = nodes.filter((node) => waitingOn.get(node)!.size === 0);
  const result: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const node = ready.shift()!;
    result.push(node);
    for (const dependent of dependents.get(node) ?? []) {
      const deps = waitingOn.get(dependent)!;
      deps.delete(node);
      if (deps.size === 0) ready.push(dependent);
    }
  }
  return result;
}

/** True when `a` and `b` are distinct nodes in one cycle. */
export function inOneCycle(component: ReadonlyMap<string, number>, a: string, b: string): boolean {
  return a !== b && component.get(a) !== undefined && component.get(a) === component.get(b);
}
