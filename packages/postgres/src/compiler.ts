import { Buffer } from 'node:buffer';
import {
  CairnError,
  type ColumnTypeChange,
  type CompileRules,
  columnList,
  compilerFromRules,
  constraintPrefix,
  type DropEnumValue,
  formatQualifiedName,
  keyedDeletes,
  multiRowInserts,
  type OperationCompiler,
  type QualifiedName,
  qualifiedName,
  type RuleContext,
  type SqlValue,
  type Statement,
  siblingName,
  statement,
} from '@cairn/core';
import { doBlock, MAX_IDENTIFIER_BYTES } from './quote.js';
import {
  commentOnColumn,
  commentOnTable,
  identityOf,
  postgresType,
  renderColumn,
  renderCreateTable,
  renderDefault,
  renderForeignKeyBody,
  renderIdentity,
} from './render.js';

/*
 * The PostgreSQL compiler: one pure rule per operation kind (style rules 2 and 3), all native DDL
 * — PostgreSQL alters columns and constraints in place, so no rule needs `ctx.tableBefore`
 * (`drop_enum_value`, which needs the columns using the enum, finds them itself at run time: one
 * PL/pgSQL `DO` block, see `DROP_ENUM_VALUE_BODY`).
 * Names are schema-qualified when the operation gives a schema, otherwise they resolve through
 * the connection's `search_path`. Type mapping: see `postgresType` (render.ts).
 *
 * Transactions: every statement is transactional except `CREATE INDEX CONCURRENTLY` and
 * `DROP INDEX CONCURRENTLY`, which PostgreSQL refuses inside a transaction block. `ALTER TYPE …
 * ADD VALUE` stays transactional: since PostgreSQL 12 it may run in a transaction, it just cannot
 * be *used* (as a literal, default, CHECK, UPDATE) before that transaction commits (SQLSTATE
 * 55P04). A migration that only adds values therefore stays atomic; one that also uses them gets
 * 55P04, on which the runner rolls the step back and runs it again outside a transaction
 * (`classifyError`), so the value is committed before its use. A `--sql` script cannot learn
 * that by trying: there `transactionNeeds` (transaction-needs.ts) reads the statement as
 * `'commit-before-use'`, and a step with statements after it is rendered outside a transaction.
 * Marking it non-transactional up front would cost every such migration its atomicity, and
 * PostgreSQL 11 and older (which refuse it in a transaction) are out of support.
 */

type Rule<K extends keyof CompileRules> = CompileRules[K];

/** PostgreSQL's limit on bound parameters per statement (the protocol's Int16 count). */
const MAX_PARAMS = 65535;
/** Most rows in one multi-row `INSERT … VALUES`. */
const MAX_ROWS_PER_INSERT = 1000;

function usage(message: string, details: Readonly<Record<string, unknown>>): CairnError {
  return new CairnError('USAGE', message, { details });
}

function alterTable(table: QualifiedName, ctx: RuleContext, action: string): Statement {
  return statement(`ALTER TABLE ${qualifiedName(table, ctx)} ${action}`);
}

/** Enum labels share the identifier limit; PostgreSQL refuses longer ones with its own error. */
function enumLabel(label: string, name: QualifiedName, ctx: RuleContext): string {
  const bytes = Buffer.byteLength(label, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES)
    throw usage(
      `enum '${formatQualifiedName(name)}': the label ${JSON.stringify(label)} is ${bytes} bytes long; PostgreSQL enum labels are at most ${MAX_IDENTIFIER_BYTES} bytes (UTF-8)`,
      { enum: formatQualifiedName(name), label, bytes },
    );
  return ctx.quoteLiteral(label);
}

function isIntegerKind(kind: string): boolean {
  return kind === 'smallint' || kind === 'integer' || kind === 'bigint';
}

