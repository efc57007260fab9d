import { describe, expect, it } from 'vitest';
import {
  type ColumnDefault,
  type ColumnType,
  column,
  diffSchemas,
  emptySchema,
  enumType,
  integer,
  isCairnError,
  type Normalizer,
  type Operation,
  type SchemaModel,
  sameSql,
  text,
  varchar,
} from '../../src/index.js';
import { apply, canonical, strictReplay, table } from './helpers.js';

const kinds = (ops: readonly Operation[]) => ops.map((op) => op.kind);
const id = integer();
const pk = (columns: string[]) => ({ primaryKey: { columns } });

/** Diffs, and checks the law on this pair: upgrade gives `to`, downgrade gives `from` back. */
function diff(from: SchemaModel, to: SchemaModel, options?: Parameters<typeof diffSchemas>[2]) {
  const result = diffSchemas(from, to, options);
  const upgraded = strictReplay(from, result.upgrade);
  expect(canonical(upgraded)).toEqual(canonical(to));
  expect(canonical(strictReplay(upgraded, result.downgrade))).toEqual(canonical(from));
  return result;
}

const users = table('users', [column('id', id, { nullable: false }), column('email', text())], pk(['id']));

describe('diffSchemas: tables and columns', () => {
  it('finds nothing between equal models', () => {
    expect(diffSchemas({ tables: [users], enums: [] }, { tables: [users], enums: [] })).toEqual({
      upgrade: [],
      downgrade: [],
      notes: [],
    });
  });

  it('creates a table with its indexes after it, and drops the indexes before the table', () => {
    const withIndex = {
      ...users,
      indexes: [
        { name: 'users_email_idx', table: { name: 'users' }, columns: [{ kind: 'column', name: 'email' } as const] },
      ],
    };
    const created = diff(emptySchema, { tables: [withIndex], enums: [] });
    expect(kinds(created.upgrade)).toEqual(['create_table', 'create_index']);
    expect(kinds(created.downgrade)).toEqual(['drop_index', 'drop_table']);
    const dropped = diff({ tables: [withIndex], enums: [] }, emptySchema);
    expect(kinds(dropped.upgrade)).toEqual(['drop_index', 'drop_table']);
  });

  it('adds, alters and drops columns, carrying what was there', () => {
    const to = table(
      'users',
      [
        column('id', id, { nullable: false }),
        column('email', varchar(20), { nullable: false, default: 'x' }),
        column('phone', text()),
      ],
      pk(['id']),
    );
    const from = { ...users, columns: [...users.columns, column('fax', text())] };
    const result = diff({ tables: [from], enums: [] }, { tables: [to], enums: [] });
    expect(kinds(result.upgrade)).toEqual(['add_column', 'alter_column', 'drop_column']);
    expect(result.upgrade[1]).toMatchObject({
      column: 'email',
      type: { to: { kind: 'varchar', length: 20 }, from: { kind: 'text' } },
      nullable: { to: false, from: true },
      default: { to: { kind: 'literal', value: 'x' }, from: null },
    });
    expect(result.upgrade[2]).toMatchObject({ column: 'fax', definition: { name: 'fax', type: { kind: 'text' } } });
    expect(result.notes.join('\n')).toMatch(/'fax' is dropped and 'phone' of the same type added.*renamedFrom/);
  });

  it('compares types and defaults through the normaliser, on both sides', () => {
    // A dialect that reads varchar back as text and 1/0 as true/false.
    const normalizer: Normalizer = {
      columnType: (type: ColumnType) => (type.kind === 'varchar' ? { kind: 'text' } : type),
      columnDefault: (value: ColumnDefault | undefined) =>
        value?.kind === 'literal' && value.value === 1 ? { kind: 'literal', value: true } : value,
    };
    const a = table('t', [column('a', varchar(5)), column('b', text(), { default: 1 })]);
    const b = table('t', [column('a', text()), column('b', text(), { default: true })]);
    expect(diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] }, { normalizer }).upgrade).toEqual([]);
    expect(diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] }).upgrade).toHaveLength(2);
  });

  it('notes what it does not compare: column order and triggers', () => {
    const a = table('t', [column('a', id), column('b', id)], { triggers: ['CREATE TRIGGER x …'] });
    const b = table('t', [column('b', id), column('a', id)]);
    const result = diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] });
    expect(result.upgrade).toEqual([]);
    expect(result.notes).toEqual([
      "'t': column order is not compared; the columns keep the order they have",
      "'t': triggers differ; triggers are not compared, change them with execute",
    ]);
  });

  it('changes comments only where the dialect keeps them', () => {
    const a = table('t', [column('a', id, { comment: 'old' })], { comment: 'x' });
    const b = table('t', [column('a', id)], { comment: 'y' });
    expect(kinds(diff({ tables: [a], enums: [] }, { tables: [b], enums: [] }).upgrade)).toEqual([
      'alter_column',
      'comment_table',
    ]);
    const sqlite = diffSchemas(
      { tables: [a], enums: [] },
      { tables: [b], enums: [] },
      { capabilities: { comments: false } },
    );
    expect(sqlite.upgrade).toEqual([]);
  });
});

