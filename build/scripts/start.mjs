#!/usr/bin/env node
// `npm start`: build, fetch the Electron runtime on first use, launch the app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../..', import.meta.url).pathname;
const electronDir = `${root}node_modules/electron`;

const built = spawnSync(process.execPath, [`${root}build/scripts/build.mjs`], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// npm does not run Electron's install script (see allowScripts), so the runtime arrives here.
if (!existsSync(`${electronDir}/path.txt`)) {
  process.stdout.write('Downloading the Electron runtime (first start only)…\n');
  const download = spawnSync(process.execPath, [`${electronDir}/install.js`], {
    encoding: 'utf8',
    cwd: electronDir,
  });
  if (download.status !== 0 || !existsSync(`${electronDir}/path.txt`)) {
    const cause =
      `${download.stderr ?? ''}${download.stdout ?? ''}`
        .split('\n')
        .find((line) => /Error|ENOTFOUND|ECONN|timed out|status/i.test(line))
        ?.trim() ?? 'no cause reported';
    process.stderr.write(
      [
        'artikey: the Electron runtime could not be downloaded, so the desktop app cannot start.',
        `  cause: ${cause}`,
        '  Set ELECTRON_MIRROR to a mirror you can reach and run `npm start` again. Without Electron:',
        '    npm run preview                     the app’s window in Chromium, on a fake Artifactory',
        '    node dist/cli/artikey.js --help     the command-line tool',
        '    npm run demo                        a fake Artifactory to try the command line against',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
}

const electron = createRequire(import.meta.url)('electron');
const app = spawnSync(electron, [root], { stdio: 'inherit' });
process.exit(app.status ?? 1);
