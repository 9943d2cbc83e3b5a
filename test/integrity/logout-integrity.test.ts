import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { targetSpec, type ConfigureOptions, type Tool } from '../../electron/core/targets/tool-request.js';
import { Vault, VaultError, type SecretBackend } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { realKeychain } from '../support/keychain.js';
import { sourceCli } from '../support/source-cli.js';

/** The real keychain, which a test can lock: reads, deletions or both then fail as a locked keychain does. */
function lockable(backend: SecretBackend) {
  const locked = { get: false, delete: false };
  const refuse = (): never => {
    throw new VaultError('keychain-locked', 'The keychain is locked; unlock it and try again.');
  };
  const wrapped: SecretBackend = {
    description: backend.description,
    maxSecretLength: backend.maxSecretLength,
    get: (account) => (locked.get ? Promise.reject(refuse()) : backend.get(account)),
    set: (account, secret) => backend.set(account, secret),
    delete: (account) => (locked.delete ? Promise.reject(refuse()) : backend.delete(account)),
    accounts: () => backend.accounts(),
  };
  return { backend: wrapped, locked };
}

describe('logout is ordered and resumable: revoke, remove tool entries, forget secrets, forget the instance', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let keychain: ReturnType<typeof lockable>;
  let environment: Environment;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    fake.faults.clear();
    keychain.locked.get = keychain.locked.delete = false;
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  async function loggedIn(): Promise<{ id: string; token: string }> {
    keychain = lockable(realKeychain());
    t = testArtikey(fake, { vault: new Vault(keychain.backend) });
    t.vault = new Vault(keychain.backend);
    environment = { platform: 'linux', env: {}, home: t.home };
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    return { id: instance.id, token: (await t.vault.read(instance.id))!.accessToken };
  }
  const configure = async (id: string, tool: Tool, options: ConfigureOptions = {}, replaceReferences = false) => {
    const view = await t.artikey.instance(id);
    return t.artikey.configureTool(id, targetSpec(tool, view, options, environment), { replaceReferences });
  };
  const live = (token: string): boolean => fake.tokens.lookup(token).ok;
  const bytes = (paths: string[]): string[] => paths.map((p) => readFileSync(p, 'utf8'));
  /** A file Artikey created is deleted with its last entry. */
  const text = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

  it('a keychain that cannot be read changes nothing: tool files, the instance and the server token stay, and the error says so', async () => {
    const { id, token } = await loggedIn();
    await configure(id, 'npm', { repo: 'npm-virtual' });
    await configure(id, 'docker');
    const files = [join(t.home, '.npmrc'), join(t.home, '.docker', 'config.json')];
    const before = bytes(files);
    keychain.locked.get = true;
    const failure = await t.artikey.logout(id).then(
      () => null,
      (error: unknown) => error as VaultError,
    );
    expect(failure?.code).toBe('keychain-locked');
    expect(failure?.message).toMatch(/nothing was changed/i);
    expect(bytes(files)).toEqual(before);
    expect((await t.artikey.list()).map((i) => i.id)).toEqual([id]);
    expect(live(token)).toBe(true);
  });

  it('a keychain that fails while forgetting: revoked and unconfigured, reported, and the next logout completes', async () => {
    const { id, token } = await loggedIn();
    await configure(id, 'npm', { repo: 'npm-virtual' });
    keychain.locked.delete = true;
    const first = await t.artikey.logout(id);
    expect(first).toMatchObject({ token: { outcome: 'revoked' }, secretsForgotten: false, instanceForgotten: false, complete: false });
    expect(first.secretsFailure?.code).toBe('keychain-locked');
    expect(first.targetsRemoved.map((r) => r.kind)).toEqual(['npm']);
    expect(live(token)).toBe(false);
    expect(text(join(t.home, '.npmrc'))).not.toContain(token);
    expect((await t.artikey.list())[0]?.logoutIncomplete).toBe(true);
    keychain.locked.delete = false;
    const second = await t.artikey.logout(id);
    expect(second).toMatchObject({ token: { outcome: 'revoked-before' }, secretsForgotten: true, instanceForgotten: true, complete: true });
    expect(await t.artikey.list()).toEqual([]);
    expect(await t.vault.has(id)).toBe(false);
  });

  it('a server that cannot be reached: refused by default, nothing changed; --keep-server-token logs out locally and says the token stays valid', async () => {
    const { id, token } = await loggedIn();
    await configure(id, 'npm', { repo: 'npm-virtual' });
    const npmrc = join(t.home, '.npmrc');
    const before = readFileSync(npmrc, 'utf8');
    fake.faults.add({ method: 'DELETE', path: '/access/api/v1/tokens/*', action: { kind: 'reset' } });
    const refused = await t.artikey.logout(id).then(
      () => null,
      (error: unknown) => error as Error & { code: string },
    );
    expect(refused?.message).toMatch(/could not revoke/i);
    expect(refused?.message).toMatch(/nothing was changed/i);
    expect(refused?.message).toMatch(/--keep-server-token/);
    expect(readFileSync(npmrc, 'utf8')).toBe(before);
    expect((await t.artikey.list()).map((i) => i.id)).toEqual([id]);
    expect(live(token)).toBe(true);

    const local = await t.artikey.logout(id, { keepServerToken: true });
    expect(local).toMatchObject({ token: { outcome: 'kept' }, secretsForgotten: true, instanceForgotten: true, complete: true });
    expect(local.token.expiresAt).toBeGreaterThan(0);
    expect(text(npmrc)).not.toContain(token);
    expect(await t.artikey.list()).toEqual([]);
    expect(live(token)).toBe(true);
  });

  it('a tool file that cannot be written: the other steps are done, the failure is listed, and a second logout completes', async () => {
    const { id, token } = await loggedIn();
    await configure(id, 'npm', { repo: 'npm-virtual' });
    await configure(id, 'docker');
    const npmrc = join(t.home, '.npmrc');
    const written = readFileSync(npmrc, 'utf8');
    rmSync(npmrc);
    mkdirSync(npmrc);
    const first = await t.artikey.logout(id);
    expect(first).toMatchObject({ token: { outcome: 'revoked' }, secretsForgotten: true, instanceForgotten: false, complete: false });
    expect(first.targetsRemoved.map((r) => r.kind)).toEqual(['docker-helper']);
    expect(first.targetsFailed.map((f) => f.target.path)).toEqual([npmrc]);
    expect(live(token)).toBe(false);
    const listed = await t.artikey.list();
    expect(listed.map((i) => [i.id, i.logoutIncomplete])).toEqual([[id, true]]);
    expect(listed[0]?.targets.map((r) => r.kind)).toEqual(['npm']);

    rmSync(npmrc, { recursive: true });
    writeFileSync(npmrc, written);
    const second = await t.artikey.logout(id);
    expect(second).toMatchObject({ token: { outcome: 'revoked-before' }, targetsFailed: [], instanceForgotten: true, complete: true });
    expect(text(npmrc)).not.toContain(token);
    expect(await t.artikey.list()).toEqual([]);
  });

  it("logout puts back the user's pip index-url, Gradle properties and ${VAR} references (npm, Maven) byte for byte", async () => {
    const { id } = await loggedIn();
    const pip = join(t.home, '.config', 'pip', 'pip.conf');
    const gradle = join(t.home, '.gradle', 'gradle.properties');
    const npmrc = join(t.home, '.npmrc');
    mkdirSync(join(t.home, '.config', 'pip'), { recursive: true });
    mkdirSync(join(t.home, '.gradle'));
    const pipText = `[global]\ntimeout = 60\nindex-url = ${fake.url}/artifactory/api/pypi/pypi-virtual/simple/\n`;
    const gradleText = `org.gradle.jvmargs=-Xmx2g\nartifactory_contextUrl = https://old.example.com/artifactory\nartifactory_user: builder\n`;
    const npmText = `color=false\n//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=\${NPM_TOKEN}\n`;
    writeFileSync(pip, pipText);
    writeFileSync(gradle, gradleText);
    writeFileSync(npmrc, npmText);
    const maven = join(t.home, '.m2', 'settings.xml');
    mkdirSync(join(t.home, '.m2'));
    const mavenText = `<settings>\n  <servers>\n    <server>\n      <id>artifactory-mirror</id>\n      <username>ci</username>\n      <password>\${env.ART_TOKEN}</password>\n    </server>\n  </servers>\n</settings>\n`;
    writeFileSync(maven, mavenText);
    await configure(id, 'maven', {}, true);
    expect(readFileSync(maven, 'utf8')).not.toContain('${env.ART_TOKEN}');
    await configure(id, 'pip', { repo: 'pypi-virtual' });
    await configure(id, 'gradle');
    await configure(id, 'npm', { repo: 'npm-virtual' }, true);
    expect(readFileSync(npmrc, 'utf8')).not.toContain('${NPM_TOKEN}');
    expect(readFileSync(t.stateFile, 'utf8')).not.toContain((await t.vault.read(id))!.accessToken);
    const outcome = await t.artikey.logout(id);
    expect(outcome.complete).toBe(true);
    expect(bytes([pip, gradle, npmrc, maven])).toEqual([pipText, gradleText, npmText, mavenText]);
  });

  it('logout after a migration puts back the index-url pip used, without the plain-text key it held', async () => {
    const { id } = await loggedIn();
    const pip = join(t.home, '.config', 'pip', 'pip.conf');
    mkdirSync(join(t.home, '.config', 'pip'), { recursive: true });
    const index = `${fake.url}/artifactory/api/pypi/pypi-virtual/simple/`;
    writeFileSync(pip, `[global]\nindex-url = ${index.replace('//', '//alice:AKCp8oldapikey@')}\n`);
    await configure(id, 'pip', { repo: 'pypi-virtual' }, true);
    expect(readFileSync(t.stateFile, 'utf8')).not.toContain('AKCp8oldapikey');
    await t.artikey.logout(id);
    expect(readFileSync(pip, 'utf8')).toBe(`[global]\nindex-url = ${index}\n`);
  });
});

