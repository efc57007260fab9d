import {
  addCheck,
  addColumn,
  addEnumValue,
  addForeignKey,
  addPrimaryKey,
  addUnique,
  alterColumn,
  bigint,
  binary,
  boolean,
  bulkDelete,
  bulkInsert,
  char,
  column,
  commentTable,
  createEnum,
  createIndex,
  createTable,
  currentTimestampDefault,
  date,
  double,
  dropCheck,
  dropColumn,
  dropEnum,
  dropEnumValue,
  dropForeignKey,
  dropIndex,
  dropPrimaryKey,
  dropTable,
  dropUnique,
  enumType,
  execute,
  expressionDefault,
  integer,
  isCairnError,
  json,
  numeric,
  OPERATION_KINDS,
  type Operation,
  rawType,
  real,
  renameColumn,
  renameEnumValue,
  renameTable,
  type Statement,
  serial,
  smallint,
  type TableModel,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { mysqlCompiler, mysqlRules, mysqlType } from '../src/index.js';
import { ruleContext } from './rule-context.js';

const account: TableModel = {
  name: { name: 'account' },
  columns: [
    column('id', serial(), { nullable: false }),
    column('email', varchar(255), { nullable: false, comment: "user's login" }),
    column('age', text(), { default: "it's" }),
    column('mood', enumType('mood', ['happy', 'sad']), { default: 'happy' }),
    column('visits', integer(), { nullable: false, default: 0 }),
    column('seen_at', timestamp(), { default: currentTimestampDefault() }),
    column('code', integer()),
  ],
  primaryKey: { columns: ['id'] },
  uniques: [{ name: 'account_email_key', columns: ['email'] }],
  checks: [],
  foreignKeys: [],
  indexes: [{ name: 'account_code_idx', table: { name: 'account' }, columns: [{ kind: 'column', name: 'code' }] }],
};

const ctx = ruleContext([account]);
const offline = ruleContext();
const compile = (op: Operation, context = ctx): readonly Statement[] => mysqlCompiler.compile(op, context);
const sql = (op: Operation, context = ctx): string[] => compile(op, context).map((s) => s.sql);
const refusal = (op: Operation, context = ctx) => {
  try {
    compile(op, context);
  } catch (error) {
    return error;
  }
  return expect.fail(`${op.kind} compiled`);
};

describe('mysqlType', () => {
  it('maps every portable type', () => {
    const cases: [Parameters<typeof mysqlType>[0], string][] = [
      [smallint(), 'smallint'],
      [integer(), 'int'],
      [bigint(), 'bigint'],
      [serial(), 'int'],
      [boolean(), 'tinyint(1)'],
      [text(), 'longtext'],
      [varchar(20), 'varchar(20)'],
      [char(3), 'char(3)'],
      [numeric(), 'decimal(65,30)'],
      [numeric(10), 'decimal(10,0)'],
      [numeric(10, 2), 'decimal(10,2)'],
      [real(), 'float'],
      [double(), 'double'],
      [date(), 'date'],
      [time(), 'time(6)'],
      [timestamp(), 'datetime(6)'],
      [timestamp({ withTimeZone: true }), 'datetime(6)'],
      [json(), 'json'],
      [uuid(), 'char(36)'],
      [binary(), 'longblob'],
      [enumType('mood', ['happy', "it's", 'a\\b']), "enum('happy','it''s','a\\\\b')"],
      [rawType('geometry'), 'geometry'],
      [rawType('text', { mysql: 'mediumtext', postgres: 'citext' }), 'mediumtext'],
    ];
    for (const [type, expected] of cases) expect(mysqlType(type, ctx)).toBe(expected);
  });

  it('refuses decimals wider than MySQL allows, and enum members MySQL would change', () => {
    expect(
      isCairnError(
        refusalOf(() => mysqlType(numeric(66), ctx)),
        'USAGE',
      ),
    ).toBe(true);
    expect(
      isCairnError(
        refusalOf(() => mysqlType(numeric(40, 31), ctx)),
        'USAGE',
      ),
    ).toBe(true);
    const trailing = refusalOf(() => mysqlType(enumType('mood', ['ok ']), ctx));
    expect((trailing as Error).message).toMatch(/ends with spaces.*silently removes/);
    expect(
      isCairnError(
        refusalOf(() => mysqlType(enumType('mood', ['x'.repeat(256)]), ctx)),
        'USAGE',
      ),
    ).toBe(true);
  });
});

function refusalOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('did not throw');
}

