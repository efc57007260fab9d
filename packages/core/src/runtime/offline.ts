import type { Dialect, HistoryRecord } from '../dialect/dialect.js';
import type { SqlSyntax } from '../dialect/syntax.js';
import { CairnError, isCairnError, listForMessage } from '../errors.js';
import type { QualifiedName } from '../ops/qualified-name.js';
import type { Statement } from '../ops/statement.js';
import type { RevisionGraph } from '../revision/graph.js';
import { type Plan, type PlanStep, planDowngrade, planUpgrade } from '../revision/plan.js';
import { branchMask, resolveAbsolute, walk } from '../revision/resolve.js';
import type { RevisionMeta } from '../revision/revision.js';
import { planStamp, stampedRevisions } from '../revision/stamp.js';
import { formatTarget, parseTarget, type Target } from '../revision/target.js';
import type { VersionWrite } from '../revision/version-rows.js';
import type { MigrationContext } from './migration-context.js';
import type { LoadedMigration, MigrationLoader } from './migrator.js';
import { OfflineModel } from './offline-model.js';
import { operationApi } from './operation-runner.js';
import { contextWithQueryBuilder, type QueryBuilderFactory } from './query-builder.js';
import { type Row, returnsRows, type Session } from './session.js';
import {
  carryOut,
  decideStep,
  readStatements,
  refuseSingleTransaction,
  type StepSink,
  singleTransactionRefusal,
  type Uncommitted,
} from './step-engine.js';

interface OfflineScriptCommon {
  readonly graph: RevisionGraph;
  readonly dialect: Dialect;
  /** Default: `{ name: 'cairn_version' }`. */
  readonly versionTable?: QualifiedName;
  /** Default: `{ name: 'cairn_history' }`. */
  readonly historyTable?: QualifiedName;
  /** Recorded in every history row. */
  readonly toolVersion: string;
  /** The clock for the history rows' times, for tests. Default: `() => new Date()`. */
  readonly now?: () => Date;
  /** Makes `ctx.knex` over the recorder, as `MigratorOptions.queryBuilder` does online. */
  readonly queryBuilder?: QueryBuilderFactory;
}

/**
 * What `offlineScript` renders. `target` is `TO` or `FROM:TO`; without `FROM` the script starts
 * from an empty database (base) and creates cairn's tables first.
 */
export type OfflineScriptOptions = OfflineScriptCommon &
  (
    | {
        /** `upgrade` (default target `head`) or `downgrade` (which needs `FROM:TO`; `FROM:` means `FROM:-1`). */
        readonly direction: 'up' | 'down';
        readonly target?: Target | string;
        readonly loader: MigrationLoader;
        /** One `BEGIN`…`COMMIT` around every step instead of one per step (refused as online). */
        readonly singleTransaction?: boolean;
      }
    | {
        /** `stamp`: targets given with a `FROM:` must all name the same `FROM`. Default: `base`. */
        readonly direction: 'stamp';
        readonly target?: Target | string | readonly (Target | string)[];
      }
  );

/**
 * Renders what `upgrade`, `downgrade` or `stamp` would run as one SQL script (`--sql`, Alembic's
 * offline mode), without a database connection. The version table's state comes from the
 * target's `FROM` instead of the database, so `FROM` must stand for one revision (or base), and
 * `current` and `-N`/`+N` without an anchor, which count from the database, are refused.
 *
 * The script is a transcript of the online run: cairn's table DDL when it starts from base, then
 * per step a `-- Running upgrade <parents> -> <rev>` comment (`-- Running downgrade <rev> ->
 * <parents>`, `-- Running stamp_revision <from> -> <to>`), the migration's statements, its
 * version-table writes and its history row, shaped by the same step engine as online
 * (`decideStep`): an atomic step is one `BEGIN;` … `COMMIT;`; a step that cannot be one unit (no
 * transactional DDL, `transaction: false`, a statement that cannot run in a transaction) gets
 * none around its statements, is recorded as `started` before them — so a script stopped
 * part-way leaves the database dirty — and ends with its version writes and `succeeded` record
 * in a `BEGIN;` … `COMMIT;` of their own. `singleTransaction` is refused where online refuses it.
 * Parameters are inlined with the dialect's `quoteLiteral`.
 *
 * Migrations run against a recording session: every statement is captured and every query
 * returns no rows (as in Alembic), so a migration that reads data and acts on what it read cannot
 * be rendered faithfully — it sees an empty result; one that fails on it is reported with that
 * reason.
 *
 * @example
 * const sql = await offlineScript({ graph, dialect, loader, direction: 'up', target: 'ae10:head', toolVersion });
 */