describe('diffSchemas: keys, constraints and indexes', () => {
  it('re-makes a changed composite primary key, dropping it before and adding it after the columns', () => {
    const a = table('m', [column('a', id), column('b', id)], pk(['a', 'b']));
    const b = table('m', [column('a', id), column('c', id)], pk(['a', 'c']));
    const result = diff({ tables: [a], enums: [] }, { tables: [b], enums: [] });
    expect(kinds(result.upgrade)).toEqual(['drop_primary_key', 'add_column', 'drop_column', 'add_primary_key']);
    expect(result.upgrade[3]).toMatchObject({ columns: ['a', 'c'] });
  });

  it('ignores primary-key names where the dialect has none', () => {
    const a = table('m', [column('a', id)], { primaryKey: { name: 'm_pkey', columns: ['a'] } });
    const b = table('m', [column('a', id)], { primaryKey: { name: 'PRIMARY', columns: ['a'] } });
    expect(diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] }).upgrade).toHaveLength(2);
    const mysql = diffSchemas(
      { tables: [a], enums: [] },
      { tables: [b], enums: [] },
      { capabilities: { namedPrimaryKeys: false } },
    );
    expect(mysql.upgrade).toEqual([]);
  });

  it('drops uniques, checks and indexes on a column before dropping it', () => {
    const a = table('t', [column('a', id), column('b', id)], {
      uniques: [{ name: 't_b_key', columns: ['b'] }],
      checks: [{ name: 't_b_check', expression: 'b > 0' }],
      indexes: [{ name: 't_b_idx', table: { name: 't' }, columns: [{ kind: 'column', name: 'b', order: 'desc' }] }],
    });
    const b = table('t', [column('a', id)]);
    const result = diff({ tables: [a], enums: [] }, { tables: [b], enums: [] });
    expect(kinds(result.upgrade)).toEqual(['drop_check', 'drop_index', 'drop_unique', 'drop_column']);
    expect(kinds(result.downgrade)).toEqual(['add_column', 'add_unique', 'create_index', 'add_check']);
  });

  it('compares check and index expressions by tokens, and a changed check under its name is re-made', () => {
    expect(sameSql('(qty  >= 1) AND X IS NULL', 'qty>=1 and x is null')).toBe(false);
    expect(sameSql('((qty >= 1 AND x IS NULL))', 'qty>=1 and x is null')).toBe(true);
    expect(sameSql("s = 'A'", "s = 'a'")).toBe(false);
    const a = table('t', [column('q', id)], { checks: [{ name: 'ck', expression: 'Q >= 1' }] });
    const b = table('t', [column('q', id)], { checks: [{ name: 'ck', expression: '(q >= 1)' }] });
    expect(diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] }).upgrade).toEqual([]);
    const c = table('t', [column('q', id)], { checks: [{ name: 'ck', expression: 'q >= 2' }] });
    expect(kinds(diff({ tables: [a], enums: [] }, { tables: [c], enums: [] }).upgrade)).toEqual([
      'drop_check',
      'add_check',
    ]);
  });

  it('treats an absent referential action as no_action', () => {
    const parent = table('p', [column('id', id)], pk(['id']));
    const fk = { name: 'c_p_fkey', columns: ['p'], references: { table: { name: 'p' }, columns: ['id'] } };
    const a = table('c', [column('p', id)], { foreignKeys: [fk] });
    const b = table('c', [column('p', id)], { foreignKeys: [{ ...fk, onDelete: 'no_action' as const }] });
    expect(diffSchemas({ tables: [a, parent], enums: [] }, { tables: [b, parent], enums: [] }).upgrade).toEqual([]);
    const cascade = table('c', [column('p', id)], { foreignKeys: [{ ...fk, onDelete: 'cascade' as const }] });
    expect(kinds(diff({ tables: [a, parent], enums: [] }, { tables: [cascade, parent], enums: [] }).upgrade)).toEqual([
      'drop_foreign_key',
      'add_foreign_key',
    ]);
  });

  it('re-makes a foreign key whose referenced key changes, around the change', () => {
    const fk = { name: 'c_p_fkey', columns: ['p'], references: { table: { name: 'p' }, columns: ['id'] } };
    const child = table('c', [column('p', id)], { foreignKeys: [fk] });
    const a = table('p', [column('id', id)], pk(['id']));
    const b = table('p', [column('id', integer({ identity: 'by_default' }))], pk(['id']));
    expect(kinds(diff({ tables: [a, child], enums: [] }, { tables: [b, child], enums: [] }).upgrade)).toEqual([
      'drop_foreign_key',
      'alter_column',
      'add_foreign_key',
    ]);
  });

  it('leaves unnamed constraints it would have to drop or add to a note', () => {
    const a = table('t', [column('a', id)], { uniques: [{ columns: ['a'] }] });
    const b = table('t', [column('a', id)]);
    const result = diffSchemas({ tables: [a], enums: [] }, { tables: [b], enums: [] });
    expect(result.upgrade).toEqual([]);
    expect(result.notes[0]).toMatch(/unnamed unique constraint would be dropped/);
  });
});

