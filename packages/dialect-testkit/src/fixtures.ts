import {
  type LoadedMigration,
  type MigrationLoader,
  RevisionGraph,
  type RevisionMeta,
  type Session,
  type StateCompiler,
} from '@cairn/core';

/**
 * The branched history every runner case uses (Alembic's fixture): a → b → (c1 → d1), (c2 → d2),
 * with labels on c1 and c2. Each revision's upgrade creates a table named after it, and its
 * downgrade drops it, so the schema shows exactly which migrations ran.
 */
export function branchedGraph(): RevisionGraph {
  const rows: [string, string[], string[]][] = [
    ['a', [], []],
    ['b', ['a'], []],
    ['c1', ['b'], ['c1branch']],
    ['d1', ['c1'], []],
    ['c2', ['b'], ['c2branch']],
    ['d2', ['c2'], []],
  ];
  return RevisionGraph.from(
    rows.map(
      ([revision, downRevision, branchLabels], k): RevisionMeta => ({
        revision,
        downRevision,
        branchLabels,
        dependsOn: [],
        message: `create table ${revision}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
        transaction: true,
      }),
    ),
  );
}

/**
 * A linear history of `revisions`, each creating its table (`create table <rev>`); those in
 * `outsideTransaction` declare `transaction: false`.
 */
export function linearGraph(revisions: readonly string[], outsideTransaction: readonly string[] = []): RevisionGraph {
  return RevisionGraph.from(
    revisions.map(
      (revision, k): RevisionMeta => ({
        revision,
        downRevision: k === 0 ? [] : [revisions[k - 1]!],
        branchLabels: [],
        dependsOn: [],
        message: `create table ${revision}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
        transaction: !outsideTransaction.includes(revision),
      }),
    ),
  );
}

/** How each case keeps its tables apart from the other cases' in one database. */
export interface CaseTables {
  readonly prefix: string;
  readonly versionTable: { readonly name: string };
  readonly historyTable: { readonly name: string };
  /** The table revision `rev`'s upgrade creates. */
  table(rev: string): string;
}

export function caseTables(prefix: string): CaseTables {
  return {
    prefix,
    versionTable: { name: `${prefix}_version` },
    historyTable: { name: `${prefix}_history` },
    table: (rev) => `${prefix}_t_${rev}`,
  };
}

/**
 * Loads in-memory migrations: each creates (up) or drops (down) its revision's table. `failOn`
 * makes that revision's upgrade create its table and then throw, to test rollback;
 * `moveVersionOn` makes it create its table and then move the version row elsewhere, as a
 * process ignoring the lock would, so that the step's own version write matches no row.
 */
export function tableLoader(
  state: StateCompiler,
  tables: CaseTables,
  options: { readonly failOn?: string; readonly moveVersionOn?: string; readonly loads?: string[] } = {},
): MigrationLoader {
  return {
    async load(meta: RevisionMeta): Promise<LoadedMigration> {
      options.loads?.push(meta.revision);
      const name = state.quoteIdentifier(tables.table(meta.revision));
      return {
        checksum: `sum-${meta.revision}`,
        async run(direction, ctx) {
          if (direction === 'down') {
            await ctx.sql(`DROP TABLE ${name}`);
            return;
          }
          await ctx.sql(`CREATE TABLE ${name} (id integer)`);
          if (options.failOn === meta.revision) throw new Error(`boom in ${meta.revision}`);
          if (options.moveVersionOn === meta.revision)
            await ctx.sql(
              `UPDATE ${state.quoteIdentifier(tables.versionTable.name)} SET ${state.quoteIdentifier('version_num')} = 'elsewhere'`,
            );
        },
      };
    },
  };
}

/** True when `table` exists: a query on it succeeds. Run outside transactions. */
export async function tableExists(session: Session, state: StateCompiler, table: string): Promise<boolean> {
  try {
    await session.query({ sql: `SELECT 1 FROM ${state.quoteIdentifier(table)} WHERE 1 = 0`, params: [] });
    return true;
  } catch {
    return false;
  }
}

/** The tables (of `revs`) that exist, in the order given. */
export async function existingTables(
  session: Session,
  state: StateCompiler,
  tables: CaseTables,
  revs: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  for (const rev of revs) if (await tableExists(session, state, tables.table(rev))) out.push(rev);
  return out;
}

/** The history table's rows, oldest first, as `revision:direction:status`. */
export async function historyOf(session: Session, state: StateCompiler, tables: CaseTables): Promise<string[]> {
  const q = (n: string) => state.quoteIdentifier(n);
  const rows = await session.query({
    sql: `SELECT ${q('revision')}, ${q('direction')}, ${q('status')} FROM ${q(tables.historyTable.name)} ORDER BY ${q('id')}`,
    params: [],
  });
  return rows.map((r) => `${String(r.revision)}:${String(r.direction)}:${String(r.status)}`);
}

/**
 * The history rows one step leaves: `succeeded` alone where it ran as one transaction, or
 * `started` then how it ended where it could not (a dialect without transactional DDL, or
 * `atomic: false`), as `revision:direction:status`.
 */
export function stepRecords(
  dialect: { readonly capabilities: { readonly transactionalDdl: boolean } },
  revision: string,
  direction: 'up' | 'down',
  outcome: 'succeeded' | 'failed' = 'succeeded',
  atomic = true,
): string[] {
  const end = `${revision}:${direction}:${outcome}`;
  return dialect.capabilities.transactionalDdl && atomic ? [end] : [`${revision}:${direction}:started`, end];
}