export async function offlineScript(options: OfflineScriptOptions): Promise<string> {
  const { graph, dialect } = options;
  const versionTable = options.versionTable ?? { name: 'cairn_version' };
  const historyTable = options.historyTable ?? { name: 'cairn_history' };
  const now = (): Date => options.now?.() ?? new Date();
  const script = new ScriptWriter(dialect);
  // The script runs later, at a time nobody knows yet: history rows carry the time it was
  // rendered, and no duration rather than the time rendering took.
  const history = (
    record: Pick<HistoryRecord, 'revision' | 'direction' | 'checksum'>,
    status: 'started' | 'succeeded' = 'succeeded',
  ): void => {
    const at = now();
    script.statement(
      dialect.state.insertHistory(
        {
          ...record,
          startedAt: at,
          finishedAt: status === 'started' ? null : at,
          status,
          error: null,
          durationMs: null,
          toolVersion: options.toolVersion,
        },
        historyTable,
      ),
    );
  };
  const createTables = (): void => {
    for (const s of dialect.state.createVersionTable(versionTable)) script.statement(s);
    for (const s of dialect.state.createHistoryTable(historyTable)) script.statement(s);
  };

  if (options.direction === 'stamp') {
    const { from, targets } = stampTargets(graph, options.target);
    const plan = planStamp(graph, from, targets);
    if (from.length === 0) createTables();
    const stamped = new Set(stampedRevisions(from, plan.rowsAfter));
    if (plan.writes.length === 0) return script.text();
    // Online, a stamp is one transaction however many rows it moves.
    script.section();
    if (dialect.capabilities.transactionalDdl) script.begin();
    for (const group of stampGroups(plan.writes)) {
      script.comment(`Running stamp_revision ${group.from.join(', ')} -> ${group.to ?? ''}`);
      for (const write of group.writes) script.statement(dialect.state.versionWrite(write, versionTable));
      const mentioned = group.to === undefined ? group.from : [group.to, ...group.from];
      for (const revision of mentioned) {
        if (stamped.delete(revision)) history({ revision, direction: 'stamp', checksum: '' });
      }
    }
    if (dialect.capabilities.transactionalDdl) script.commit();
    return script.text();
  }

  const plan = runPlan(graph, options.direction, options.target);
  const single = options.singleTransaction ?? false;
  // Refused as online, before anything is rendered.
  if (single) {
    refuseSingleTransaction(
      dialect,
      plan.steps.map((step) => graph.get(step.revision)),
    );
  }
  if (plan.rowsBefore.length === 0) createTables();
  const model = new OfflineModel({
    graph,
    dialect,
    loader: options.loader,
    queryBuilder: options.queryBuilder,
    startRows: plan.rowsBefore,
  });
  if (single && plan.steps.length > 0) {
    script.section();
    script.begin();
  }
  // Under singleTransaction: a change made earlier in the run that cannot be used before it commits.
  let uncommitted: Uncommitted | undefined;
  for (const step of plan.steps) {
    const meta = graph.get(step.revision);
    const migration = await loadMigration(options.loader, meta);
    const recorder = new RecordingSession();
    try {
      await migration.run(step.direction, recordingContext(dialect, recorder, model, meta, options.queryBuilder));
    } catch (error) {
      throw migrationError(meta, step.direction, model.explain(error, meta), recorder.queried);
    }
    // Decided as online, from what the statements say about themselves: there is no database
    // here to refuse one inside a transaction.
    const read = readStatements(
      recorder.statements,
      step.revision,
      dialect.transactionNeeds?.bind(dialect),
      uncommitted,
    );
    if (single) uncommitted = read.uncommitted;
    const decision = decideStep({
      transactionalDdl: dialect.capabilities.transactionalDdl,
      transactions: true,
      declaredTransactional: meta.transaction,
      singleTransaction: single,
      outside: read.outside,
    });
    if (decision.kind === 'refused') throw singleTransactionRefusal(meta, decision.reason);
    if (!single) script.section();
    const sink = scriptSink(script, step, meta, recorder.statements, {
      history: (status) =>
        history({ revision: step.revision, direction: step.direction, checksum: migration.checksum }, status),
      versionWrite: (write) => dialect.state.versionWrite(write, versionTable),
    });
    await carryOut(decision.actions, sink, undefined);
  }
  if (single && plan.steps.length > 0) script.commit();
  return script.text();
}

