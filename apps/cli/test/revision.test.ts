import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, initProject, migrationFiles, ok } from './helpers.js';

const FILE_NAME = /^\d{14}_[a-z0-9]+(_[a-z0-9_]+)?\.(ts|sql)$/;

describe('revision', () => {
  it('creates the first revision of a fresh project', () => {
    const dir = initProject();
    const out = ok(dir, ['revision', '-m', 'Create account table']);
    const [file] = migrationFiles(dir);
    expect(file).toMatch(/^\d{14}_[0-9a-f]{12}_create_account_table\.ts$/);
    expect(out).toBe(`Generating migrations/${file} ... done\n`);
    const source = readFileSync(join(dir, 'migrations', file!), 'utf8');
    // From the package the project installs, so that its editor finds the types (see init).
    expect(source).toMatch(/^import \{ defineMigration \} from 'cairn';\n/);
    expect(source).toContain('downRevision: null,');
    expect(source).toContain("message: 'Create account table',");
    expect(ok(dir, ['heads'])).toBe(`${file!.slice(15, 27)} (head)\n`);
  });

  it('builds a branched history with --head, --splice, --branch-label, --depends-on and --rev-id', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'base', '--rev-id', 'a1']);
    ok(dir, ['revision', '-m', 'main line', '--rev-id', 'b2']);

    // a1 is no longer a head: branching from it needs --splice.
    const notHead = cairn(dir, ['revision', '-m', 'x', '--head', 'a1', '--rev-id', 'c3']);
    expect(notHead.status).toBe(1);
    expect(notHead.stderr).toMatch(/^FAILED: .*'a1'.*--splice/);

    ok(dir, ['revision', '-m', 'side branch', '--head', 'a1', '--splice', '--branch-label', 'side', '--rev-id', 'c3']);
    expect(ok(dir, ['heads'])).toBe('b2 (head)\nc3 (side) (head)\n');

    // Two heads: a new revision must say which one it builds on.
    const multiple = cairn(dir, ['revision', '-m', 'where?']);
    expect(multiple.status).toBe(1);
    expect(multiple.stderr).toMatch(/^FAILED: there are several heads \('b2' and 'c3'\)/);
    const multipleJson = cairn(dir, ['revision', '-m', 'where?', '--json']);
    expect(multipleJson.status).toBe(1);
    expect(JSON.parse(multipleJson.stdout).error.code).toBe('MULTIPLE_HEADS');

    ok(dir, ['revision', '-m', 'more side', '--head', 'side@head', '--depends-on', 'b2', '--rev-id', 'd4']);
    ok(dir, ['revision', '-m', 'second root', '--head', 'base', '--rev-id', 'r5', '--sql-file']);
    expect(ok(dir, ['heads'])).toBe('b2 (effective head)\nd4 (side) (head)\nr5 (head)\n');
    expect(ok(dir, ['history'])).toBe(
      [
        '<base> -> r5 (head), second root',
        'c3 (b2) -> d4 (side) (head), more side',
        'a1 -> c3 (side), side branch',
        'a1 -> b2 (effective head), main line',
        '<base> -> a1 (branchpoint), base',
        '',
      ].join('\n'),
    );
    const files = migrationFiles(dir);
    expect(files).toHaveLength(5);
    for (const file of files) expect(file).toMatch(FILE_NAME);
    const sql = files.find((f) => f.endsWith('.sql'))!;
    expect(sql).toMatch(/_r5_second_root\.sql$/);
    expect(readFileSync(join(dir, 'migrations', sql), 'utf8')).toMatch(
      /^-- cairn:revision r5\n-- cairn:downRevision\n/,
    );
  });

  it('--json prints the new revision and its file', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'one', '--rev-id', 'a1']);
    const out = JSON.parse(ok(dir, ['revision', '-m', 'two', '--rev-id', 'b2', '--branch-label', 'main', '--json']));
    expect(out.file).toMatch(/^migrations\/\d{14}_b2_two\.ts$/);
    expect(out.revision).toMatchObject({
      revision: 'b2',
      downRevision: ['a1'],
      dependsOn: [],
      branchLabels: ['main'],
      message: 'two',
      flags: ['head'],
    });
    expect(Number.isNaN(Date.parse(out.revision.createdAt))).toBe(false);
  });

  it('refuses a revision id that is already used', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'one', '--rev-id', 'a1']);
    const result = cairn(dir, ['revision', '-m', 'again', '--rev-id', 'a1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: revision id 'a1' is already used/);
    expect(migrationFiles(dir)).toHaveLength(1);
  });

  it('-q prints nothing', () => {
    const dir = initProject();
    expect(ok(dir, ['revision', '-m', 'quiet', '-q'])).toBe('');
    expect(migrationFiles(dir)).toHaveLength(1);
  });

  it('needs -m, and --autogenerate and migrate are usage errors (exit 2)', () => {
    const dir = initProject();
    const noMessage = cairn(dir, ['revision']);
    expect(noMessage.status).toBe(2);
    expect(noMessage.stderr).toMatch(/needs a message: -m MSG/);
    for (const args of [
      ['revision', '--autogenerate', '-m', 'x'],
      ['migrate', '-m', 'x'],
    ]) {
      const result = cairn(dir, args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^FAILED: autogenerate is not implemented in this version/);
    }
    expect(migrationFiles(dir)).toHaveLength(0);
  });

  it('a malformed migration file fails with a message naming the file', () => {
    const dir = initProject();
    writeFileSync(
      join(dir, 'migrations', '20260101000000_bad_broken.ts'),
      'export default defineMigration({ revision: 42, downRevision: null });\n',
    );
    const result = cairn(dir, ['revision', '-m', 'next']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: migrations\/20260101000000_bad_broken\.ts: /);
    const json = cairn(dir, ['heads', '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'MALFORMED_MIGRATION',
      details: { file: 'migrations/20260101000000_bad_broken.ts' },
    });
  });
});

