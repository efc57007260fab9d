import { CairnError, type DialectDescriptor, isDialectDescriptor } from '@cairn/core';
import { BUILT_IN_DIALECT_NAMES } from './built-in-dialects.js';

/** cairn's own configuration keys; any other key must be an option of the dialect. */
export const CORE_KEYS: readonly string[] = ['dialect', 'url', 'migrations', 'versionTable', 'models'];
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/** A configuration file's default export with cairn's own keys checked. */
export interface CheckedConfig {
  readonly dialect?: string | DialectDescriptor;
  readonly url?: string;
  readonly migrations?: string;
  readonly models?: string;
  readonly versionTable?: string;
  /** The other keys, for the dialect to check (`checkDialectOptions`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Checks the default export of configuration `file`: a plain object whose cairn keys have values
 * of the right type. Throws `CONFIG_ERROR` naming the file and the key. The other keys are
 * returned as `options`: only the dialect, once loaded, can tell whether they are its own.
 */
export function validateConfig(value: unknown, file: string): CheckedConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(
      file,
      `the default export must be a plain object such as { dialect: 'sqlite' }, not ${describeValue(value)}`,
    );
  }
  const { dialect, url, migrations, versionTable, models, ...options } = value as Record<string, unknown>;
  if (
    dialect !== undefined &&
    !(typeof dialect === 'string' && dialect.trim() !== '') &&
    !isDialectDescriptor(dialect)
  ) {
    throw configError(
      file,
      `'dialect' must be one of ${BUILT_IN_DIALECT_NAMES.map((d) => `'${d}'`).join(', ')}, a package name or path of a cairn dialect, or a dialect descriptor object, not ${describeValue(dialect)}`,
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
  if (models !== undefined && (typeof models !== 'string' || models.trim() === '')) {
    throw configError(
      file,
      `'models' must be the path of the schema module (a non-empty string such as './src/models.ts'), not ${describeValue(models)}`,
      'models',
    );
  }
  if (versionTable !== undefined && (typeof versionTable !== 'string' || !TABLE_NAME.test(versionTable))) {
    throw configError(
      file,
      `'versionTable' must be a table name such as 'cairn_version' or 'schema.cairn_version', not ${describeValue(versionTable)}`,
      'versionTable',
    );
  }
  return {
    ...(dialect === undefined ? {} : { dialect: dialect as string | DialectDescriptor }),
    ...(url === undefined ? {} : { url: url as string }),
    ...(migrations === undefined ? {} : { migrations: migrations as string }),
    ...(models === undefined ? {} : { models: models as string }),
    ...(versionTable === undefined ? {} : { versionTable: versionTable as string }),
    options,
  };
}

/** A `CONFIG_ERROR` about `file` (and `key`, when one is at fault). */
export function configError(file: string, message: string, key?: string, cause?: unknown): CairnError {
  return new CairnError('CONFIG_ERROR', `${file}: ${message}`, {
    details: key === undefined ? { file } : { file, key },
    ...(cause === undefined ? {} : { cause }),
  });
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
