import { main } from './main.js';

// A reader that stops early (`cairn history | head`) is not a failure of cairn.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The exit code is set rather than forced with process.exit() so that buffered stdout drains.
process.exitCode = await main(process.argv.slice(2));
