#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { createArtikey } from './create-artikey.js';
import { stateFilePath } from '../core/paths.js';
import { version } from './environment.js';
import { runCli } from './run.js';

// A reader that stops early (`artikey status X | head -1`) is no error. Like npm, and unlike git
// (which dies of SIGPIPE, status 141), the rest of the output is dropped and the command finishes
// what it was doing, exiting with its own status; a write that fails otherwise still throws.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
  },
  {
    version,
    artikey: (use) =>
      createArtikey(
        process.env,
        use === 'long-running'
          ? fileURLToPath(new URL('./keychain-child.js', import.meta.url))
          : undefined,
      ),
    stateFile: stateFilePath(),
  },
);
