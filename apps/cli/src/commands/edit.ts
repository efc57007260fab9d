import { resolve } from 'node:path';
import { CairnError } from '@cairn/core';
import { loadRevisionGraph } from '@cairn/node';
import { defineCommand } from '../command.js';
import { lookupRevisions } from '../lookup.js';

/**
 * `cairn edit REV`: opens the file of each revision REV stands for in `$VISUAL`, else `$EDITOR`,
 * one after the other, with the terminal handed over. The variable may hold arguments
 * (`code --wait`): it is run by the shell, as git runs its editor. JSON: `{"edited":["<path>",…]}`.
 */
export default defineCommand({
  name: 'edit',
  description:
    "REV is a revision id, a unique prefix of one, a branch label, 'head' or 'heads'.\nThe editor is $VISUAL, else $EDITOR.",
  options: {},
  positionals: [{ name: 'REV', required: true, description: 'the revision(s) to edit' }],
  async run(context, args) {
    const editor = context.env.VISUAL || context.env.EDITOR;
    if (!editor) {
      throw new CairnError(
        'CONFIG_ERROR',
        'no editor is set; set $VISUAL or $EDITOR (e.g. EDITOR=vi) and run cairn edit again',
        {
          details: { variables: ['VISUAL', 'EDITOR'] },
        },
      );
    }
    const graph = loadRevisionGraph(await context.config(), context.cwd);
    const text = args.positionals[0]!;
    const files = lookupRevisions(graph, text, 'edit').map((i) => graph.revisions[i]!.file ?? '');
    if (files.length === 0) {
      throw new CairnError('UNKNOWN_REVISION', `'${text}' names no revision file (the project has no revisions)`, {
        details: { target: text },
      });
    }
    // Imported here: every command's module is loaded at start-up (see command-registry.ts).
    const { spawnSync } = await import('node:child_process');
    for (const file of files) openInEditor(spawnSync, editor, resolve(context.cwd, file), context.cwd);
    context.out.result({ edited: files });
  },
});

function openInEditor(
  spawnSync: typeof import('node:child_process').spawnSync,
  editor: string,
  file: string,
  cwd: string,
): void {
  const result =
    process.platform === 'win32'
      ? spawnSync(editor, [`"${file}"`], { stdio: 'inherit', shell: true, cwd })
      : spawnSync('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit', cwd });
  if (result.error) {
    throw new CairnError('CONFIG_ERROR', `could not start the editor '${editor}': ${result.error.message}`, {
      details: { editor, file },
      cause: result.error,
    });
  }
  if (result.status !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
    throw new CairnError('CONFIG_ERROR', `the editor '${editor}' ${how} while editing ${file}; check $VISUAL/$EDITOR`, {
      details: { editor, file, status: result.status },
    });
  }
}
