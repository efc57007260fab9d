import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairn, migrationFiles, ok, tempDir, writeFiles } from './helpers.js';

/** A project with one revision and an "editor" script that appends a line to the file it gets. */
function project(): { dir: string; editor: string; file: string } {
  const dir = tempDir();
  ok(dir, ['init', '-q']);
  ok(dir, ['revision', '-m', 'edit me', '--rev-id', 'e1', '-q']);
  writeFiles(dir, { 'bin/append.sh': '#!/bin/sh\nprintf "// edited by %s\\n" "$0" >> "$1"\n' });
  const editor = join(dir, 'bin', 'append.sh');
  chmodSync(editor, 0o755);
  return { dir, editor, file: join(dir, 'migrations', migrationFiles(dir)[0]!) };
}

describe('edit', () => {
  it('opens the revision file in $EDITOR', () => {
    const { dir, editor, file } = project();
    expect(ok(dir, ['edit', 'e1'], { EDITOR: editor })).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/\/\/ edited by .*append\.sh\n$/);
  });

  it('prefers $VISUAL, and passes the arguments written in the variable', () => {
    const { dir, editor, file } = project();
    const out = ok(dir, ['edit', 'head', '--json'], { VISUAL: `sh ${editor}`, EDITOR: 'false' });
    expect(JSON.parse(out)).toEqual({ edited: [`migrations/${migrationFiles(dir)[0]}`] });
    expect(readFileSync(file, 'utf8')).toContain('// edited by');
  });

  it('fails clearly without an editor, or when the editor fails', () => {
    const { dir } = project();
    const none = cairn(dir, ['edit', 'e1']);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^FAILED: no editor is set; set \$VISUAL or \$EDITOR/);
    const failing = cairn(dir, ['edit', 'e1'], { EDITOR: 'false' });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/^FAILED: the editor 'false' exited with status 1/);
  });
});
