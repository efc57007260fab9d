import type { Dialect } from '../dialect/dialect.js';
import { CairnError, isCairnError } from '../errors.js';
import { createOpApi } from '../ops/op-api.js';
import type { Operation } from '../ops/operation.js';
import { formatQualifiedName, type QualifiedName } from '../ops/qualified-name.js';
import type { Statement } from '../ops/statement.js';
import type { RevisionGraph } from '../revision/graph.js';
import type { RevisionMeta } from '../revision/revision.js';
import type { TableModel } from '../schema/model.js';
import { SchemaBuilder } from '../schema/schema-builder.js';
import type { LoadedMigration, MigrationLoader } from './migrator.js';
import { contextWithQueryBuilder, type QueryBuilderFactory } from './query-builder.js';
import type { Row, Session } from './session.js';

/** Raw SQL that may change a table's shape: DDL, as opposed to reading or writing rows. */
const DDL = /^\s*(create|alter|drop|rename|comment|truncate)\b/i;

/** Where a table's shape stopped being known, for the error that reports it. */
interface Forgotten {
  readonly revision: string;
  readonly sql: string;
}

/**
 * The schema as an offline (`--sql`) script leaves it at each point, for the compilers that
 * need a table's current definition (SQLite's rebuilds, MySQL's `MODIFY`): there is no database
 * to read it from, so it is replayed from the migrations' operations.
 *
 * The script's own steps update it as they are rendered. The revisions already applied at the
 * script's `FROM` are replayed (their upgrades, run against a model-only `op`) only the first
 * time a compiler asks for a table the script has not defined itself, so scripts that never
 * need a table's shape never load more migrations than they render.
 *
 * Raw SQL cannot be read: a DDL statement run with `ctx.sql`, the query builder or `op.execute`
 * that names a known table makes the model forget it, and a later operation that needs that
 * table fails with a message naming the revision and the statement, never with a stale shape.
 */
export class OfflineModel {
  readonly #graph: RevisionGraph;
  readonly #dialect: Dialect;
  readonly #loader: MigrationLoader;
  readonly #queryBuilder: QueryBuilderFactory | undefined;
  /** The rows the script starts from: their ancestry is what the database already has. */
  readonly #startRows: readonly string[];
  /** Operations and raw statements of the script so far, replayed again over the ancestry. */
  readonly #log: ((builder: SchemaBuilder) => void)[] = [];
  readonly #forgotten = new Map<string, Forgotten>();
  #builder = new SchemaBuilder();
  #replayed = false;

  constructor(options: {
    graph: RevisionGraph;
    dialect: Dialect;
    loader: MigrationLoader;
    queryBuilder: QueryBuilderFactory | undefined;
    startRows: readonly string[];
  }) {
    this.#graph = options.graph;
    this.#dialect = options.dialect;
    this.#loader = options.loader;
    this.#queryBuilder = options.queryBuilder;
    this.#startRows = options.startRows;
    this.#replayed = options.startRows.length === 0;
  }

  /** The table's definition at this point of the script, or `undefined` when it is not known. */
  async table(name: QualifiedName): Promise<TableModel | undefined> {
    if (!this.#builder.has(name) && !this.#replayed) await this.#replayAncestry();
    return this.#builder.table(name);
  }

  /** Records an operation of the script's current step. */
  applied(op: Operation, revision: string): void {
    const event = (builder: SchemaBuilder): void => {
      builder.apply(op);
      if (op.kind === 'execute') this.#forgetIfDdl(builder, op.sql, revision);
    };
    this.#log.push(event);
    event(this.#builder);
  }

  /** Records a raw statement (`ctx.sql`, the query builder) of the script's current step. */
  raw(sql: string, revision: string): void {
    if (!DDL.test(sql)) return;
    const event = (builder: SchemaBuilder): void => this.#forgetIfDdl(builder, sql, revision);
    this.#log.push(event);
    event(this.#builder);
  }

  /**
   * Wraps a compiler's `NEEDS_MODEL` error with why the script does not know the table: raw SQL
   * changed it (named), or no operation of any migration before this point created it.
   */
  explain(error: unknown, meta: RevisionMeta): unknown {
    if (!isCairnError(error) || error.code !== 'NEEDS_MODEL') return error;
    const table = typeof error.details.table === 'string' ? error.details.table : undefined;
    const forgotten = table === undefined ? undefined : this.#forgotten.get(table);
    const why =
      forgotten !== undefined
        ? `raw SQL in revision '${forgotten.revision}' changed ${table} (${oneLine(forgotten.sql)}), and --sql cannot know what it did`
        : `no operation of the migrations before ${meta.file ?? `revision '${meta.revision}'`} creates ${table ?? 'the table'} (raw SQL may have)`;
    return new CairnError(
      'NEEDS_MODEL',
      `${error.message.replace(/; run online.*$/, '')}; ${why}. Write that change with op.* operations so --sql can follow it, or run this migration online, where cairn reads the table from the database`,
      { details: { ...error.details, revision: meta.revision, file: meta.file }, cause: error },
    );
  }

  #forgetMentioned(builder: SchemaBuilder, sql: string, revision: string): void {
    for (const name of builder.tableNames()) {
      if (!mentions(sql, name.name)) continue;
      builder.forget(name);
      this.#forgotten.set(formatQualifiedName(name), { revision, sql });
    }
  }

  async #replayAncestry(): Promise<void> {
    this.#replayed = true;
    const graph = this.#graph;
    const starts = this.#startRows.map((id) => graph.indexOf(id)!);
    const builder = new SchemaBuilder();
    for (const index of graph.applyOrder(graph.ancestors(starts, true), starts)) {
      const meta = graph.get(graph.id(index));
      let migration: LoadedMigration;
      try {
        migration = await this.#loader.load(meta);
        await migration.run('up', this.#replayContext(builder, meta.revision));
      } catch (error) {
        throw new CairnError(
          'NEEDS_MODEL',
          `--sql needs the schema as the migrations before the script leave it, but replaying ${meta.file ?? `revision '${meta.revision}'`} to learn it failed: ${error instanceof Error ? error.message : String(error)}`,
          { details: { revision: meta.revision, file: meta.file }, cause: error },
        );
      }
    }
    for (const event of this.#log) event(builder);
    this.#builder = builder;
  }

  /** A migration context whose operations only update `builder`; nothing is rendered. */
  #replayContext(builder: SchemaBuilder, revision: string) {
    const session: Session = {
      query: async <R extends Row = Row>(s: Statement): Promise<readonly R[]> => {
        this.#forgetIfDdl(builder, s.sql, revision);
        return [];
      },
      execute: async (s: Statement) => {
        this.#forgetIfDdl(builder, s.sql, revision);
        return {};
      },
      transaction: (work) => work(session),
    };
    const op = () =>
      createOpApi(async (operation) => {
        builder.apply(operation);
        if (operation.kind === 'execute') this.#forgetIfDdl(builder, operation.sql, revision);
      });
    const sql = async (text: string): Promise<readonly Row[]> => {
      this.#forgetIfDdl(builder, text, revision);
      return [];
    };
    return contextWithQueryBuilder({ sql, op, session }, this.#dialect, session, this.#queryBuilder);
  }

  #forgetIfDdl(builder: SchemaBuilder, sql: string, revision: string): void {
    if (DDL.test(sql)) this.#forgetMentioned(builder, sql, revision);
  }
}

/** Whether `sql` names `table` as a word (quoted or not), case-insensitively. */
function mentions(sql: string, table: string): boolean {
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`, 'i').test(sql);
}

function oneLine(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
