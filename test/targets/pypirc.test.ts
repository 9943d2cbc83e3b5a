import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pip } from '../../electron/core/targets/kinds/pip.js';
import { pypirc } from '../../electron/core/targets/kinds/pypirc.js';
import type { PypircSpec } from '../../electron/core/targets/kinds/pypirc-spec.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';

const URL = 'https://acme.jfrog.io/artifactory/api/pypi/pypi-local';
const spec: PypircSpec = {
  kind: 'pypirc',
  path: '/home/ada/.pypirc',
  section: 'acme',
  repositoryUrl: URL,
};
const credentials = { username: 'ada', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln%(home)s' };

/** The Python twine runs with, from its own `#!` line (another Python on PATH may not have it). */
function twinePython(): string {
  const twine = spawnSync('sh', ['-c', 'command -v twine'], { encoding: 'utf8' }).stdout.trim();
  expect(twine, 'twine is not installed (Debian package twine)').not.toBe('');
  return /^#!\s*(\S+)/.exec(readFileSync(twine, 'utf8'))?.[1] ?? 'python3';
}

/** What twine 4 itself makes of the file: its own `get_config`, RawConfigParser and all. */
function twineConfig(text: string): Record<string, Record<string, string | null>> {
  const dir = mkdtempSync(join(tmpdir(), 'pypirc-'));
  try {
    const file = join(dir, '.pypirc');
    writeFileSync(file, text);
    const run = spawnSync(
      twinePython(),
      [
        '-c',
        'import sys, json; from twine.utils import get_config; print(json.dumps(get_config(sys.argv[1])))',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, Record<string, string | null>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function writeThenRemove(
  before: string | null,
  target: PypircSpec = spec,
): { written: string; removed: string } {
  const restore: Record<string, string> = {};
  const written = pypirc.writer(target, credentials, restore, false)(before);
  const record = { ...target, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: pypirc.remover(record)(written) };
}

describe('pypirc: twine upload configuration', () => {
  it('defaults the section to the instance name made safe, else artikey; --section must be a plain name', () => {
    const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
    const made = (name: string, section?: string) =>
      <PypircSpec>(
        targetSpec(
          'pypirc',
          { platformUrl: 'https://acme.jfrog.io/', name },
          { repo: 'pypi-local', section },
          environment,
        )
      );
    expect(made('Acme Prod')).toMatchObject({
      section: 'acme-prod',
      repositoryUrl: URL,
      path: '/home/ada/.pypirc',
    });
    expect(made('***').section).toBe('artikey');
    expect(made('distutils').section).toBe('artikey');
    expect(made('x', 'corp').section).toBe('corp');
    expect(() => made('x', 'a]b')).toThrow(/--section "a\]b"/);
    expect(() => made('x', 'distutils')).toThrow(/--section "distutils"/);
  });

  it('a new file: twine reads the section, keeps its pypi and testpypi defaults, and removal leaves nothing', () => {
    const { written, removed } = writeThenRemove(null);
    const config = twineConfig(written);
    expect(config['acme']).toMatchObject({
      repository: URL,
      username: 'ada',
      password: credentials.token,
    });
    expect(config['testpypi']?.['repository']).toBe('https://test.pypi.org/legacy/');
    expect(removed.trim()).toBe('');
  });

  it('a token with % reaches twine as written (twine reads .pypirc without interpolation)', () => {
    expect(twineConfig(writeThenRemove(null).written)['acme']?.['password']).toContain('%(home)s');
  });

  it("adds the section to the person's multi-line index-servers in its own style, and gives back every byte", () => {
    const before =
      '# uploads\r\n[distutils]\r\nindex-servers =\r\n\tpypi\r\n\tcorp\r\n\r\n[corp]\r\nrepository: https://corp.example/upload\r\nusername = me\r\n; keep\r\n';
    const { written, removed } = writeThenRemove(before);
    expect(written).toContain('index-servers =\r\n\tpypi\r\n\tcorp\r\n\tacme\r\n');
    const config = twineConfig(written);
    expect(config['corp']?.['repository']).toBe('https://corp.example/upload');
    expect(config['acme']?.['password']).toBe(credentials.token);
    expect(removed).toBe(before);
  });

  it('a one-line index-servers gets the name after a space; the person adding a server meanwhile keeps it', () => {
    const before = '[distutils]\nindex-servers = pypi\n';
    const restore: Record<string, string> = {};
    const written = pypirc.writer(spec, credentials, restore, false)(before);
    expect(written).toContain('index-servers = pypi acme\n');
    const edited = written.replace('pypi acme', 'pypi acme other');
    const record = { ...spec, restore, createdFile: false, writtenAt: null, error: null };
    expect(pypirc.remover(record)(edited)).toBe('[distutils]\nindex-servers = pypi other\n');
  });

  it('takes over a section the person wrote with a password: user and URL come back, the password does not', () => {
    const before = `[distutils]\nindex-servers =\n    acme\n\n[acme]\nrepository = ${URL}\nusername = old\npassword = hunter2\n`;
    const { written, removed } = writeThenRemove(before);
    expect(written).not.toContain('hunter2');
    expect(written.match(/acme/g)).toHaveLength(3);
    expect(removed).toBe(
      `[distutils]\nindex-servers =\n    acme\n\n[acme]\nrepository = ${URL}\nusername = old\n`,
    );
  });

  it('a rewrite on refresh changes only the password', () => {
    const { written } = writeThenRemove(null);
    const next = pypirc.writer(spec, { ...credentials, token: 'new-token' }, null, false)(written);
    expect(next).toBe(written.replace(credentials.token, 'new-token'));
  });
});

/** Shrunk counterexamples of test/fuzz/ini.suite.ts. */
describe('pypirc and pip.conf: what unconfigure gives back (found by fuzzing)', () => {
  it("keeps the person's own empty section header (pypirc)", () => {
    // Broke: "[acme]" held only what Artikey wrote, so removal dropped the person's header too.
    const before = '[distutils]\nindex-servers = \n[acme]';
    expect(writeThenRemove(before).removed).toBe(before);
  });

  it("keeps the person's own empty [global] (pip)", () => {
    // Broke: the same, for pip.conf's [global].
    const pipSpec = {
      kind: 'pip' as const,
      path: '/home/ada/.config/pip/pip.conf',
      indexUrl: `${URL}/simple/`,
    };
    const restore: Record<string, string> = {};
    const written = pip.writer(pipSpec, credentials, restore, false)('[global]');
    const record = { ...pipSpec, restore, createdFile: false, writtenAt: null, error: null };
    expect(pip.remover(record)(written)).toBe('[global]');
  });

  it('keeps no password in the restore notes when the URL is one the WHATWG parser refuses (pip)', () => {
    // Broke: new URL() threw on the host, so the raw URL, password included, went to the state file and came back.
    const pipSpec = {
      kind: 'pip' as const,
      path: '/home/ada/.config/pip/pip.conf',
      indexUrl: `${URL}/simple/`,
    };
    // A user name with an `@` in it, which urllib reads up to the last `@`, left `secret@`.
    for (const user of ['someone', 'some@corp']) {
      const restore: Record<string, string> = {};
      const before = `[global]\nindex-url = https://${user}:secret@sub.127.0.0.1/simple/\n`;
      const written = pip.writer(pipSpec, credentials, restore, false)(before);
      expect(JSON.stringify(restore)).not.toContain('secret');
      const record = { ...pipSpec, restore, createdFile: false, writtenAt: null, error: null };
      expect(pip.remover(record)(written)).toBe(
        '[global]\nindex-url = https://sub.127.0.0.1/simple/\n',
      );
    }
  });
});

describe('pip migrate (found by fuzzing)', () => {
  it("adopts only [global] index-url: another section's stays the person's to edit", () => {
    // Broke: "[freeze] index-url" with a password was "replaced" by writing [global], and its password stayed.
    const found = {
      tool: 'pip' as const,
      file: '/home/ada/.config/pip/pip.conf',
      location: '[freeze] index-url',
      line: 4,
      url: 'https://acme.jfrog.io/other/artifactory/api/pypi/pypi/simple/',
      host: 'acme.jfrog.io',
      username: 'someone',
      kind: 'password' as const,
      expiresAt: null,
      fingerprint: '000000000000',
      instanceId: 'acme',
      secret: 'secret',
    };
    expect(pip.adopt!(found, { platformUrl: 'https://acme.jfrog.io/' })).toBe(
      'only [global] index-url is replaced; edit [freeze] index-url by hand',
    );
  });
});
