import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape of core's import graph: the model's data (`ops/`, `schema/`) and the revision graph
 * (`revision/`) are the ground floor, which the dialect contract, the runner and the migration
 * files build on and never the other way round; and no file reaches itself through its imports.
 * Type-only imports count: a cycle of types is still a cycle for whoever reads the code.
 */

const SRC = resolve(import.meta.dirname, '../src');

/** The ground floor's folders, and the folders above it that none of its files may import. */
const GROUND_FLOOR = ['ops', 'schema', 'revision'];
const UPPER_FLOORS = ['dialect', 'runtime', 'script'];

// `import … from '…'`, `export … from '…'` (type-only too, across lines), `import '…'`, `import('…')`.
const IMPORT =
  /^\s*(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split('\\').join('/'))
    .sort();
}

/** Each file (relative to `src/`, with `/`) and the core files it imports, in source order. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    const targets: string[] = [];
    for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (!specifier.startsWith('.')) continue;
      const target = relative(SRC, resolve(SRC, dirname(file), specifier.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/');
      targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

function floorOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] as string) : '';
}

/** Every import from a ground-floor file into an upper floor, each as `a.ts → b.ts`. */
function upwardImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph].flatMap(([file, targets]) =>
    GROUND_FLOOR.includes(floorOf(file))
      ? targets.filter((target) => UPPER_FLOORS.includes(floorOf(target))).map((target) => `${file} → ${target}`)
      : [],
  );
}

/** Every cycle a depth-first search meets, each as `a.ts → b.ts → a.ts`. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const at = path.indexOf(target);
      if (at >= 0) found.push([...path.slice(at), target].join(' → '));
      else if (!done.has(target)) visit(target);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return found;
}

describe('the layers of @cairn/core', () => {
  const graph = importGraph();

  it('reads every relative import of every source file, and each names a file that exists', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect([...graph.values()].flat().length).toBeGreaterThan(150);
    const unresolved = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !existsSync(join(SRC, target))).map((target) => `${file} → ${target}`),
    );
    expect(unresolved).toEqual([]);
  });

  it('keeps ops/, schema/ and revision/ free of imports from dialect/, runtime/ and script/', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle and an upward import in a graph that has them', () => {
    const sample = new Map([
      ['ops/a.ts', ['ops/b.ts']],
      ['ops/b.ts', ['dialect/c.ts']],
      ['dialect/c.ts', ['ops/a.ts', 'errors.ts']],
      ['errors.ts', []],
    ]);
    expect(cycles(sample)).toEqual(['ops/a.ts → ops/b.ts → dialect/c.ts → ops/a.ts']);
    expect(upwardImports(sample)).toEqual(['ops/b.ts → dialect/c.ts']);
  });
});
