import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliShims, installShims, shimFolder, shimStatus } from '../../electron/main/cli-shims.js';

describe('command-line tool shims', () => {
  it('go to ~/.local/bin, or LocalAppData on Windows', () => {
    expect(shimFolder({ platform: 'linux', env: {}, home: '/home/a' })).toBe('/home/a/.local/bin');
    expect(
      shimFolder({
        platform: 'win32',
        env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
        home: 'C:\\Users\\a',
      }),
    ).toContain('Artikey');
  });

  it('run the bundled CLI with the app’s Electron as Node, passing every argument through', () => {
    const folder = mkdtempSync(join(tmpdir(), 'artikey-shim-'));
    try {
      // Stand-ins for the app's executable and bundled script: a real shell runs the real shim.
      const fakeElectron = join(folder, "Arti key's Electron");
      writeFileSync(
        fakeElectron,
        '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"; for a in "$@"; do echo "[$a]"; done\n',
        { mode: 0o755 },
      );
      const [artikey] = cliShims(
        { platform: 'linux', env: {}, home: folder },
        fakeElectron,
        '/opt/Artikey/resources/cli',
      );
      expect(artikey).toMatchObject({
        path: join(folder, '.local', 'bin', 'artikey'),
        mode: 0o755,
      });
      const shim = join(folder, 'artikey');
      writeFileSync(shim, artikey!.content, { mode: 0o755 });
      const output = execFileSync(shim, ['login', 'acme.jfrog.io', '--name', 'two words'], {
        encoding: 'utf8',
      });
      expect(output).toBe(
        'ELECTRON_RUN_AS_NODE=1\n[/opt/Artikey/resources/cli/artikey.js]\n[login]\n[acme.jfrog.io]\n[--name]\n[two words]\n',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('write .cmd launchers on Windows', () => {
    const shims = cliShims(
      { platform: 'win32', env: { LOCALAPPDATA: 'C:\\L' }, home: 'C:\\U' },
      'C:\\Program Files\\Artikey\\Artikey.exe',
      'C:\\Program Files\\Artikey\\resources\\cli',
    );
    expect(shims.map((s) => s.path.split(/[\\/]/).pop())).toEqual([
      'artikey.cmd',
      'docker-credential-artikey.cmd',
    ]);
    expect(shims[1]?.content).toContain(
      'set ELECTRON_RUN_AS_NODE=1\r\n"C:\\Program Files\\Artikey\\Artikey.exe" ',
    );
    expect(shims[1]?.content).toMatch(/docker-credential-artikey\.cjs" %\*\r\n$/);
  });

  it('installs next to nothing foreign: another program called artikey is left alone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'artikey-shim-'));
    try {
      const environment = { platform: 'linux' as const, env: { PATH: '/usr/bin' }, home };
      const shims = cliShims(environment, '/opt/Artikey/artikey', '/opt/Artikey/cli');
      expect(await shimStatus(environment, shims, true)).toMatchObject({
        installed: false,
        onPath: false,
      });
      await installShims(shims);
      expect(await shimStatus(environment, shims, true)).toMatchObject({
        installed: true,
        onPath: false,
      });
      expect(statSync(shims[0]!.path).mode & 0o777).toBe(0o755);
      await installShims(shims); // again: its own files are replaced
      writeFileSync(shims[0]!.path, '#!/bin/sh\necho someone else\n');
      await expect(installShims(shims)).rejects.toMatchObject({ code: 'file-exists' });
      expect(readFileSync(shims[0]!.path, 'utf8')).toContain('someone else');
      expect(
        await shimStatus(
          { ...environment, env: { PATH: `/usr/bin:${home}/.local/bin/` } },
          shims,
          false,
        ),
      ).toMatchObject({ available: false, installed: false, onPath: true });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