/** The identity sub-command of a type change (`ADD GENERATED …`, `SET GENERATED …`, `DROP IDENTITY`), if any. */
function identityChange(change: ColumnTypeChange): string | undefined {
  const to = identityOf(change.to);
  if (change.from === undefined) {
    if (to !== undefined) return `ADD ${renderIdentity(to)}`;
    return isIntegerKind(change.to.kind) ? 'DROP IDENTITY IF EXISTS' : undefined;
  }
  const from = identityOf(change.from);
  if (to === from) return undefined;
  if (to === undefined) return 'DROP IDENTITY';
  if (from === undefined) return `ADD ${renderIdentity(to)}`;
  return `SET GENERATED ${to === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`;
}

/**
 * `alter_column` as separate `ALTER TABLE` statements, in this order: drop the old default when
 * both type and default change (the old default may not cast to the new type), the type
 * (`USING` when given; skipped when only the identity changes), the identity (`ADD GENERATED`,
 * `SET GENERATED`, `DROP IDENTITY`), nullability, the new default, the comment.
 *
 * Identity without `type.from`: the old identity is unknown, so an identity target is added with
 * `ADD GENERATED` (which fails if the column already is one) and a plain target drops it with
 * `DROP IDENTITY IF EXISTS` (integer targets only: no other type can be an identity).
 */
const alterColumn: Rule<'alter_column'> = (op, ctx) => {
  const column = `ALTER COLUMN ${ctx.quoteIdentifier(op.column)}`;
  const out: Statement[] = [];
  const typeChange = op.type;
  const defaultDroppedEarly = typeChange !== undefined && op.default !== undefined;
  if (defaultDroppedEarly) out.push(alterTable(op.table, ctx, `${column} DROP DEFAULT`));
  if (typeChange !== undefined) {
    const to = postgresType(typeChange.to, ctx);
    const from = typeChange.from === undefined ? undefined : postgresType(typeChange.from, ctx);
    if (from !== to || typeChange.using !== undefined)
      out.push(
        alterTable(
          op.table,
          ctx,
          `${column} TYPE ${to}${typeChange.using === undefined ? '' : ` USING ${typeChange.using}`}`,
        ),
      );
    const identity = identityChange(typeChange);
    if (identity !== undefined) out.push(alterTable(op.table, ctx, `${column} ${identity}`));
  }
  if (op.nullable !== undefined)
    out.push(alterTable(op.table, ctx, `${column} ${op.nullable.to ? 'DROP' : 'SET'} NOT NULL`));
  if (op.default !== undefined) {
    if (op.default.to !== null)
      out.push(alterTable(op.table, ctx, `${column} SET DEFAULT ${renderDefault(op.default.to, ctx)}`));
    else if (!defaultDroppedEarly) out.push(alterTable(op.table, ctx, `${column} DROP DEFAULT`));
  }
  if (op.comment !== undefined) out.push(statement(commentOnColumn(op.table, op.column, op.comment.to, ctx)));
  return out;
};

/** Groups consecutive rows with the same columns into `INSERT … VALUES` chunks with `$n` parameters. */
function insertRows(
  table: string,
  rows: readonly Readonly<Record<string, SqlValue>>[],
  ctx: RuleContext,
): readonly Statement[] {
  return multiRowInserts(table, rows, ctx, {
    placeholder: (n) => `$${n}`,
    maxParams: MAX_PARAMS,
    maxRows: MAX_ROWS_PER_INSERT,
  });
}