/**
 * The offline sink: writes a step's decision into the script. The step's `-- Running …` line
 * opens it, inside its `BEGIN;` where it has one.
 */
function scriptSink(
  script: ScriptWriter,
  step: PlanStep,
  meta: RevisionMeta,
  statements: readonly Statement[],
  write: {
    readonly history: (status: 'started' | 'succeeded') => void;
    readonly versionWrite: (write: VersionWrite) => Statement;
  },
): StepSink<void> {
  let headed = false;
  const heading = (): void => {
    if (headed) return;
    headed = true;
    script.comment(
      step.direction === 'up'
        ? `Running upgrade ${step.downRevision.join(', ')} -> ${step.revision}`
        : `Running downgrade ${step.revision} -> ${step.downRevision.join(', ')}`,
    );
  };
  return {
    async started() {
      heading();
      write.history('started');
    },
    async migration() {
      heading();
      for (const s of statements) script.statement(s, meta);
    },
    async finish() {
      heading();
      for (const w of step.writes) script.statement(write.versionWrite(w));
      write.history('succeeded');
    },
    async transaction(_, work) {
      script.begin();
      await work();
      script.commit();
    },
  };
}

/** Plans an upgrade or downgrade from the range's `FROM` instead of the version table. */
function runPlan(graph: RevisionGraph, direction: 'up' | 'down', target: Target | string | undefined): Plan {
  const parsed = typeof target === 'string' ? parseTarget(target) : target;
  const range = parsed?.kind === 'range' ? parsed : { kind: 'range' as const, ...(parsed ? { to: parsed } : {}) };
  const text = parsed === undefined ? '' : formatTarget(parsed);
  if (direction === 'down' && range.from === undefined) {
    throw new CairnError(
      'USAGE',
      `downgrade --sql needs FROM:TO, the revision the database is at and the target (e.g. 'head:base'), because there is no database to read the current revision from${text ? `; got '${text}'` : ''}`,
      { details: { target: text } },
    );
  }
  const rows = startRows(graph, range.from, text);
  const to = range.to ?? (direction === 'up' ? { kind: 'head' as const } : { kind: 'relative' as const, delta: -1 });
  refuseCurrent(to, text);
  return direction === 'up' ? planUpgrade(graph, rows, to) : planDowngrade(graph, rows, to);
}

/**
 * Splits stamp targets into their shared `FROM` and the revisions to stamp, as Alembic does:
 * targets without `FROM:` are fine, those with one must agree.
 */
function stampTargets(
  graph: RevisionGraph,
  target: Target | string | readonly (Target | string)[] | undefined,
): { from: string[]; targets: Target[] } {
  const list = target === undefined ? [] : Array.isArray(target) ? target : [target as Target | string];
  let from: { rows: string[]; text: string } | undefined;
  const targets: Target[] = [];
  for (const item of list as readonly (Target | string)[]) {
    const parsed = typeof item === 'string' ? parseTarget(item) : item;
    const text = formatTarget(parsed);
    if (parsed.kind !== 'range') {
      refuseCurrent(parsed, text);
      targets.push(parsed);
      continue;
    }
    if (parsed.to === undefined) {
      throw new CairnError('INVALID_TARGET', `'${text}' names no revision to stamp after ':'`, {
        details: { target: text },
      });
    }
    refuseCurrent(parsed.to, text);
    targets.push(parsed.to);
    const rows = startRows(graph, parsed.from, text);
    if (from !== undefined && rows.join(',') !== from.rows.join(',')) {
      throw new CairnError(
        'INVALID_TARGET',
        `stamp --sql starts from one revision, but '${from.text}' and '${text}' start from different ones; give every FROM:TO the same FROM`,
        { details: { targets: [from.text, text] } },
      );
    }
    from ??= { rows, text };
  }
  return { from: from?.rows ?? [], targets };
}

