import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.js';
import type { RevisionMeta } from '../../src/revision/revision.js';
import { type MigrationFs, readRevisions } from '../../src/script/migration-directory.js';

/** An in-memory directory tree: a map from full path to content; directories are implied. */
function memoryFs(files: Record<string, string>): MigrationFs & { reads: string[] } {
  const map = new Map(Object.entries(files));
  const reads: string[] = [];
  return {
    reads,
    readdir(dir) {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const names = [...map.keys()].filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
      if (names.length === 0)
        throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${dir}'`), { code: 'ENOENT' });
      // Only direct children; nested paths stand for sub-directories, listed by their first segment.
      return [...new Set(names.map((name) => name.split('/')[0] ?? name))];
    },
    readFile(path) {
      reads.push(path);
      const content = map.get(path);
      if (content === undefined) throw Object.assign(new Error(`EISDIR or ENOENT: '${path}'`), { code: 'ENOENT' });
      return content;
    },
  };
}

function ts(revision: string, downRevision: string, extra = ''): string {
  return `import { defineMigration } from '@cairn/core';\nexport default defineMigration({ revision: '${revision}', downRevision: ${downRevision}${extra}, async upgrade() {} });\n`;
}

function sql(revision: string, downRevision: string, extra = ''): string {
  return `-- cairn:revision ${revision}\n-- cairn:downRevision ${downRevision}\n${extra}-- cairn:up\nSELECT 1;\n`;
}

