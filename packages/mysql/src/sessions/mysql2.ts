import { nestedTransactions, type Row, type Session, type Statement } from '@cairn/core';
import { ER, errorNumber } from '../errors.js';
import { quoteIdentifier } from '../quote.js';

/** A parameter as `mysql2` binds it (statements may carry other values; the driver then refuses them). */
export type Mysql2Value = string | number | bigint | boolean | Date | Uint8Array | null;

/**
 * The part of a `mysql2/promise` `Connection` (or a `PoolConnection` checked out for the whole
 * run — never a `Pool`, whose statements could each land on another connection) the session
 * uses. Described structurally so this package's types never force a driver version on callers;
 * `mysql2` 3.x satisfies it.
 */
export interface Mysql2Connection {
  /** The text protocol; with values, `mysql2` escapes them into the SQL on the client. */
  query(sql: string, values?: Mysql2Value[]): Promise<[unknown, unknown]>;
  /** The binary protocol: the statement is prepared on the server and the values bound. */
  execute(sql: string, values?: Mysql2Value[]): Promise<[unknown, unknown]>;
}

/**
 * A `Session` over one `mysql2/promise` connection.
 *
 * - One statement per call: the connection must not have `multipleStatements` (`openMysql`
 *   never sets it), so a `;`-joined batch fails instead of running. A driver error rejects
 *   unchanged, for `classifyError`.
 * - How statements travel. A statement without parameters goes through `query` (the text
 *   protocol): it runs every statement MySQL has, DDL, `SAVEPOINT` and `XA` included, and leaves
 *   nothing behind on the server. A statement with parameters goes through `execute`: MySQL
 *   prepares it and binds the values itself, so no value is ever escaped into SQL text — which
 *   stays correct whatever the `sql_mode` (client-side escaping writes backslashes, wrong under
 *   `NO_BACKSLASH_ESCAPES`). MySQL refuses to prepare some statements (error 1295: `PREPARE`,
 *   `EXECUTE IMMEDIATE`) and to take a parameter in some places (error 1064: `SHOW TABLES LIKE ?`,
 *   `XA START ?`); those are sent again through `query`, with `mysql2` escaping the values into
 *   the text on the client (a statement with a real syntax error then fails the same way again,
 *   having run neither time). That escaping assumes no `NO_BACKSLASH_ESCAPES`, which `openMysql`
 *   ensures.
 * - `query` returns the rows of a statement that returns rows, and `[]` for one that does not;
 *   `execute` reports `rowsAffected` from the OK packet (matched rows: `mysql2` connects with
 *   `FOUND_ROWS`).
 * - Parameters go to the driver as given, except bigints, which are sent as their decimal text.
 * - `transaction(work)`: `START TRANSACTION` … `COMMIT` (or `ROLLBACK` when `work` rejects,
 *   rethrowing its error); nested calls are `SAVEPOINT`s. MySQL commits implicitly before and
 *   after every DDL statement, which ends the transaction and forgets its savepoints: releasing
 *   or rolling back to a savepoint that an implicit commit dissolved (error 1305) is therefore
 *   not an error here — what the DDL did is committed either way, and the final `COMMIT`
 *   /`ROLLBACK` then ends whatever transaction is open. `work` receives this same session: a
 *   connection has one transaction state, so units on one session run one after another.
 *
 * @example
 * const connection = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1/app' });
 * const session = mysql2Session(connection);
 */
export function mysql2Session(connection: Mysql2Connection): Session {
  const send = async (sql: string, params: readonly unknown[] = []): Promise<unknown> => {
    if (params.length === 0) return (await connection.query(sql))[0];
    // Passed on as given (the driver refuses what it cannot bind, e.g. undefined), bigints as text.
    const values = params.map(bindValue) as Mysql2Value[];
    try {
      return (await connection.execute(sql, values))[0];
    } catch (error) {
      const errno = errorNumber(error);
      if (errno !== ER.UNSUPPORTED_PS && errno !== ER.PARSE_ERROR) throw error;
      return (await connection.query(sql, values))[0];
    }
  };

  /** Runs a savepoint statement; one dissolved by an implicit commit is already gone. */
  const savepointStatement = async (sql: string): Promise<void> => {
    try {
      await send(sql);
    } catch (error) {
      if (errorNumber(error) !== ER.SP_DOES_NOT_EXIST) throw error;
    }
  };

  const session: Session = {
    async query<R extends Row = Row>(stmt: Statement): Promise<readonly R[]> {
      const result = await send(stmt.sql, stmt.params);
      return Array.isArray(result) ? (result as R[]) : [];
    },

    async execute(stmt: Statement): Promise<{ readonly rowsAffected?: number }> {
      const result = await send(stmt.sql, stmt.params);
      const affected = (result as { affectedRows?: unknown } | null)?.affectedRows;
      return !Array.isArray(result) && typeof affected === 'number' ? { rowsAffected: affected } : {};
    },

    transaction: nestedTransactions(() => session, {
      run: async (sql) => {
        await send(sql);
      },
      quoteIdentifier,
      outermost: { begin: 'START TRANSACTION' },
      savepoint: savepointStatement,
    }),
  };
  return session;
}

function bindValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
