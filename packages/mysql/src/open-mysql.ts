import { createRequire } from 'node:module';
import { CairnError, driverLoader, type Session, statement } from '@cairn/core';
import type mysql from 'mysql2/promise';
import { mysql2Session } from './sessions/mysql2.js';

const require = createRequire(import.meta.url);

/**
 * `mysql2`, an optional peer dependency, loaded by the first `openMysql`: compiling operations,
 * offline scripts and everything else in this package work without it installed.
 */
const loadMysql2 = driverLoader('mysql2', 'MySQL/MariaDB', () => require('mysql2/promise') as typeof mysql);

/** An open MySQL/MariaDB connection: the `mysql2` connection, a `Session` over it, and how to close both. */
export interface MysqlConnection {
  /** The `mysql2/promise` connection, for what a `Session` does not cover. */
  readonly connection: mysql.Connection;
  readonly session: Session;
  /** Closes the connection, which ends any transaction and releases `GET_LOCK` locks. Idempotent. */
  close(): Promise<void>;
}

/** Where `parseMysqlUrl` says to connect. */
export interface MysqlLocation {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `?ssl=true`: TLS with certificate verification. */
  readonly ssl: boolean;
  /** `?connectTimeout=<ms>`. */
  readonly connectTimeoutMs?: number;
  /** The URL with its password replaced by `***`, for messages. */
  readonly display: string;
}

/** Query parameters `openMysql` understands; anything else is refused rather than ignored. */
const PARAMETERS = ['ssl', 'connectTimeout'] as const;

/**
 * Parses `mysql://user:password@host:port/database` (also `mariadb://`; user, password and port
 * optional, port 3306; percent-encoded parts decoded). Query parameters: `ssl=true|false` and
 * `connectTimeout=<ms>`.
 *
 * Throws `CairnError('CONFIG_ERROR')` naming the URL (password masked) and the part that is
 * wrong: not a URL, another scheme, no database, a bad port or an unknown parameter.
 *
 * @example parseMysqlUrl('mysql://root@127.0.0.1/app').database // 'app'
 */
export function parseMysqlUrl(url: string): MysqlLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    // Not parsable, so the password cannot be found exactly: mask anything between ':' and '@'.
    const masked = url.replace(/:[^:@/]*@/, ':***@');
    throw urlError(masked, 'is not a URL; write it as mysql://user:password@host:3306/database', error);
  }
  if (parsed.password !== '') parsed.password = '***';
  const display = parsed.toString();
  const fail = (what: string) => urlError(display, what);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:')
    throw fail(`has the scheme '${parsed.protocol}'; a MySQL/MariaDB URL starts with mysql:// (or mariadb://)`);
  if (parsed.hostname === '') throw fail('names no host; write it as mysql://user:password@host:3306/database');
  const database = decode(parsed.pathname.replace(/^\//, ''), display, 'database name');
  if (database === '' || database.includes('/'))
    throw fail(
      "names no database (the path after the host); cairn's tables and the migrations need one: mysql://user@host:3306/database",
    );
  const port = parsed.port === '' ? 3306 : Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw fail(`has the port '${parsed.port}'`);
  let ssl = false;
  let connectTimeoutMs: number | undefined;
  for (const [key, value] of parsed.searchParams) {
    if (key === 'ssl') {
      if (value !== 'true' && value !== 'false') throw fail(`has ssl=${value}; use ssl=true or ssl=false`);
      ssl = value === 'true';
    } else if (key === 'connectTimeout') {
      connectTimeoutMs = Number(value);
      if (!Number.isSafeInteger(connectTimeoutMs) || connectTimeoutMs <= 0)
        throw fail(`has connectTimeout=${value}; give a whole number of milliseconds`);
    } else {
      throw fail(
        `has the query parameter '${key}', which cairn does not know; the supported ones are ${PARAMETERS.join(' and ')}`,
      );
    }
  }
  // `new URL` lower-cases the host and keeps IPv6 brackets; mysql2 wants them off.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    user: decode(parsed.username, display, 'user name'),
    password: decode(new URL(url).password, display, 'password'),
    database,
    ssl,
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    display,
  };
}