describe('diffSchemas: foreign-key order', () => {
  const ref = (name: string, cols: string[], target: string) => ({
    name,
    columns: cols,
    references: { table: { name: target }, columns: ['id'] },
  });

  it('creates referenced tables first and drops them last', () => {
    const post = table('post', [column('id', id), column('author', id)], {
      ...pk(['id']),
      foreignKeys: [ref('post_author_fkey', ['author'], 'author')],
    });
    const author = table('author', [column('id', id)], pk(['id']));
    const comment = table('a_comment', [column('id', id), column('post', id)], {
      ...pk(['id']),
      foreignKeys: [ref('c_post_fkey', ['post'], 'post')],
    });
    const model = { tables: [comment, author, post], enums: [] };
    const created = diff(emptySchema, model);
    expect(created.upgrade.map((op) => (op.kind === 'create_table' ? op.name.name : op.kind))).toEqual([
      'author',
      'post',
      'a_comment',
    ]);
    expect(diff(model, emptySchema).upgrade.map((op) => (op.kind === 'drop_table' ? op.name.name : op.kind))).toEqual([
      'a_comment',
      'post',
      'author',
    ]);
  });

  it('adds the foreign keys of a cycle after the tables, and drops them before; self-references stay inline', () => {
    const a = table('a', [column('id', id), column('b', id), column('parent', id)], {
      ...pk(['id']),
      foreignKeys: [ref('a_b_fkey', ['b'], 'b'), ref('a_parent_fkey', ['parent'], 'a')],
    });
    const b = table('b', [column('id', id), column('a', id)], {
      ...pk(['id']),
      foreignKeys: [ref('b_a_fkey', ['a'], 'a')],
    });
    const model = { tables: [a, b], enums: [] };
    const created = diff(emptySchema, model);
    expect(kinds(created.upgrade)).toEqual(['create_table', 'create_table', 'add_foreign_key', 'add_foreign_key']);
    expect(created.upgrade[0]).toMatchObject({ name: { name: 'a' }, foreignKeys: [{ name: 'a_parent_fkey' }] });
    const dropped = diff(model, emptySchema);
    expect(kinds(dropped.upgrade)).toEqual(['drop_foreign_key', 'drop_foreign_key', 'drop_table', 'drop_table']);
  });

  it('adds a new table’s foreign key after the key it references is added to an existing table', () => {
    const before = table('p', [column('id', id)]);
    const after = table('p', [column('id', id), column('code', id)], {
      uniques: [{ name: 'p_code_key', columns: ['code'] }],
    });
    const child = table('c', [column('p', id)], {
      foreignKeys: [{ name: 'c_p_fkey', columns: ['p'], references: { table: { name: 'p' }, columns: ['code'] } }],
    });
    const result = diff({ tables: [before], enums: [] }, { tables: [after, child], enums: [] });
    expect(kinds(result.upgrade)).toEqual(['create_table', 'add_column', 'add_unique', 'add_foreign_key']);
  });
});

