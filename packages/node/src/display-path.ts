import { isAbsolute, relative } from 'node:path';

/**
 * How output and messages show `path` (absolute): relative to `cwd` when it lies inside `cwd`
 * (short, and what the user would type), otherwise absolute.
 */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel;
}
