import { isCairnError } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { postgresDescriptor } from '../src/index.js';

const settings = (options: Record<string, unknown> = {}, versionTable = 'cairn_version') => ({
  options,
  versionTable,
  baseDir: '/srv/app',
  configFile: 'cairn.config.ts',
});

describe('postgresDescriptor', () => {
  it("checks the 'schema' option: a name PostgreSQL keeps whole and does not reserve", () => {
    const check = postgresDescriptor.options!.schema!.check;
    expect(check('app')).toBeUndefined();
    expect(check('Ünïcode schema')).toBeUndefined();
    expect(check('')).toContain('must be a PostgreSQL schema name');
    expect(check(42)).toContain('not number 42');
    expect(check('s'.repeat(64))).toContain('64 bytes long');
    expect(check('pg_app')).toContain("reserves names that begin with 'pg_'");
  });

  it('puts cairn’s tables in the schema of a qualified versionTable, else in the schema option', () => {
    expect(postgresDescriptor.stateTables(settings())).toEqual({
      versionTable: { name: 'cairn_version' },
      historyTable: { name: 'cairn_history' },
    });
    expect(postgresDescriptor.stateTables(settings({ schema: 'app' }))).toEqual({
      versionTable: { schema: 'app', name: 'cairn_version' },
      historyTable: { schema: 'app', name: 'cairn_history' },
    });
    expect(postgresDescriptor.stateTables(settings({ schema: 'app' }, 'meta.versions'))).toEqual({
      versionTable: { schema: 'meta', name: 'versions' },
      historyTable: { schema: 'meta', name: 'cairn_history' },
    });
  });

  it('sets search_path to the schema and public, and to nothing without one', () => {
    expect(postgresDescriptor.sessionSetup!(settings()).map((s) => s.sql)).toEqual([]);
    expect(postgresDescriptor.sessionSetup!(settings({ schema: 'App' })).map((s) => s.sql)).toEqual([
      'SET search_path TO "App", public',
    ]);
    expect(postgresDescriptor.sessionSetup!(settings({ schema: 'public' })).map((s) => s.sql)).toEqual([
      'SET search_path TO "public"',
    ]);
  });

  it("refuses another database's URL before connecting, naming the scheme and the file", async () => {
    for (const url of ['mysql://root@127.0.0.1:3306/app', 'sqlite:./app.db']) {
      const error = await postgresDescriptor.open(url, settings()).catch((e: unknown) => e);
      expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
      expect((error as Error).message).toMatch(
        /^the database URL is a '(mysql|sqlite):' URL, but the dialect is postgres \(cairn\.config\.ts\)/,
      );
    }
  });

  it('refuses a URL without a scheme, but leaves pg its keyword/value form', async () => {
    const error = await postgresDescriptor.open('127.0.0.1:5432/app', settings()).catch((e: unknown) => e);
    expect(isCairnError(error, 'CONFIG_ERROR')).toBe(true);
    expect((error as Error).message).toContain('has no postgres:// scheme');
    // The keyword/value form reaches pg, which fails to connect to a port nothing listens on.
    const other = await postgresDescriptor
      .open('host=127.0.0.1 port=1 dbname=app', settings())
      .catch((e: unknown) => e);
    expect((other as Error).message).not.toContain('scheme');
  });

  it('builds the PostgreSQL dialect', async () => {
    const dialect = await postgresDescriptor.create(settings());
    expect(dialect.name).toBe('postgres');
    expect(dialect.syntax.placeholders).toBe('dollar');
  });
});