describe('merge', () => {
  it('merge heads joins the heads into one merge point', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'base', '--rev-id', 'a1']);
    ok(dir, ['revision', '-m', 'left', '--rev-id', 'b2']);
    ok(dir, ['revision', '-m', 'right', '--head', 'a1', '--splice', '--rev-id', 'c3']);
    const out = ok(dir, ['merge', 'heads', '-m', 'join them', '--rev-id', 'm4']);
    expect(out).toMatch(/^Generating migrations\/\d{14}_m4_join_them\.ts \.\.\. done\n$/);
    expect(ok(dir, ['heads'])).toBe('m4 (head)\n');
    expect(ok(dir, ['history', '-r', 'm4:'])).toBe('b2, c3 -> m4 (head) (mergepoint), join them\n');
    const file = migrationFiles(dir).find((f) => f.includes('_m4_'))!;
    expect(readFileSync(join(dir, 'migrations', file), 'utf8')).toContain("downRevision: ['b2', 'c3'],");
  });

  it('merges named revisions, with --json', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'base', '--rev-id', 'a1']);
    ok(dir, ['revision', '-m', 'left', '--rev-id', 'b2']);
    ok(dir, ['revision', '-m', 'right', '--head', 'a1', '--splice', '--rev-id', 'c3']);
    const out = JSON.parse(ok(dir, ['merge', 'c3', 'b2', '--rev-id', 'm4', '--json']));
    expect(out.revision).toMatchObject({ revision: 'm4', downRevision: ['c3', 'b2'], flags: ['head', 'mergepoint'] });
  });

  it('with a single head there is nothing to merge (exit 1)', () => {
    const dir = initProject();
    ok(dir, ['revision', '-m', 'base', '--rev-id', 'a1']);
    const result = cairn(dir, ['merge', 'heads']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: .*a merge joins two or more heads/);
  });

  it('needs at least one revision argument (exit 2)', () => {
    const result = cairn(initProject(), ['merge']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^FAILED: cairn merge needs at least one REV argument/);
  });
});
