import {
  CairnError,
  type DialectDescriptor,
  type DialectSettings,
  HISTORY_TABLE_NAME,
  type Session,
  type Statement,
  type StateTables,
  statement,
} from '@cairn/core';
import { sqlState } from './errors.js';
import { MAX_IDENTIFIER_BYTES, quoteIdentifier } from './quote.js';

/**
 * How a project names PostgreSQL (`dialect: 'postgres'`): URLs `postgres://user:password@host/db`
 * (anything `pg`'s `connectionString` reads), and one option of its own, `schema`: the schema
 * cairn works in. Its version and history tables live there (the schema is created if missing),
 * and migrations run with `search_path` set to it followed by `public`, so unqualified names land
 * in it while extensions' types and functions in `public` stay visible. A schema-qualified
 * `versionTable` (`meta.cairn_version`) puts cairn's tables in its own schema instead. The
 * dialect and `pg` are loaded only when asked for.
 */
export const postgresDescriptor: DialectDescriptor = Object.freeze({
  kind: 'cairn-dialect',
  name: 'postgres',
  title: 'PostgreSQL',
  driver: Object.freeze({ name: 'pg', version: '^8.23.1' }),
  exampleUrl: 'postgres://postgres@127.0.0.1:5432/app',
  options: Object.freeze({
    schema: Object.freeze({
      description: 'the PostgreSQL schema cairn works in',
      check: checkSchemaName,
    }),
  }),
  stateTables: postgresStateTables,
  sessionSetup,
  async create() {
    return (await import('./postgres-dialect.js')).postgresDialect();
  },
  async open(url: string, settings: DialectSettings) {
    refuseOtherScheme(url, settings);
    const { openPostgres } = await import('./open-postgres.js');
    const connection = await openPostgres(url);
    try {
      await useSchema(connection.session, settings);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  },
});

/**
 * A URL of another database (`mysql://…`, `sqlite:…`) is a mistake in the configuration, not
 * something to hand to `pg`, which would try to connect somewhere anyway; so is a URL without a
 * scheme, except `pg`'s keyword/value form (`host=/run/postgresql dbname=app`).
 */
function refuseOtherScheme(url: string, settings: DialectSettings): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase() ?? /^(sqlite|file):/i.exec(url)?.[1];
  const where = settings.configFile === undefined ? '' : ` (${settings.configFile})`;
  if (scheme === undefined) {
    // pg's keyword/value form (`host=… dbname=…`) has no scheme; anything else without one
    // (`127.0.0.1:5432/app`) would be read as a host name and fail with a baffling DNS error.
    if (url.includes('=')) return;
    throw new CairnError(
      'CONFIG_ERROR',
      `the database URL is not a PostgreSQL URL${where}: it has no postgres:// scheme; write it as postgres://user@host:5432/database`,
      { details: { ...(settings.configFile === undefined ? {} : { file: settings.configFile }), key: 'url' } },
    );
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return;
  throw new CairnError(
    'CONFIG_ERROR',
    `the database URL is a '${scheme}:' URL, but the dialect is postgres${where}; use a postgres://user@host:5432/database URL, or set the dialect that matches the URL`,
    { details: { ...(settings.configFile === undefined ? {} : { file: settings.configFile }), key: 'url', scheme } },
  );
}

/**
 * A name PostgreSQL keeps as written (quoted, so any case and characters but NUL), of at most 63
 * bytes (longer ones would be silently truncated), and not `pg_…`, which PostgreSQL reserves.
 */
function checkSchemaName(schema: unknown): string | undefined {
  if (typeof schema !== 'string' || schema === '' || schema.includes('\0')) {
    return `must be a PostgreSQL schema name such as 'app' (a non-empty string), not ${describeValue(schema)}`;
  }
  const bytes = Buffer.byteLength(schema, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return `is ${bytes} bytes long; PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES} bytes of a name and would silently truncate it, so choose a schema name of at most ${MAX_IDENTIFIER_BYTES} bytes (UTF-8)`;
  }
  if (schema.startsWith('pg_')) {
    return `cannot be '${schema}': PostgreSQL reserves names that begin with 'pg_' for its own schemas`;
  }
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * A schema-qualified `versionTable` puts both tables in its schema, else the `schema` option
 * does; without either, the names are unqualified (the connection's `search_path` decides).
 */
function postgresStateTables(settings: DialectSettings): StateTables {
  const { versionTable } = settings;
  const dot = versionTable.indexOf('.');
  const name = dot < 0 ? versionTable : versionTable.slice(dot + 1);
  const schema = dot < 0 ? (settings.options.schema as string | undefined) : versionTable.slice(0, dot);
  return schema === undefined
    ? { versionTable: { name }, historyTable: { name: HISTORY_TABLE_NAME } }
    : { versionTable: { schema, name }, historyTable: { schema, name: HISTORY_TABLE_NAME } };
}

/** With a `schema`: `SET search_path TO "<schema>", public` (just `"public"` for public itself). */
function sessionSetup(settings: DialectSettings): Statement[] {
  const schema = settings.options.schema as string | undefined;
  if (schema === undefined) return [];
  const path = schema === 'public' ? quoteIdentifier('public') : `${quoteIdentifier(schema)}, public`;
  return [statement(`SET search_path TO ${path}`)];
}

/**
 * Points `session` at the configured schema (`sessionSetup`), creating the schema first when it
 * does not exist yet. Created here rather than only with cairn's tables because the PostgreSQL
 * lock's key includes the session's current schema (the first *existing* schema of its
 * `search_path`): processes that start before and after the schema exists must take the same
 * lock. When another process creates it at the same moment, that one's schema is used.
 */
async function useSchema(session: Session, settings: DialectSettings): Promise<void> {
  const schema = settings.options.schema as string | undefined;
  if (schema === undefined) return;
  try {
    for (const s of sessionSetup(settings)) await session.execute(s);
    const found = await session.query(statement('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]));
    if (found.length > 0) return;
    try {
      await session.execute(statement(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`));
    } catch (error) {
      // 23505 unique_violation, 42P06 duplicate_schema: created by a concurrent process.
      const state = sqlState(error);
      if (state !== '23505' && state !== '42P06') throw error;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // 42501 insufficient_privilege: the role may not create schemas in this database.
    const hint =
      sqlState(error) === '42501'
        ? '; create the schema with a role that may, or grant this role CREATE on the database'
        : '';
    const where = settings.configFile === undefined ? '' : ` ('schema' in ${settings.configFile})`;
    throw new CairnError('CONFIG_ERROR', `cannot use the PostgreSQL schema '${schema}'${where}: ${reason}${hint}`, {
      details: { ...(settings.configFile === undefined ? {} : { file: settings.configFile }), key: 'schema', schema },
      cause: error,
    });
  }
}
