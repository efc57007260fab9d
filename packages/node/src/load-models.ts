import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CairnError, type DesiredSchema, isCairnError, schemaModel } from '@cairn/core';
import type { ResolvedConfig } from './config.js';
import { displayPath } from './display-path.js';
import { importTypeScript } from './typescript-loader.js';

/**
 * Loads the configured schema module (`models`) with the migrations' TypeScript loader and turns
 * its exports into the desired schema: the model autogenerate compares the database with, and
 * the `renamedFrom` hints. `maxIdentifierLength` is the dialect's, for the names the schema
 * leaves out. File names in messages are relative to `cwd`.
 *
 * Every way this can go wrong is a coded error that names the file: no `models` configured
 * (`CONFIG_ERROR`); a module that is missing, throws while loading, or exports no table or enum
 * (`SCHEMA_LOAD_FAILED` — never an empty schema, which would make autogenerate propose dropping
 * every table: Flask-Migrate's "No changes detected" when the models were never imported is
 * the same mistake the other way round); an invalid schema (`INVALID_SCHEMA`).
 */
export async function loadModels(
  config: ResolvedConfig,
  cwd: string,
  maxIdentifierLength: number,
): Promise<DesiredSchema> {
  const shownConfig = displayPath(config.file, cwd);
  const file = config.modelsFile;
  if (file === undefined) {
    throw new CairnError(
      'CONFIG_ERROR',
      `${shownConfig}: no schema module: set 'models' to the module that exports your tables and enums (e.g. models: './src/models.ts')`,
      { details: { file: shownConfig, key: 'models' } },
    );
  }
  const shown = displayPath(file, cwd);
  if (!existsSync(file)) {
    throw new CairnError(
      'SCHEMA_LOAD_FAILED',
      `${shown} ('models' in ${shownConfig}) does not exist; create it, or point 'models' at the module that exports your tables`,
      { details: { file: shown } },
    );
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = /^\.[cm]?ts$/.test(extname(file))
      ? await importTypeScript(file)
      : ((await import(pathToFileURL(file).href)) as Record<string, unknown>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CairnError('SCHEMA_LOAD_FAILED', `${shown} could not be loaded: ${reason}`, {
      details: { file: shown },
      cause: error,
    });
  }
  let desired: DesiredSchema;
  try {
    desired = schemaModel(namespace, { maxIdentifierLength });
  } catch (error) {
    if (!isCairnError(error)) throw error;
    throw new CairnError(error.code, `${shown}: ${error.message}`, {
      details: { ...error.details, file: shown },
      cause: error,
    });
  }
  if (desired.model.tables.length === 0 && desired.model.enums.length === 0) {
    throw new CairnError(
      'SCHEMA_LOAD_FAILED',
      `${shown} exports no tables or enums; export each one (export const users = table('users', { ... })) — a module that only imports its models, or builds them without exporting, gives cairn nothing to compare`,
      { details: { file: shown } },
    );
  }
  return desired;
}
