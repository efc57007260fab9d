import type { DialectDescriptor } from '@cairn/core';

declare const acmeLite: DialectDescriptor;
export default acmeLite;