describe('diffSchemas: enums', () => {
  const mood = (values: string[]) => ({ name: { name: 'mood' }, values });
  const person = (values: string[]) => table('person', [column('m', enumType('mood', values))]);

  it('creates an enum before the table using it and drops it after', () => {
    const model = { tables: [person(['a'])], enums: [mood(['a'])] };
    expect(kinds(diff(emptySchema, model).upgrade)).toEqual(['create_enum', 'create_table']);
    expect(kinds(diff(model, emptySchema).upgrade)).toEqual(['drop_table', 'drop_enum']);
  });

  it('adds values at their place, removes values last, and re-adds them in the downgrade', () => {
    const from = { tables: [person(['a', 'x', 'b'])], enums: [mood(['a', 'x', 'b'])] };
    const to = { tables: [person(['n', 'a', 'b', 'z'])], enums: [mood(['n', 'a', 'b', 'z'])] };
    const result = diff(from, to);
    expect(result.upgrade).toEqual([
      { kind: 'add_enum_value', name: { name: 'mood' }, value: 'n', before: 'a' },
      { kind: 'add_enum_value', name: { name: 'mood' }, value: 'z', after: 'b' },
      { kind: 'drop_enum_value', name: { name: 'mood' }, value: 'x' },
    ]);
    expect(result.downgrade[0]).toEqual({ kind: 'add_enum_value', name: { name: 'mood' }, value: 'x', after: 'a' });
    expect(result.notes.join('\n')).toMatch(
      /'x' removed and 'n', 'z' added; if a value was renamed, give it renamedFrom/,
    );
  });

  it('renames a value only from a hint', () => {
    const from = { tables: [person(['a', 'b'])], enums: [mood(['a', 'b'])] };
    const to = { tables: [person(['a', 'c'])], enums: [mood(['a', 'c'])] };
    const renames = { enumValues: new Map([['mood', new Map([['c', 'b']])]]) };
    expect(diff(from, to, { renames }).upgrade).toEqual([
      { kind: 'rename_enum_value', name: { name: 'mood' }, from: 'b', to: 'c' },
    ]);
    expect(kinds(diff(from, to).upgrade)).toEqual(['add_enum_value', 'drop_enum_value']);
  });

  it('moves a reordered value by removing and adding it', () => {
    const from = { tables: [], enums: [mood(['a', 'b', 'c'])] };
    const to = { tables: [], enums: [mood(['c', 'a', 'b'])] };
    expect(diff(from, to).upgrade).toEqual([
      { kind: 'drop_enum_value', name: { name: 'mood' }, value: 'c' },
      { kind: 'add_enum_value', name: { name: 'mood' }, value: 'c', before: 'a' },
    ]);
  });

  it('without enum types, changes the columns and re-declares the enum', () => {
    const from = { tables: [person(['a'])], enums: [mood(['a'])] };
    const to = { tables: [person(['a', 'b'])], enums: [mood(['a', 'b'])] };
    // The strict replayer is PostgreSQL-minded (no enum dropped while used): replay plainly.
    const result = diffSchemas(from, to, { capabilities: { enumTypes: false } });
    expect(canonical(apply(from, result.upgrade))).toEqual(canonical(to));
    expect(canonical(apply(to, result.downgrade))).toEqual(canonical(from));
    expect(kinds(result.upgrade)).toEqual(['drop_enum', 'create_enum', 'alter_column']);
  });
});