describe('readRevisions', () => {
  it('reads every migration in name order with the parser for its extension', () => {
    const fs = memoryFs({
      'db/migrations/20260102000000_b2_second.sql': sql('b2', 'a1'),
      'db/migrations/20260101000000_a1_first.ts': ts('a1', 'null'),
      'db/migrations/20260103000000_c3_third.mjs': ts('c3', "'b2'"),
      'db/migrations/20260104000000_d4.mts': ts('d4', "'c3'"),
      'db/migrations/20260105000000_e5.js': ts('e5', "'d4'"),
    });
    const metas = readRevisions('db/migrations', fs);
    expect(metas.map((m) => m.revision)).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
    expect(metas.map((m) => m.downRevision)).toEqual([[], ['a1'], ['b2'], ['c3'], ['d4']]);
    expect(metas[0]?.file).toBe('db/migrations/20260101000000_a1_first.ts');
  });

  it('sorts by code unit, not by locale', () => {
    const fs = memoryFs({ 'm/b.ts': ts('b', 'null'), 'm/B.ts': ts('B', 'null'), 'm/a.ts': ts('a', 'null') });
    expect(readRevisions('m', fs).map((m) => m.revision)).toEqual(['B', 'a', 'b']);
  });

  it('skips names that are not migrations and does not recurse', () => {
    const fs = memoryFs({
      'm/20260101000000_a1.ts': ts('a1', 'null'),
      'm/README.md': '# notes',
      'm/.20260101000000_x.ts': 'garbage',
      'm/_helpers.ts': 'garbage',
      'm/types.d.ts': 'garbage',
      'm/a1.test.ts': 'garbage',
      'm/nested/20260101000000_n1.ts': ts('n1', 'null'),
    });
    expect(readRevisions('m', fs).map((m) => m.revision)).toEqual(['a1']);
    expect(fs.reads).toEqual(['m/20260101000000_a1.ts']);
  });

  it('uses displayDir for file and messages, and dir for reading', () => {
    const fs = memoryFs({ '/abs/project/migrations/20260101000000_a1.ts': ts('a1', 'null') });
    const [meta] = readRevisions('/abs/project/migrations', fs, { displayDir: 'migrations' });
    expect(meta?.file).toBe('migrations/20260101000000_a1.ts');
    expect(fs.reads).toEqual(['/abs/project/migrations/20260101000000_a1.ts']);
  });

  it('joins a directory with a trailing slash without doubling it', () => {
    const fs = memoryFs({ 'm/x.ts': ts('x', 'null') });
    expect(readRevisions('m/', fs)[0]?.file).toBe('m/x.ts');
  });

  it('takes createdAt from the file name only when the metadata has none', () => {
    const fs = memoryFs({
      'm/20260101120000_a1_first.ts': ts('a1', 'null'),
      'm/20260102120000_b2_second.ts': ts('b2', "'a1'", ", createdAt: '2030-05-05T05:05:05.000Z'"),
      'm/20260103120000_c3_third.sql': sql('c3', 'b2'),
      'm/no_timestamp.ts': ts('d4', "'c3'"),
      'm/20261399999999_e5_bad_time.ts': ts('e5', "'d4'"),
    });
    const byId = Object.fromEntries(readRevisions('m', fs).map((m) => [m.revision, m.createdAt]));
    expect(byId).toEqual({
      a1: '2026-01-01T12:00:00.000Z',
      b2: '2030-05-05T05:05:05.000Z',
      c3: '2026-01-03T12:00:00.000Z',
      d4: '',
      e5: '',
    });
  });

  it('returns an empty list for an empty directory', () => {
    const fs: MigrationFs = { readdir: () => [], readFile: () => '' };
    expect(readRevisions('m', fs)).toEqual([]);
  });

  it('throws CONFIG_ERROR naming the directory and suggesting cairn init when it does not exist', () => {
    const fs = memoryFs({});
    let caught: unknown;
    try {
      readRevisions('/abs/migrations', fs, { displayDir: 'migrations' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CairnError);
    const error = caught as CairnError;
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain("'migrations'");
    expect(error.message).toContain('cairn init');
    expect(error.details.dir).toBe('migrations');
    expect((error.cause as { code?: string }).code).toBe('ENOENT');
  });

  it('passes other readdir errors through', () => {
    const failure = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    const fs: MigrationFs = {
      readdir: () => {
        throw failure;
      },
      readFile: () => '',
    };
    expect(() => readRevisions('m', fs)).toThrow(failure);
  });

  it('reports a malformed file by its display path', () => {
    const fs = memoryFs({
      'm/20260101000000_a1.ts': ts('a1', 'null'),
      'm/20260102000000_b2.sql': '-- cairn:revision b2\n-- cairn:up\n',
    });
    let caught: unknown;
    try {
      readRevisions('m', fs, { displayDir: 'db' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CairnError);
    expect((caught as CairnError).code).toBe('MALFORMED_MIGRATION');
    expect((caught as CairnError).message.startsWith('db/20260102000000_b2.sql: ')).toBe(true);
  });
});

describe('readRevisions with a cache', () => {
  it('parses only what the cache does not hold, and re-attaches the display path', () => {
    const fs = memoryFs({
      'db/m/20260101000000_a1_first.ts': ts('a1', 'null'),
      'db/m/20260102000000_b2_second.sql': sql('b2', 'a1'),
    });
    const store = new Map<string, RevisionMeta>();
    const cache = {
      get: (name: string, file: string) => {
        const meta = store.get(name);
        return meta && { ...meta, file };
      },
      set: (name: string, meta: RevisionMeta) => void store.set(name, meta),
    };
    const first = readRevisions('db/m', fs, { cache, displayDir: 'm' });
    expect(fs.reads).toHaveLength(2);
    // The file-name timestamp fills a missing createdAt before the entry is cached.
    expect((store.get('20260102000000_b2_second.sql') as { createdAt: string }).createdAt).toBe(
      '2026-01-02T00:00:00.000Z',
    );

    store.delete('20260102000000_b2_second.sql');
    const second = readRevisions('db/m', fs, { cache, displayDir: 'elsewhere' });
    expect(fs.reads).toHaveLength(3);
    expect(second.map((m) => m.file)).toEqual([
      'elsewhere/20260101000000_a1_first.ts',
      'elsewhere/20260102000000_b2_second.sql',
    ]);
    expect(second.map(({ file: _f, ...rest }) => rest)).toEqual(first.map(({ file: _f, ...rest }) => rest));
  });
});
