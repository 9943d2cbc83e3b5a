import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliShims, shimFolder } from '../../electron/main/cli-shims.js';

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
    expect(shims[1]?.content).toMatch(/docker-credential-artikey\.js" %\*\r\n$/);
  });
});
