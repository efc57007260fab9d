import { formatQualifiedName, type QualifiedName } from '../ops/qualified-name.js';

/** A glob (`*` any run of characters, `?` one character) as an anchored regular expression. */
function globPattern(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'u');
}

function matcher(patterns: readonly string[]): (name: QualifiedName) => boolean {
  const compiled = patterns.map(globPattern);
  return (name) => {
    const texts = [name.name, formatQualifiedName(name)];
    return compiled.some((pattern) => texts.some((text) => pattern.test(text)));
  };
}

/**
 * Which tables a diff compares: those `include` matches (all when it is absent), minus those
 * `exclude` or `always` (cairn's own tables) match.
 *
 * @example tableFilter({ include: ['app_*'], exclude: ['app_tmp'] })({ name: 'app_user' }) // true
 */
export function tableFilter(options: {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly always?: readonly string[];
}): (name: QualifiedName) => boolean {
  const included = options.include === undefined ? () => true : matcher(options.include);
  const excluded = matcher([...(options.exclude ?? []), ...(options.always ?? [])]);
  return (name) => included(name) && !excluded(name);
}
