import type { Capabilities, Normalizer } from '../dialect/dialect.js';
import type { Operation } from '../ops/operation.js';

/**
 * Renames the diff may emit, each given explicitly (the schema's `renamedFrom`, or `--rename`):
 * cairn never guesses one. Names of tables and enums are written as `formatQualifiedName` writes
 * them (`users`, `app.users`).
 *
 * A hint is applied when its old name exists on the `from` side and its new one does not; it is
 * ignored when only the new one exists (the rename already ran: hints may stay in the schema), and
 * it is a `CairnError('USAGE')` naming the hint when both exist, when neither does, or when the new
 * name is not in `to`.
 *
 * @example { tables: new Map([['account', 'user']]), columns: new Map([['account', new Map([['email', 'mail']])]]) }
 */
export interface RenameHints {
  /** New table name → its old name, in the same schema. */
  readonly tables?: ReadonlyMap<string, string>;
  /** Table (its new name) → new column name → old column name. */
  readonly columns?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Enum → new value → old value. Applied only where `capabilities.enumTypes`. */
  readonly enumValues?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Options of `diffSchemas`. */
export interface DiffOptions {
  /**
   * Applied to every column type and default, on both sides, before they are compared; the
   * operations still carry each side's own spelling. Default: none (types and defaults compare as
   * written).
   */
  readonly normalizer?: Normalizer;
  /**
   * What the dialect can do. Default: everything is compared and changed (`comments`,
   * `enumTypes`, `namedPrimaryKeys`, `partialIndexes` all `true`).
   */
  readonly capabilities?: Partial<Capabilities>;
  /** Explicit renames (see `RenameHints`). Default: none. */
  readonly renames?: RenameHints;
  /**
   * Tables to compare, as names or globs (`*` any run of characters, `?` one), matched against the
   * bare and the schema-qualified name. Default: every table.
   */
  readonly include?: readonly string[];
  /** Tables left out (names or globs, as `include`); wins over `include`. Default: none. */
  readonly exclude?: readonly string[];
  /**
   * cairn's own tables, never in a diff whatever `include` says. Default: `cairn_version` and
   * `cairn_history`.
   */
  readonly stateTables?: readonly string[];
}

/**
 * What `diffSchemas` found: `upgrade` turns `from` into `to`, `downgrade` turns it back (the
 * upgrade's operations reversed, last first), and `notes` says what was not compared or not
 * changed, and why: the comments a generated migration carries.
 */
export interface SchemaDiff {
  readonly upgrade: readonly Operation[];
  readonly downgrade: readonly Operation[];
  readonly notes: readonly string[];
}

/** The capabilities the diff reads, with its defaults. */
export type DiffCapabilities = Pick<Capabilities, 'comments' | 'enumTypes' | 'namedPrimaryKeys' | 'partialIndexes'>;

export const DEFAULT_DIFF_CAPABILITIES: DiffCapabilities = Object.freeze({
  comments: true,
  enumTypes: true,
  namedPrimaryKeys: true,
  partialIndexes: true,
});

/** The default `stateTables`. */
export const STATE_TABLES: readonly string[] = Object.freeze(['cairn_version', 'cairn_history']);
