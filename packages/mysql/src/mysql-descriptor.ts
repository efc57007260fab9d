import { type DialectDescriptor, unqualifiedStateTables } from '@cairn/core';

/**
 * How a project names MySQL or MariaDB (`dialect: 'mysql'`): URLs
 * `mysql://user:password@host:3306/database`; cairn works in the URL's database; no options of
 * its own. The dialect and mysql2 are loaded only when asked for.
 */
export const mysqlDescriptor: DialectDescriptor = Object.freeze({
  kind: 'cairn-dialect',
  name: 'mysql',
  title: 'MySQL/MariaDB',
  driver: Object.freeze({ name: 'mysql2', version: '^3.24.6' }),
  exampleUrl: 'mysql://root@127.0.0.1:3306/app',
  stateTables: unqualifiedStateTables,
  async create() {
    return (await import('./mysql-dialect.js')).mysqlDialect();
  },
  async open(url: string) {
    const { openMysql } = await import('./open-mysql.js');
    return openMysql(url);
  },
});
