import { CairnError } from '../errors.js';
import { assertValidName } from '../revision/revision.js';

/**
 * Migration file names: `<UTC yyyymmddHHMMSS>_<revision>_<slug>.<ext>`, so that listing a
 * directory by name lists migrations in creation order. Names are a convenience for people;
 * cairn reads ids and parents from the file's metadata, never from its name.
 */

/** The extensions a migration file may have. `.sql` files use the `-- cairn:` header format. */
export const MIGRATION_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.sql'] as const;

/** One of `MIGRATION_EXTENSIONS`, with its leading dot. */
export type MigrationExtension = (typeof MIGRATION_EXTENSIONS)[number];

/** A migration extension with or without its leading dot (`'.ts'` or `'ts'`). */
export type MigrationExtensionInput = MigrationExtension | (MigrationExtension extends `.${infer Bare}` ? Bare : never);

/** What `parseMigrationFileName` reads from a name that follows the pattern. */
export interface MigrationFileNameParts {
  /** The timestamp as an ISO-8601 UTC string, e.g. `2026-11-22T01:56:30.000Z`. */
  readonly timestamp: string;
  /** The segment after the timestamp, up to the next `_` (or the extension). */
  readonly revision: string;
  /** The rest of the name without the extension; `''` when there is none. */
  readonly slug: string;
}

/** Suffixes of files that share a migration extension but are not migrations. */
const NOT_MIGRATION_SUFFIXES = [
  '.d.ts',
  '.d.mts',
  '.test.ts',
  '.test.mts',
  '.test.js',
  '.test.mjs',
  '.spec.ts',
  '.spec.mts',
  '.spec.js',
  '.spec.mjs',
];

/** Alembic's default `truncate_slug_length`. */
const SLUG_LENGTH = 40;

/**
 * True when `name` (a bare file name, no directory) should be read as a migration: it ends in
 * one of `MIGRATION_EXTENSIONS`, does not start with `.` or `_` (editor backups, drafts), and is
 * not a declaration file (`.d.ts`, `.d.mts`) or a test (`.test.*`, `.spec.*`).
 *
 * @example
 * ```ts
 * isMigrationFileName('20261122015630_ae1027a6acf0_add_a_column.ts'); // true
 * isMigrationFileName('helpers.d.ts'); // false
 * ```
 */
export function isMigrationFileName(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first === 0x2e || first === 0x5f) return false;
  if (!MIGRATION_EXTENSIONS.some((ext) => name.endsWith(ext) && name.length > ext.length)) return false;
  return !NOT_MIGRATION_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/**
 * The slug of a message, by Alembic's rule: every run of ASCII word characters
 * (`[A-Za-z0-9_]`) joined with `_`, lower-cased. Longer than 40 characters: cut to 40, then cut
 * at the last `_` (when there is one) and end with `_`. An empty message, or one without word
 * characters, gives `''`.
 *
 * @example
 * ```ts
 * slugify('Add a column'); // 'add_a_column'
 * slugify('this is a really long name with lots of characters'); // 'this_is_a_really_long_name_with_lots_of_'
 * ```
 */
export function slugify(message: string): string {
  const slug = (message.match(/[A-Za-z0-9_]+/g) ?? []).join('_').toLowerCase();
  if (slug.length <= SLUG_LENGTH) return slug;
  const cut = slug.slice(0, SLUG_LENGTH);
  const lastUnderscore = cut.lastIndexOf('_');
  return `${lastUnderscore < 0 ? cut : cut.slice(0, lastUnderscore)}_`;
}

/**
 * The file name for a new migration: `<UTC yyyymmddHHMMSS>_<revision>_<slug>.<ext>`, or
 * `<UTC yyyymmddHHMMSS>_<revision>.<ext>` when the message has no slug. `ext` may be given with
 * or without its dot (`'.ts'` or `'ts'`).
 *
 * Throws `INVALID_REVISION_ID` when `revision` fails `assertValidName` or contains a path
 * separator, and `USAGE` when `createdAt` is an invalid `Date` or outside years 0–9999.
 *
 * @example
 * ```ts
 * migrationFileName({ createdAt: new Date('2026-11-22T01:56:30Z'), revision: 'ae1027a6acf0', message: 'Add a column', ext: 'ts' });
 * // '20261122015630_ae1027a6acf0_add_a_column.ts'
 * ```
 */
export function migrationFileName(options: {
  readonly createdAt: Date;
  readonly revision: string;
  readonly message: string;
  readonly ext: MigrationExtensionInput;
}): string {
  const { createdAt, revision, message } = options;
  const ext = options.ext.startsWith('.') ? options.ext : `.${options.ext}`;
  assertValidName(revision, 'revision id');
  if (/[/\\\0]/.test(revision)) {
    throw new CairnError(
      'INVALID_REVISION_ID',
      `revision id '${revision}' contains a path separator; it is part of the file name, so use letters, digits and '_'`,
      { details: { name: revision } },
    );
  }
  const year = createdAt.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new CairnError('USAGE', `cannot name a migration created at '${String(createdAt)}'; give a valid date`, {
      details: { createdAt: String(createdAt) },
    });
  }
  const timestamp =
    pad(year, 4) +
    pad(createdAt.getUTCMonth() + 1, 2) +
    pad(createdAt.getUTCDate(), 2) +
    pad(createdAt.getUTCHours(), 2) +
    pad(createdAt.getUTCMinutes(), 2) +
    pad(createdAt.getUTCSeconds(), 2);
  const slug = slugify(message);
  return slug === '' ? `${timestamp}_${revision}${ext}` : `${timestamp}_${revision}_${slug}${ext}`;
}

/**
 * Reads `<yyyymmddHHMMSS>_<revision>[_<slug>]<ext>`; `undefined` when `name` is not a migration
 * file name (`isMigrationFileName`) or does not follow the pattern, including an impossible
 * timestamp — files may be named anything. A revision id that itself contains `_` cannot be told
 * apart from the slug, so `revision` is informational: the file's metadata is authoritative.
 *
 * @example
 * ```ts
 * parseMigrationFileName('20261122015630_ae1027a6acf0_add_a_column.ts');
 * // { timestamp: '2026-11-22T01:56:30.000Z', revision: 'ae1027a6acf0', slug: 'add_a_column' }
 * ```
 */
export function parseMigrationFileName(name: string): MigrationFileNameParts | undefined {
  if (!isMigrationFileName(name)) return undefined;
  const ext = MIGRATION_EXTENSIONS.find((candidate) => name.endsWith(candidate));
  if (ext === undefined) return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_([^_]+)(?:_(.*))?$/s.exec(name.slice(0, -ext.length));
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, revision, slug] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
  // Date.UTC rolls over (month 13 → next January, and years below 100 map to 19xx); a name whose
  // fields do not survive the round trip is not a timestamp.
  date.setUTCFullYear(parts[0]);
  if (
    date.getUTCFullYear() !== parts[0] ||
    date.getUTCMonth() !== parts[1] - 1 ||
    date.getUTCDate() !== parts[2] ||
    date.getUTCHours() !== parts[3] ||
    date.getUTCMinutes() !== parts[4] ||
    date.getUTCSeconds() !== parts[5]
  ) {
    return undefined;
  }
  if (revision === undefined) return undefined;
  return { timestamp: date.toISOString(), revision, slug: slug ?? '' };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
