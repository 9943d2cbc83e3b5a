#!/usr/bin/env node
import { createRequire } from 'node:module';

// The Docker credential-helper protocol: errors go to stdout, exit 1. Until the tool-credentials
// work lands, `get` knows no credentials, exactly as a helper with an empty store answers.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const action = process.argv[2];

if (action === 'version') {
  process.stdout.write(`docker-credential-artikey ${version}\n`);
} else if (action === 'get') {
  process.stdout.write('credentials not found in native keychain\n');
  process.exitCode = 1;
} else if (action === 'list') {
  process.stdout.write('{}\n');
} else {
  process.stdout.write('Usage: docker-credential-artikey <get|store|erase|list|version>\n');
  process.exitCode = 1;
}
