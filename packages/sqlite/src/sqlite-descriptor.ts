import { type DialectDescriptor, type DialectSettings, unqualifiedStateTables } from '@cairn/core';

/**
 * How a project names SQLite (`dialect: 'sqlite'`, the default): URLs `sqlite:./app.db`,
 * `sqlite::memory:` or a plain path, relative to the configuration file's directory; no options
 * of its own. The dialect and better-sqlite3 are loaded only when asked for.
 */
export const sqliteDescriptor: DialectDescriptor = Object.freeze({
  kind: 'cairn-dialect',
  name: 'sqlite',
  title: 'SQLite',
  driver: Object.freeze({ name: 'better-sqlite3', version: '^12.11.1' }),
  exampleUrl: 'sqlite:./cairn.db',
  stateTables: unqualifiedStateTables,
  async create() {
    return (await import('./sqlite-dialect.js')).sqliteDialect();
  },
  async open(url: string, settings: DialectSettings) {
    const { openSqlite } = await import('./open-sqlite.js');
    return openSqlite(url, { baseDir: settings.baseDir });
  },
});
