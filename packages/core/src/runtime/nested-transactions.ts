import type { Session } from './session.js';

/** How a session spells and runs its transaction-control statements. */
export interface TransactionControl {
  /** Runs one control statement (`BEGIN`, `SAVEPOINT …`) on the connection. */
  run(sql: string): Promise<void>;
  /**
   * Sends an opening statement (`BEGIN`, `SAVEPOINT …`) without waiting for its answer; the
   * session confirms it with the next statement it runs, and rejects that one if the opening
   * failed. A pipelining session sends the opening and the transaction's first statement in one
   * round trip. Absent: openings go through `run`.
   */
  runAhead?(sql: string): void;
  /** The dialect's identifier quoting, for savepoint names. */
  quoteIdentifier(name: string): string;
  /**
   * What the outermost level opens: a transaction (`BEGIN`, MySQL's `START TRANSACTION`), or a
   * savepoint like every other level (SQLite, whose lock is itself the outer transaction). A
   * savepoint outside any transaction opens one, and releasing it commits.
   */
  readonly outermost: { readonly begin: string } | 'savepoint';
  /**
   * Runs `ROLLBACK TO`/`RELEASE` of a savepoint. Default: `run`. MySQL's savepoints disappear
   * with every implicit commit, so its sessions tolerate one that is already gone.
   */
  savepoint?(sql: string): Promise<void>;
}

/**
 * `Session.transaction` for a connection: the outermost call opens what `control.outermost`
 * says, nested calls are savepoints named by depth (`cairn_savepoint_<n>`: nested names differ,
 * and the same few texts come back, which statement caches like). Resolving `work` commits or
 * releases; rejecting rolls back (to the savepoint, which is then released) and rejects with the
 * same error, even when the rollback itself fails — that almost always means the connection or
 * the server already ended the transaction. `work` receives `session` itself: a connection has
 * one transaction state, so units on one session run one after another, never concurrently.
 *
 * @example const session: Session = { query, execute, transaction: nestedTransactions(() => session, control) };
 */
export function nestedTransactions(
  session: () => Session,
  control: TransactionControl,
): <T>(work: (tx: Session) => Promise<T>) => Promise<T> {
  let depth = 0;
  const savepoint = control.savepoint ?? control.run;
  return async <T>(work: (tx: Session) => Promise<T>): Promise<T> => {
    const level = depth;
    const outer = level === 0 && control.outermost !== 'savepoint' ? control.outermost : undefined;
    // Numbered by the savepoint's own depth: 1 for the first savepoint, whichever level that is.
    const index = control.outermost === 'savepoint' ? level + 1 : level;
    const name = outer === undefined ? control.quoteIdentifier(`cairn_savepoint_${index}`) : '';
    const opening = outer === undefined ? `SAVEPOINT ${name}` : outer.begin;
    if (control.runAhead) control.runAhead(opening);
    else await control.run(opening);
    depth = level + 1;
    let result: T;
    try {
      result = await work(session());
    } catch (error) {
      depth = level;
      try {
        if (outer !== undefined) await control.run('ROLLBACK');
        else {
          await savepoint(`ROLLBACK TO SAVEPOINT ${name}`);
          await savepoint(`RELEASE SAVEPOINT ${name}`);
        }
      } catch {
        // The contract is to reject with work's error (see above).
      }
      throw error;
    }
    depth = level;
    // A failing COMMIT (a deferred constraint) rejects here; the server has ended the transaction.
    if (outer !== undefined) await control.run('COMMIT');
    else await savepoint(`RELEASE SAVEPOINT ${name}`);
    return result;
  };
}
