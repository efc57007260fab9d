#!/usr/bin/env node
// Runs every package's tests through turbo, then prints the one plain summary line CI reads
// (`N passed, N failed, N skipped`), counted from vitest's JSON reports rather than from the
// coloured, prefixed turbo log. Exits non-zero when any test failed or any package's test task
// failed without producing a report (a crash, a type error at import, a missing database).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
);
const reportOf = (pkg) => join(pkg, '.test-results', 'vitest.json');
const withTests = workspaces.filter((pkg) => existsSync(join(pkg, 'vitest.config.ts')));

for (const pkg of withTests) rmSync(join(pkg, '.test-results'), { recursive: true, force: true });

const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const pkg of withTests) {
  if (!existsSync(reportOf(pkg))) {
    missing.push(pkg.slice(root.length));
    continue;
  }
  const report = JSON.parse(readFileSync(reportOf(pkg), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests in it but still fails the run.
  for (const file of report.testResults)
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
}
for (const pkg of missing) console.error(`no test report from ${pkg}: its test task did not run to the end`);
failed += missing.length;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || turbo.status !== 0 ? 1 : 0);
