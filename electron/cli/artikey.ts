#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { createArtikey } from './create-artikey.js';
import { stateFilePath } from '../core/paths.js';
import { version } from './environment.js';
import { runCli } from './run.js';

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
