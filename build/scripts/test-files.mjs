#!/usr/bin/env node
// `npm run test:files -- test/core/http.security.test.ts …`: the named Vitest files alone, in the
// same private keyring `npm test` uses, without lint, type-check or build (a test that needs the
// built app builds it when it is missing; run `npm run build` after changing what it runs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { inPrivateKeyring } from './private-keyring.mjs';

const root = new URL('../..', import.meta.url).pathname;
inPrivateKeyring('npm run test:files');
const result = spawnSync(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'build/vitest.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
