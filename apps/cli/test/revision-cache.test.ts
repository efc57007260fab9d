import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KNOWN_GRAPH, writeKnownGraph } from './fixtures.js';
import { ok, tempDir } from './helpers.js';

/** Files changed within this many milliseconds are not cached (see revision-cache.ts). */
const RACY_MS = 3000;

function manifestPath(dir: string): string {
  const cacheDir = join(dir, 'node_modules', '.cache', 'cairn');
  const names = readdirSync(cacheDir).filter((name) => /^revisions-[0-9a-f]{8}\.json$/.test(name));
  expect(names).toHaveLength(1);
  return join(cacheDir, names[0]!);
}

/** The manifest's rows: `[name, size, mtimeMs, ctimeMs, ino, revision, downRevision, labels, dependsOn, message, …]`. */
type Manifest = { rows: unknown[][] };

describe('migration metadata cache', () => {
  it('keeps parsed metadata between runs and notices changed, new and removed files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules'));
    writeKnownGraph(dir);
    const history = ok(dir, ['history']);

    // Files this recent are not trusted yet (coarse timestamps); once old enough they are cached.
    await sleep(RACY_MS + 200);
    expect(ok(dir, ['history'])).toBe(history);
    const path = manifestPath(dir);
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    expect(manifest.rows.map((row) => row[0]).sort()).toEqual(KNOWN_GRAPH.map((r) => r.file).sort());

    // Proof that the next run reads the cache instead of the file: a doctored entry wins.
    const a1 = KNOWN_GRAPH[0]!.file;
    manifest.rows.find((row) => row[0] === a1)![9] = 'from the cache';
    writeFileSync(path, JSON.stringify(manifest));
    expect(ok(dir, ['history'])).toContain('<base> -> a1 (branchpoint), from the cache\n');

    // Editing the file in place (same size) changes its stamp, so it is read again.
    const file = join(dir, 'migrations', a1);
    writeFileSync(file, readFileSync(file, 'utf8').replace('create account', 'create accounz'));
    expect(ok(dir, ['history'])).toContain('<base> -> a1 (branchpoint), create accounz\n');

    // A removed file disappears from the graph and, once nothing else is new, from the manifest.
    rmSync(join(dir, 'migrations', KNOWN_GRAPH[7]!.file));
    expect(ok(dir, ['heads'])).toBe('e6 (shop) (head)\nx7 (audit) (head)\n');
    await sleep(RACY_MS + 200);
    ok(dir, ['heads']);
    expect((JSON.parse(readFileSync(path, 'utf8')) as Manifest).rows).toHaveLength(7);
  });
});
