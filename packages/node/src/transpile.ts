import { transformSync } from 'esbuild';
import type { ModuleFormat } from './transpile-cache.js';

/**
 * Compiles one TypeScript file to JavaScript: types stripped, nothing bundled, an inline source
 * map pointing at `file`. This module is the only one that loads esbuild, and it is imported
 * only on a cache miss.
 *
 * Throws an `Error` whose message is `<file>:<line>:<column>: <what esbuild reported>`.
 */
export function transpile(file: string, source: string, format: ModuleFormat): string {
  try {
    return transformSync(source, {
      loader: 'ts',
      format: format === 'module' ? 'esm' : 'cjs',
      sourcemap: 'inline',
      sourcefile: file,
    }).code;
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] })
      .errors?.[0];
    if (first === undefined) throw error;
    const where = first.location ? `${file}:${first.location.line}:${first.location.column + 1}` : file;
    throw new Error(`${where}: ${first.text}`);
  }
}
