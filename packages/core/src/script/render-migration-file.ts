import type { RevisionMeta } from '../revision/revision.js';

/**
 * Writing new migration files. What is written here is read back by `parseScriptMetadata` and
 * `parseSqlMetadata`, and rendering then parsing gives back the same metadata.
 */

const CTX_COMMENT = '// ctx.op: the operation API; ctx.sql: parameterised raw SQL';

/** Options for `renderScriptMigration`. */
export interface ScriptMigrationOptions {
  /**
   * The package the file imports `defineMigration` from: one the project has installed, so that
   * its editor types `ctx` (the `cairn` CLI passes `'cairn'`, which re-exports it). Default:
   * `'@cairn/core'`.
   */
  readonly importFrom?: string;
}

/**
 * The source of a new TypeScript migration for `meta`, with empty `upgrade`/`downgrade` bodies.
 *
 * Layout: the `defineMigration` import (from `options.importFrom`); a `/** message *\/` doc comment when the message is not
 * empty (`*\/` inside it is escaped); then the fields in a fixed order — `revision`,
 * `downRevision` (`null`, `'id'` or `['a', 'b']`), `branchLabels` and `dependsOn` only when
 * non-empty, `message` and `createdAt` only when non-empty, `transaction: false` only when
 * false — and the two async methods. Strings are single-quoted and escaped so that any text
 * (quotes, backslashes, line breaks, lone surrogates) reads back unchanged. `meta.file` is
 * ignored. Indentation is two spaces; the file ends with a newline.
 *
 * @example
 * ```ts
 * const source = renderScriptMigration({
 *   revision: 'ae1027a6acf0', downRevision: [], branchLabels: [], dependsOn: [],
 *   message: 'create account', createdAt: '2026-11-22T01:56:30.000Z', transaction: true,
 * });
 * ```
 */
export function renderScriptMigration(meta: RevisionMeta, options: ScriptMigrationOptions = {}): string {
  const lines = [`import { defineMigration } from ${quote(options.importFrom ?? '@cairn/core')};`, ''];
  if (meta.message !== '') lines.push(...docComment(meta.message));
  lines.push('export default defineMigration({');
  lines.push(`  revision: ${quote(meta.revision)},`);
  lines.push(`  downRevision: ${renderParents(meta.downRevision)},`);
  if (meta.branchLabels.length > 0) lines.push(`  branchLabels: ${renderList(meta.branchLabels)},`);
  if (meta.dependsOn.length > 0) lines.push(`  dependsOn: ${renderList(meta.dependsOn)},`);
  if (meta.message !== '') lines.push(`  message: ${quote(meta.message)},`);
  if (meta.createdAt !== '') lines.push(`  createdAt: ${quote(meta.createdAt)},`);
  if (!meta.transaction) lines.push('  transaction: false,');
  lines.push(
    '',
    '  async upgrade(ctx) {',
    `    ${CTX_COMMENT}`,
    '  },',
    '',
    '  async downgrade(ctx) {',
    `    ${CTX_COMMENT}`,
    '  },',
    '});',
    '',
  );
  return lines.join('\n');
}

/**
 * The source of a new `.sql` migration for `meta`: the `-- cairn:` header (see
 * `parseSqlMetadata`), then empty `-- cairn:up` and `-- cairn:down` sections holding a
 * placeholder comment.
 *
 * `-- cairn:downRevision` is always written (with no value for a base); `branchLabels`,
 * `dependsOn`, `createdAt` only when non-empty; `transaction` only when false. Each line of the
 * message becomes its own `-- cairn:message` line. The format is line-based, so CR and CRLF line
 * breaks in the message are written as LF: that is the one change a round trip can make.
 *
 * @example
 * ```ts
 * const source = renderSqlMigration({
 *   revision: 'ae1027a6acf0', downRevision: ['1975ea83b712'], branchLabels: [], dependsOn: [],
 *   message: 'add a column', createdAt: '', transaction: true,
 * });
 * ```
 */
export function renderSqlMigration(meta: RevisionMeta): string {
  const lines = [`-- cairn:revision ${meta.revision}`];
  lines.push(
    meta.downRevision.length > 0 ? `-- cairn:downRevision ${meta.downRevision.join(', ')}` : '-- cairn:downRevision',
  );
  if (meta.branchLabels.length > 0) lines.push(`-- cairn:branchLabels ${meta.branchLabels.join(', ')}`);
  if (meta.dependsOn.length > 0) lines.push(`-- cairn:dependsOn ${meta.dependsOn.join(', ')}`);
  if (meta.message !== '') {
    for (const line of meta.message.split(/\r\n?|\n/)) {
      lines.push(line === '' ? '-- cairn:message' : `-- cairn:message ${line}`);
    }
  }
  if (meta.createdAt !== '') lines.push(`-- cairn:createdAt ${meta.createdAt}`);
  if (!meta.transaction) lines.push('-- cairn:transaction false');
  lines.push(
    '',
    '-- cairn:up',
    '-- write the upgrade SQL here',
    '',
    '-- cairn:down',
    '-- write the downgrade SQL here',
    '',
  );
  return lines.join('\n');
}

function renderParents(parents: readonly string[]): string {
  if (parents.length === 0) return 'null';
  if (parents.length === 1) return quote(parents[0] ?? '');
  return renderList(parents);
}

function renderList(items: readonly string[]): string {
  return `[${items.map(quote).join(', ')}]`;
}

function docComment(message: string): string[] {
  // Only `*/` could end the comment early; a backslash keeps it readable and inert.
  const lines = message.replaceAll('*/', '*\\/').split(/\r\n?|\n|\u2028|\u2029/);
  if (lines.length === 1) return [`/** ${lines[0]} */`];
  return ['/**', ...lines.map((line) => (line === '' ? ' *' : ` * ${line}`)), ' */'];
}

/**
 * A single-quoted JavaScript string literal for `text`. Control characters, line and paragraph
 * separators, BOMs and lone surrogates are escaped so that the file stays valid UTF-8 and every
 * tool shows what the string holds.
 */
function quote(text: string): string {
  let out = "'";
  let chunk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let escaped: string | undefined;
    if (c === 0x27) escaped = "\\'";
    else if (c === 0x5c) escaped = '\\\\';
    else if (c === 0x0a) escaped = '\\n';
    else if (c === 0x0d) escaped = '\\r';
    else if (c === 0x09) escaped = '\\t';
    else if (c < 0x20 || c === 0x7f) escaped = `\\x${hex(c, 2)}`;
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff) escaped = `\\u${hex(c, 4)}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else escaped = `\\u${hex(c, 4)}`;
    } else if (c >= 0xdc00 && c <= 0xdfff) escaped = `\\u${hex(c, 4)}`;
    if (escaped !== undefined) {
      out += text.slice(chunk, i) + escaped;
      chunk = i + 1;
    }
  }
  return `${out + text.slice(chunk)}'`;
}

function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}
