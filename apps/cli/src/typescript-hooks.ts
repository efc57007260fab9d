// The TypeScript loader's module hooks (from @cairn/node), as an entry of the CLI's own bundle:
// `module.register` loads them by URL from beside the bundled loader, and there a migration's
// `import ... from 'cairn'` falls back to this package's index.
export { initialize, load, resolve } from '@cairn/node/typescript-hooks';
