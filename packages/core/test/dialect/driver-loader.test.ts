import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driverLoader } from '../../src/dialect/driver-loader.js';
import { CairnError } from '../../src/errors.js';

/** A directory with `node_modules/fake-driver` (which exports `{ ok: true }`) and `broken-driver` (whose own import is missing). */
const root = mkdtempSync(join(tmpdir(), 'cairn-driver-loader-'));
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
write('node_modules/fake-driver/index.js', 'module.exports = { ok: true, loadedAt: Math.random() };\n');
write('node_modules/broken-driver/index.js', "require('left-out-dependency');\n");
const require = createRequire(join(root, 'dialect.js'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('driverLoader', () => {
  it('loads the driver on the first call only, and returns the same module after', () => {
    let calls = 0;
    const load = driverLoader('fake-driver', 'Fake', () => {
      calls += 1;
      return require('fake-driver') as { ok: boolean };
    });
    expect(calls).toBe(0);
    const first = load();
    expect(first.ok).toBe(true);
    expect(load()).toBe(first);
    expect(calls).toBe(1);
  });

  it('turns a driver that is not installed into DRIVER_MISSING, naming the package and the install command', () => {
    const load = driverLoader('not-installed', 'Nowhere', () => require('not-installed/promise'));
    expect(() => load()).toThrow(
      expect.objectContaining({
        name: 'CairnError',
        code: 'DRIVER_MISSING',
        message:
          "the Nowhere driver 'not-installed' is not installed; cairn loads it only to connect to Nowhere. Add it to the project: npm install not-installed (or pnpm add not-installed, yarn add not-installed)",
        details: { package: 'not-installed' },
        cause: expect.objectContaining({ code: 'MODULE_NOT_FOUND' }),
      }),
    );
  });

  it('recognises the message of a failed import() as well', () => {
    const failure = Object.assign(new Error("Cannot find package 'pg' imported from /app/x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const load = driverLoader('pg', 'PostgreSQL', () => {
      throw failure;
    });
    expect(() => load()).toThrow(expect.objectContaining({ code: 'DRIVER_MISSING' }));
  });

  it('rethrows other failures unchanged: a module the driver itself needs, an error while loading', () => {
    const broken = driverLoader('broken-driver', 'Broken', () => require('broken-driver'));
    expect(() => broken()).toThrow(/Cannot find module 'left-out-dependency'/);
    expect(() => broken()).not.toThrow(CairnError);
    const addon = new Error('invalid ELF header');
    const failing = driverLoader('fake-driver', 'Fake', () => {
      throw addon;
    });
    expect(() => failing()).toThrow(addon);
  });

  it('tries again after a failed load', () => {
    let installed = false;
    const load = driverLoader('fake-driver-not-yet', 'Fake', () => {
      if (!installed) require('fake-driver-not-yet');
      return 'loaded';
    });
    expect(() => load()).toThrow(CairnError);
    installed = true;
    expect(load()).toBe('loaded');
  });
});
