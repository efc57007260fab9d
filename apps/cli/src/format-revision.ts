import { type RevisionEntry, shortDoc } from '@cairn/core';

/**
 * Alembic's human formats for one revision (revision-semantics.md §8), so that output reads the
 * same as the tool users come from.
 */

/** Which pieces `shortLine` includes besides the id and the head markers. */
export interface ShortLineParts {
  /** `parents (deps) -> ` before the id (`<base>` when there is no parent). */
  readonly parents?: boolean;
  /** ` (labels)` after the id. */
  readonly labels?: boolean;
  /** ` (branchpoint)` and ` (mergepoint)`. */
  readonly tree?: boolean;
  /** `, <first line of the message>` at the end (left out when the message is empty). */
  readonly doc?: boolean;
}

/**
 * The one-line form: `[parents[ (deps)] -> ]rev[ (labels)][ (head)| (effective head)][ (current)]
 * [ (branchpoint)][ (mergepoint)][, doc]`. `(head)` marks a resolved head, `(effective head)` a
 * plain head that something depends on.
 */
export function shortLine(entry: RevisionEntry, parts: ShortLineParts): string {
  let text = entry.revision;
  if (parts.parents) {
    const deps = entry.dependsOn.length > 0 ? ` (${entry.dependsOn.join(', ')})` : '';
    text = `${formatParents(entry)}${deps} -> ${text}`;
  }
  if (parts.labels && entry.branchLabels.length > 0) text += ` (${entry.branchLabels.join(', ')})`;
  const flags = entry.flags;
  if (flags.includes('head')) text += ' (head)';
  if (flags.includes('effectiveHead')) text += ' (effective head)';
  if (flags.includes('current')) text += ' (current)';
  if (parts.tree) {
    if (flags.includes('branchpoint')) text += ' (branchpoint)';
    if (flags.includes('mergepoint')) text += ' (mergepoint)';
  }
  if (parts.doc) {
    const doc = shortDoc(entry);
    if (doc !== '') text += `, ${doc}`;
  }
  return text;
}

/**
 * The block `show` and `-v` print, ending with a line break (so that, printed as one line, it is
 * followed by a blank line as in Alembic):
 *
 * ```
 * Rev: <rev>[ (head)][ (branchpoint)][ (mergepoint)][ (current)]
 * Parent: <parent or <base>>        (Merges: <p1>, <p2> for a merge point)
 * Also depends on: <declared deps>  (if any)
 * Branches into: <children>         (branch points)
 * Branch names: <labels>            (if any)
 * Path: <file>
 *
 *     <message, each line indented four spaces>
 * ```
 *
 * Here `(head)` means a plain head: an effective head shows `(head)` too.
 */
export function verboseBlock(entry: RevisionEntry): string {
  const flags = entry.flags;
  let rev = `Rev: ${entry.revision}`;
  if (flags.includes('head') || flags.includes('effectiveHead')) rev += ' (head)';
  if (flags.includes('branchpoint')) rev += ' (branchpoint)';
  if (flags.includes('mergepoint')) rev += ' (mergepoint)';
  if (flags.includes('current')) rev += ' (current)';
  const lines = [rev];
  lines.push(flags.includes('mergepoint') ? `Merges: ${formatParents(entry)}` : `Parent: ${formatParents(entry)}`);
  if (entry.dependsOn.length > 0) lines.push(`Also depends on: ${entry.dependsOn.join(', ')}`);
  if (flags.includes('branchpoint')) lines.push(`Branches into: ${entry.children.join(', ')}`);
  if (entry.branchLabels.length > 0) lines.push(`Branch names: ${entry.branchLabels.join(', ')}`);
  lines.push(`Path: ${entry.file ?? ''}`);
  // Alembic indents every line of the message, blank ones included; no message, no lines.
  const message = entry.message.trim();
  const doc = message === '' ? [] : message.split(/\r\n?|\n/).map((line) => `    ${line}`);
  return `${lines.join('\n')}\n\n${doc.join('\n')}\n`;
}

function formatParents(entry: RevisionEntry): string {
  return entry.downRevision.length === 0 ? '<base>' : entry.downRevision.join(', ');
}