/*
 * `drop_enum_value`. PostgreSQL has no `ALTER TYPE … DROP VALUE`, so the value goes the way users
 * remove one by hand — rename the type aside, create it again without the value, convert every
 * column that uses it, drop the old type — while the rule stays pure: it emits ONE `DO` block that
 * finds the columns in `pg_catalog` when it runs, online and in `--sql` scripts alike. Only the
 * three `DECLARE`d values come from the operation, each through the dialect's literal quoting;
 * the rest is fixed text, and names found at run time reach SQL only through `format('%I')` and
 * `%L`. The block, in order:
 *
 * 1. resolves the type (through `search_path` when the operation gives no schema) and refuses a
 *    missing type, a non-enum, a value the type lacks or a `replaceWith` it lacks;
 * 2. locks every table with a column of the type or of its array type (ACCESS EXCLUSIVE, which
 *    the rewrite takes anyway), so no row holding the value can appear before the rewrite;
 * 3. refuses (SQLSTATE 2BP01), naming each object schema-qualified, when anything but those table
 *    columns and their defaults depends on the type or on such a column: views and materialized
 *    views, rules, functions, domains, composite and range types, CHECK constraints and indexes
 *    whose expressions mention the type (PostgreSQL could not rebuild them: "operator does not
 *    exist: t = t_old"), triggers and policies on the column, generated columns, partition keys,
 *    foreign tables. cairn does not recreate them (their definitions may use the removed value):
 *    the migration drops them before the operation and recreates them after it;
 * 4. captures what it drops and restores around the rewrite, deparsed under `search_path =
 *    pg_catalog` so every name in it is schema-qualified: the defaults of the converted columns
 *    and any other table default that mentions the type (with `replaceWith`, a default that is
 *    exactly the removed value becomes `replaceWith`, as the rows do), and the foreign keys
 *    between such columns (PostgreSQL cannot keep one while only one of its sides is converted;
 *    they mention no value, and are validated again when added back);
 * 5. without `replaceWith`, refuses (SQLSTATE 55000) while rows hold the value, naming each column
 *    and its row count; with it, `UPDATE`s those rows (array elements through `array_replace`);
 * 6. renames the type to `cairn_old_<oid>` and creates it again (the remaining labels in order)
 *    with the old owner, comment and privileges;
 * 7. refuses (SQLSTATE 55000) a default that still uses the removed value, before any rewrite;
 * 8. drops the captured defaults and foreign keys, runs one `ALTER TABLE … ALTER COLUMN c TYPE t
 *    USING c::text::t` (`c::text[]::t[]` for arrays) per table — inherited columns and
 *    partitions follow their parent; plain indexes, unique and primary keys are rebuilt by
 *    PostgreSQL — and restores the defaults and foreign keys;
 * 9. drops the old type.
 *
 * One statement, transactional: a refusal or failure leaves the type and the tables as they were.
 */
