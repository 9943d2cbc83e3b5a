import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const root = new URL('../..', import.meta.url).pathname;

/** `npm test` builds first; a test file run alone builds what it needs. */
export function ensureBuilt(): void {
  if (!existsSync(`${root}dist/renderer/index.html`) || !existsSync(`${root}dist/cli/artikey.js`)) {
    execFileSync(process.execPath, [`${root}build/scripts/build.mjs`], { stdio: 'ignore' });
  }
}
