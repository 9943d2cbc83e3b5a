#!/usr/bin/env node
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
  { version, artikey: () => createArtikey(), stateFile: stateFilePath() },
);
