import { describe, expect, it } from 'vitest';
import { poetryAuth, poetryRepository } from '../../electron/core/targets/kinds/poetry.js';
import type {
  PoetryAuthSpec,
  PoetryRepositorySpec,
} from '../../electron/core/targets/kinds/poetry-spec.js';
import { definitionFor } from '../../electron/core/targets/target-kinds.js';
import { targetSpec, type ConfigureOptions } from '../../electron/core/targets/tool-request.js';

const URL = 'https://acme.jfrog.io/artifactory/api/pypi/pypi-local';
const credentials = { username: 'ada', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln' };
const auth: PoetryAuthSpec = {
  kind: 'poetry-auth',
  path: '/p/auth.toml',
  name: 'acme',
  url: URL,
  configPath: '/p/config.toml',
};
const repository: PoetryRepositorySpec = {
  kind: 'poetry-repository',
  path: '/p/config.toml',
  name: 'acme',
  url: URL,
};

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function roundTrip<S extends PoetryAuthSpec | PoetryRepositorySpec>(
  kind: typeof poetryAuth | typeof poetryRepository,
  spec: S,
  before: string | null,
): { written: string; removed: string } {
  const restore: Record<string, string> = {};
  const definition = kind as unknown as typeof poetryRepository;
  const target = spec as unknown as PoetryRepositorySpec;
  const written = definition.writer(target, credentials, restore, false)(before);
  const record = { ...target, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: definition.remover(record)(written) };
}

describe('poetry: config.toml repository and auth.toml http-basic', () => {
  const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
  const request = (
    options: ConfigureOptions,
    env: Record<string, string> = {},
    platform: NodeJS.Platform = 'linux',
  ) => {
    const where = { ...environment, env, platform };
    const instance = { platformUrl: 'https://acme.jfrog.io/', name: 'acme.jfrog.io' };
    const spec = targetSpec('poetry', instance, { repo: 'pypi-local', ...options }, where);
    return [spec, definitionFor(spec).companion?.(spec)];
  };

  it("writes auth.toml and, beside it, config.toml, in Poetry's folder on each platform, named so Poetry can read the name", () => {
    expect(request({})).toEqual([
      {
        kind: 'poetry-auth',
        path: '/home/ada/.config/pypoetry/auth.toml',
        name: 'acme-jfrog-io',
        url: URL,
        configPath: '/home/ada/.config/pypoetry/config.toml',
      },
      {
        kind: 'poetry-repository',
        path: '/home/ada/.config/pypoetry/config.toml',
        name: 'acme-jfrog-io',
        url: URL,
      },
    ]);
    expect(request({}, { POETRY_CONFIG_DIR: '/ci/poetry' }).map((s) => s?.path)).toEqual([
      '/ci/poetry/auth.toml',
      '/ci/poetry/config.toml',
    ]);
    expect(request({}, {}, 'darwin')[0]?.path).toBe(
      '/home/ada/Library/Application Support/pypoetry/auth.toml',
    );
    expect(request({ file: '/x/auth.toml' }).map((s) => s?.path)).toEqual([
      '/x/auth.toml',
      '/x/config.toml',
    ]);
    expect(request({ section: 'corp' }).map((s) => (s as PoetryAuthSpec).name)).toEqual([
      'corp',
      'corp',
    ]);
    expect(() => request({ section: 'a.b' })).toThrow(
      /--section "a\.b" is not a Poetry repository name/,
    );
  });

  it("auth.toml: the person's comments and other entries stay; removal gives back every byte", () => {
    const before =
      '# Poetry credentials\r\n[http-basic.corp] # the other one\r\nusername = "me"\r\n';
    const { written, removed } = roundTrip(poetryAuth, auth, before);
    expect(written).toContain('[http-basic.acme]');
    expect(written).toContain(`password = "${credentials.token}"`);
    expect(removed).toBe(before);
  });

  it('auth.toml: a user name Poetry kept beside a keyring password comes back; the password Artikey wrote goes', () => {
    const before = "[http-basic.acme]\nusername = 'old'\n";
    const { written, removed } = roundTrip(poetryAuth, auth, before);
    expect(written).toBe(
      `[http-basic.acme]\nusername = 'ada'\npassword = "${credentials.token}"\n`,
    );
    expect(removed).toBe(before);
  });

  it('config.toml: the url of the repository; a new file is empty again after removal', () => {
    const before =
      '[virtualenvs]\nin-project = true\n\n[repositories.acme]\nurl = "https://old.example/"\n';
    const { written, removed } = roundTrip(poetryRepository, repository, before);
    expect(written).toContain(`url = "${URL}"`);
    expect(removed).toBe(before);
    expect(roundTrip(poetryRepository, repository, null).removed.trim()).toBe('');
  });

  it('a rewrite on refresh changes only the password', () => {
    const { written } = roundTrip(poetryAuth, auth, null);
    expect(poetryAuth.writer(auth, { ...credentials, token: 'new' }, null, false)(written)).toBe(
      written.replace(credentials.token, 'new'),
    );
  });

  // Fuzzing (test/fuzz/toml.suite.ts) found unconfigure failing ("not one TOML value") after a
  // first write over a URL holding a password: the URL was noted without it, but unquoted.
  it('puts back a repository URL that held a password as that URL alone, quoted', () => {
    const before = '[repositories.acme]\nurl = "https://ada:pa55word@acme.jfrog.io/simple"\n';
    expect(roundTrip(poetryRepository, repository, before).removed).toBe(
      '[repositories.acme]\nurl = "https://acme.jfrog.io/simple"\n',
    );
  });

  // Fuzzing (test/fuzz/toml.suite.ts) found unconfigure taking out the person's own empty
  // [http-basic.<name>] header along with Artikey's keys under it.
  it("keeps the person's empty table header that Artikey wrote under", () => {
    const before = '[http-basic.acme] # mine\n\n[repositories]\n';
    expect(roundTrip(poetryAuth, auth, before).removed).toBe(before);
  });
});
