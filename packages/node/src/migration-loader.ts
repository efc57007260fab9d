import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CairnError,
  type LoadedMigration,
  type MigrationDefinition,
  type MigrationLoader,
  type RevisionMeta,
  splitSqlSections,
  splitSqlStatements,
} from '@cairn/core';
import { importTypeScript } from './typescript-loader.js';

/**
 * Loads migration code from the files the graph was read from: `.sql` files are split into
 * statements; `.ts/.mts` files go through the TypeScript loader; `.js/.mjs` are imported. Only
 * the planned steps are loaded (see `LoadedMigration`). The checksum is the SHA-256 of the file's
 * bytes.
 */
export function fileMigrationLoader(cwd: string): MigrationLoader {
  // Imported on the first step that runs: `current` and `stamp` never load migration code, and
  // should not pay for `node:crypto` at start-up.
  let createHash: typeof import('node:crypto').createHash | undefined;
  return {
    async load(meta: RevisionMeta): Promise<LoadedMigration> {
      if (meta.file === undefined)
        throw new CairnError('MIGRATION_LOAD_FAILED', `revision '${meta.revision}' has no file`);
      const path = isAbsolute(meta.file) ? meta.file : resolve(cwd, meta.file);
      const bytes = readFileSync(path);
      createHash ??= (await import('node:crypto')).createHash;
      const checksum = createHash('sha256').update(bytes).digest('hex');
      if (path.endsWith('.sql')) return sqlMigration(meta.file, bytes.toString('utf8'), checksum);
      return scriptMigration(meta, path, checksum);
    },
  };
}

function sqlMigration(file: string, source: string, checksum: string): LoadedMigration {
  const sections = splitSqlSections(file, source);
  return {
    checksum,
    async run(direction, ctx) {
      const script = direction === 'up' ? sections.up : sections.down;
      if (script === undefined) throw irreversible(file);
      for (const text of splitSqlStatements(script)) await ctx.sql(text);
    },
  };
}

async function scriptMigration(meta: RevisionMeta, path: string, checksum: string): Promise<LoadedMigration> {
  const namespace = /\.[cm]?ts$/.test(path)
    ? await importTypeScript(path)
    : ((await import(pathToFileURL(path).href)) as Record<string, unknown>);
  const definition = namespace.default as Partial<MigrationDefinition> | undefined;
  if (definition === undefined || typeof definition !== 'object') {
    throw new CairnError(
      'MIGRATION_LOAD_FAILED',
      `${meta.file}: has no default export; export default defineMigration({...})`,
      {
        details: { file: meta.file },
      },
    );
  }
  return {
    checksum,
    async run(direction, ctx) {
      const body = direction === 'up' ? definition.upgrade : definition.downgrade;
      if (typeof body !== 'function') {
        if (direction === 'down') throw irreversible(meta.file ?? meta.revision);
        throw new CairnError('MIGRATION_LOAD_FAILED', `${meta.file}: has no upgrade function`, {
          details: { file: meta.file },
        });
      }
      await body.call(definition, ctx);
    },
  };
}

function irreversible(file: string): CairnError {
  return new CairnError(
    'MIGRATION_FAILED',
    `${file} has no downgrade, so it cannot be reverted; write one, or move the version table with 'cairn stamp'`,
    {
      details: { file },
    },
  );
}
