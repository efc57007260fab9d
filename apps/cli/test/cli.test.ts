import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, ok, tempDir } from './helpers.js';

const COMMANDS = ['init', 'revision', 'migrate', 'merge', 'heads', 'branches', 'history', 'show', 'edit'];

describe('help and version', () => {
  it('cairn --help lists every command and the global options', () => {
    const out = ok(tempDir(), ['--help']);
    expect(out).toMatch(/^Usage: cairn <command> \[options\]\n/);
    for (const command of COMMANDS) expect(out).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    for (const flag of ['-c, --config FILE', '--url URL', '--json', '-q, --quiet', '-v, --verbose', '--version'])
      expect(out).toContain(flag);
  });

  it.each(COMMANDS)('cairn %s --help shows its usage and options, even without required arguments', (command) => {
    const dir = tempDir();
    const out = ok(dir, [command, '--help']);
    expect(out).toMatch(new RegExp(`^Usage: cairn ${command} \\[options\\]`));
    expect(out).toContain('Global options:');
    expect(ok(dir, ['-h', command])).toBe(out);
  });

  it('revision --help lists its options', () => {
    const out = ok(tempDir(), ['revision', '--help']);
    for (const flag of [
      '-m, --message MSG',
      '--head REV',
      '--splice',
      '--branch-label LABEL',
      '--depends-on REV',
      '--rev-id ID',
      '--sql-file',
      '--autogenerate',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(ok(tempDir(), ['--version'])).toBe(`cairn ${version}\n`);
    expect(JSON.parse(ok(tempDir(), ['--version', '--json']))).toEqual({ version });
  });
});

describe('usage errors exit with 2', () => {
  it('no command prints the help on stderr', () => {
    const result = cairn(tempDir(), []);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: cairn <command>/);
  });

  it('an unknown command', () => {
    const result = cairn(tempDir(), ['upgrayedd']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^FAILED: unknown command 'upgrayedd'; the commands are init, revision,/);
  });

  it('an unknown option, before or after the command', () => {
    const dir = tempDir();
    const after = cairn(dir, ['heads', '--bogus']);
    expect(after.status).toBe(2);
    expect(after.stderr).toBe("FAILED: unknown option --bogus for cairn heads; run 'cairn heads --help' for usage\n");
    const before = cairn(dir, ['--bogus', 'heads']);
    expect(before.status).toBe(2);
    expect(before.stderr).toMatch(/^FAILED: unknown option --bogus for cairn;/);
  });

  it('an unknown option with --json is one error object on stdout', () => {
    const result = cairn(tempDir(), ['history', '--json', '-x']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'USAGE',
        message: "unknown option -x for cairn history; run 'cairn history --help' for usage",
        details: { command: 'cairn history' },
      },
    });
  });

  it('a missing option value, a value on a flag, a missing or extra argument', () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['revision', '-m'], /option -m\/--message of cairn revision needs a value \(MSG\)/],
      [
        ['revision', '-m', '--head'],
        /option -m of cairn revision needs a value, but is followed by '--head'; write --message=--head/,
      ],
      [['heads', '--resolve-dependencies=yes'], /option --resolve-dependencies of cairn heads takes no value/],
      [['show'], /cairn show needs the REV argument/],
      [['heads', 'extra'], /cairn heads takes no arguments; unexpected 'extra'/],
      [['show', 'a', 'b'], /cairn show takes at most 1 argument; unexpected 'b'/],
    ];
    for (const [args, message] of cases) {
      const result = cairn(dir, args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('failures', () => {
  it('print no stack trace unless --verbose', () => {
    const dir = tempDir();
    ok(dir, ['init', '-q']);
    const quiet = cairn(dir, ['show', 'nope']);
    expect(quiet.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const verbose = cairn(dir, ['show', 'nope', '--verbose']);
    expect(verbose.status).toBe(1);
    expect(verbose.stderr).toMatch(/^FAILED: no revision matches 'nope'.*\nCairnError: .*\n\s+at /s);
  });

  it('an error that is not a CairnError is an internal error, with a hint instead of a stack', () => {
    const dir = tempDir();
    ok(dir, ['init', '-q']);
    // A directory with a migration's name: reading it fails in node:fs, not in cairn.
    mkdirSync(join(dir, 'migrations', '20260101000000_d1_dir.ts'));
    const plain = cairn(dir, ['heads']);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toBe(
      'FAILED: internal error: EISDIR: illegal operation on a directory, read\nRun the command again with --verbose to see where it happened.\n',
    );
    const json = cairn(dir, ['heads', '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'INTERNAL', message: 'internal error: EISDIR: illegal operation on a directory, read' },
    });
    const verbose = cairn(dir, ['heads', '-v']);
    expect(verbose.stderr).toMatch(/^FAILED: internal error: EISDIR.*\nError: EISDIR.*\n\s+at /s);
  });

  it('global options work before the command too', () => {
    const dir = tempDir();
    ok(dir, ['init', '-q']);
    ok(dir, ['revision', '-m', 'one', '--rev-id', 'a1', '-q']);
    expect(JSON.parse(ok(dir, ['--json', '-c', join(dir, 'cairn.config.ts'), 'heads']))).toEqual({ heads: ['a1'] });
  });
});
