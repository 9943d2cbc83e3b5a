import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUsername } from '../../electron/core/usernames.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { writeTarget } from '../../electron/core/targets/targets.js';
import type { MethodName, Result } from '../../electron/ipc/contract.js';
import { createHandlers } from '../../electron/main/api.js';
import { createDispatcher } from '../../electron/main/dispatcher.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { recordingDialogs } from '../support/dialogs.js';

/**
 * Threat: a compromised window page makes main write into any file (`tools.configure` with a
 * `file` such as ~/.bashrc) or smuggles lines into a tool file through a user name
 * (`alice$(touch /tmp/x)` then a newline and `foo=bar`). The page only reaches main through the
 * IPC handlers, so the attack goes through the real dispatcher, handlers and core here.
 */

const INJECTED = 'alice$(touch /tmp/artikey-pwned)\nfoo=bar';
const unchanged = (file: string): (() => void) => {
  const bytes = readFileSync(file);
  const mtime = statSync(file).mtimeMs;
  return () => {
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
  };
};

describe('the window page cannot make main write arbitrary files or lines', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let dispatch: (method: MethodName, ...args: unknown[]) => Promise<Result<unknown>>;
  let bashrc: string;

  beforeAll(async () => {
    fake = await startFakeArtifactory();
    t = testArtikey(fake);
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    // Only the Electron side (desktop, clipboard, browser) is stood in for; none is used here.
    const handlers = createHandlers({
      artikey: t.artikey,
      environment: { platform: 'linux', env: {}, home: t.home },
      desktop: {} as never,
      clipboard: {} as never,
      browserLogins: {} as never,
      // Main's dialogs answer no: nothing here may need the person's consent.
      dialogs: recordingDialogs(),
      nextRefreshes: () => new Map(),
      logger: quiet,
    });
    const dispatcher = createDispatcher(handlers, quiet);
    dispatch = (method, ...args) => dispatcher(method, args);
    bashrc = join(t.home, '.bashrc');
    writeFileSync(bashrc, 'export PATH="$HOME/bin:$PATH"\n');
  });
  afterAll(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    await fake.stop();
  });

  it('login.token refuses a user name carrying a shell command and a second line; nothing is stored or written', async () => {
    const reference = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400, includeReferenceToken: true }).referenceToken;
    const result = await dispatch('login.token', { url: fake.url, token: reference, username: INJECTED });
    expect(result).toMatchObject({ ok: false, code: 'invalid-username' });
    expect(JSON.stringify(result)).not.toContain('touch');
    expect(await t.artikey.list()).toEqual([]);
    expect(fake.requests.list({ path: '/access/api/v1/tokens' })).toEqual([]);
  });

  it('every login method refuses such a user name before asking the server', async () => {
    fake.requests.clear();
    const refusals = [
      await dispatch('login.password', { url: fake.url, username: INJECTED, password: DEMO_USER.password }),
      await dispatch('login.apiKey', { url: fake.url, apiKey: fake.createApiKey(DEMO_USER.name), username: 'alice:admin' }),
      await dispatch('login.token', { url: fake.url, token: fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt, username: 'alice bob' }),
    ];
    for (const result of refusals) expect(result).toMatchObject({ ok: false, code: 'invalid-username' });
    expect(fake.requests.list()).toEqual([]);
    expect(await t.artikey.list()).toEqual([]);
  });

  it("login.token refuses a user name that is not the token's subject, and accepts it in another case", async () => {
    const jwt = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    const wrong = await dispatch('login.token', { url: fake.url, token: jwt, username: 'bob' });
    expect(wrong).toMatchObject({ ok: false, code: 'invalid-username' });
    expect(wrong.ok ? '' : wrong.message).toMatch(/belongs to alice/);
    expect(await t.artikey.list()).toEqual([]);
    const right = await dispatch('login.token', { url: fake.url, token: jwt, username: 'ALICE' });
    expect(right).toMatchObject({ ok: true });
  });

  it('tools.configure and tools.preview take no file path: a page naming ~/.bashrc is refused by the schema', async () => {
    const [instance] = await t.artikey.list();
    const same = unchanged(bashrc);
    for (const method of ['tools.configure', 'tools.preview'] as const) {
      const result = await dispatch(method, instance!.id, { tool: 'gradle', file: bashrc });
      expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
    }
    same();
  });
});

