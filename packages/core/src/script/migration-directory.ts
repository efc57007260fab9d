import { CairnError } from '../errors.js';
import type { RevisionMeta } from '../revision/revision.js';
import { isMigrationFileName, parseMigrationFileName } from './file-name.js';
import { parseScriptMetadata } from './parse-script-metadata.js';
import { parseSqlMetadata } from './parse-sql-metadata.js';

/**
 * The file access `readRevisions` needs. Synchronous on purpose: reading metadata is the fast
 * path of `heads`/`history`, and thousands of small sync reads beat as many promises.
 * Core imports no `node:` module, so the CLI passes an adapter over `node:fs`; tests pass a map.
 */
export interface MigrationFs {
  /**
   * The entry names (not paths) in `dir`. When `dir` does not exist it must throw an error whose
   * `code` is `'ENOENT'`, as `fs.readdirSync` does.
   */
  readdir(dir: string): string[];
  /** The UTF-8 text of the file at `path`. */
  readFile(path: string): string;
}

/** Options of `readRevisions`. */
export interface ReadRevisionsOptions {
  /**
   * How to show the directory in `meta.file` and in messages, e.g. the path relative to the
   * project. Default: `dir`.
   */
  readonly displayDir?: string;
  /**
   * Metadata kept from an earlier read, so that unchanged files are neither read nor parsed
   * (`cairn heads` on 10,000 files). Default: none.
   */
  readonly cache?: RevisionCache;
}

/**
 * A store of parsed metadata by file name, owned by the caller (who knows how to tell whether a
 * file changed, e.g. by its size and modification time).
 */
export interface RevisionCache {
  /**
   * The metadata of `name` if the file has not changed since `set`, else undefined. The result
   * must carry `file` as given (it depends on `displayDir`, so the cache must not keep it).
   */
  get(name: string, file: string): RevisionMeta | undefined;
  /** Records freshly parsed metadata for `name`. */
  set(name: string, meta: RevisionMeta): void;
}

/**
 * Reads the metadata of every migration in `dir` without executing any of them.
 *
 * Lists `dir` (not recursively), keeps the names `isMigrationFileName` accepts, sorts them by
 * code unit (so the order does not depend on the locale), and parses each file by extension:
 * `.sql` with `parseSqlMetadata`, the others with `parseScriptMetadata`. Paths are joined with
 * `/`. Each result's `file` is `${displayDir ?? dir}/${name}`. When the metadata has no
 * `createdAt` and the name starts with a valid `yyyymmddHHMMSS` timestamp, that timestamp is used.
 *
 * Throws `CONFIG_ERROR` when the directory does not exist (`readdir` throws `ENOENT`), the
 * parsers' errors for a malformed file (the first one, in name order), and any other error of
 * `fs` unchanged. Duplicate ids and graph problems are left to the revision graph.
 *
 * @example
 * ```ts
 * const files = new Map([['migrations/20261122015630_a1_init.sql', '-- cairn:revision a1\n-- cairn:downRevision\n-- cairn:up\n']]);
 * const fs: MigrationFs = {
 *   readdir: () => ['20261122015630_a1_init.sql'],
 *   readFile: (path) => files.get(path) ?? '',
 * };
 * readRevisions('migrations', fs); // [{ revision: 'a1', createdAt: '2026-11-22T01:56:30.000Z', … }]
 * ```
 */
export function readRevisions(dir: string, fs: MigrationFs, options: ReadRevisionsOptions = {}): RevisionMeta[] {
  const displayDir = options.displayDir ?? dir;
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) {
      throw new CairnError(
        'CONFIG_ERROR',
        `migrations directory '${displayDir}' does not exist; run 'cairn init' to create it, or point the configuration at the directory that holds your migrations`,
        { details: { dir: displayDir }, cause: error },
      );
    }
    throw error;
  }
  const migrations = names.filter(isMigrationFileName).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cache = options.cache;
  return migrations.map((name) => {
    const file = joinPath(displayDir, name);
    const cached = cache?.get(name, file);
    if (cached !== undefined) return cached;
    const meta = parseRevisionFile(file, fs.readFile(joinPath(dir, name)));
    const fromName = meta.createdAt === '' ? parseMigrationFileName(name) : undefined;
    const complete = fromName === undefined ? meta : { ...meta, createdAt: fromName.timestamp };
    cache?.set(name, complete);
    return complete;
  });
}

/** Reads one migration's metadata, choosing the parser by the file's extension. */
export function parseRevisionFile(file: string, source: string): RevisionMeta {
  return file.endsWith('.sql') ? parseSqlMetadata(file, source) : parseScriptMetadata(file, source);
}

function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