/**
 * The version table's rows at the start of the script: none without `FROM`, else the single
 * revision `FROM` stands for (Alembic's singular lookup: prefixes and labels work, several heads
 * do not).
 */
function startRows(graph: RevisionGraph, from: Target | undefined, text: string): string[] {
  if (from === undefined) return [];
  switch (from.kind) {
    case 'current':
      throw currentNeedsConnection(text);
    case 'range':
      throw new CairnError('INVALID_TARGET', `'${text}' nests a range`, { details: { target: text } });
    case 'relative': {
      if (from.anchor === undefined) {
        throw new CairnError(
          'INVALID_TARGET',
          `'${formatTarget(from)}' (in '${text}') counts from the database's current revision, which --sql cannot read; anchor it, e.g. 'head-1', or name a revision`,
          { details: { target: text } },
        );
      }
      const mask = from.branch === undefined ? undefined : branchMask(graph, from.branch, text);
      const start = oneRevision(graph, resolveAbsolute(graph, from.anchor, text), text);
      const found = walk(graph, start, from.delta, text, mask);
      return found === null ? [] : [graph.id(found)];
    }
    default: {
      const found = oneRevision(graph, resolveAbsolute(graph, from, text), text);
      return found === null ? [] : [graph.id(found)];
    }
  }
}

function oneRevision(graph: RevisionGraph, found: readonly number[], text: string): number | null {
  if (found.length > 1) {
    const ids = graph.ids(found);
    throw new CairnError(
      'MULTIPLE_HEADS',
      `--sql starts from one revision, but the start of '${text}' stands for ${ids.length} (${listForMessage(ids)}); name one of them`,
      { details: { target: text, candidates: ids } },
    );
  }
  return found[0] ?? null;
}

/** Refuses `current`, which only a database can answer. */
function refuseCurrent(target: Target, text: string): void {
  if (target.kind === 'current') throw currentNeedsConnection(text);
}

function currentNeedsConnection(text: string): CairnError {
  return new CairnError(
    'INVALID_TARGET',
    `'current' (in '${text}') needs a database connection, which --sql does not open; give the revision the database is at as FROM in FROM:TO`,
    { details: { target: text } },
  );
}

/** One `-- Running stamp_revision` group: rows that give way to one new row, or just go. */
interface StampGroup {
  readonly from: string[];
  readonly to?: string;
  readonly writes: VersionWrite[];
}

/**
 * Groups a stamp's writes the way `planStamp` pairs them: deletes followed by the update that
 * replaces them form one group; an insert stands alone; trailing deletes each stand alone.
 */
function stampGroups(writes: readonly VersionWrite[]): StampGroup[] {
  const groups: StampGroup[] = [];
  let pending: Extract<VersionWrite, { kind: 'delete' }>[] = [];
  for (const write of writes) {
    if (write.kind === 'delete') {
      pending.push(write);
    } else if (write.kind === 'update') {
      groups.push({ from: [...pending.map((d) => d.revision), write.from], to: write.to, writes: [...pending, write] });
      pending = [];
    } else {
      groups.push({ from: [], to: write.revision, writes: [write] });
    }
  }
  for (const d of pending) groups.push({ from: [d.revision], writes: [d] });
  return groups;
}

async function loadMigration(loader: MigrationLoader, meta: RevisionMeta): Promise<LoadedMigration> {
  try {
    return await loader.load(meta);
  } catch (error) {
    if (isCairnError(error)) throw error;
    throw new CairnError(
      'MIGRATION_LOAD_FAILED',
      `could not load ${describe(meta)}: ${messageOf(error)}; fix the file and render the script again`,
      { details: { revision: meta.revision, file: meta.file }, cause: error },
    );
  }
}

