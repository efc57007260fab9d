import type { HistoryRecord } from '../dialect/dialect.js';
import type { Row } from './session.js';

/** A step that ran outside a transaction and did not finish: the database may hold part of it. */
export interface DirtyStep {
  readonly revision: string;
  readonly direction: 'up' | 'down';
  /** Whether the step failed (`true`) or its process died or was killed before recording anything. */
  readonly failed: boolean;
}

/**
 * The dirty steps, from the history records oldest first (`StateCompiler.readHistory`'s rows, or
 * only `readUnsettledHistory`'s, which give the same answer). A
 * step is dirty when its revision's last record is a `started` one, or a `failed` one right after
 * a `started` one (the non-atomic step failed part-way). Any later `succeeded` record of the
 * revision (a new run, a stamp) or `resolved` one clears it. Atomic steps never write `started`,
 * so their failures leave nothing dirty: they rolled back.
 */
export function dirtySteps(records: readonly Row[]): DirtyStep[] {
  const open = new Map<string, DirtyStep>();
  for (const record of records) {
    const revision = String(record.revision);
    const status = record.status as HistoryRecord['status'];
    if (status === 'started') {
      open.set(revision, { revision, direction: record.direction === 'down' ? 'down' : 'up', failed: false });
    } else if (status === 'failed') {
      const step = open.get(revision);
      if (step !== undefined) open.set(revision, { ...step, failed: true });
    } else {
      open.delete(revision);
    }
  }
  return [...open.values()];
}
