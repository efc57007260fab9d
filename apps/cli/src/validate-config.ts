import { CairnError } from '@cairn/core';
import { type CairnConfig, DIALECTS, type Dialect } from './config.js';

const KEYS: ReadonlySet<string> = new Set(['dialect', 'url', 'migrations', 'versionTable', 'schema']);
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
/** PostgreSQL's identifier limit in bytes (`NAMEDATALEN` - 1): longer names are silently truncated. */
const MAX_SCHEMA_BYTES = 63;

/**
 * Checks the default export of configuration `file` and returns it typed. Throws
 * `CONFIG_ERROR` naming the file and the key: for a value that is not a plain object, an unknown
 * key (a misspelt key would otherwise be silently ignored), or a value of the wrong type.
 */
export function validateConfig(value: unknown, file: string): CairnConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(
      file,
      `the default export must be a plain object such as { dialect: 'sqlite' }, not ${describeValue(value)}`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) {
      throw configError(file, `unknown key '${key}'; the keys are ${[...KEYS].join(', ')}`, key);
    }
  }
  const { dialect, url, migrations, versionTable, schema } = record;
  if (dialect !== undefined && !DIALECTS.includes(dialect as Dialect)) {
    throw configError(
      file,
      `'dialect' must be one of ${DIALECTS.map((d) => `'${d}'`).join(', ')}, not ${describeValue(dialect)}`,
      'dialect',
    );
  }
  if (url !== undefined && (typeof url !== 'string' || url === '')) {
    // The value itself is not shown: it may hold a password.
    throw configError(file, `'url' must be a non-empty string`, 'url');
  }
  if (migrations !== undefined && (typeof migrations !== 'string' || migrations.trim() === '')) {
    throw configError(
      file,
      `'migrations' must be a directory path (a non-empty string), not ${describeValue(migrations)}`,
      'migrations',
    );
  }
  if (versionTable !== undefined && (typeof versionTable !== 'string' || !TABLE_NAME.test(versionTable))) {
    throw configError(
      file,
      `'versionTable' must be a table name such as 'cairn_version' or 'schema.cairn_version', not ${describeValue(versionTable)}`,
      'versionTable',
    );
  }
  if (schema !== undefined) validateSchema(schema, dialect as Dialect | undefined, file);
  return {
    ...(dialect === undefined ? {} : { dialect: dialect as Dialect }),
    ...(url === undefined ? {} : { url: url as string }),
    ...(migrations === undefined ? {} : { migrations: migrations as string }),
    ...(versionTable === undefined ? {} : { versionTable: versionTable as string }),
    ...(schema === undefined ? {} : { schema: schema as string }),
  };
}

/**
 * `schema` is a PostgreSQL schema name: only for the postgres dialect, and a name PostgreSQL
 * keeps as written (quoted, so any case and characters but NUL; at most 63 bytes; not `pg_…`,
 * which PostgreSQL reserves for its own schemas).
 */
function validateSchema(schema: unknown, dialect: Dialect | undefined, file: string): void {
  if (dialect !== 'postgres') {
    const which = dialect === undefined ? `'sqlite' (the default)` : `'${dialect}'`;
    throw configError(
      file,
      `'schema' is a PostgreSQL option, but the dialect is ${which}; remove 'schema', or set dialect: 'postgres'`,
      'schema',
    );
  }
  if (typeof schema !== 'string' || schema === '' || schema.includes('\0')) {
    throw configError(
      file,
      `'schema' must be a PostgreSQL schema name such as 'app' (a non-empty string), not ${describeValue(schema)}`,
      'schema',
    );
  }
  const bytes = Buffer.byteLength(schema, 'utf8');
  if (bytes > MAX_SCHEMA_BYTES) {
    throw configError(
      file,
      `'schema' is ${bytes} bytes long; PostgreSQL keeps only the first ${MAX_SCHEMA_BYTES} bytes of a name and would silently truncate it, so choose a schema name of at most ${MAX_SCHEMA_BYTES} bytes (UTF-8)`,
      'schema',
    );
  }
  if (schema.startsWith('pg_')) {
    throw configError(
      file,
      `'schema' cannot be '${schema}': PostgreSQL reserves names that begin with 'pg_' for its own schemas`,
      'schema',
    );
  }
}

/** A `CONFIG_ERROR` about `file` (and `key`, when one is at fault). */
export function configError(file: string, message: string, key?: string, cause?: unknown): CairnError {
  return new CairnError('CONFIG_ERROR', `${file}: ${message}`, {
    details: key === undefined ? { file } : { file, key },
    ...(cause === undefined ? {} : { cause }),
  });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
