import { CairnError } from '../errors.js';
import { assertValidName, type RevisionMeta } from '../revision/revision.js';
import { COLON, DIGIT_0, DOT, isDigit, MINUS } from './char-codes.js';

/**
 * The metadata every migration file carries, whatever its format (`defineMigration({ ... })` in a
 * script, `-- cairn:` header lines in a `.sql` file), and the rules it follows in all of them.
 * Each format's parser reads its own syntax into a `MetadataDraft`; `finishRevisionMeta` checks
 * and normalises the draft the same way for every format. Internal to the `script/` layer.
 */

/** The metadata fields, in the order the renderer writes them. */
export const METADATA_FIELDS = [
  'revision',
  'downRevision',
  'branchLabels',
  'dependsOn',
  'message',
  'createdAt',
  'transaction',
] as const;

/** One metadata field name. */
export type MetadataField = (typeof METADATA_FIELDS)[number];

/**
 * Metadata as a format parser read it, before the rules shared by every format are applied:
 * lists are already arrays, absent optional fields already hold their defaults.
 * Internal to the `script/` layer (the SQL parser builds one too).
 */
export type MetadataDraft = Omit<RevisionMeta, 'file'>;

/**
 * Applies the rules every migration format shares and returns the normalised `RevisionMeta`
 * with `file` set. Internal to the `script/` layer.
 *
 * - `revision` must be non-empty and pass `assertValidName` (`INVALID_REVISION_ID`);
 * - list entries must be non-empty and unique; branch labels must pass `assertValidName`
 *   (`INVALID_BRANCH_LABEL`);
 * - `createdAt` is `''` (unknown) or an ISO-8601 date (`YYYY-MM-DD`, or a date-time with `Z` or an
 *   offset), normalised to UTC `toISOString()` form so that creation order compares as text.
 *
 * Every other failure is `MALFORMED_MIGRATION` with `details: { file, field }`.
 */
export function finishRevisionMeta(file: string, draft: MetadataDraft): RevisionMeta {
  if (draft.revision.length === 0) {
    throw malformed(
      file,
      `field 'revision' is empty; give the migration a unique id such as 'ae1027a6acf0'`,
      'revision',
    );
  }
  assertValidName(draft.revision, 'revision id', file);
  checkList(file, 'downRevision', draft.downRevision);
  checkList(file, 'branchLabels', draft.branchLabels);
  checkList(file, 'dependsOn', draft.dependsOn);
  for (const label of draft.branchLabels) assertValidName(label, 'branch label', file);
  return {
    revision: draft.revision,
    downRevision: draft.downRevision,
    branchLabels: draft.branchLabels,
    dependsOn: draft.dependsOn,
    message: draft.message,
    createdAt: normalizeCreatedAt(file, draft.createdAt),
    transaction: draft.transaction,
    file,
  };
}

/**
 * The candidate closest to `word` by edit distance, when that distance is at most 2; used to
 * answer a misspelt key with "did you mean …?" (migration metadata here, configuration keys in
 * `@cairn/node`).
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `MALFORMED_MIGRATION` for a key the format does not know, suggesting the closest known one:
 * `${file}: unknown ${what}. Did you mean '…'? Known ${knownAs}: …`, with `details`
 * `{ file, field: key, suggestion? }`.
 */
export function unknownKeyError(
  file: string,
  key: string,
  what: string,
  known: readonly string[],
  knownAs: string,
): CairnError {
  const suggestion = closestName(key, known);
  const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
  const message = `${file}: unknown ${what}.${hint} Known ${knownAs}: ${known.join(', ')}`;
  return new CairnError('MALFORMED_MIGRATION', message, {
    details: { file, field: key, ...(suggestion === undefined ? {} : { suggestion }) },
  });
}

/** `MALFORMED_MIGRATION` with the message prefixed by `${file}: ` and `details` `{ file, field? }`. */
export function malformed(file: string, message: string, field?: string): CairnError {
  return new CairnError('MALFORMED_MIGRATION', `${file}: ${message}`, {
    details: field === undefined ? { file } : { file, field },
  });
}

function checkList(file: string, field: MetadataField, items: readonly string[]): void {
  // Lists hold a handful of entries, so a nested loop beats building a Set for every file.
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    if (item.length === 0) {
      throw malformed(file, `field '${field}' contains an empty entry; remove it`, field);
    }
    for (let j = 0; j < i; j++) {
      if (items[j] === item) {
        throw malformed(file, `field '${field}' lists '${item}' more than once; remove the duplicate`, field);
      }
    }
  }
}

/** `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and a zone. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function normalizeCreatedAt(file: string, value: string): string {
  if (value === '') return '';
  // Files cairn writes hold the canonical form; checking its fields by hand keeps `Date` (about a
  // microsecond per file) off the path that reads thousands of files.
  if (isCanonicalUtc(value)) return value;
  const match = ISO_DATE.exec(value);
  const hint = "write an ISO-8601 UTC date such as '2026-11-22T01:56:30.000Z'";
  if (match === null) {
    throw malformed(file, `field 'createdAt' is '${value}', which is not an ISO-8601 date; ${hint}`, 'createdAt');
  }
  if (match[4] !== undefined && match[5] === undefined) {
    // Without a zone, JavaScript reads a date-time as local time, so the order of revisions would
    // depend on the machine.
    throw malformed(
      file,
      `field 'createdAt' is '${value}', which has no time zone, so its meaning depends on the machine; add 'Z' for UTC`,
      'createdAt',
    );
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw malformed(file, `field 'createdAt' is '${value}', which is not a valid date; ${hint}`, 'createdAt');
  }
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` with every field in range: what `Date#toISOString` produces. */
function isCanonicalUtc(value: string): boolean {
  if (
    value.length !== 24 ||
    value.charCodeAt(4) !== MINUS ||
    value.charCodeAt(7) !== MINUS ||
    value.charCodeAt(10) !== 0x54 || // T
    value.charCodeAt(13) !== COLON ||
    value.charCodeAt(16) !== COLON ||
    value.charCodeAt(19) !== DOT ||
    value.charCodeAt(23) !== 0x5a || // Z
    digitsAt(value, 20, 23) < 0
  ) {
    return false;
  }
  const year = digitsAt(value, 0, 4);
  const hour = digitsAt(value, 11, 13);
  const minute = digitsAt(value, 14, 16);
  const second = digitsAt(value, 17, 19);
  return (
    year >= 0 &&
    isCalendarDate(year, digitsAt(value, 5, 7), digitsAt(value, 8, 10)) &&
    hour >= 0 &&
    hour < 24 &&
    minute >= 0 &&
    minute < 60 &&
    second >= 0 &&
    second < 60
  );
}

/** The decimal number written by `value[from..to)`; -1 when a character there is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + c - DIGIT_0;
  }
  return n;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}
