import { CairnError, listForMessage } from '../errors.js';
import { describe, type RevisionGraph } from '../revision/graph.js';
import { assertNoOverlap } from '../revision/plan.js';
import { resolveAbsolute, resolveRef } from '../revision/resolve.js';
import { assertValidName, type RevisionMeta } from '../revision/revision.js';
import { parseTarget } from '../revision/target.js';
import { migrationFileName } from './file-name.js';
import { renderScriptMigration, renderSqlMigration } from './render-migration-file.js';

/** The options of `cairn revision` (and, through `planMerge`, `cairn merge`). */
export interface NewRevisionOptions {
  readonly message?: string;
  /** Parents: targets resolved with the plural lookup. Default: `['head']`; `['base']` starts a new root. */
  readonly head?: readonly string[];
  /** Allow parents that are not heads (starts a new branch from the middle). Default: `false`. */
  readonly splice?: boolean;
  readonly branchLabels?: readonly string[];
  /** Revisions or labels this one depends on; prefixes are expanded to full ids, labels kept. */
  readonly dependsOn?: readonly string[];
  /** Use this id instead of a random one. Refused if any revision or label already has it. */
  readonly revId?: string;
  /** Write a `.sql` file instead of TypeScript. Default: `false`. */
  readonly sqlFile?: boolean;
  /** The package a TypeScript file imports `defineMigration` from (see `renderScriptMigration`). Default: `'@cairn/core'`. */
  readonly importFrom?: string;
  /** Creation time. Default: now. */
  readonly now?: Date;
  /** Source of random ids (12 hex characters). Default: `crypto.randomUUID`. */
  readonly newId?: () => string;
}

/** A revision file ready to write: the caller owns the file system. */
export interface NewRevisionFile {
  readonly meta: RevisionMeta;
  readonly fileName: string;
  readonly content: string;
}

/**
 * Plans a new revision on top of `graph`, checking everything Alembic checks (one head unless
 * told which, parents must be heads unless `splice`) plus what it does not (duplicate ids,
 * label collisions).
 */
export function planNewRevision(graph: RevisionGraph, options: NewRevisionOptions = {}): NewRevisionFile {
  const heads = options.head ?? ['head'];
  const parents: number[] = [];
  for (const text of heads) {
    let found: number[];
    try {
      found = resolveAbsolute(graph, anchorOf(text), text);
    } catch (error) {
      if (error instanceof CairnError && error.code === 'MULTIPLE_HEADS') {
        throw new CairnError(
          'MULTIPLE_HEADS',
          `there are several heads (${listForMessage((error.details.heads as string[]) ?? [])}); say which one the new revision builds on with --head <revision>, or join them first with 'cairn merge heads'`,
          { details: error.details, cause: error },
        );
      }
      throw error;
    }
    for (const p of found) {
      if (parents.includes(p)) {
        throw new CairnError(
          'DUPLICATE_HEADS',
          `revision '${graph.id(p)}' is named twice as a parent; name each parent once`,
          {
            details: { revision: graph.id(p) },
          },
        );
      }
      parents.push(p);
    }
  }
  if (!options.splice) {
    for (const p of parents) {
      if (!graph.isHead(p)) {
        throw new CairnError(
          'NOT_A_HEAD',
          `${describe(graph.revisions[p]!)} is not a head (${listForMessage(graph.ids(graph.childrenOf(p)))} already build on it); pass --splice to start a new branch from it`,
          { details: { revision: graph.id(p) } },
        );
      }
    }
  }
  assertNoOverlap(graph, parents, heads.join(' '));
  return render(graph, parents, options);
}

/**
 * Plans a merge revision joining `revisions` (`['heads']` joins every resolved head). Needs at
 * least two distinct revisions, none including another.
 */
export function planMerge(
  graph: RevisionGraph,
  revisions: readonly string[],
  options: Omit<NewRevisionOptions, 'head' | 'dependsOn' | 'sqlFile'> & { readonly sqlFile?: boolean } = {},
): NewRevisionFile {
  const wanted = revisions.length === 0 ? ['heads'] : revisions;
  const parents: number[] = [];
  for (const text of wanted)
    for (const p of resolveAbsolute(graph, anchorOf(text), text)) if (!parents.includes(p)) parents.push(p);
  if (parents.length < 2) {
    throw new CairnError(
      'NOTHING_TO_MERGE',
      `'${wanted.join(' ')}' ${parents.length === 1 ? `is the single revision '${graph.id(parents[0]!)}'` : 'names no revision'}; a merge joins two or more heads`,
      { details: { revisions: wanted } },
    );
  }
  return planNewRevision(graph, {
    ...options,
    head: graph.ids(parents),
    message: options.message ?? `merge ${graph.ids(parents).join(', ')}`,
  });
}

function anchorOf(text: string) {
  const target = parseTarget(text);
  if (target.kind === 'heads' || target.kind === 'head' || target.kind === 'base' || target.kind === 'revision')
    return target;
  throw new CairnError(
    'INVALID_TARGET',
    `'${text}' cannot be a parent; name a revision, a label, 'head', 'heads' or 'base'`,
    {
      details: { target: text },
    },
  );
}

function render(graph: RevisionGraph, parents: readonly number[], options: NewRevisionOptions): NewRevisionFile {
  const id = options.revId ?? freshId(graph, options.newId ?? randomId);
  assertValidName(id, 'revision id');
  if (graph.has(id) || graph.labelOwner(id) !== undefined) {
    const other = graph.has(id) ? graph.get(id) : graph.revisions[graph.labelOwner(id)!]!;
    throw new CairnError(
      'DUPLICATE_REVISION',
      `revision id '${id}' is already used by ${describe(other)}; choose another --rev-id`,
      {
        details: { revision: id, file: other.file },
      },
    );
  }
  const labels = [...new Set(options.branchLabels ?? [])];
  for (const label of labels) {
    assertValidName(label, 'branch label');
    const owner = graph.labelOwner(label) ?? graph.indexOf(label);
    if (owner !== undefined || label === id) {
      throw new CairnError(
        'LABEL_COLLISION',
        `branch label '${label}' is already ${owner === undefined ? 'the new revision id' : `used by ${describe(graph.revisions[owner]!)}`}; choose another label`,
        { details: { label } },
      );
    }
  }
  const dependsOn = [
    ...new Set(
      (options.dependsOn ?? []).map((d) => (graph.labelOwner(d) !== undefined ? d : graph.id(resolveRef(graph, d)))),
    ),
  ];
  const now = options.now ?? new Date();
  const meta: RevisionMeta = Object.freeze({
    revision: id,
    downRevision: graph.ids(parents),
    branchLabels: labels,
    dependsOn,
    message: options.message ?? '',
    createdAt: now.toISOString(),
    transaction: true,
  });
  const ext = options.sqlFile ? 'sql' : 'ts';
  const content = options.sqlFile
    ? renderSqlMigration(meta)
    : renderScriptMigration(meta, options.importFrom === undefined ? {} : { importFrom: options.importFrom });
  return Object.freeze({
    meta,
    fileName: migrationFileName({ createdAt: now, revision: id, message: meta.message, ext }),
    content,
  });
}

function freshId(graph: RevisionGraph, newId: () => string): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = newId();
    if (!graph.has(id) && graph.labelOwner(id) === undefined) return id;
  }
  throw new CairnError(
    'DUPLICATE_REVISION',
    'could not generate an unused revision id in 100 attempts; pass --rev-id',
    {
      details: {},
    },
  );
}

/** Alembic's id shape: the last 12 hex digits of a random UUID. */
function randomId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(-12);
}
