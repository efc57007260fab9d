import type { Normalizer } from '@cairn/core';

/** PostgreSQL's canonical types and defaults (see the introspector for what reads back how). */
export const postgresNormalizer: Normalizer = Object.freeze({
  columnType: (type) => type,
  columnDefault: (value) => value,
} satisfies Normalizer);