describe('diffSchemas: renames from hints', () => {
  const a = table('user', [column('id', id), column('mail', text())], {
    ...pk(['id']),
    indexes: [{ name: 'user_mail_idx', table: { name: 'user' }, columns: [{ kind: 'column', name: 'mail' }] }],
  });
  const b = table('account', [column('id', id), column('email', text())], {
    ...pk(['id']),
    indexes: [{ name: 'user_mail_idx', table: { name: 'account' }, columns: [{ kind: 'column', name: 'email' }] }],
  });
  const from = { tables: [a], enums: [] };
  const to = { tables: [b], enums: [] };
  const renames = {
    tables: new Map([['account', 'user']]),
    columns: new Map([['account', new Map([['email', 'mail']])]]),
  };

  it('renames the table, then its column', () => {
    const result = diff(from, to, { renames });
    expect(result.upgrade).toEqual([
      { kind: 'rename_table', name: { name: 'user' }, newName: 'account' },
      { kind: 'rename_column', table: { name: 'account' }, column: 'mail', newName: 'email' },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('never guesses: without hints, a drop and a create with a note', () => {
    const result = diff(from, to);
    expect(kinds(result.upgrade)).toEqual(['drop_index', 'drop_table', 'create_table', 'create_index']);
    expect(result.notes).toEqual([]);
    const same = table('account', a.columns, pk(['id']));
    expect(
      diffSchemas({ tables: [table('user', a.columns, pk(['id']))], enums: [] }, { tables: [same], enums: [] })
        .notes[0],
    ).toMatch(
      /table 'user' is dropped and 'account' with the same columns created; if it was renamed, give the new table renamedFrom: 'user'/,
    );
  });

  it('ignores a hint whose rename already ran, and refuses one that fits neither side', () => {
    expect(diffSchemas(to, to, { renames }).upgrade).toEqual([]);
    const refuse = (hints: Parameters<typeof diffSchemas>[2]) => {
      try {
        diffSchemas(from, to, hints);
      } catch (error) {
        return isCairnError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return 'no error';
    };
    expect(refuse({ renames: { tables: new Map([['account', 'nobody']]) } })).toBe(
      "USAGE: rename hint 'nobody' → 'account': the database has neither 'nobody' nor 'account'",
    );
    expect(refuse({ renames: { tables: new Map([['missing', 'user']]) } })).toBe(
      "USAGE: rename hint 'user' → 'missing': the schema has no table 'missing'",
    );
    expect(refuse({ renames: { columns: new Map([['user', new Map([['x', 'mail']])]]) } })).toBe(
      "USAGE: rename hint 'user.mail' → 'user.x': the schema has no table 'user'",
    );
  });
});

describe('diffSchemas: include, exclude and cairn’s own tables', () => {
  const model = {
    tables: [
      table('app_user', [column('id', id)]),
      table('app_tmp', [column('id', id)]),
      table('spatial_ref_sys', [column('id', id)]),
      table('cairn_version', [column('version_num', text())]),
    ],
    enums: [],
  };
  const created = (options: Parameters<typeof diffSchemas>[2]) =>
    diffSchemas(emptySchema, model, options).upgrade.map((op) => (op.kind === 'create_table' ? op.name.name : op.kind));

  it('never diffs cairn’s own tables', () => {
    expect(created({})).toEqual(['app_tmp', 'app_user', 'spatial_ref_sys']);
  });

  it('keeps what include matches, minus what exclude matches (names or globs)', () => {
    expect(created({ include: ['app_*'] })).toEqual(['app_tmp', 'app_user']);
    expect(created({ include: ['app_*'], exclude: ['app_t?p'] })).toEqual(['app_user']);
    expect(created({ exclude: ['spatial_ref_sys'] })).toEqual(['app_tmp', 'app_user']);
    // An excluded table in the database is not dropped either.
    expect(diffSchemas(model, emptySchema, { exclude: ['*'] }).upgrade).toEqual([]);
  });
});

describe('diffSchemas: output', () => {
  it('is frozen plain data, and deterministic', () => {
    const model = { tables: [table('b', [column('id', id)]), table('a', [column('id', id)])], enums: [] };
    const one = diffSchemas(emptySchema, model);
    expect(Object.isFrozen(one.upgrade[0])).toBe(true);
    expect(JSON.stringify(diffSchemas(emptySchema, model))).toBe(JSON.stringify(one));
    expect(apply(emptySchema, one.upgrade).tables.map((t) => t.name.name)).toEqual(['a', 'b']);
  });
});
