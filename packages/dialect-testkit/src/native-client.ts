import { spawn } from 'node:child_process';

/**
 * Runs `script` through a database's own command-line client — `command` with `args`, the script
 * on its standard input — for `DialectSuiteOptions.runScript`. Resolves when the client exits 0;
 * rejects with its exit status and what it printed on stderr otherwise. The client must stop at
 * the first error (`psql -v ON_ERROR_STOP=1`, `sqlite3 -bail`; `mariadb` and `mysql` do by
 * default).
 *
 * @example
 * runScript: (script) => runNativeClient('sqlite3', ['-bail', file], script)
 */
export function runNativeClient(command: string, args: readonly string[], script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(new Error(`${command} ${how}: ${Buffer.concat(stderr).toString('utf8').trim()}`));
      }
    });
    // A client that exits early (a bad argument) closes its stdin: the error above says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
  });
}