function migrationError(meta: RevisionMeta, direction: 'up' | 'down', error: unknown, queried: boolean): CairnError {
  if (isCairnError(error)) return error;
  const why = queried
    ? '; with --sql every query returns no rows, so a migration that reads data cannot be rendered as a script — run it online'
    : '';
  return new CairnError(
    'MIGRATION_FAILED',
    `${direction === 'up' ? 'upgrade' : 'downgrade'} of ${describe(meta)} failed while rendering the --sql script: ${messageOf(error)}${why}`,
    { details: { revision: meta.revision, file: meta.file, direction }, cause: error },
  );
}

function describe(meta: RevisionMeta): string {
  return meta.file ?? `revision '${meta.revision}'`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A `Session` with no database behind it: statements are recorded in order, queries return no
 * rows, execute reports nothing affected, and a transaction simply runs its work (the script's
 * own `BEGIN`/`COMMIT` stand for it).
 */
class RecordingSession implements Session {
  readonly statements: Statement[] = [];
  /** Whether the migration asked for rows, for the failure message. */
  queried = false;

  async query<R extends Row = Row>(statement: Statement): Promise<readonly R[]> {
    this.statements.push(statement);
    this.queried = true;
    return [];
  }

  async execute(statement: Statement): Promise<{ readonly rowsAffected?: number }> {
    this.statements.push(statement);
    return {};
  }

  transaction<T>(work: (tx: Session) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/**
 * The `ctx` a migration receives offline: the same shape as online, over the recorder. Operations
 * compile against the replayed model and update it; raw statements tell the model what they may
 * have changed.
 */
function recordingContext(
  dialect: Dialect,
  session: RecordingSession,
  model: OfflineModel,
  meta: RevisionMeta,
  queryBuilder: QueryBuilderFactory | undefined,
): MigrationContext {
  const record = async (s: Statement): Promise<readonly Row[]> =>
    returnsRows(s.sql) ? session.query(s) : session.execute(s).then(() => []);
  const raw = (s: Statement): Promise<readonly Row[]> => {
    model.raw(s.sql, meta.revision);
    return record(s);
  };
  const sql = (text: string, params: readonly unknown[] = []) => raw({ sql: text, params });
  const op = () =>
    operationApi(
      dialect,
      record,
      (name) => model.table(name),
      (operation) => model.applied(operation, meta.revision),
    );
  const builderSession: Session = {
    query: (s) => raw(s) as Promise<never>,
    execute: async (s) => {
      await raw(s);
      return {};
    },
  };
  return contextWithQueryBuilder({ sql, op, session }, dialect, builderSession, queryBuilder);
}

/** Builds the script text: statements with inlined parameters, comments and transaction lines. */
class ScriptWriter {
  readonly #dialect: Dialect;
  readonly #lines: string[] = [];

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
  }

  /** A blank line before a step, for the reader; none at the very top. */
  section(): void {
    if (this.#lines.length > 0) this.#lines.push('');
  }

  comment(text: string): void {
    this.#lines.push(`-- ${text}`);
  }

  begin(): void {
    this.#lines.push('BEGIN;');
  }

  commit(): void {
    this.#lines.push('COMMIT;');
  }

  /** One statement, terminated, with its parameters inlined. */
  statement(s: Statement, meta?: RevisionMeta): void {
    this.#lines.push(this.#render(s, meta));
  }

  text(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }

  #render(s: Statement, meta: RevisionMeta | undefined): string {
    let rendered: { text: string; openLineComment: boolean };
    try {
      // Trimmed first: a `--` comment closed only by a trailing newline is still open after it.
      rendered = inlineParameters(s.sql.trimEnd(), s.params, this.#dialect.syntax, this.#dialect.state.quoteLiteral);
    } catch (error) {
      const where = meta ? `${describe(meta)}: ` : '';
      throw new CairnError(
        isCairnError(error) ? error.code : 'USAGE',
        `${where}cannot render a statement for --sql: ${messageOf(error)}\n  statement: ${s.sql}`,
        { details: { revision: meta?.revision, statement: s.sql }, cause: error },
      );
    }
    const { text } = rendered;
    // A `;` after a trailing `-- comment` would be commented out with it.
    if (rendered.openLineComment) return `${text}\n;`;
    return text.endsWith(';') ? text : `${text};`;
  }
}

/**
 * Replaces the placeholders of `sql` with `quote(params[k])`, skipping everything that only looks
 * like one: text in string literals (`'…'`, PostgreSQL `E'…'` and `$tag$…$tag$`, MySQL's
 * backslash escapes), quoted identifiers (`"…"`, `` `…` ``, SQLite's `[…]`) and comments. Every
 * parameter must be used and every placeholder must have a parameter; without parameters the
 * text is left as it is. Also reports whether the text ends inside a `--` comment.
 */
function inlineParameters(
  sql: string,
  params: readonly unknown[],
  syntax: SqlSyntax,
  quote: (value: unknown) => string,
): { text: string; openLineComment: boolean } {
  const out: string[] = [];
  const used = new Set<number>();
  let highest = 0;
  let copied = 0;
  let i = 0;
  const n = sql.length;
  const replace = (start: number, end: number, index: number): void => {
    if (index < 1 || index > params.length) {
      throw new CairnError('USAGE', `placeholder ${sql.slice(start, end)} has no parameter (${params.length} given)`, {
        details: { statement: sql },
      });
    }
    out.push(sql.slice(copied, start), quote(params[index - 1]));
    copied = end;
    used.add(index);
    highest = Math.max(highest, index);
  };
  const wordBefore = (k: number): boolean => k > 0 && /[A-Za-z0-9_$]/.test(sql[k - 1]!);
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if ((c === '-' && next === '-') || (c === '#' && syntax.hashComments)) {
      const eol = sql.indexOf('\n', i);
      if (eol < 0) {
        out.push(sql.slice(copied));
        return finish(out, used, params, sql, true);
      }
      i = eol + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'") {
      const escaped =
        syntax.backslashEscapes || (syntax.escapeStrings && /[Ee]/.test(sql[i - 1] ?? '') && !wordBefore(i - 1));
      i = skipQuoted(sql, i, "'", escaped);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', syntax.backslashEscapes);
    } else if (c === '`') {
      i = skipQuoted(sql, i, '`', false);
    } else if (c === '[' && syntax.bracketIdentifiers) {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
    } else if (c === '?' && syntax.placeholders === 'question' && params.length > 0) {
      const digits = /^\d+/.exec(sql.slice(i + 1, i + 12))?.[0] ?? '';
      // SQLite's rule: `?NNN` is parameter NNN, a bare `?` the one after the highest so far.
      replace(i, i + 1 + digits.length, digits ? Number(digits) : highest + 1);
      i += 1 + digits.length;
    } else if (c === '$' && syntax.placeholders === 'dollar' && !wordBefore(i)) {
      const digits = /^\d+/.exec(sql.slice(i + 1, i + 12))?.[0];
      if (digits !== undefined) {
        if (params.length > 0) replace(i, i + 1 + digits.length, Number(digits));
        i += 1 + digits.length;
        continue;
      }
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag === undefined) {
        i++;
        continue;
      }
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? n : close + tag.length;
    } else {
      i++;
    }
  }
  out.push(sql.slice(copied));
  return finish(out, used, params, sql, false);
}

function finish(
  out: string[],
  used: ReadonlySet<number>,
  params: readonly unknown[],
  sql: string,
  openLineComment: boolean,
): { text: string; openLineComment: boolean } {
  if (params.length > 0 && used.size !== params.length) {
    throw new CairnError('USAGE', `the statement has ${params.length} parameters but uses ${used.size} of them`, {
      details: { statement: sql },
    });
  }
  return { text: out.join(''), openLineComment };
}

/** The index after the quoted text starting at `start`; a doubled quote stays inside. */
function skipQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
