import type { Capabilities } from '../../src/index.js';

/** What the runtime tests' in-memory dialects can do: a transactional database without enum types. */
export const TEST_CAPABILITIES: Capabilities = Object.freeze({
  transactionalDdl: true,
  schemas: false,
  alterColumn: 'native',
  maxIdentifierLength: 63,
  comments: true,
  partialIndexes: true,
  namedPrimaryKeys: true,
  enumTypes: false,
});
