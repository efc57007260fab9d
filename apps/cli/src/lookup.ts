import { CairnError, parseTarget, type RevisionGraph, resolveAbsolute } from '@cairn/core';

/**
 * The plural lookup for commands that name existing revisions (`show`, `edit`): an id, a
 * unique prefix, a branch label, `L@rev`, `head`, `heads` or `L@heads`. Returns revision
 * indexes; `heads` on an empty project gives `[]`.
 *
 * `current` needs the database (`USAGE`); `base`, relative moves and ranges name no file
 * (`INVALID_TARGET`).
 */
export function lookupRevisions(graph: RevisionGraph, text: string, command: string): number[] {
  const target = parseTarget(text);
  switch (target.kind) {
    case 'head':
    case 'heads':
    case 'revision':
      return resolveAbsolute(graph, target, text);
    case 'current':
      throw new CairnError(
        'USAGE',
        `'cairn ${command} current' needs the database's version table, which this version of cairn cannot read yet`,
        {
          details: { target: text },
        },
      );
    default:
      throw new CairnError(
        'INVALID_TARGET',
        `'${text}' does not name a revision file; cairn ${command} takes a revision id or prefix, a branch label, 'head' or 'heads'`,
        { details: { target: text } },
      );
  }
}
