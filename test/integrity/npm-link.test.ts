import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { npmLinkIntoScratchPrefix } from '../support/npm-link.js';

/** The README's way to reach `artikey` from a source checkout: `npm run build && npm link`. */
describe('npm link from a source checkout', () => {
  let prefix: string;
  beforeAll(() => {
    ensureBuilt();
    prefix = npmLinkIntoScratchPrefix();
  });
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it('puts both commands of package.json bin on the PATH, executable and starting with a shebang', () => {
    const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(Object.keys(bin).sort()).toEqual(['artikey', 'docker-credential-artikey']);
    for (const [name, target] of Object.entries(bin)) {
      expect(readFileSync(join(root, target), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(statSync(join(root, target)).mode & 0o111).toBe(0o111);
      expect(statSync(join(prefix, 'bin', name)).isFile()).toBe(true);
    }
  });

  it('runs artikey --version and the Docker helper through the links', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(
      execFileSync(join(prefix, 'bin', 'artikey'), ['--version'], { encoding: 'utf8' }).trim(),
    ).toBe(version);
    // `list` needs no instance and no keychain entry: `{}` proves the helper itself ran.
    const helper = execFileSync(join(prefix, 'bin', 'docker-credential-artikey'), ['list'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: prefix, XDG_CONFIG_HOME: join(prefix, 'config') },
    });
    expect(JSON.parse(helper)).toEqual({});
  });
});
