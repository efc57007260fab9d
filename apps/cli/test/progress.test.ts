import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, initProject, sqlMigration, writeFiles } from './helpers.js';

// A person watching `cairn upgrade` sees each step when it commits, not all of them when the
// command ends: a slow migration, or Ctrl-C in the middle of one, must leave the steps that did
// run on the screen.
describe('progress on the terminal', () => {
  it('prints each step as it commits, before a slow later step has finished', async () => {
    const dir = initProject();
    writeFiles(dir, {
      'migrations/20260101000000_a_fast.sql': sqlMigration('a', ''),
      'migrations/20260101000001_b_slow.ts': [
        "import { defineMigration } from 'cairn';",
        'export default defineMigration({',
        "  revision: 'b',",
        "  downRevision: 'a',",
        '  async upgrade() {',
        '    await new Promise((resolve) => setTimeout(resolve, 1500));',
        '  },',
        '});',
        '',
      ].join('\n'),
    });
    const lines: { text: string; at: number }[] = [];
    const started = Date.now();
    const exited = await new Promise<{ code: number | null; at: number }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'upgrade'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
      child.stdout.on('data', (chunk: Buffer) => {
        for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push({ text, at: Date.now() - started });
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, at: Date.now() - started }));
    });
    expect(exited.code).toBe(0);
    expect(lines.map((l) => l.text)).toEqual(['Running upgrade  -> a, create t_a', 'Running upgrade a -> b']);
    // The first line was on the screen while b was still sleeping.
    expect(exited.at - lines[0]!.at).toBeGreaterThan(1000);
  });
});
