import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The built package is imported by Node itself, not through vitest's module runner: the
    // migrations it loads must go through Node's loader and the TypeScript hooks it registers,
    // as they do in an app.
    server: { deps: { external: [/\/packages\/node\/dist\//] } },
  },
});
