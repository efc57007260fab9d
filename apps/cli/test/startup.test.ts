import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What every `cairn` process loads before its command runs: `dist/cli.js` and its static
 * imports, followed through the chunks. `cairn current` has a start-up budget of about 50 ms over
 * Node's own, and on Node 20 each ES module costs 0.5–1 ms to load whatever its size, so the
 * static graph must stay a handful of files and must not reach a driver, esbuild or a builtin
 * that only some commands need (bench/README.md, "bench/startup").
 */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

function staticGraph(): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(`${DIST}${file}`, 'utf8');
    // Static imports only (`import … from "x"` and `import "x"`), not `import("x")`.
    for (const match of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?"([^"]+)";?$/gms)) {
      const specifier = match[1]!;
      if (specifier.startsWith('./')) visit(specifier.slice(2));
      else external.add(specifier.replace(/^node:/, ''));
    }
  };
  visit('cli.js');
  return { files, external };
}

describe('start-up', () => {
  it('loads the commands with cli.js, in a handful of modules, and nothing heavy', () => {
    const { files, external } = staticGraph();
    // cli.js, core (shared with the dialects' chunks and index.js) and the transpile cache
    // (shared with typescript-hooks.js, which runs on the loader thread).
    expect(files.length, files.join(', ')).toBeLessThanOrEqual(3);
    for (const heavy of ['crypto', 'child_process', 'better-sqlite3', 'pg', 'knex', 'esbuild', 'worker_threads'])
      expect(external, `cli.js statically imports '${heavy}'`).not.toContain(heavy);
    // No command is a chunk of its own: they are all in cli.js.
    const cli = readFileSync(`${DIST}cli.js`, 'utf8');
    expect(cli).not.toMatch(/import\("\.\/(current|heads|upgrade|init)-[A-Z0-9]+\.js"\)/);
  });
});
