import { chmodSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where cairn keeps its caches (transpiled TypeScript, migration metadata) and how it writes
 * them. Caches are disposable: deleting the directory only costs a slower next run.
 */

/**
 * The cache directory for a project at `fromDir`: `node_modules/.cache/cairn` in the nearest
 * directory (from `fromDir` upward) that has a `node_modules`, else `<os tmpdir>/cairn-cache`.
 *
 * `undefined` (run without a cache) when the temporary one is not private to this user: the
 * transpile cache holds code that is imported, and configuration text that may hold a password,
 * so a directory that another user created or can write to must not be used.
 */
export function cacheDirFor(fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'cairn');
    if (dirname(dir) === dir) break;
  }
  const shared = join(tmpdir(), 'cairn-cache');
  return isPrivateDir(shared) ? shared : undefined;
}

/** Creates `dir` (mode 700) if missing; true when it is a real directory only this user can use. */
function isPrivateDir(dir: string): boolean {
  // Windows has no uids; its temporary directory is per user.
  if (process.getuid === undefined) return true;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // It exists (checked below), or cannot be created (then the check fails).
  }
  try {
    const stats = lstatSync(dir);
    if (!stats.isDirectory() || stats.uid !== process.getuid()) return false;
    if ((stats.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `path`, creating its directory. Written to a temporary name and renamed, so a
 * concurrent run never reads half a file. Returns false when it could not (read-only disk…),
 * which only costs the next run some work.
 */
export function writeCacheFile(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}
