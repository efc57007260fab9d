import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CairnError } from '@cairn/core';

/** Where an SQLite database lives, parsed from a URL or path (style rule 6). */
export type SqliteLocation = { readonly kind: 'memory' } | { readonly kind: 'file'; readonly path: string };

/**
 * Parses the ways a user names an SQLite database:
 *
 * - `:memory:` or `sqlite::memory:` → an in-memory database;
 * - `sqlite:./rel/path.db`, `sqlite:rel/path.db` → relative to `baseDir`;
 * - `sqlite:///abs/path.db`, `sqlite:/abs/path.db` → absolute (the `//` is an empty authority);
 * - `file:///abs/path.db` → absolute, percent-decoded as any `file:` URL;
 * - anything without a scheme → a plain path, relative to `baseDir` unless absolute.
 *
 * The text after `sqlite:` is taken as a path verbatim (no percent-decoding), as SQLAlchemy does.
 * A host (`sqlite://host/x.db`), a query string, a fragment, another scheme or an empty path
 * throws `CairnError('CONFIG_ERROR')` naming the URL.
 *
 * @example parseSqliteUrl('sqlite:./db/app.db', '/srv') // { kind: 'file', path: '/srv/db/app.db' }
 */
export function parseSqliteUrl(url: string, baseDir: string): SqliteLocation {
  if (url === ':memory:' || url === 'sqlite::memory:') return { kind: 'memory' };
  // One letter before the colon is a Windows drive, not a scheme.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return fileAt(url, url, baseDir);
  if (scheme === 'file') {
    let path: string;
    try {
      const parsed = new URL(url);
      if (parsed.search !== '' || parsed.hash !== '')
        throw badUrl(url, 'query parameters and fragments are not supported');
      path = fileURLToPath(parsed);
    } catch (error) {
      if (error instanceof CairnError) throw error;
      throw badUrl(url, 'it is not a valid local file: URL (use file:///absolute/path.db)', error);
    }
    return fileAt(path, url, baseDir);
  }
  if (scheme !== 'sqlite') {
    throw badUrl(url, `the scheme '${scheme}:' is not SQLite; use sqlite:path/to/file.db or a plain path`);
  }
  let rest = url.slice('sqlite:'.length);
  if (rest.includes('?') || rest.includes('#')) {
    throw badUrl(url, 'query parameters and fragments are not supported');
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    if (host !== '') throw badUrl(url, `SQLite URLs have no host ('${host}'); use sqlite:///absolute/path.db`);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  return fileAt(rest, url, baseDir);
}

function fileAt(path: string, url: string, baseDir: string): SqliteLocation {
  if (path === '') throw badUrl(url, 'it names no file; use sqlite:path/to/file.db');
  return { kind: 'file', path: isAbsolute(path) ? path : resolve(baseDir, path) };
}

function badUrl(url: string, why: string, cause?: unknown): CairnError {
  const shown = redactUrl(url);
  return new CairnError('CONFIG_ERROR', `invalid SQLite database URL '${shown}': ${why}`, {
    details: { url: shown },
    cause,
  });
}

/**
 * The URL with any password replaced by `***`. SQLite URLs carry none, but a server URL passed
 * here by mistake would, and cairn never prints a password.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}
