import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './built.js';

/**
 * `npm link` run in the checkout, as the README says, with npm's global folder moved to a
 * scratch prefix (npm_config_prefix) so the machine's own stays untouched; returns that prefix,
 * whose bin/ then holds `artikey` and `docker-credential-artikey`. Links only: no registry request.
 */
export function npmLinkIntoScratchPrefix(): string {
  const prefix = mkdtempSync(join(tmpdir(), 'artikey-npm-prefix-'));
  execFileSync('npm', ['link', '--offline', '--no-audit', '--no-fund'], {
    cwd: root,
    // npm's cache and logs go to the scratch prefix too.
    env: { PATH: process.env.PATH, HOME: prefix, npm_config_prefix: prefix },
    stdio: 'pipe',
  });
  return prefix;
}