/**
 * Opens one `mysql2/promise` connection to `url` (see `parseMysqlUrl`) and returns a `Session`
 * over it. One connection, not a pool: the `GET_LOCK` lock and the transactions must stay on one
 * server session. The connection:
 * - never allows several statements per call (`multipleStatements` off);
 * - runs with `time_zone = '+00:00'` and exchanges dates in UTC (`timezone: 'Z'`), so `datetime`
 *   values (cairn's `timestamp`) and `CURRENT_TIMESTAMP` defaults are UTC (see `mysqlType`);
 * - returns BIGINT/DECIMAL values too large for a JavaScript number as strings
 *   (`supportBigNumbers`) rather than rounding them;
 * - drops `NO_BACKSLASH_ESCAPES` from its `sql_mode` when the server sets it: the literals cairn
 *   writes into DDL (defaults, comments, enum labels) escape backslashes (`quoteLiteral`).
 *
 * Throws `CairnError('CONFIG_ERROR')` for a malformed URL (see `parseMysqlUrl`) and, naming the
 * URL with its password masked, when the connection cannot be made or set up; the driver's error
 * is the `cause`. Throws `CairnError('DRIVER_MISSING')` when `mysql2` is not installed.
 *
 * @example
 * const { session, close } = await openMysql('mysql://cairn:secret@localhost:3306/app');
 */
export async function openMysql(url: string): Promise<MysqlConnection> {
  const location = parseMysqlUrl(url);
  const { createConnection } = loadMysql2();
  let connection: mysql.Connection;
  try {
    connection = await createConnection({
      host: location.host,
      port: location.port,
      user: location.user,
      password: location.password,
      database: location.database,
      ...(location.ssl ? { ssl: {} } : {}),
      ...(location.connectTimeoutMs === undefined ? {} : { connectTimeout: location.connectTimeoutMs }),
      multipleStatements: false,
      timezone: 'Z',
      supportBigNumbers: true,
      // Statements with parameters are prepared (see mysql2Session); keep few open on the server,
      // whose max_prepared_stmt_count is shared by every client.
      maxPreparedStatements: 64,
      // No stack captured per statement (mysql2's default builds an Error for every call, a
      // measurable share of a run's time); cairn names the failing statement in its own errors.
      trace: false,
    });
  } catch (error) {
    throw connectError(location.display, 'cannot connect to', error);
  }
  // A server that goes away makes the connection emit 'error'; without a listener that would
  // crash the process. The next statement on the connection rejects instead.
  connection.on('error', () => undefined);
  const session = mysql2Session(connection);
  try {
    await setUpSession(session);
  } catch (error) {
    connection.destroy();
    throw connectError(location.display, 'cannot set up the session (time_zone, sql_mode) on', error);
  }
  let closed = false;
  return {
    connection,
    session,
    async close() {
      if (closed) return;
      closed = true;
      await connection.end().catch(() => connection.destroy());
    },
  };
}

/**
 * What `openMysql` sets on its session: `time_zone` UTC, and no `NO_BACKSLASH_ESCAPES` in the
 * `sql_mode` (cairn's literals escape backslashes). Exported for tests.
 */
export async function setUpSession(session: Session): Promise<void> {
  await session.execute(statement("SET SESSION time_zone = '+00:00'"));
  const [mode] = await session.query<{ mode: string }>(statement('SELECT @@SESSION.sql_mode AS mode'));
  const flags = (mode?.mode ?? '').split(',').filter((flag) => flag !== '');
  if (flags.includes('NO_BACKSLASH_ESCAPES'))
    await session.execute(
      statement('SET SESSION sql_mode = ?', [flags.filter((flag) => flag !== 'NO_BACKSLASH_ESCAPES').join(',')]),
    );
}

function decode(text: string, display: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    throw urlError(display, `has a malformed percent-encoding in its ${what}`, error);
  }
}

function urlError(display: string, what: string, cause?: unknown): CairnError {
  return new CairnError(
    'CONFIG_ERROR',
    `the MySQL connection URL '${display}' ${what} (set it with --url, $DATABASE_URL or the config's url)`,
    { details: { url: display, option: 'url' }, ...(cause === undefined ? {} : { cause }) },
  );
}

function connectError(display: string, what: string, error: unknown): CairnError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CairnError(
    'CONFIG_ERROR',
    `${what} the MySQL database '${display}': ${reason}; check the host, port, database name and credentials in the url option, and that the server is running`,
    { details: { url: display, option: 'url' }, cause: error },
  );
}