describe('every tool editor refuses a value its format cannot hold, leaving the file byte for byte', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    t = testArtikey(fake);
  });
  afterAll(async () => {
    t.cleanup();
    await fake.stop();
  });

  const base = 'https://acme.jfrog.io/artifactory';
  const existing: Record<TargetSpec['kind'], string> = {
    'docker-helper': '{\n  "auths": {}\n}\n',
    'docker-auths': '{\n  "auths": {}\n}\n',
    npm: 'save-exact=true\n',
    maven: '<settings>\n  <servers/>\n</settings>\n',
    pip: '[global]\ntimeout = 60\n',
    netrc: 'machine other.example login me password secret\n',
    gradle: 'org.gradle.daemon=true\n',
    podman: '{\n  "auths": {}\n}\n',
    pypirc: '[distutils]\nindex-servers =\n    pypi\n',
    'poetry-auth': '[http-basic.other]\nusername = "me"\n',
    'poetry-repository': '[repositories.other]\nurl = "https://example.invalid/"\n',
    yarn: 'nodeLinker: node-modules\n',
    cargo: '[registries.other]\ntoken = "Bearer x"\n',
    'cargo-registry': '[net]\ngit-fetch-with-cli = true\n',
    helm: 'apiVersion: ""\nrepositories:\n- name: other\n  url: https://charts.example.invalid\n',
    go: '# mine\nGOFLAGS=-mod=mod\n',
    bun: '[install]\nexact = true\n',
    uv: '[pip]\nno-cache = true\n',
    nuget: '<configuration>\n  <packageSources>\n    <add key="other" value="https://example.invalid/" />\n  </packageSources>\n</configuration>\n',
    'jfrog-cli': '{\n  "servers": [],\n  "version": "6"\n}',
    conan: '{\n    "credentials": []\n}\n',
    'conan-remote': '{\n "remotes": []\n}',
    terraform: 'plugin_cache_dir = "/tmp/tf"\n',
    sbt: '# sbt\n',
  };
  const spec = (kind: TargetSpec['kind'], path: string): TargetSpec => {
    switch (kind) {
      case 'docker-helper':
      case 'docker-auths':
      case 'podman':
        return { kind, path, hosts: ['acme.jfrog.io'] };
      case 'npm':
        return { kind, path, registryUrl: `${base}/api/npm/npm-virtual/`, scope: null, setRegistry: true };
      case 'maven':
        return { kind, path, serverId: 'artifactory-mirror', mirror: null };
      case 'pip':
        return { kind, path, indexUrl: `${base}/api/pypi/pypi-virtual/simple/` };
      case 'netrc':
        return { kind, path, machine: 'acme.jfrog.io' };
      case 'gradle':
        return { kind, path, prefix: 'artifactory', contextUrl: base };
      case 'pypirc':
        return { kind, path, section: 'acme', repositoryUrl: `${base}/api/pypi/pypi-local` };
      case 'poetry-auth':
        return { kind, path, name: 'acme', url: `${base}/api/pypi/pypi-local`, configPath: join(path, '..', 'config.toml') };
      case 'poetry-repository':
        return { kind, path, name: 'acme', url: `${base}/api/pypi/pypi-local` };
      case 'yarn':
        return { kind, path, registryUrl: `${base}/api/npm/npm-virtual/`, registryKey: '//acme.jfrog.io/artifactory/api/npm/npm-virtual/', scope: null, setRegistry: true };
      case 'cargo':
        return { kind, path, registryName: 'artifactory', indexUrl: `sparse+${base}/api/cargo/cargo-virtual/index/`, configPath: join(path, '..', 'config.toml') };
      case 'cargo-registry':
        return { kind, path, registryName: 'artifactory', indexUrl: `sparse+${base}/api/cargo/cargo-virtual/index/` };
      case 'helm':
        return { kind, path, name: 'helm-virtual', url: `${base}/api/helm/helm-virtual` };
      case 'go':
        return { kind, path, proxyUrl: `${base}/api/go/go-virtual`, noSumDb: null, private: null, netrcPath: join(path, '..', '.netrc') };
      case 'bun':
        return { kind, path, registryUrl: `${base}/api/npm/npm-virtual/`, scope: '@acme' };
      case 'uv':
        return { kind, path, name: 'acme', url: `${base}/api/pypi/pypi-virtual/simple`, setDefault: true, netrcPath: join(path, '..', 'netrc') };
      case 'nuget':
        return { kind, path, name: 'Artifactory', url: `${base}/api/nuget/v3/nuget-virtual`, protocol: 'v3' };
      case 'jfrog-cli':
        return { kind, path, serverId: 'acme', url: 'https://acme.jfrog.io/', makeDefault: false };
      case 'conan':
        return { kind, path, remoteName: 'conan-local', url: `${base}/api/conan/conan-local`, remotesPath: join(path, '..', 'remotes.json') };
      case 'conan-remote':
        return { kind, path, remoteName: 'conan-local', url: `${base}/api/conan/conan-local` };
      case 'terraform':
        return { kind, path, host: 'acme.jfrog.io' };
      case 'sbt':
        return { kind, path, host: 'acme.jfrog.io', contextUrl: base };
    }
  };
  const attempt = async (name: string, target: (path: string) => TargetSpec, credentials: { username: string; token: string }, field: RegExp): Promise<void> => {
    const dir = join(t.home, name);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'file');
    writeFileSync(path, existing[target(path).kind]);
    utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const same = unchanged(path);
    const failure = await writeTarget(target(path), credentials).then(() => null, (error: unknown) => error as Error & { code: string });
    expect(failure).toMatchObject({ code: 'tool-file-unsafe-value' });
    expect(failure?.message).toMatch(field);
    expect(failure?.message).not.toContain(credentials.token.trim());
    same();
    expect(existsSync(`${path}.artikey-backup`)).toBe(false);
  };
  const good = { username: 'alice', token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' };

  it.each(['docker-auths', 'maven', 'pip', 'netrc', 'gradle', 'pypirc', 'poetry-auth', 'helm', 'nuget', 'jfrog-cli', 'conan', 'sbt'] as const)('%s: a user name with a newline', async (kind) => {
    await attempt(`user-${kind}`, (path) => spec(kind, path), { ...good, username: INJECTED }, /user name/);
  });

  it.each(['docker-auths', 'npm', 'maven', 'pip', 'netrc', 'gradle', 'pypirc', 'poetry-auth', 'yarn', 'cargo', 'helm', 'bun', 'nuget', 'jfrog-cli', 'conan', 'terraform', 'sbt'] as const)('%s: a token with a newline or carriage return', async (kind) => {
    await attempt(`token-${kind}`, (path) => spec(kind, path), { ...good, token: `${good.token}\r\nfoo=bar` }, /token/);
  });

  it.each(['docker-helper', 'docker-auths', 'podman'] as const)('%s: a registry host with a newline', async (kind) => {
    await attempt(`host-${kind}`, (path) => ({ ...spec(kind, path), hosts: ['acme.jfrog.io\nevil'] }) as TargetSpec, good, /registry host/);
  });

  it('npm: a registry URL with a newline', async () => {
    await attempt('url-npm', (path) => ({ ...spec('npm', path), registryUrl: `${base}/api/npm/x/\n//evil/:_authToken=x` }) as TargetSpec, good, /registry URL/);
  });

  it('yarn: a registry key or URL with a line break', async () => {
    await attempt('key-yarn', (path) => ({ ...spec('yarn', path), registryKey: '//acme.jfrog.io/x/"\nnpmAuthToken: x' }) as TargetSpec, good, /registry key/);
    await attempt('url-yarn', (path) => ({ ...spec('yarn', path), registryUrl: `${base}/api/npm/x/\u2028` }) as TargetSpec, good, /registry URL/);
  });

  it('maven: a server id with a control character', async () => {
    await attempt('id-maven', (path) => ({ ...spec('maven', path), serverId: 'mirror\u0000' }) as TargetSpec, good, /server id/);
  });

  it('netrc: a user name with a space or #', async () => {
    await attempt('space-netrc', (path) => spec('netrc', path), { ...good, username: 'alice password x' }, /user name/);
    await attempt('hash-netrc', (path) => spec('netrc', path), { ...good, username: 'alice#x' }, /user name/);
  });

  it('bun: a scope or registry URL with a line break', async () => {
    await attempt('scope-bun', (path) => ({ ...spec('bun', path), scope: '@a"\n[install]\nregistry = "x' }) as TargetSpec, good, /scope/);
    await attempt('url-bun', (path) => ({ ...spec('bun', path), registryUrl: `${base}/api/npm/x/\u2028` }) as TargetSpec, good, /registry URL/);
  });

  it('uv: an index name or URL that would break out of its [[index]]', async () => {
    await attempt('name-uv', (path) => ({ ...spec('uv', path), name: 'a"\nurl = "https://evil.example/' }) as TargetSpec, good, /index name/);
    await attempt('url-uv', (path) => ({ ...spec('uv', path), url: `${base}/api/pypi/x/simple\n[[index]]` }) as TargetSpec, good, /index URL/);
  });

  it('cargo: a registry name or index URL that would break out of its table', async () => {
    await attempt('name-cargo', (path) => ({ ...spec('cargo', path), registryName: 'a]\n[registries.evil' }) as TargetSpec, good, /registry name/);
    await attempt('url-cargo', (path) => ({ ...spec('cargo-registry', path), indexUrl: 'sparse+https://acme.jfrog.io/x/\nindex = "evil"' }) as TargetSpec, good, /index URL/);
  });

  it('helm: a repository name Helm refuses, or a URL with a line break', async () => {
    await attempt('name-helm', (path) => ({ ...spec('helm', path), name: 'a/b' }) as TargetSpec, good, /repository name/);
    await attempt('line-helm', (path) => ({ ...spec('helm', path), name: 'x\n- name: evil' }) as TargetSpec, good, /repository name/);
    await attempt('url-helm', (path) => ({ ...spec('helm', path), url: `${base}/api/helm/x\n  password: evil` }) as TargetSpec, good, /repository URL/);
  });
  it('go: a GOPROXY or module patterns that would start another setting or another proxy', async () => {
    await attempt('url-go', (path) => ({ ...spec('go', path), proxyUrl: `${base}/api/go/x\nGOFLAGS=-insecure` }) as TargetSpec, good, /GOPROXY/);
    await attempt('list-go', (path) => ({ ...spec('go', path), proxyUrl: `${base}/api/go/x,https://evil.example` }) as TargetSpec, good, /GOPROXY/);
    await attempt('nosumdb-go', (path) => ({ ...spec('go', path), noSumDb: 'corp.example\rGOPROXY=https://evil.example' }) as TargetSpec, good, /GONOSUMDB/);
    await attempt('private-go', (path) => ({ ...spec('go', path), private: 'corp.example other' }) as TargetSpec, good, /GOPRIVATE/);
  });
  it('nuget: a source name with a line break, or a token, user name or URL NuGet would read %VAR% in', async () => {
    await attempt('name-nuget', (path) => ({ ...spec('nuget', path), name: 'a\n<evil/>' }) as TargetSpec, good, /source name/);
    await attempt('token-nuget', (path) => spec('nuget', path), { ...good, token: 'abc%HOME%' }, /token/);
    await attempt('user-nuget', (path) => spec('nuget', path), { ...good, username: '%USER%' }, /user name/);
    await attempt('url-nuget', (path) => ({ ...spec('nuget', path), url: `${base}/api/nuget/%PATH%` }) as TargetSpec, good, /source URL/);
  });
  it('jfrog: a server id or URL with a quote or line break', async () => {
    await attempt('id-jfrog', (path) => ({ ...spec('jfrog-cli', path), serverId: 'a", "isDefault": true, "x": "' }) as TargetSpec, good, /server id/);
    await attempt('url-jfrog', (path) => ({ ...spec('jfrog-cli', path), url: 'https://acme.jfrog.io/\n' }) as TargetSpec, good, /URL/);
  });

  it('conan: a token or user name Jinja would run, a remote name or URL with a quote or line break', async () => {
    await attempt('jinja-conan', (path) => spec('conan', path), { ...good, token: `${good.token}{{ 7*7 }}` }, /token/);
    await attempt('jinja-user-conan', (path) => spec('conan', path), { ...good, username: 'a{%x%}' }, /user name/);
    await attempt('name-conan', (path) => ({ ...spec('conan-remote', path), remoteName: 'a", "url": "x' }) as TargetSpec, good, /remote name/);
    await attempt('url-conan', (path) => ({ ...spec('conan-remote', path), url: 'https://acme.jfrog.io/\n' }) as TargetSpec, good, /remote URL/);
  });

  it('gradle: a property prefix Java would read as a separator', async () => {
    await attempt('prefix-gradle', (path) => ({ ...spec('gradle', path), prefix: 'a=b' }) as TargetSpec, good, /prefix/);
    await attempt('colon-gradle', (path) => ({ ...spec('gradle', path), prefix: 'a:b' }) as TargetSpec, good, /prefix/);
  });
  it('terraform: a token or host that would end the HCL string or start a template', async () => {
    await attempt('quote-terraform', (path) => spec('terraform', path), { ...good, token: `${good.token}"\n}\ncredentials "evil" {` }, /token/);
    await attempt('template-terraform', (path) => spec('terraform', path), { ...good, token: '${file("/etc/passwd")}' }, /token/);
    await attempt('host-terraform', (path) => ({ ...spec('terraform', path), host: 'acme.jfrog.io" {\n' }) as TargetSpec, good, /host/);
  });
});

describe('user names: what Artifactory names look like', () => {
  it.each(['alice', 'first.last@company.com', 'DOMAIN\\alice', 'o_brien-2', 'jos\u00e9', 'svc+ci@corp.example'])('accepts %j', (name) => {
    expect(checkUsername(name)).toBe(name);
  });
  it.each(['', 'alice bob', 'alice\tbob', 'alice\nfoo=bar', 'alice\r', 'alice\u0000', 'alice:admin', 'alice$(id)', 'alice`id`', 'alice;rm', 'a'.repeat(256), 'alice"', "alice'", 'alice<x>', 'alice#x'])('refuses %j', (name) => {
    expect(() => checkUsername(name)).toThrow(expect.objectContaining({ code: 'invalid-username' }) as Error);
  });
});