const DROP_ENUM_VALUE_BODY = `  v_type oid := pg_catalog.to_regtype(v_type_name);
  v_path text := pg_catalog.current_setting('search_path');
  v_schema name;
  v_name name;
  v_kind "char";
  v_array oid;
  v_owner oid;
  v_acl aclitem[];
  v_comment text;
  v_enum text;
  v_tmp name;
  v_list text;
  v_where text;
  v_count bigint;
  v_detail text;
  v_default_tables text[] := '{}';
  v_default_columns text[] := '{}';
  v_default_exprs text[] := '{}';
  v_fk_tables text[] := '{}';
  v_fk_names text[] := '{}';
  v_fk_defs text[] := '{}';
  v_i integer;
  r record;
BEGIN
  IF v_type IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = pg_catalog.format('drop_enum_value: type %s does not exist', v_type_name);
  END IF;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  SELECT n.nspname, t.typname, t.typtype, t.typarray, t.typowner, t.typacl, pg_catalog.obj_description(t.oid, 'pg_type')
    INTO v_schema, v_name, v_kind, v_array, v_owner, v_acl, v_comment
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE t.oid = v_type;
  v_enum := pg_catalog.format('%I.%I', v_schema, v_name);
  IF v_kind <> 'e' THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = pg_catalog.format('drop_enum_value: type %s is not an enum', v_enum);
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) INTO v_list
    FROM pg_catalog.pg_enum e WHERE e.enumtypid = v_type;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_enum e WHERE e.enumtypid = v_type AND e.enumlabel = v_value) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('drop_enum_value: enum %s has no value %L (its values: %s)', v_enum, v_value, v_list);
  END IF;
  IF v_replace IS NOT NULL AND NOT EXISTS (
    SELECT FROM pg_catalog.pg_enum e WHERE e.enumtypid = v_type AND e.enumlabel = v_replace
  ) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('drop_enum_value: replaceWith %L is not a value of enum %s (its values: %s)',
        v_replace, v_enum, v_list);
  END IF;

  FOR r IN
    SELECT DISTINCT c.oid, n.nspname, c.relname
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE a.atttypid IN (v_type, v_array) AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
      ORDER BY c.oid
  LOOP
    EXECUTE pg_catalog.format('LOCK TABLE ONLY %I.%I IN ACCESS EXCLUSIVE MODE', r.nspname, r.relname);
  END LOOP;

  WITH used AS (
    SELECT a.attrelid, a.attnum
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      WHERE a.atttypid IN (v_type, v_array) AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
  ), dependent AS (
    SELECT d.classid, d.objid, d.objsubid
      FROM pg_catalog.pg_depend d
      WHERE d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refobjid IN (v_type, v_array)
        AND NOT (d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = v_array)
        AND NOT (d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND EXISTS (
          SELECT FROM pg_catalog.pg_depend p WHERE p.classid = d.classid AND p.objid = d.objid AND p.deptype = 'i'
        ))
        AND NOT EXISTS (
          SELECT FROM used u
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND u.attrelid = d.objid AND u.attnum = d.objsubid
        )
        AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_attrdef ad
            JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
            JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
            WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
              AND a.attgenerated = '' AND c.relkind IN ('r', 'p')
        )
    UNION
    SELECT d.classid, d.objid, d.objsubid
      FROM used u
      JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.refobjid = u.attrelid AND d.refobjsubid = u.attnum
      WHERE d.classid NOT IN ('pg_catalog.pg_class'::pg_catalog.regclass,
          'pg_catalog.pg_constraint'::pg_catalog.regclass, 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass)
        AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_attrdef ad
            WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
              AND ad.adrelid = u.attrelid AND ad.adnum = u.attnum
        )
  ), named AS (
    SELECT CASE WHEN w.rulename = '_RETURN' OR c.relkind IN ('v', 'm') OR g.attgenerated <> ''
          THEN 'pg_catalog.pg_class'::pg_catalog.regclass ELSE d.classid END AS classid,
        CASE WHEN w.rulename = '_RETURN' THEN w.ev_class WHEN g.attgenerated <> '' THEN g.attrelid ELSE d.objid END
          AS objid,
        CASE WHEN w.rulename = '_RETURN' OR c.relkind IN ('v', 'm') THEN 0 WHEN g.attgenerated <> '' THEN g.attnum
          ELSE d.objsubid END AS objsubid,
        coalesce(g.attgenerated <> '', false) AS generated
      FROM dependent d
      LEFT JOIN pg_catalog.pg_rewrite w ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND w.oid = d.objid
      LEFT JOIN pg_catalog.pg_class c ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = d.objid
      LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
      LEFT JOIN pg_catalog.pg_attribute g ON g.attrelid = ad.adrelid AND g.attnum = ad.adnum
  ), described AS (
    SELECT CASE WHEN t.typtype = 'd' THEN 'domain' WHEN x.generated THEN 'generated column' ELSE i.type END
        || ' ' || i.identity AS what
      FROM named x
      CROSS JOIN LATERAL pg_catalog.pg_identify_object(x.classid, x.objid, x.objsubid) i
      LEFT JOIN pg_catalog.pg_type t ON x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = x.objid
    UNION
    SELECT pg_catalog.format('partition key of table %I.%I (column %I)', n.nspname, c.relname, a.attname)
      FROM used u
      JOIN pg_catalog.pg_partitioned_table p ON p.partrelid = u.attrelid
        AND u.attnum OPERATOR(pg_catalog.=) ANY (p.partattrs::pg_catalog.int2[])
      JOIN pg_catalog.pg_class c ON c.oid = u.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid = u.attrelid AND a.attnum = u.attnum
  )
  SELECT pg_catalog.string_agg(what, '; ' ORDER BY what) INTO v_list FROM described;
  IF v_list IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'dependent_objects_still_exist',
      MESSAGE = pg_catalog.format('drop_enum_value: cannot drop value %L from enum %s: these objects depend on the type '
        'or on a column using it: %s. cairn converts only table columns and their defaults, and does not recreate '
        'other objects (their definitions may use the value): drop them before this operation and recreate them '
        'after it, in the same migration (e.g. op.execute("DROP VIEW ...") before it, op.execute("CREATE VIEW ...") '
        'after it)', v_value, v_enum, v_list);
  END IF;

  FOR r IN
    SELECT n.nspname, c.relname, a.attname, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS expr
      FROM pg_catalog.pg_attrdef ad
      JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
      JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attgenerated = '' AND NOT a.attisdropped
        AND (a.atttypid IN (v_type, v_array) OR EXISTS (
          SELECT FROM pg_catalog.pg_depend d
            WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.objid = ad.oid
              AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refobjid IN (v_type, v_array)
        ))
      ORDER BY n.nspname, c.relname, a.attnum
  LOOP
    v_default_tables := v_default_tables || pg_catalog.format('%I.%I', r.nspname, r.relname);
    v_default_columns := v_default_columns || pg_catalog.quote_ident(r.attname);
    v_default_exprs := v_default_exprs || CASE
      WHEN v_replace IS NOT NULL AND r.expr = pg_catalog.quote_literal(v_value) || '::' || v_enum
        THEN pg_catalog.quote_literal(v_replace) || '::' || v_enum
      ELSE r.expr END;
  END LOOP;
  FOR r IN
    SELECT n.nspname, c.relname, k.conname, pg_catalog.pg_get_constraintdef(k.oid) AS def
      FROM pg_catalog.pg_constraint k
      JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND k.conparentid = 0 AND EXISTS (
        SELECT FROM pg_catalog.pg_attribute a
          WHERE a.atttypid IN (v_type, v_array) AND ((a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey))
            OR (a.attrelid = k.confrelid AND a.attnum = ANY (k.confkey)))
      )
      ORDER BY n.nspname, c.relname, k.conname
  LOOP
    v_fk_tables := v_fk_tables || pg_catalog.format('%I.%I', r.nspname, r.relname);
    v_fk_names := v_fk_names || pg_catalog.quote_ident(r.conname);
    v_fk_defs := v_fk_defs || r.def;
  END LOOP;
  PERFORM pg_catalog.set_config('search_path', v_path, true);

  v_list := NULL;
  FOR r IN
    SELECT n.nspname, c.relname, a.attname, a.atttypid = v_array AS is_array
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE a.atttypid IN (v_type, v_array) AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r'
      ORDER BY n.nspname, c.relname, a.attnum
  LOOP
    v_where := CASE WHEN r.is_array
      THEN pg_catalog.format('%L::%s OPERATOR(pg_catalog.=) ANY (%I)', v_value, v_enum, r.attname)
      ELSE pg_catalog.format('%I OPERATOR(pg_catalog.=) %L::%s', r.attname, v_value, v_enum) END;
    IF v_replace IS NULL THEN
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM ONLY %I.%I WHERE %s', r.nspname, r.relname, v_where)
        INTO v_count;
      IF v_count > 0 THEN
        v_list := pg_catalog.concat_ws(', ', v_list, pg_catalog.format('%I.%I.%I (%s %s)', r.nspname, r.relname,
          r.attname, v_count, CASE WHEN v_count = 1 THEN 'row' ELSE 'rows' END));
      END IF;
    ELSIF r.is_array THEN
      EXECUTE pg_catalog.format('UPDATE ONLY %I.%I SET %I = pg_catalog.array_replace(%I, %L::%s, %L::%s) WHERE %s',
        r.nspname, r.relname, r.attname, r.attname, v_value, v_enum, v_replace, v_enum, v_where);
    ELSE
      EXECUTE pg_catalog.format('UPDATE ONLY %I.%I SET %I = %L::%s WHERE %s',
        r.nspname, r.relname, r.attname, v_replace, v_enum, v_where);
    END IF;
  END LOOP;
  IF v_list IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = pg_catalog.format('drop_enum_value: cannot drop value %L from enum %s: rows still hold it, in %s. '
        'Pass replaceWith (dropEnumValue(name, value, { replaceWith })) to set them to another value, or update '
        'them first', v_value, v_enum, v_list);
  END IF;

  v_tmp := 'cairn_old_' || v_type;
  v_i := 0;
  WHILE EXISTS (
    SELECT FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = v_schema AND t.typname = v_tmp
  ) LOOP
    v_i := v_i + 1;
    v_tmp := 'cairn_old_' || v_type || '_' || v_i;
  END LOOP;
  EXECUTE pg_catalog.format('ALTER TYPE %s RENAME TO %I', v_enum, v_tmp);
  SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) INTO v_list
    FROM pg_catalog.pg_enum e WHERE e.enumtypid = v_type AND e.enumlabel <> v_value;
  EXECUTE pg_catalog.format('CREATE TYPE %s AS ENUM (%s)', v_enum, coalesce(v_list, ''));
  IF pg_catalog.pg_get_userbyid(v_owner) <> CURRENT_USER THEN
    EXECUTE pg_catalog.format('ALTER TYPE %s OWNER TO %I', v_enum, pg_catalog.pg_get_userbyid(v_owner));
  END IF;
  IF v_comment IS NOT NULL THEN
    EXECUTE pg_catalog.format('COMMENT ON TYPE %s IS %L', v_enum, v_comment);
  END IF;
  IF v_acl IS NOT NULL THEN
    EXECUTE pg_catalog.format('REVOKE ALL ON TYPE %s FROM PUBLIC', v_enum);
    FOR r IN SELECT x.grantee, x.is_grantable FROM pg_catalog.aclexplode(v_acl) x WHERE x.grantee <> v_owner LOOP
      EXECUTE pg_catalog.format('GRANT USAGE ON TYPE %s TO %s%s', v_enum,
        CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END,
        CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
  END IF;

  FOR v_i IN 1 .. pg_catalog.cardinality(v_default_exprs) LOOP
    BEGIN
      EXECUTE pg_catalog.format('SELECT %s WHERE false', v_default_exprs[v_i]);
    EXCEPTION WHEN invalid_text_representation THEN
      RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
        MESSAGE = pg_catalog.format('drop_enum_value: cannot drop value %L from enum %s: the default of column %s.%s '
          'uses it (DEFAULT %s). Change that default first (op.alterColumn with a new default), or pass replaceWith '
          'when the default is the value itself', v_value, v_enum, v_default_tables[v_i], v_default_columns[v_i],
          v_default_exprs[v_i]);
    END;
  END LOOP;
  FOR v_i IN 1 .. pg_catalog.cardinality(v_default_exprs) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE ONLY %s ALTER COLUMN %s DROP DEFAULT', v_default_tables[v_i],
      v_default_columns[v_i]);
  END LOOP;
  FOR v_i IN 1 .. pg_catalog.cardinality(v_fk_defs) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %s', v_fk_tables[v_i], v_fk_names[v_i]);
  END LOOP;
  FOR r IN
    SELECT n.nspname, c.relname, pg_catalog.string_agg(CASE WHEN a.atttypid = v_array
        THEN pg_catalog.format('ALTER COLUMN %I TYPE %s[] USING %I::pg_catalog.text[]::%s[]', a.attname, v_enum,
          a.attname, v_enum)
        ELSE pg_catalog.format('ALTER COLUMN %I TYPE %s USING %I::pg_catalog.text::%s', a.attname, v_enum, a.attname,
          v_enum) END, ', ' ORDER BY a.attnum) AS actions
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE a.atttypid IN (v_type, v_array) AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0
        AND c.relkind IN ('r', 'p')
      GROUP BY c.oid, n.nspname, c.relname
      ORDER BY n.nspname, c.relname
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I %s', r.nspname, r.relname, r.actions);
  END LOOP;
  FOR v_i IN 1 .. pg_catalog.cardinality(v_default_exprs) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE ONLY %s ALTER COLUMN %s SET DEFAULT %s', v_default_tables[v_i],
      v_default_columns[v_i], v_default_exprs[v_i]);
  END LOOP;
  FOR v_i IN 1 .. pg_catalog.cardinality(v_fk_defs) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %s %s', v_fk_tables[v_i], v_fk_names[v_i], v_fk_defs[v_i]);
  END LOOP;

  BEGIN
    EXECUTE pg_catalog.format('DROP TYPE %I.%I', v_schema, v_tmp);
  EXCEPTION WHEN dependent_objects_still_exist THEN
    GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
    RAISE EXCEPTION USING ERRCODE = 'dependent_objects_still_exist',
      MESSAGE = pg_catalog.format('drop_enum_value: cannot drop value %L from enum %s: objects still use the old type '
        '(%s). Drop them before this operation and recreate them after it, in the same migration', v_value, v_enum,
        pg_catalog.replace(v_detail, E'\\n', '; '));
  END;
END
`;

