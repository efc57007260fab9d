import { writeFiles } from './helpers.js';

/** One hand-written revision of the known graph. */
interface FixtureRevision {
  readonly file: string;
  readonly revision: string;
  readonly downRevision: readonly string[];
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly message: string;
  readonly createdAt: string;
}

/**
 * A small graph with every marker Alembic prints, written by hand (not by cairn) with fixed
 * times, so file names and order are known:
 *
 * ```
 * a1 ─┬─ b2 ──────────┬─ m5 ── e6 ── y8      x7 (audit, a second root; y8 depends on it)
 *     └─ c3 (shop) ─ d4 ┘
 * ```
 *
 * a1 is a branch point, m5 a merge point, x7 an effective head (a head y8 depends on), y8 the
 * only resolved head. x7 is a `.sql` migration.
 */
export const KNOWN_GRAPH: readonly FixtureRevision[] = [
  {
    file: '20260101000001_a1_create_account.ts',
    revision: 'a1',
    downRevision: [],
    message: 'create account',
    createdAt: '2026-01-01T00:00:01.000Z',
  },
  {
    file: '20260101000002_b2_add_column.ts',
    revision: 'b2',
    downRevision: ['a1'],
    message: 'add column',
    createdAt: '2026-01-01T00:00:02.000Z',
  },
  {
    file: '20260101000003_c3_shopping_cart.ts',
    revision: 'c3',
    downRevision: ['a1'],
    branchLabels: ['shop'],
    message: 'shopping cart\n\nCarts and their items.',
    createdAt: '2026-01-01T00:00:03.000Z',
  },
  {
    file: '20260101000004_d4_orders.ts',
    revision: 'd4',
    downRevision: ['c3'],
    message: 'orders',
    createdAt: '2026-01-01T00:00:04.000Z',
  },
  {
    file: '20260101000005_m5_merge_branches.ts',
    revision: 'm5',
    downRevision: ['b2', 'd4'],
    message: 'merge branches',
    createdAt: '2026-01-01T00:00:05.000Z',
  },
  {
    file: '20260101000006_e6_after_merge.ts',
    revision: 'e6',
    downRevision: ['m5'],
    message: 'after merge',
    createdAt: '2026-01-01T00:00:06.000Z',
  },
  {
    file: '20260101000007_x7_audit_log.sql',
    revision: 'x7',
    downRevision: [],
    branchLabels: ['audit'],
    message: 'audit log',
    createdAt: '2026-01-01T00:00:07.000Z',
  },
  {
    file: '20260101000008_y8_use_audit.ts',
    revision: 'y8',
    downRevision: ['e6'],
    dependsOn: ['audit'],
    message: 'use audit',
    createdAt: '2026-01-01T00:00:08.000Z',
  },
];

/** Writes a minimal sqlite config and the known graph into `dir`. */
export function writeKnownGraph(dir: string): void {
  const files: Record<string, string> = {
    'cairn.config.json': JSON.stringify({ dialect: 'sqlite', migrations: 'migrations' }),
  };
  for (const rev of KNOWN_GRAPH)
    files[`migrations/${rev.file}`] = rev.file.endsWith('.sql') ? sqlSource(rev) : tsSource(rev);
  writeFiles(dir, files);
}

function tsSource(rev: FixtureRevision): string {
  const parents =
    rev.downRevision.length === 0
      ? 'null'
      : rev.downRevision.length === 1
        ? `'${rev.downRevision[0]}'`
        : list(rev.downRevision);
  return [
    "import { defineMigration } from 'cairn';",
    '',
    'export default defineMigration({',
    `  revision: '${rev.revision}',`,
    `  downRevision: ${parents},`,
    ...(rev.branchLabels ? [`  branchLabels: ${list(rev.branchLabels)},`] : []),
    ...(rev.dependsOn ? [`  dependsOn: ${list(rev.dependsOn)},`] : []),
    `  message: ${JSON.stringify(rev.message)},`,
    `  createdAt: '${rev.createdAt}',`,
    '  async upgrade(ctx) {},',
    '  async downgrade(ctx) {},',
    '});',
    '',
  ].join('\n');
}

function sqlSource(rev: FixtureRevision): string {
  return [
    `-- cairn:revision ${rev.revision}`,
    `-- cairn:downRevision ${rev.downRevision.join(', ')}`.trimEnd(),
    ...(rev.branchLabels ? [`-- cairn:branchLabels ${rev.branchLabels.join(', ')}`] : []),
    `-- cairn:message ${rev.message}`,
    `-- cairn:createdAt ${rev.createdAt}`,
    '',
    '-- cairn:up',
    'CREATE TABLE audit (id integer primary key);',
    '',
    '-- cairn:down',
    'DROP TABLE audit;',
    '',
  ].join('\n');
}

function list(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}
