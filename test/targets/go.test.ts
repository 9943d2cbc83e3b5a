import { describe, expect, it } from 'vitest';
import {
  editGoEnv,
  goEnvPath,
  goEnvSettings,
  readGoEnv,
} from '../../electron/core/targets/go-env-file.js';
import { go } from '../../electron/core/targets/kinds/go.js';
import type { GoSpec } from '../../electron/core/targets/kinds/go-spec.js';
import { planMigration } from '../../electron/core/migrate.js';
import { findInGoEnv } from '../../electron/core/scan/go.js';
import { cleanerOf, definitionFor } from '../../electron/core/targets/target-kinds.js';
import { targetSpec, type ConfigureOptions } from '../../electron/core/targets/tool-request.js';

const PROXY = 'https://acme.jfrog.io/artifactory/api/go/go-virtual';
const credentials = { username: 'ada', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln' };
const spec: GoSpec = {
  kind: 'go',
  path: '/home/ada/.config/go/env',
  proxyUrl: PROXY,
  noSumDb: null,
  private: null,
  netrcPath: '/home/ada/.netrc',
};

/** Configure, then remove, as a target drives them: the first write notes what it replaced. */
function roundTrip(
  before: string | null,
  asked: Partial<GoSpec> = {},
): { written: string; removed: string; restore: Record<string, string> } {
  const target = { ...spec, ...asked };
  const restore: Record<string, string> = {};
  const written = go.writer(target, credentials, restore, false)(before);
  const record = { ...target, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: go.remover(record)(written), restore };
}

describe('the Go env file, as cmd/go reads and writes it', () => {
  it('reads KEY=VALUE split at the first =, the value verbatim, skipping comments and lines the go command skips', () => {
    const text =
      '# GOPROXY=https://commented.example\nGOPROXY=https://a.example,direct\ngoproxy=x\n GOFLAGS=-x\nGONOSUMDB= corp.example=1 \r\nGOPROXY=https://b.example';
    expect(goEnvSettings(text)).toEqual([
      { key: 'GOPROXY', value: 'https://a.example,direct', line: 2 },
      { key: 'GONOSUMDB', value: ' corp.example=1 \r', line: 5 },
      { key: 'GOPROXY', value: 'https://b.example', line: 6 },
    ]);
    // The last line of a key is the one the go command uses.
    expect(readGoEnv(text, 'GOPROXY')).toBe('https://b.example');
    expect(readGoEnv(text, 'GOPRIVATE')).toBeUndefined();
  });

  it('changes a setting on its own (last) line, adds one at the end, and takes one out, keeping every other byte', () => {
    const text = 'GOPROXY=a\n# note\nGOPROXY=b\r\nGOFLAGS=-mod=mod';
    expect(editGoEnv(text, [{ key: 'GOPROXY', set: 'c' }])).toBe(
      'GOPROXY=a\n# note\nGOPROXY=c\nGOFLAGS=-mod=mod',
    );
    const added = editGoEnv(text, [{ key: 'GONOSUMDB', set: 'corp' }]);
    expect(added).toBe(`${text}\nGONOSUMDB=corp`);
    expect(editGoEnv(added, [{ key: 'GONOSUMDB', remove: true }])).toBe(text);
    expect(editGoEnv(null, [{ key: 'GOPROXY', set: 'c' }])).toBe('GOPROXY=c\n');
  });

  it('is found where `go env GOENV` says, on each platform, and nowhere with GOENV=off', () => {
    const on = (platform: NodeJS.Platform, env: Record<string, string> = {}) =>
      goEnvPath({ platform, env, home: '/home/ada' });
    expect(on('linux')).toEqual({ path: '/home/ada/.config/go/env' });
    expect(on('linux', { XDG_CONFIG_HOME: '/xdg' })).toEqual({ path: '/xdg/go/env' });
    expect(on('linux', { GOENV: '/etc/go.env' })).toEqual({ path: '/etc/go.env' });
    expect(on('darwin')).toEqual({ path: '/home/ada/Library/Application Support/go/env' });
    expect(
      goEnvPath({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toEqual({
      path: 'C:\\Users\\ada\\AppData\\Roaming\\go\\env',
    });
    expect(on('linux', { GOENV: 'off' })).toEqual({ none: expect.stringContaining('GOENV=off') });
    expect(on('linux', { XDG_CONFIG_HOME: 'rel' })).toEqual({
      none: expect.stringContaining('relative'),
    });
  });
});

describe('go: GOPROXY in the Go env file, its credentials in .netrc', () => {
  const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
  const request = (
    options: ConfigureOptions,
    env: Record<string, string> = {},
    platformUrl = 'https://acme.jfrog.io/',
  ) => {
    const spec = targetSpec(
      'go',
      { platformUrl },
      { repo: 'go-virtual', ...options },
      { ...environment, env },
    );
    return [spec, definitionFor(spec).companion?.(spec)];
  };

  it('configures GOPROXY to the repository alone and the .netrc entry of its host as its companion', () => {
    expect(request({})).toEqual([
      { ...spec },
      { kind: 'netrc', path: '/home/ada/.netrc', machine: 'acme.jfrog.io' },
    ]);
    expect(
      request(
        { noSumDb: ' github.com/acme/* ', goPrivate: 'corp.example' },
        { NETRC: '/ci/netrc', GOENV: '/ci/go.env' },
      ),
    ).toEqual([
      {
        ...spec,
        path: '/ci/go.env',
        noSumDb: 'github.com/acme/*',
        private: 'corp.example',
        netrcPath: '/ci/netrc',
      },
      { kind: 'netrc', path: '/ci/netrc', machine: 'acme.jfrog.io' },
    ]);
  });

  it('refuses what could never work, saying why: GOENV=off, plain HTTP, patterns with spaces', () => {
    expect(() => request({}, { GOENV: 'off' })).toThrow(
      /GOENV=off turns the Go env file off; unset GOENV or pass --file <path>/,
    );
    const [plain] = request({}, {}, 'http://art.example/');
    const instance = {
      instanceName: 'art',
      platform: new URL('http://art.example/'),
      refuse: (what: string): never => {
        throw new Error(what);
      },
      sameHost: () => undefined,
    };
    expect(() => go.checkBelongs(plain as GoSpec, instance)).toThrow(
      /the go command sends \.netrc credentials only over https, and http:\/\/art\.example\/artifactory\/api\/go\/go-virtual is plain HTTP/,
    );
    expect(() => request({ noSumDb: 'a, b' })).toThrow(
      /--nosumdb takes Go's comma-separated module patterns without spaces/,
    );
  });

  it("replaces the person's GOPROXY and puts it back byte for byte, comments and other settings untouched", () => {
    const before =
      '# my Go settings\nGOPROXY=https://proxy.golang.org|direct\nGOFLAGS=-mod=mod\r\nGONOSUMDB=old.example\n';
    const { written, removed, restore } = roundTrip(before, { noSumDb: 'corp.example/*' });
    expect(written).toBe(
      `# my Go settings\nGOPROXY=${PROXY}\nGOFLAGS=-mod=mod\r\nGONOSUMDB=corp.example/*\n`,
    );
    expect(restore).toEqual({
      GOPROXY: 'https://proxy.golang.org|direct',
      GONOSUMDB: 'old.example',
    });
    expect(removed).toBe(before);
  });

  it('adds to a file without a final line break and leaves it as it was; a file it created goes back to empty', () => {
    const before = 'GOFLAGS=-modcacherw';
    const { written, removed } = roundTrip(before, { private: 'corp.example' });
    expect(written).toBe(`GOFLAGS=-modcacherw\nGOPROXY=${PROXY}\nGOPRIVATE=corp.example`);
    expect(removed).toBe(before);
    expect(roundTrip(null)).toMatchObject({ written: `GOPROXY=${PROXY}\n`, removed: '' });
  });

  it('keeps a GOPROXY list that names the repository, taking only the credentials out, and never notes a secret', () => {
    const before = `GOPROXY=https://ada:${credentials.token}@acme.jfrog.io/artifactory/api/go/go-virtual/,direct\n`;
    const { written, removed, restore } = roundTrip(before);
    expect(written).toBe('GOPROXY=https://acme.jfrog.io/artifactory/api/go/go-virtual/,direct\n');
    expect(JSON.stringify(restore)).not.toContain(credentials.token);
    expect(removed).toBe(written);
  });

  // The credentials were taken to end at the first `@`: a user name with an `@` in it left
  // `corp:<secret>@` in the file, and an `@` after `#` took the host for a user name, so the
  // person's GOPROXY came back as `https://`. Go's url.Parse ends the authority at `/`, `?` or `#`,
  // and the user information at its last `@` (found by fuzzing, test/fuzz/go-env.suite.ts).
  it('takes out the user information as Go reads it: up to the last @ of the host part, and none after #', () => {
    const before = `GOPROXY=https://build@corp:${credentials.token}@acme.jfrog.io/artifactory/api/go/go-virtual,direct\n`;
    const { written, restore } = roundTrip(before);
    expect(written).toBe('GOPROXY=https://acme.jfrog.io/artifactory/api/go/go-virtual,direct\n');
    expect(JSON.stringify(restore)).not.toContain(credentials.token);

    const other = 'GOPROXY=https://proxy.golang.org\r# @\n';
    const replaced = roundTrip(other);
    expect(replaced.restore).toEqual({ GOPROXY: 'https://proxy.golang.org\r# @' });
    expect(replaced.removed).toBe(other);
  });
});

describe('go: migrate takes every copy of the adopted credential out of the env file', () => {
  // Fuzzing (test/fuzz/go-env.suite.ts, migrate) found: with the credential in a GOPROXY line a
  // later GOPROXY overrides, migrate rewrote only the line the go command reads and left the
  // plain-text secret on disk, where the next scan found it again.
  it('strips the credentials of an overridden GOPROXY line naming the proxy, keeping a ${VAR} one and other proxies', () => {
    const platformUrl = 'https://acme.jfrog.io/';
    const withKey = 'https://ada:old-secret@acme.jfrog.io/artifactory/api/go/go-virtual';
    const original = `GOPROXY=${withKey},direct\r\nGOPROXY=https://ci:\${GO_TOKEN}@acme.jfrog.io/artifactory/api/go/go-virtual\nGOPROXY=https://other:pw@goproxy.io\n`;
    const file = '/home/ada/.config/go/env';
    const context = {
      tool: 'go' as const,
      file,
      instances: [{ id: 'a', platformUrl, registryHost: '' }],
    };
    const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
    const steps = planMigration(
      findInGoEnv(context, original).found,
      { id: 'a', platformUrl, username: null },
      [],
      environment,
    );
    let text = original;
    for (const step of steps) {
      if (step.action !== 'replace') continue;
      text = go.writer(step.target as GoSpec, credentials, {}, false)(text);
      if (step.cleanup) text = cleanerOf(step.cleanup.kind)!.edit(text, step.cleanup);
    }
    expect(text).not.toContain('old-secret');
    expect(text).toBe(
      `GOPROXY=https://acme.jfrog.io/artifactory/api/go/go-virtual,direct\r\nGOPROXY=https://ci:\${GO_TOKEN}@acme.jfrog.io/artifactory/api/go/go-virtual\nGOPROXY=https://acme.jfrog.io/artifactory/api/go/go-virtual\n`,
    );
  });
});
