import { join } from 'node:path';
import { Migrator, RevisionGraph } from '@cairn/core';
import { describe, expect, it } from 'vitest';
import { openSqlite, sqliteDialect } from '../src/index.js';
import { tempDir } from './temp-dir.js';

describe('a failing statement in the step failure message', () => {
  it('shows a long statement by its first lines and keeps the whole text in the details', async () => {
    const connection = await openSqlite(join(tempDir('failure-message'), 'db.sqlite'));
    const long = ['SELECT', ...Array.from({ length: 12 }, (_, k) => `  ${k} AS c${k},`), '  no_such_column'].join('\n');
    const migrator = new Migrator({
      graph: RevisionGraph.from([
        {
          revision: 'r1',
          downRevision: [],
          branchLabels: [],
          dependsOn: [],
          message: 'long',
          createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
          transaction: true,
          file: 'migrations/r1.ts',
        },
      ]),
      dialect: sqliteDialect(),
      session: connection.session,
      loader: { load: async () => ({ checksum: 'x', run: async (_direction, ctx) => void (await ctx.sql(long)) }) },
      toolVersion: 'test',
    });
    const run = await migrator.upgrade('head');
    await connection.close();
    const error = run.failed?.error;
    expect(error?.message).toContain('no such column: no_such_column');
    expect(error?.message).toContain(
      'while running: SELECT\n  0 AS c0,\n  1 AS c1,\n  … (14 lines; the whole statement is in',
    );
    expect(error?.message).not.toContain('11 AS c11');
    expect(error?.details.statement).toBe(long);
  });
});
