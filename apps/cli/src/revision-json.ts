import type { RevisionEntry, RevisionFlag } from '@cairn/core';

/** One revision in `--json` output (PRODUCT.md's shape, plus `file` where a command adds it). */
export interface RevisionJson {
  readonly revision: string;
  readonly downRevision: readonly string[];
  readonly dependsOn: readonly string[];
  /** Propagated labels, as the human output shows them. */
  readonly branchLabels: readonly string[];
  readonly message: string;
  readonly createdAt: string;
  /** `head`, `effectiveHead`, `branchpoint`, `mergepoint`, `current`. */
  readonly flags: readonly RevisionFlag[];
  /** The migration file (relative to the working directory when inside it). */
  readonly file?: string;
}

/** The JSON form of `entry`; `withFile` adds its path. Field order is fixed for stable output. */
export function revisionJson(entry: RevisionEntry, withFile = false): RevisionJson {
  return {
    revision: entry.revision,
    downRevision: entry.downRevision,
    dependsOn: entry.dependsOn,
    branchLabels: entry.branchLabels,
    message: entry.message,
    createdAt: entry.createdAt,
    flags: entry.flags,
    ...(withFile && entry.file !== undefined ? { file: entry.file } : {}),
  };
}
