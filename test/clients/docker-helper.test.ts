import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Artikey } from '../../electron/core/artikey.js';
import { backupsOf } from '../../electron/core/targets/backup-file.js';
import { osKeychain } from '../../electron/core/keychain.js';
import { Vault } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { logInAs } from '../support/browser-login.js';
import { ensureBuilt, root } from '../support/built.js';
import { requireClient, runClient, scratchHome } from '../support/clients.js';
import { testService } from '../support/keychain.js';

const DOCKER_CONFIG_BEFORE = { auths: { 'other.example': { auth: 'b3RoZXI6c2VjcmV0' } }, credsStore: 'desktop', proxies: { default: { httpProxy: 'http://proxy:3128' } }, somethingNew: [1, 2] };

describe('one-click Docker: docker and skopeo pull through docker-credential-artikey', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let artikey: Artikey;
  let vault: Vault;
  let env: NodeJS.ProcessEnv;
  let config: string;
  let instance: string;

  beforeAll(async () => {
    requireClient('docker');
    requireClient('skopeo');
    requireClient('curl');
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    const service = testService();
    vault = new Vault(osKeychain({ service }));
    artikey = new Artikey({ stateFile: join(scratch.home, '.config', 'artikey', 'state.json'), vault });
    instance = (await logInAs(artikey, fake, DEMO_USER.name)).instance.id;
    const bin = join(scratch.home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker-credential-artikey'), `#!/bin/sh\nexec "${process.execPath}" "${root}dist/cli/docker-credential-artikey.cjs" "$@"\n`, { mode: 0o755 });
    config = join(scratch.env.DOCKER_CONFIG ?? '', 'config.json');
    env = {
      ...scratch.env,
      PATH: `${bin}:${scratch.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: join(scratch.home, '.config'),
      ARTIKEY_KEYCHAIN_SERVICE: service,
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    };
  });
  afterAll(async () => {
    try {
      await vault.erase(instance);
    } finally {
      await fake.stop();
      scratch.cleanup();
    }
  });

  const pulls = async (): Promise<{ docker: number; skopeo: number }> => {
    const image = `${fake.host}/docker-local/hello:1.0`;
    const docker = await runClient('docker', ['manifest', 'inspect', '--insecure', image], { env });
    const skopeo = await runClient('skopeo', ['inspect', '--raw', '--tls-verify=false', '--authfile', config, `docker://${image}`], { env });
    return { docker: docker.code, skopeo: skopeo.code };
  };
  const helperTarget = () => ({ kind: 'docker-helper' as const, path: config, hosts: [fake.host] });
  const usedToken = async (): Promise<boolean> => {
    const current = (await vault.read(instance))?.accessToken ?? '';
    return fake.requests.list({ path: '/v2/token' }).some((r) => r.scheme === 'Basic' && r.user === 'alice' && r.secret === fake.fingerprint(current) && r.status === 200);
  };

  it('writes only a credHelpers entry, keeping everything else in config.json', async () => {
    const before = DOCKER_CONFIG_BEFORE;
    writeFileSync(config, `${JSON.stringify(before, null, '\t')}\n`);
    expect((await artikey.configureTool(instance, helperTarget())).changed).toBe(true);
    const after = readFileSync(config, 'utf8');
    expect(JSON.parse(after)).toEqual({ ...before, credHelpers: { [fake.host]: 'artikey' } });
    // Only Artikey's lines are added (first, so no existing line gains a comma); every other byte stays.
    expect(after).toBe(`${JSON.stringify(before, null, '\t')}\n`.replace('{\n', `{\n\t"credHelpers": {\n\t\t"${fake.host}": "artikey"\n\t},\n`));
    expect(after).not.toContain((await vault.read(instance))?.accessToken ?? 'x');
    // A plain addition takes nothing of the person's: no backup.
    expect(await backupsOf(config)).toEqual([]);
    expect((await artikey.configureTool(instance, helperTarget())).changed).toBe(false);
  });

  it('lets docker and skopeo pull with the current token, also after it rotates', async () => {
    fake.requests.clear();
    expect(await pulls()).toEqual({ docker: 0, skopeo: 0 });
    expect(await usedToken()).toBe(true);
    await artikey.refresh(instance);
    fake.requests.clear();
    expect(await pulls()).toEqual({ docker: 0, skopeo: 0 });
    expect(await usedToken()).toBe(true);
  });

  it('speaks the credential-helper protocol', async () => {
    const helper = (action: string, input = ''): ReturnType<typeof runClient> => runClient('docker-credential-artikey', [action], { env, input });
    const got = await helper('get', fake.host);
    expect(JSON.parse(got.stdout)).toEqual({ ServerURL: fake.host, Username: 'alice', Secret: (await vault.read(instance))?.accessToken });
    expect(await helper('get', 'registry.example.com')).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
    expect(JSON.parse((await helper('list')).stdout)).toEqual({ [fake.host]: 'alice' });
    expect((await helper('version')).stdout).toMatch(/^docker-credential-artikey \d+\.\d+\.\d+/);
    expect((await helper('bogus')).code).toBe(1);
  });

  it('reads the host from a pipe written in pieces, from a file and from a terminal', async () => {
    // The helper reads stdin with plain system calls where it can, and as a stream where it cannot.
    const answer = { ServerURL: fake.host, Username: 'alice', Secret: (await vault.read(instance))?.accessToken };
    const answered = (child: ChildProcess): Promise<string> =>
      new Promise((resolve) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', () => resolve(out));
      });
    const piped = spawn('docker-credential-artikey', ['get'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    const pipedOut = answered(piped);
    piped.stdin.write(fake.host.slice(0, 4));
    await new Promise((resolve) => setTimeout(resolve, 300));
    piped.stdin.end(`${fake.host.slice(4)}\n`);
    expect(JSON.parse(await pipedOut)).toEqual(answer);

    const file = join(scratch.home, 'server.txt');
    writeFileSync(file, fake.host);
    const fd = openSync(file, 'r');
    const fromFile = spawn('docker-credential-artikey', ['get'], { env, stdio: [fd, 'pipe', 'inherit'] });
    closeSync(fd);
    expect(JSON.parse(await answered(fromFile))).toEqual(answer);

    // On a terminal (a pty from util-linux `script`): a line, then Ctrl+D.
    const terminal = spawn('script', ['-qefc', 'docker-credential-artikey get', '/dev/null'], { env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'inherit'] });
    const screen = answered(terminal);
    terminal.stdin.write(`${fake.host}\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    terminal.stdin.write('\x04');
    expect(JSON.parse(/\{.*\}/.exec(await screen)?.[0] ?? '')).toEqual(answer);
  });

  /**
   * docker and skopeo ask `/v2/` for its challenge once and reuse it; containerd, BuildKit and oras
   * answer the challenge of each refused request, which on Artifactory names the repository's own
   * realm and scopes the image alone (earthly/earthly#1017). curl plays such a client here, with
   * the credentials docker-credential-artikey hands out.
   */
  it("lets a client that follows each request's challenge pull with what the helper hands out", async () => {
    const curl = (args: string[]): ReturnType<typeof runClient> =>
      runClient('curl', ['-sS', '--noproxy', '*', ...args], { env });
    const manifest = `${fake.url}/v2/docker-local/hello/manifests/1.0`;
    const refused = await curl(['-o', '/dev/null', '-D', '-', manifest]);
    const header = /^www-authenticate: (.*?)\r?$/im.exec(refused.stdout)?.[1] ?? '';
    const param = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '';
    expect(param('scope')).toBe('repository:hello:pull');

    const helper = await runClient('docker-credential-artikey', ['get'], { env, input: fake.host });
    const { Username, Secret } = JSON.parse(helper.stdout) as { Username: string; Secret: string };
    fake.requests.clear();
    const tokenUrl = `${param('realm')}?service=${encodeURIComponent(param('service'))}&scope=${encodeURIComponent(param('scope'))}`;
    const grant = await curl(['-f', '-u', `${Username}:${Secret}`, tokenUrl]);
    expect(grant.code, grant.stderr).toBe(0);
    const { token } = JSON.parse(grant.stdout) as { token: string };
    const pulled = await curl(['-f', '-H', `Authorization: Bearer ${token}`, manifest]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ schemaVersion: 2 });
    expect(fake.requests.list({ path: '/artifactory/api/docker/docker-local/v2/token' }).map((r) => [r.scheme, r.user, r.status])).toEqual([['Basic', 'alice', 200]]);
  });

  it('refuses a config.json it cannot parse and leaves it untouched', async () => {
    const broken = join(scratch.home, 'broken', 'config.json');
    mkdirSync(join(scratch.home, 'broken'));
    writeFileSync(broken, '{"auths": {');
    await expect(artikey.configureTool(instance, { ...helperTarget(), path: broken })).rejects.toMatchObject({ code: 'tool-file-invalid' });
    expect(readFileSync(broken, 'utf8')).toBe('{"auths": {');
    expect(await backupsOf(broken)).toEqual([]);
  });

  it('takes out exactly its entry at logout, and pulls stop working', async () => {
    const original = `${JSON.stringify(DOCKER_CONFIG_BEFORE, null, '\t')}\n`;
    const result = await artikey.logout(instance);
    expect(result.targetsRemoved.map((t) => t.kind)).toEqual(['docker-helper']);
    expect(readFileSync(config, 'utf8')).toBe(original);
    const after = await pulls();
    expect(after.docker).not.toBe(0);
    expect(after.skopeo).not.toBe(0);
  });
});
