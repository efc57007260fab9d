import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CairnError, driverLoader, type Session } from '@cairn/core';
import type BetterSqlite3 from 'better-sqlite3';
import { betterSqlite3Session } from './sessions/better-sqlite3.js';
import { parseSqliteUrl, type SqliteLocation } from './sqlite-url.js';

/**
 * better-sqlite3 (CommonJS), an optional peer dependency, loaded by the first `openSqlite`: the
 * compiler, offline scripts and everything else in this package work without it installed.
 * Loaded with `require` rather than `import`: Node 20 imports a CommonJS package into an ES
 * module by first scanning its source, and that of every module it re-exports, for export names,
 * which costs `cairn current` about 5 ms of its start-up here.
 */
const require = createRequire(import.meta.url);
const loadBetterSqlite3 = driverLoader(
  'better-sqlite3',
  'SQLite',
  () => require('better-sqlite3') as typeof BetterSqlite3,
);

/** Options for `openSqlite`. */
export interface OpenSqliteOptions {
  /** Directory that relative paths and `sqlite:rel/path.db` URLs resolve against. Default: `process.cwd()`. */
  readonly baseDir?: string;
  /**
   * How long one statement waits for another connection's lock before failing with
   * `SQLITE_BUSY` (SQLite's `busy_timeout`). The locker sets its own wait while acquiring, so
   * this bounds only the waits of ordinary statements. Default: `5000` ms.
   */
  readonly busyTimeoutMs?: number;
}

/** An open SQLite database: the driver handle, a `Session` over it, and how to close both. */
export interface SqliteConnection {
  /** The better-sqlite3 handle, for what a `Session` does not cover (backups, functions). */
  readonly db: BetterSqlite3.Database;
  readonly session: Session;
  /** Closes the connection, which also ends (rolls back) any transaction and so frees the lock. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens an SQLite database with better-sqlite3 (see `parseSqliteUrl` for the accepted URL and
 * path forms). The file is created when missing; its directory must exist. A file database is
 * switched to `journal_mode=WAL`, so readers are not blocked by a migration holding the write
 * lock (the setting persists in the file); `:memory:` keeps its default.
 *
 * Throws `CairnError('CONFIG_ERROR')`, naming the URL, when the URL is malformed, the file cannot
 * be opened (missing directory, a directory, no permission) or is not an SQLite database; the
 * driver's error is the `cause`. Throws `CairnError('DRIVER_MISSING')` when better-sqlite3 is not
 * installed.
 *
 * @example
 * const { session, close } = await openSqlite('sqlite:./app.db', { baseDir: projectDir });
 */
export async function openSqlite(url: string, options: OpenSqliteOptions = {}): Promise<SqliteConnection> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new CairnError(
      'CONFIG_ERROR',
      `the SQLite busy timeout must be a whole number of milliseconds ≥ 0, got ${String(busyTimeoutMs)}`,
      { details: { busyTimeoutMs } },
    );
  }
  const location = parseSqliteUrl(url, options.baseDir ?? process.cwd());
  const db = openDatabase(loadBetterSqlite3(), location, url, busyTimeoutMs);
  return {
    db,
    session: betterSqlite3Session(db),
    async close() {
      if (db.open) db.close();
    },
  };
}

function openDatabase(
  Database: typeof BetterSqlite3,
  location: SqliteLocation,
  url: string,
  busyTimeoutMs: number,
): BetterSqlite3.Database {
  let db: BetterSqlite3.Database | undefined;
  try {
    const nativeBinding = addonPath();
    db = new Database(location.kind === 'memory' ? ':memory:' : location.path, {
      timeout: busyTimeoutMs,
      ...(nativeBinding === undefined ? {} : { nativeBinding }),
    });
    // SQLite opens files lazily: this first read of the file is what surfaces a directory, an
    // unreadable file or a file that is not a database.
    if (location.kind === 'file') db.pragma('journal_mode = WAL');
    return db;
  } catch (error) {
    db?.close();
    const reason = error instanceof Error ? error.message : String(error);
    // better-sqlite3 is installed but its native addon was never built: pnpm 10 skips install
    // scripts it was not told to run, and an install without a compiler fails to build it.
    if (reason.includes('Could not locate the bindings file')) {
      throw new CairnError(
        'DRIVER_MISSING',
        `better-sqlite3 is installed but its native addon was not built, so SQLite cannot be opened; with pnpm, allow its build (add better-sqlite3 to onlyBuiltDependencies in pnpm-workspace.yaml, or run 'pnpm approve-builds') and run 'pnpm rebuild better-sqlite3'; with npm, run 'npm rebuild better-sqlite3' (it needs python3, make and a C++ compiler)`,
        { details: { package: 'better-sqlite3' }, cause: error },
      );
    }
    const where = location.kind === 'file' ? ` (file ${location.path})` : '';
    throw new CairnError(
      'CONFIG_ERROR',
      `cannot open the SQLite database '${url}'${where}: ${reason}; check that the directory exists, that the path is a file cairn may read and write, and that it is an SQLite database`,
      { details: { url, path: location.kind === 'file' ? location.path : ':memory:' }, cause: error },
    );
  }
}

let addon: string | null | undefined;

/**
 * The path of better-sqlite3's native addon when it is where its install puts it
 * (`build/Release/better_sqlite3.node`), else `undefined`, which lets better-sqlite3 search for
 * it with the `bindings` package as usual. Given the path, the first open takes about 1.3 ms
 * instead of 3.5–4.5 ms: `bindings` finds its own caller from a stack trace and tries
 * `build/better_sqlite3.node` and `build/Debug/…` with failing `require`s first. Those two are
 * checked here as well, so a debug build `bindings` would pick is still left to it. Resolved
 * from this module, as `better-sqlite3` itself is.
 */
function addonPath(): string | undefined {
  if (addon === undefined) {
    addon = null;
    try {
      const root = dirname(require.resolve('better-sqlite3/package.json'));
      const release = join(root, 'build', 'Release', 'better_sqlite3.node');
      const preferred = [
        join(root, 'build', 'better_sqlite3.node'),
        join(root, 'build', 'Debug', 'better_sqlite3.node'),
      ];
      if (existsSync(release) && !preferred.some((path) => existsSync(path))) addon = release;
    } catch {
      // Not resolvable this way (a bundler, an unusual layout): better-sqlite3 finds it.
    }
  }
  return addon ?? undefined;
}
