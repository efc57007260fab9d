import { CairnError, type Session, statement } from '@cairn/core';

/**
 * Foreign keys during a run. Rebuilding a table that others reference (SQLite's documented
 * procedure) must happen with `PRAGMA foreign_keys = OFF`, and the pragma can only change
 * outside a transaction — so the lock turns enforcement off before its `BEGIN IMMEDIATE` and back
 * on after its `COMMIT`, and every step is checked instead (`verifyForeignKeys`, the dialect's
 * `verifyStep`): a step that leaves a row breaking a foreign key fails and is rolled back, as it
 * would have with enforcement on.
 */

/** Sessions whose run turned enforcement off, and so must be checked after each step. */
const suspended = new WeakSet<Session>();

/** Turns enforcement off for a run if it is on; returns whether it was on. Outside transactions only. */
export async function suspendForeignKeys(session: Session): Promise<boolean> {
  const [row] = await session.query(statement('PRAGMA foreign_keys'));
  const on = row !== undefined && Number(Object.values(row)[0]) === 1;
  if (on) {
    await session.execute(statement('PRAGMA foreign_keys = OFF'));
    suspended.add(session);
  }
  return on;
}

/** Turns enforcement back on after the run's transaction ended, if `suspendForeignKeys` turned it off. */
export async function restoreForeignKeys(session: Session, wasOn: boolean): Promise<void> {
  if (!wasOn) return;
  suspended.delete(session);
  await session.execute(statement('PRAGMA foreign_keys = ON'));
}

/**
 * Fails with `FOREIGN_KEY_VIOLATION` when a row breaks a foreign key, naming the first few — for
 * sessions whose run suspended enforcement; a database that never enforced them is left alone.
 */
export async function verifyForeignKeys(session: Session): Promise<void> {
  if (!suspended.has(session)) return;
  const rows = await session.query(statement('SELECT "table", rowid, parent FROM pragma_foreign_key_check LIMIT 6'));
  if (rows.length === 0) return;
  const shown = rows.slice(0, 5).map((r) => `${String(r.table)} row ${String(r.rowid)} → ${String(r.parent)}`);
  throw new CairnError(
    'FOREIGN_KEY_VIOLATION',
    `the step leaves rows that break foreign keys: ${shown.join(', ')}${rows.length > 5 ? ' and more' : ''}; fix the migration's data (SQLite checks foreign keys after each step of a run)`,
    { details: { violations: rows } },
  );
}
