import { readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RevisionCache, RevisionMeta } from '@cairn/core';
import { writeCacheFile } from './cache-files.js';

/** What identifies a version of a file: `[size, mtimeMs, ctimeMs, ino]`. */
type Stamp = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/**
 * One file in the manifest: its name, stamp and metadata as a flat array. Arrays rather than
 * objects keep the manifest about half the size, and 10,000 rows are parsed on every command.
 */
type Row = readonly [
  name: string,
  ...Stamp,
  revision: string,
  downRevision: readonly string[],
  branchLabels: readonly string[],
  dependsOn: readonly string[],
  message: string,
  createdAt: string,
  transaction: boolean,
];

/** The manifest file's layout. */
interface Manifest {
  readonly format: number;
  readonly build: string;
  readonly dir: string;
  readonly rows: readonly Row[];
}

/** Bumped when the manifest layout changes. */
const FORMAT = 3;

/**
 * Files changed less than this long before the manifest is written are not stored: on a file
 * system with coarse timestamps, a second change within the same tick would keep the stamp and
 * go unnoticed (git's "racily clean" problem). They are simply read again next time.
 */
const RACY_MS = 3000;

/**
 * The metadata of migration files kept between runs, so that `cairn heads` on 10,000 files reads
 * and parses only the files that changed (core's `readRevisions` `cache` option).
 *
 * A file counts as unchanged when its size, modification time, status-change time and inode are
 * what they were: one `stat` instead of open, read, close and parse. The status-change time
 * cannot be set back by tools that preserve modification times (`cp -p`, `tar`), and a file
 * replaced by rename gets a new inode. The manifest also records the build of cairn that wrote
 * it (a new build may parse differently) and the directory, and is ignored if either differs.
 */
export class MigrationMetadataCache implements RevisionCache {
  readonly #dir: string;
  readonly #path: string;
  readonly #build: string;
  readonly #stored: ReadonlyMap<string, Row>;
  /** What this run saw: the stored row (hit), a new row (after `set`) or the stamp awaiting `set`. */
  readonly #seen = new Map<string, Row | Stamp>();
  #misses = 0;

  private constructor(dir: string, path: string, build: string, stored: ReadonlyMap<string, Row>) {
    this.#dir = dir;
    this.#path = path;
    this.#build = build;
    this.#stored = stored;
  }

  /**
   * The cache for migrations directory `dir`, stored in `cacheDir`. A missing, unreadable or
   * outdated manifest gives an empty cache.
   */
  static open(cacheDir: string, dir: string): MigrationMetadataCache {
    const path = join(cacheDir, `revisions-${hashName(dir)}.json`);
    const build = buildStamp();
    return new MigrationMetadataCache(dir, path, build, loadRows(path, build, dir));
  }

  /** The stored metadata of `name` if the file is unchanged, else undefined (and `set` follows). */
  get(name: string, file: string): RevisionMeta | undefined {
    const stats = statSync(`${this.#dir}${sep}${name}`, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    const row = this.#stored.get(name);
    if (
      row !== undefined &&
      row[1] === stats.size &&
      row[2] === stats.mtimeMs &&
      row[3] === stats.ctimeMs &&
      row[4] === stats.ino
    ) {
      this.#seen.set(name, row);
      return {
        revision: row[5],
        downRevision: row[6],
        branchLabels: row[7],
        dependsOn: row[8],
        message: row[9],
        createdAt: row[10],
        transaction: row[11],
        file,
      };
    }
    // Only the numbers are kept: Node 20's Stats objects are large and this may run 10,000 times.
    this.#seen.set(name, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino]);
    this.#misses++;
    return undefined;
  }

  /** Records the freshly parsed metadata of `name` (after a `get` that missed). */
  set(name: string, meta: RevisionMeta): void {
    const seen = this.#seen.get(name);
    if (seen === undefined || seen.length !== 4) return;
    this.#seen.set(name, [
      name,
      ...seen,
      meta.revision,
      meta.downRevision,
      meta.branchLabels,
      meta.dependsOn,
      meta.message,
      meta.createdAt,
      meta.transaction,
    ]);
  }

  /**
   * Writes the manifest when it changed: rows for the files seen in this run (files that are
   * gone are dropped), except those changed too recently to trust their stamp.
   */
  save(now: number = Date.now()): void {
    if (this.#misses === 0 && this.#seen.size === this.#stored.size) return;
    const rows: Row[] = [];
    let changed = false;
    for (const seen of this.#seen.values()) {
      if (seen.length === 4 || Math.max(seen[2], seen[3]) > now - RACY_MS) continue;
      rows.push(seen);
      if (this.#stored.get(seen[0]) !== seen) changed = true;
    }
    if (!changed && rows.length === this.#stored.size) return;
    const manifest: Manifest = { format: FORMAT, build: this.#build, dir: this.#dir, rows };
    writeCacheFile(this.#path, JSON.stringify(manifest));
  }
}

function loadRows(path: string, build: string, dir: string): ReadonlyMap<string, Row> {
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
  } catch {
    return new Map();
  }
  const valid =
    manifest.format === FORMAT && manifest.build === build && manifest.dir === dir && Array.isArray(manifest.rows);
  const stored = new Map<string, Row>();
  if (valid) for (const row of manifest.rows as Row[]) stored.set(row[0], row);
  return stored;
}

/**
 * Identifies this build of cairn by the size and time of the file this code was bundled into:
 * a rebuild (which may parse migrations differently) starts from an empty cache.
 */
function buildStamp(): string {
  const stats = statSync(fileURLToPath(import.meta.url));
  return `${stats.size}:${stats.mtimeMs}`;
}

/** FNV-1a: a short file name for a directory. Collisions are harmless (the manifest names its directory). */
function hashName(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
