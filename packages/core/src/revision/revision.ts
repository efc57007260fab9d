import { CairnError } from '../errors.js';

/**
 * What cairn knows about one revision without running its code: the metadata of a migration
 * file, normalised (lists are always arrays, an absent message is `''`).
 */
export interface RevisionMeta {
  /** The revision id, e.g. `ae1027a6acf0`. */
  readonly revision: string;
  /** Parent ids: empty for a base, two or more for a merge. */
  readonly downRevision: readonly string[];
  /** Labels declared by this revision. */
  readonly branchLabels: readonly string[];
  /** Declared dependencies: full revision ids or branch labels, as written in the file. */
  readonly dependsOn: readonly string[];
  /** The first line is the short doc shown by `history`. */
  readonly message: string;
  /** ISO-8601 UTC creation time; orders independent branches. `''` when unknown. */
  readonly createdAt: string;
  /** `false` when the migration must run outside a transaction. Default: `true`. */
  readonly transaction: boolean;
  /** The file it came from (relative to the project), for messages. Absent for in-memory revisions. */
  readonly file?: string;
}

/** Words that mean something as targets and so can never be ids or labels. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['head', 'heads', 'base', 'current']);

/**
 * Characters that have a meaning in targets (`label@rev`, `rev+2`, `a:b`) or in lists, and so
 * can appear in neither ids nor branch labels.
 */
const FORBIDDEN = /[@:+\-,\s]/g;
const HAS_FORBIDDEN = /[@:+\-,\s]/;

/** Throws `INVALID_REVISION_ID` (or `INVALID_BRANCH_LABEL`) when `name` cannot be used. */
export function assertValidName(name: string, what: 'revision id' | 'branch label', file?: string): void {
  const code = what === 'revision id' ? 'INVALID_REVISION_ID' : 'INVALID_BRANCH_LABEL';
  const where = file ? `${file}: ` : '';
  if (name.length === 0) throw new CairnError(code, `${where}the ${what} is empty`, { details: { file } });
  if (HAS_FORBIDDEN.test(name)) {
    const bad = [...new Set(name.match(FORBIDDEN))].sort();
    const shown = bad.map((c) => (/\s/.test(c) ? 'whitespace' : `'${c}'`)).join(', ');
    throw new CairnError(
      code,
      `${where}${what} '${name}' contains ${shown}; ids and labels cannot contain '@', ':', '+', '-', ',' or whitespace because those characters build targets such as 'label@head' and 'rev+1'`,
      { details: { file, name, characters: bad } },
    );
  }
  if (RESERVED_NAMES.has(name)) {
    throw new CairnError(
      code,
      `${where}${what} '${name}' is a reserved word (head, heads, base, current); choose another`,
      {
        details: { file, name },
      },
    );
  }
}

/** The first line of the message: what `history` and `heads` print. */
export function shortDoc(meta: Pick<RevisionMeta, 'message'>): string {
  const line = meta.message.split('\n', 1)[0] ?? '';
  return line.trim();
}