describe('artikey logout, as a real process', () => {
  it('prints each step, exits non-zero while a step failed, and completes on the next run', async () => {
    const fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    const cli = sourceCli();
    try {
      const login = await cli.run(['login', fake.url, '--no-browser']);
      expect(login.code).toBe(0);
      expect((await cli.run(['configure', 'docker', fake.host])).code).toBe(0);
      expect((await cli.run(['configure', 'npm', fake.host, '--repo', 'npm-virtual'])).code).toBe(0);
      const npmrc = join(cli.home, '.npmrc');
      const written = readFileSync(npmrc, 'utf8');
      rmSync(npmrc);
      mkdirSync(npmrc);
      const first = await cli.run(['logout', fake.host]);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('Revoked the token on the server.');
      expect(first.stdout).toContain(`Removed docker: credHelpers for ${fake.host}`);
      expect(first.stdout).toContain('Forgot the secrets in the keychain.');
      expect(first.stderr).toContain(`artikey: could not clean ${npmrc}`);
      expect(first.stderr).toContain(`Logout incomplete: run artikey logout ${fake.host} again`);
      expect((await cli.run(['list'])).stdout).toContain('logout incomplete');
      expect((await cli.run(['status', fake.host])).stderr).toContain(`logout incomplete: run artikey logout ${fake.host} again`);

      rmSync(npmrc, { recursive: true });
      writeFileSync(npmrc, written);
      const second = await cli.run(['logout', fake.host]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('The token was revoked by an earlier logout.');
      expect(second.stdout).toContain(`Removed npm: ${fake.url}/artifactory/api/npm/npm-virtual/ in ${npmrc}`);
      expect(second.stdout).toContain(`Logged out of ${fake.host}.`);
      expect((await cli.run(['list'])).stdout).not.toContain(fake.host);
    } finally {
      await fake.stop();
      cli.cleanup();
    }
    // Nine real processes, each compiling the CLI from source: a loaded machine needs the time.
  }, 180_000);
});