describe('mysqlCompiler: golden SQL per operation kind', () => {
  it('has a rule for every kind', () => {
    expect(Object.keys(mysqlRules).sort()).toEqual([...OPERATION_KINDS].sort());
  });

  it('create_table with identity, defaults, constraints, comments and table options', () => {
    const op = createTable({
      name: 'account',
      columns: [
        column('id', serial(), { nullable: false }),
        column('email', varchar(255), { nullable: false, comment: "user's login" }),
        column('note', text(), { default: "it's" }),
        column('doc', json(), { default: expressionDefault("JSON_OBJECT('a', 1)") }),
        column('active', boolean(), { nullable: false, default: true }),
        column('ratio', double(), { default: 1.5 }),
        column('created_at', timestamp({ withTimeZone: true }), { default: currentTimestampDefault() }),
        column('token', uuid(), { default: expressionDefault('uuid()') }),
        column('plan_id', integer()),
      ],
      primaryKey: { name: 'account_pkey', columns: ['id'] },
      uniques: [{ name: 'account_email_key', columns: ['email'] }, ['plan_id', 'email']],
      checks: [{ name: 'account_ratio_check', expression: 'ratio >= 0' }],
      foreignKeys: [
        {
          name: 'account_plan_fk',
          columns: ['plan_id'],
          references: { table: 'plan', columns: ['id'] },
          onDelete: 'set_null',
          onUpdate: 'cascade',
        },
      ],
      comment: "the app's users",
    });
    expect(sql(op)).toEqual([
      'CREATE TABLE `account` (' +
        '`id` int AUTO_INCREMENT NOT NULL, ' +
        "`email` varchar(255) NOT NULL COMMENT 'user''s login', " +
        "`note` longtext DEFAULT ('it''s'), " +
        "`doc` json DEFAULT (JSON_OBJECT('a', 1)), " +
        '`active` tinyint(1) NOT NULL DEFAULT TRUE, ' +
        '`ratio` double DEFAULT 1.5, ' +
        '`created_at` datetime(6) DEFAULT CURRENT_TIMESTAMP(6), ' +
        '`token` char(36) DEFAULT (uuid()), ' +
        '`plan_id` int, ' +
        'PRIMARY KEY (`id`), ' +
        'CONSTRAINT `account_email_key` UNIQUE (`email`), ' +
        'UNIQUE (`plan_id`, `email`), ' +
        'CONSTRAINT `account_ratio_check` CHECK (ratio >= 0), ' +
        'CONSTRAINT `account_plan_fk` FOREIGN KEY (`plan_id`) REFERENCES `plan` (`id`) ON DELETE SET NULL ON UPDATE CASCADE' +
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='the app''s users'",
    ]);
    expect(compile(op)[0]!.params).toEqual([]);
  });

  it('create_table in another database, and CURRENT_TIMESTAMP on a raw datetime', () => {
    expect(
      sql(
        createTable({
          name: { schema: 'app', name: 't' },
          columns: [column('at', rawType('datetime(3)'), { default: currentTimestampDefault() })],
        }),
      ),
    ).toEqual([
      'CREATE TABLE `app`.`t` (`at` datetime(3) DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    ]);
  });

  it('create_table refuses an identity that leads no key, two identities, and identity with a default', () => {
    const noKey = refusal(createTable({ name: 't', columns: [column('id', serial())] }));
    expect(isCairnError(noKey, 'USAGE')).toBe(true);
    expect((noKey as Error).message).toMatch(/'id' of table 't'.*first column of\) the primary key/);
    const viaUnique = createTable({ name: 't', columns: [column('id', serial())], uniques: [['id']] });
    expect(sql(viaUnique)[0]).toContain('`id` int AUTO_INCREMENT, UNIQUE (`id`)');
    const two = refusal(
      createTable({ name: 't', columns: [column('a', serial()), column('b', serial())], primaryKey: ['a', 'b'] }),
    );
    expect((two as Error).message).toMatch(/'a' and 'b'.*one AUTO_INCREMENT column/);
    const withDefault = refusal(
      createTable({ name: 't', columns: [column('id', serial(), { default: 1 })], primaryKey: ['id'] }),
    );
    expect((withDefault as Error).message).toMatch(/only one of the two/);
  });

  it('refuses ON DELETE SET DEFAULT, which InnoDB rejects', () => {
    const error = refusal(
      addForeignKey('fk', 'account', ['code'], { table: 'plan', columns: ['id'] }, { onDelete: 'set_default' }),
    );
    expect((error as Error).message).toMatch(/onDelete: 'set_default'.*InnoDB/);
  });

  it('drop_table, rename_table, comment_table', () => {
    expect(sql(dropTable('account'))).toEqual(['DROP TABLE `account`']);
    expect(sql(renameTable({ schema: 'app', name: 'account' }, 'member'))).toEqual([
      'RENAME TABLE `app`.`account` TO `app`.`member`',
    ]);
    expect(sql(commentTable('account', "it's"))).toEqual(["ALTER TABLE `account` COMMENT = 'it''s'"]);
    expect(sql(commentTable('account', null))).toEqual(["ALTER TABLE `account` COMMENT = ''"]);
  });

  it('add_column, drop_column, rename_column', () => {
    expect(
      sql(addColumn('account', column('nick', varchar(40), { nullable: false, default: '', comment: 'shown' }))),
    ).toEqual(["ALTER TABLE `account` ADD COLUMN `nick` varchar(40) NOT NULL DEFAULT '' COMMENT 'shown'"]);
    expect(sql(dropColumn('account', 'nick'))).toEqual(['ALTER TABLE `account` DROP COLUMN `nick`']);
    expect(sql(renameColumn('account', 'nick', 'nickname'))).toEqual([
      'ALTER TABLE `account` RENAME COLUMN `nick` TO `nickname`',
    ]);
    const identity = refusal(addColumn('account', column('seq', serial(), { nullable: false })));
    expect((identity as Error).message).toMatch(/AUTO_INCREMENT only together with the key.*op\.execute/);
  });

  describe('alter_column restates the whole column with MODIFY COLUMN', () => {
    it('keeps type, nullability, default and comment that the operation does not change', () => {
      expect(sql(alterColumn('account', 'email', { nullable: { to: true, from: false } }))).toEqual([
        "ALTER TABLE `account` MODIFY COLUMN `email` varchar(255) COMMENT 'user''s login'",
      ]);
      expect(sql(alterColumn('account', 'email', { type: { to: varchar(320) } }))).toEqual([
        "ALTER TABLE `account` MODIFY COLUMN `email` varchar(320) NOT NULL COMMENT 'user''s login'",
      ]);
      expect(sql(alterColumn('account', 'visits', { comment: { to: 'times seen' } }))).toEqual([
        "ALTER TABLE `account` MODIFY COLUMN `visits` int NOT NULL DEFAULT 0 COMMENT 'times seen'",
      ]);
      expect(sql(alterColumn('account', 'seen_at', { nullable: { to: false } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `seen_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)',
      ]);
    });

    it('drops a default or a comment with to: null, and sets a new default', () => {
      expect(sql(alterColumn('account', 'visits', { default: { to: null } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `visits` int NOT NULL',
      ]);
      expect(sql(alterColumn('account', 'email', { comment: { to: null } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `email` varchar(255) NOT NULL',
      ]);
      expect(sql(alterColumn('account', 'age', { default: { to: 'n/a' } }))).toEqual([
        "ALTER TABLE `account` MODIFY COLUMN `age` longtext DEFAULT ('n/a')",
      ]);
    });

    it('rewrites an enum list and changes identity', () => {
      expect(sql(alterColumn('account', 'mood', { type: { to: enumType('mood', ['happy', 'sad', 'ok']) } }))).toEqual([
        "ALTER TABLE `account` MODIFY COLUMN `mood` enum('happy','sad','ok') DEFAULT 'happy'",
      ]);
      expect(sql(alterColumn('account', 'id', { type: { to: integer(), from: serial() } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `id` int NOT NULL',
      ]);
      expect(sql(alterColumn('account', 'code', { type: { to: bigint({ identity: 'by_default' }) } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `code` bigint AUTO_INCREMENT',
      ]);
      const noKey = refusal(alterColumn('account', 'visits', { type: { to: serial() }, default: { to: null } }));
      expect((noKey as Error).message).toMatch(/column 'visits' of table 'account' is auto-numbered/);
    });

    it('finds the column whatever its case, and accepts a USING that is only a cast of the column', () => {
      expect(sql(alterColumn('account', 'VISITS', { nullable: { to: true } }))).toEqual([
        'ALTER TABLE `account` MODIFY COLUMN `visits` int DEFAULT 0',
      ]);
      for (const using of ['CAST(age AS integer)', 'age::integer', '`age`', ' cast("age" as signed) '])
        expect(sql(alterColumn('account', 'age', { type: { to: integer(), using }, default: { to: null } }))).toEqual([
          'ALTER TABLE `account` MODIFY COLUMN `age` int',
        ]);
      const custom = refusal(
        alterColumn('account', 'age', { type: { to: integer(), using: "CASE WHEN age = '' THEN 0 END" } }),
      );
      expect(isCairnError(custom, 'USAGE')).toBe(true);
      expect((custom as Error).message).toMatch(/no USING clause/);
    });

    it('refuses to MODIFY a column that has a CHECK named like it (a MariaDB column-level CHECK MODIFY would drop)', () => {
      const checked = { ...account, checks: [{ name: 'visits', expression: 'visits >= 0' }] };
      const error = refusal(alterColumn('account', 'visits', { nullable: { to: true } }), ruleContext([checked]));
      expect(isCairnError(error, 'USAGE')).toBe(true);
      expect((error as Error).message).toMatch(/CHECK named like the column \('visits': visits >= 0\).*silently drop/);
      expect(sql(alterColumn('account', 'email', { nullable: { to: true } }), ruleContext([checked]))).toHaveLength(1);
    });

    it('needs the model: NEEDS_MODEL naming the table and column, or USAGE for an unknown column', () => {
      const error = refusal(alterColumn('account', 'email', { nullable: { to: true } }), offline);
      expect(isCairnError(error, 'NEEDS_MODEL')).toBe(true);
      expect((error as Error).message).toMatch(/alter_column 'email' of table 'account'.*MODIFY COLUMN/);
      expect((error as { details: Record<string, unknown> }).details).toMatchObject({
        table: 'account',
        column: 'email',
      });
      const unknown = refusal(alterColumn('account', 'nope', { nullable: { to: true } }));
      expect(isCairnError(unknown, 'USAGE')).toBe(true);
      expect((unknown as Error).message).toMatch(/no column 'nope' \(its columns: id, email/);
    });

    it('lets a tableBefore request escape untouched (the runner fetches the table through it)', () => {
      const marker = { fetch: 'account' };
      const asking = {
        ...ctx,
        tableBefore: () => {
          throw marker;
        },
      };
      expect(
        refusalOf(() => mysqlCompiler.compile(alterColumn('account', 'email', { nullable: { to: true } }), asking)),
      ).toBe(marker);
    });
  });

  it('create_index: unique, descending, expression keys, IF NOT EXISTS and LOCK=NONE; refuses partial indexes', () => {
    expect(
      sql(
        createIndex('account_email_idx', 'account', ['email', { kind: 'column', name: 'code', order: 'desc' }], {
          unique: true,
        }),
      ),
    ).toEqual(['CREATE UNIQUE INDEX `account_email_idx` ON `account` (`email`, `code` DESC)']);
    expect(
      sql(
        createIndex(
          'account_lower_idx',
          { schema: 'app', name: 'account' },
          [{ kind: 'expression', sql: 'lower(email)' }],
          {
            ifNotExists: true,
            concurrently: true,
          },
        ),
      ),
    ).toEqual(['CREATE INDEX IF NOT EXISTS `account_lower_idx` ON `app`.`account` ((lower(email))) LOCK=NONE']);
    const partial = refusal(createIndex('i', 'account', ['code'], { where: 'code IS NOT NULL' }));
    expect(isCairnError(partial, 'USAGE')).toBe(true);
    expect((partial as Error).message).toMatch(/no partial indexes \(WHERE code IS NOT NULL\)/);
  });

  it('drop_index names its table', () => {
    expect(sql(dropIndex('account_code_idx', 'account'))).toEqual(['DROP INDEX `account_code_idx` ON `account`']);
    expect(sql(dropIndex('i', { schema: 'app', name: 'account' }, { ifExists: true }))).toEqual([
      'DROP INDEX IF EXISTS `i` ON `app`.`account`',
    ]);
  });

  it('primary keys carry no name; dropping the key an AUTO_INCREMENT column needs is refused', () => {
    expect(sql(addPrimaryKey('account', ['id', 'email'], { name: 'account_pkey' }))).toEqual([
      'ALTER TABLE `account` ADD PRIMARY KEY (`id`, `email`)',
    ]);
    const error = refusal(dropPrimaryKey('account'));
    expect((error as Error).message).toMatch(/auto-numbered column 'id' needs the key/);
    const plain = {
      ...account,
      columns: account.columns.map((c) => (c.name === 'id' ? { ...c, type: integer() } : c)),
    };
    expect(sql(dropPrimaryKey('account'), ruleContext([plain]))).toEqual(['ALTER TABLE `account` DROP PRIMARY KEY']);
    expect(sql(dropPrimaryKey('account'), offline)).toEqual(['ALTER TABLE `account` DROP PRIMARY KEY']);
    const alsoUnique = { ...account, uniques: [{ name: 'account_id_key', columns: ['id'] }] };
    expect(sql(dropPrimaryKey('account'), ruleContext([alsoUnique]))).toEqual([
      'ALTER TABLE `account` DROP PRIMARY KEY',
    ]);
  });

  it('uniques, foreign keys and checks', () => {
    expect(sql(addUnique('account_code_key', 'account', ['code']))).toEqual([
      'ALTER TABLE `account` ADD CONSTRAINT `account_code_key` UNIQUE (`code`)',
    ]);
    expect(sql(dropUnique('account_code_key', 'account'))).toEqual([
      'ALTER TABLE `account` DROP INDEX `account_code_key`',
    ]);
    expect(
      sql(
        addForeignKey(
          'account_plan_fk',
          'account',
          ['code'],
          { table: { schema: 'billing', name: 'plan' }, columns: ['id'] },
          {
            onDelete: 'cascade',
            onUpdate: 'restrict',
          },
        ),
      ),
    ).toEqual([
      'ALTER TABLE `account` ADD CONSTRAINT `account_plan_fk` FOREIGN KEY (`code`) REFERENCES `billing`.`plan` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT',
    ]);
    expect(sql(dropForeignKey('account_plan_fk', 'account'))).toEqual([
      'ALTER TABLE `account` DROP FOREIGN KEY `account_plan_fk`',
    ]);
    expect(sql(addCheck('account_visits_check', 'account', 'visits >= 0'))).toEqual([
      'ALTER TABLE `account` ADD CONSTRAINT `account_visits_check` CHECK (visits >= 0)',
    ]);
    expect(sql(dropCheck('account_visits_check', 'account'))).toEqual([
      'ALTER TABLE `account` DROP CONSTRAINT `account_visits_check`',
    ]);
  });

  it('enums: create and drop compile to nothing; value changes are refused with the alterColumn route', () => {
    expect(compile(createEnum('mood', ['happy']))).toEqual([]);
    expect(compile(dropEnum('mood'))).toEqual([]);
    for (const op of [
      addEnumValue('mood', 'ok'),
      renameEnumValue('mood', 'sad', 'blue'),
      dropEnumValue('mood', 'sad'),
    ]) {
      const error = refusal(op);
      expect(isCairnError(error, 'USAGE')).toBe(true);
      expect((error as Error).message).toContain(
        'op.alterColumn(table, column, { type: { to: enumType("mood", [the full new list of values]) } })',
      );
    }
  });

  it('execute, bulk_insert and bulk_delete bind ? parameters', () => {
    expect(compile(execute('UPDATE account SET code = ? WHERE id = ?', [1, 2]))).toEqual([
      { sql: 'UPDATE account SET code = ? WHERE id = ?', params: [1, 2] },
    ]);
    expect(
      compile(
        bulkInsert('plan', [
          { id: 1, name: 'free' },
          { id: 2, name: null },
          { id: 3, price: 9.5 },
        ]),
      ),
    ).toEqual([
      { sql: 'INSERT INTO `plan` (`id`, `name`) VALUES (?, ?), (?, ?)', params: [1, 'free', 2, null] },
      { sql: 'INSERT INTO `plan` (`id`, `price`) VALUES (?, ?)', params: [3, 9.5] },
    ]);
    expect(
      compile(
        bulkDelete(
          'plan',
          ['id', 'name'],
          [
            { id: 1, name: null },
            { id: 2, name: 'pro' },
          ],
        ),
      ),
    ).toEqual([
      { sql: 'DELETE FROM `plan` WHERE `id` = ? AND `name` IS NULL', params: [1] },
      { sql: 'DELETE FROM `plan` WHERE `id` = ? AND `name` = ?', params: [2, 'pro'] },
    ]);
  });

  it('splits a bulk insert at 65535 parameters', () => {
    const row = Object.fromEntries(Array.from({ length: 100 }, (_, k) => [`c${k}`, k]));
    const statements = compile(
      bulkInsert(
        'wide',
        Array.from({ length: 1000 }, () => row),
      ),
    );
    // 655 rows of 100 columns fit in 65,535 placeholders; the rest go to a second statement.
    expect(statements.map((s) => s.params.length)).toEqual([65_500, 34_500]);
  });
});
