import type { MigrationContext } from '../runtime/migration-context.js';

/**
 * A migration file's default export. Everything but `upgrade`/`downgrade` is metadata that cairn
 * reads from the source text without running the file, so it must be written as literals.
 */
export interface MigrationDefinition {
  readonly revision: string;
  /** `null` for the first revision, an id, or several ids for a merge. */
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: string | readonly string[];
  readonly dependsOn?: string | readonly string[];
  readonly message?: string;
  /** ISO-8601 UTC; orders independent branches. */
  readonly createdAt?: string;
  /** `false` to run outside a transaction (e.g. `CREATE INDEX CONCURRENTLY`). Default: `true`. */
  readonly transaction?: boolean;
  upgrade?(ctx: MigrationContext): void | Promise<void>;
  downgrade?(ctx: MigrationContext): void | Promise<void>;
}

/**
 * Declares a migration. It returns its argument unchanged: its value is the type check in the
 * user's editor and the marker cairn's metadata reader looks for.
 *
 * @example
 * export default defineMigration({ revision: 'ae1027a6acf0', downRevision: null, async upgrade(ctx) {} });
 */
export function defineMigration<const T extends MigrationDefinition>(definition: T): T {
  return definition;
}