/**
 * The `DO` block of `drop_enum_value` (see `DROP_ENUM_VALUE_BODY`): the enum's name, the value
 * and `replaceWith` are declared as literals, the body is fixed.
 */
function dropEnumValue(op: DropEnumValue, ctx: RuleContext): Statement {
  const replaceWith = op.replaceWith === undefined ? 'NULL' : enumLabel(op.replaceWith, op.name, ctx);
  const body = [
    '',
    'DECLARE',
    `  v_type_name text := ${ctx.quoteLiteral(qualifiedName(op.name, ctx))};`,
    `  v_value text := ${enumLabel(op.value, op.name, ctx)};`,
    `  v_replace text := ${replaceWith};`,
    DROP_ENUM_VALUE_BODY,
  ].join('\n');
  return statement(doBlock(body));
}

/** The PostgreSQL rule for every operation kind. */
export const postgresRules = {
  create_table: (op, ctx) => [
    statement(renderCreateTable(op, ctx)),
    ...(op.comment === undefined ? [] : [statement(commentOnTable(op.name, op.comment, ctx))]),
    ...op.columns.flatMap((c) =>
      c.comment === undefined ? [] : [statement(commentOnColumn(op.name, c.name, c.comment, ctx))],
    ),
  ],
  drop_table: (op, ctx) => [statement(`DROP TABLE ${qualifiedName(op.name, ctx)}`)],
  rename_table: (op, ctx) => [alterTable(op.name, ctx, `RENAME TO ${ctx.quoteIdentifier(op.newName)}`)],
  comment_table: (op, ctx) => [statement(commentOnTable(op.name, op.comment, ctx))],
  add_column: (op, ctx) => [
    alterTable(op.table, ctx, `ADD COLUMN ${renderColumn(op.column, ctx)}`),
    ...(op.column.comment === undefined
      ? []
      : [statement(commentOnColumn(op.table, op.column.name, op.column.comment, ctx))]),
  ],
  drop_column: (op, ctx) => [alterTable(op.table, ctx, `DROP COLUMN ${ctx.quoteIdentifier(op.column)}`)],
  rename_column: (op, ctx) => [
    alterTable(op.table, ctx, `RENAME COLUMN ${ctx.quoteIdentifier(op.column)} TO ${ctx.quoteIdentifier(op.newName)}`),
  ],
  alter_column: alterColumn,
  create_index: (op, ctx) => {
    const keys = op.columns.map((key) => {
      const base = key.kind === 'column' ? ctx.quoteIdentifier(key.name) : `(${key.sql})`;
      return key.order === undefined ? base : `${base} ${key.order.toUpperCase()}`;
    });
    // The index name cannot be qualified here: PostgreSQL puts the index in its table's schema.
    let sql = `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${
      op.ifNotExists ? 'IF NOT EXISTS ' : ''
    }${ctx.quoteIdentifier(op.name)} ON ${qualifiedName(op.table, ctx)} (${keys.join(', ')})`;
    if (op.where !== undefined) sql += ` WHERE ${op.where}`;
    return [statement(sql, [], { transactional: op.concurrently !== true })];
  },
  drop_index: (op, ctx) => [
    statement(
      `DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(
        siblingName(op.table, op.name),
        ctx,
      )}`,
      [],
      { transactional: op.concurrently !== true },
    ),
  ],
  add_primary_key: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}PRIMARY KEY ${columnList(op.columns, ctx)}`),
  ],
  // PostgreSQL names an unnamed primary key `<table>_pkey`.
  drop_primary_key: (op, ctx) => [
    alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name ?? `${op.table.name}_pkey`)}`),
  ],
  add_unique: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}UNIQUE ${columnList(op.columns, ctx)}`),
  ],
  drop_unique: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  add_foreign_key: (op, ctx) => [
    alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}${renderForeignKeyBody(op, ctx)}`),
  ],
  drop_foreign_key: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  add_check: (op, ctx) => [alterTable(op.table, ctx, `ADD ${constraintPrefix(op.name, ctx)}CHECK (${op.expression})`)],
  drop_check: (op, ctx) => [alterTable(op.table, ctx, `DROP CONSTRAINT ${ctx.quoteIdentifier(op.name)}`)],
  create_enum: (op, ctx) => [
    statement(
      `CREATE TYPE ${qualifiedName(op.name, ctx)} AS ENUM (${op.values.map((v) => enumLabel(v, op.name, ctx)).join(', ')})`,
    ),
  ],
  drop_enum: (op, ctx) => [statement(`DROP TYPE ${qualifiedName(op.name, ctx)}`)],
  add_enum_value: (op, ctx) => {
    let sql = `ALTER TYPE ${qualifiedName(op.name, ctx)} ADD VALUE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${enumLabel(
      op.value,
      op.name,
      ctx,
    )}`;
    if (op.before !== undefined) sql += ` BEFORE ${ctx.quoteLiteral(op.before)}`;
    else if (op.after !== undefined) sql += ` AFTER ${ctx.quoteLiteral(op.after)}`;
    return [statement(sql)];
  },
  rename_enum_value: (op, ctx) => [
    statement(
      `ALTER TYPE ${qualifiedName(op.name, ctx)} RENAME VALUE ${ctx.quoteLiteral(op.from)} TO ${enumLabel(op.to, op.name, ctx)}`,
    ),
  ],
  drop_enum_value: (op, ctx) => [dropEnumValue(op, ctx)],
  execute: (op) => [statement(op.sql, op.params)],
  bulk_insert: (op, ctx) => insertRows(qualifiedName(op.table, ctx), op.rows, ctx),
  bulk_delete: (op, ctx) => keyedDeletes(qualifiedName(op.table, ctx), op.key, op.rows, ctx, (n) => `$${n}`),
} satisfies CompileRules;

/** The PostgreSQL operation compiler (`compilerFromRules(postgresRules)`): pure, never touches a session. */
export const postgresCompiler: OperationCompiler = compilerFromRules(postgresRules);
