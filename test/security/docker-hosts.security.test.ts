import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Artikey } from '../../electron/core/artikey.js';
import { matchesRegistry, registryHostOf } from '../../electron/core/docker-hosts.js';
import { instanceForRegistry } from '../../electron/core/docker-lookup.js';
import { createHttpClient, type HttpClient } from '../../electron/core/http.js';
import { instanceFor } from '../../electron/core/scan/classify.js';
import type { InstanceRecord } from '../../electron/core/state.js';
import { Vault } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { logInAs } from '../support/browser-login.js';
import { ensureBuilt, root } from '../support/built.js';
import { runClient, scratchHome } from '../support/clients.js';
import { realKeychain, testService } from '../support/keychain.js';

/**
 * Threat: a registry host that merely resembles the instance's (another JFrog tenant such as
 * `acme-corp.jfrog.io`, `acme.jfrog.io.evil.com`, a Cyrillic look-alike) gets the instance's token
 * from the Docker credential helper, or is accepted by `configure docker --host`.
 */

const CYRILLIC_ACME = '\u0430cme.jfrog.io';

/** Hosts Docker may be sent to that are not acme.jfrog.io's: none may match. */
const NEAR_MISSES: [string, string][] = [
  ['another tenant whose name starts with acme-', 'acme-corp.jfrog.io'],
  ['another tenant, as a URL', 'https://acme-corp.jfrog.io/v2/'],
  ['the instance host as a prefix of another domain', 'acme.jfrog.io.evil.com'],
  ['the instance host as a prefix, with a trailing dot', 'acme.jfrog.io.evil.com.'],
  ['a longer label ending in the tenant name', 'evilacme.jfrog.io'],
  ['a shorter label', 'acm.jfrog.io'],
  ['the tenant name with a suffix', 'acmee.jfrog.io'],
  ['the parent domain', 'jfrog.io'],
  ['another tenant', 'evil.jfrog.io'],
  ['two extra labels', 'a.b.acme.jfrog.io'],
  ['an empty extra label', '.acme.jfrog.io'],
  ['a Cyrillic look-alike', CYRILLIC_ACME],
  ['the look-alike in its punycode form', new URL(`https://${CYRILLIC_ACME}`).hostname],
  ['user info naming the instance', 'acme.jfrog.io@evil.com'],
  ['user info naming the instance, with a scheme', 'https://acme.jfrog.io@evil.com/v2/'],
  ['user info with a password', 'acme.jfrog.io:443@evil.com'],
  ['a backslash before user info', 'acme.jfrog.io\\@evil.com'],
  ['a percent-encoded dot', 'acme%2ejfrog.io'],
  ['whitespace inside the host', 'acme.jfrog.io evil.com'],
  ['an unconfigured port', 'acme.jfrog.io:5000'],
  ['a subdomain on an unconfigured port', 'docker.acme.jfrog.io:5000'],
  ['nothing', ''],
];

/** Forms Docker uses for acme.jfrog.io itself: all must match. */
const OWN_FORMS: [string, string][] = [
  ['the host', 'acme.jfrog.io'],
  ['uppercase', 'ACME.JFrog.IO'],
  ['a trailing dot', 'acme.jfrog.io.'],
  ['a scheme and path', 'https://acme.jfrog.io/v2/'],
  ['an image reference', 'acme.jfrog.io/docker-local/app:1.0'],
  ['the default https port', 'https://acme.jfrog.io:443/'],
  ['the documented subdomain form <repo>.<host>', 'docker-local.acme.jfrog.io'],
  ['the subdomain form, uppercase with a trailing dot', 'Docker-Local.ACME.jfrog.io.'],
];

describe('Docker registry hosts match the instance exactly, label by label', () => {
  it.each(NEAR_MISSES)('refuses %s (%j)', (_, server) => {
    expect(matchesRegistry('acme.jfrog.io', server)).toBe(false);
  });

  it.each(OWN_FORMS)('accepts %s (%j)', (_, server) => {
    expect(matchesRegistry('acme.jfrog.io', server)).toBe(true);
  });

  it('matches a self-managed instance on its own port, never another port or an IP subdomain', () => {
    expect(matchesRegistry('arti.corp:8443', 'arti.corp:8443')).toBe(true);
    expect(matchesRegistry('arti.corp:8443', 'docker.arti.corp:8443')).toBe(true);
    expect(matchesRegistry('arti.corp:8443', 'arti.corp')).toBe(false);
    expect(matchesRegistry('arti.corp:8443', 'arti.corp:9443')).toBe(false);
    expect(matchesRegistry('10.0.0.5', 'x.10.0.0.5')).toBe(false);
  });

  it('normalises what it reports and gives nothing for user-info tricks', () => {
    expect(registryHostOf('HTTPS://Acme.JFrog.io.:443/v2/')).toBe('acme.jfrog.io');
    expect(registryHostOf('arti.corp:8443/docker/app')).toBe('arti.corp:8443');
    expect(registryHostOf('acme.jfrog.io@evil.com')).toBe('');
    expect(registryHostOf('https://user:pw@acme.jfrog.io/')).toBe('');
  });

  it('the helper lookup and scan classification refuse the same near misses', () => {
    const record = { id: 'acme', platformUrl: 'https://acme.jfrog.io/', targets: [] } as unknown as InstanceRecord;
    const scanned = [{ id: 'acme', platformUrl: 'https://acme.jfrog.io/', registryHost: 'acme.jfrog.io' }];
    for (const [, server] of NEAR_MISSES) {
      expect(instanceForRegistry([record], server)?.id ?? null).toBeNull();
      expect(instanceFor(scanned, registryHostOf(server) || null, 'docker')).toBeNull();
    }
    expect(instanceForRegistry([record], 'docker-local.acme.jfrog.io')?.id).toBe('acme');
    // A state file from before this check may have recorded another tenant's host: it no longer counts.
    const legacy = { ...record, targets: [{ kind: 'docker-helper', path: 'config.json', hosts: ['acme-corp.jfrog.io', 'acme.jfrog.io:5000'] }] } as unknown as InstanceRecord;
    expect(instanceForRegistry([legacy], 'acme-corp.jfrog.io')).toBeUndefined();
    expect(instanceForRegistry([legacy], 'acme.jfrog.io:5000')?.id).toBe('acme');
    expect(instanceFor(scanned, 'docker-local.acme.jfrog.io', 'docker')).toBe('acme');
  });
});

describe('end to end: an instance at acme.jfrog.io, the real helper and CLI', () => {
  const ACME = 'http://acme.jfrog.io';
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let vault: Vault;
  let artikey: Artikey;
  let env: NodeJS.ProcessEnv;
  let instance: string;
  let config: string;
  let token: string;

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    const service = testService();
    vault = new Vault(realKeychain(service));
    // acme.jfrog.io is answered by the fake on loopback: the core's HTTP is pointed at it.
    const loopback = createHttpClient({ env: {}, sleep: () => Promise.resolve() });
    const toFake: HttpClient = (request) => loopback({ ...request, url: request.url.replace(ACME, fake.url.replace(/\/$/, '')) });
    artikey = new Artikey({ stateFile: join(scratch.home, '.config', 'artikey', 'state.json'), vault, httpFor: () => Promise.resolve(toFake) });
    instance = (await logInAs(artikey, fake, DEMO_USER.name, { url: ACME })).instance.id;
    token = (await vault.read(instance))?.accessToken ?? '';
    config = join(scratch.home, '.docker', 'config.json');
    // The CLI runs apart from the redirect above: what it asks acme.jfrog.io (configure docker lists
    // its Docker repositories) goes to a closed loopback port instead of the network.
    env = { ...scratch.env, XDG_CONFIG_HOME: join(scratch.home, '.config'), ARTIKEY_KEYCHAIN_SERVICE: service, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, HTTPS_PROXY: 'http://127.0.0.1:9' };
  });
  afterAll(async () => {
    try {
      await vault.erase(instance);
    } finally {
      await fake.stop();
      scratch.cleanup();
    }
  });

  const helper = (server: string) => runClient(process.execPath, [`${root}dist/cli/docker-credential-artikey.cjs`, 'get'], { env, input: server });
  const cli = (...args: string[]) => runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env });

  it('the helper answers for acme.jfrog.io itself', async () => {
    const got = await helper('acme.jfrog.io');
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ Username: DEMO_USER.name, Secret: token });
  });

  it.each(['acme-corp.jfrog.io', 'acme.jfrog.io.evil.com', 'evilacme.jfrog.io', 'acme.jfrog.io@evil.com'])('the helper never gives the token to %s', async (server) => {
    const got = await helper(server);
    expect(got).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
    expect(got.stdout + got.stderr).not.toContain(token);
  });

  it.each(['acme-corp.jfrog.io', 'acme.jfrog.io.evil.com', 'evilacme.jfrog.io', 'acme.jfrog.io@evil.com', CYRILLIC_ACME])('configure docker --host %s is refused and config.json stays as it was', async (host) => {
    mkdirSync(join(scratch.home, '.docker'), { recursive: true });
    writeFileSync(config, '{\n  "auths": {}\n}\n');
    const before = statSync(config).mtimeMs;
    const run = await cli('configure', 'docker', instance, '--host', host);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/not on acme\.jfrog\.io|not a registry host/);
    expect(readFileSync(config, 'utf8')).toBe('{\n  "auths": {}\n}\n');
    expect(statSync(config).mtimeMs).toBe(before);
    expect(existsSync(`${config}.artikey-backup`)).toBe(false);
  });

  it('configure docker accepts the instance on an explicit port, and only then does the helper answer for it', async () => {
    expect((await helper('acme.jfrog.io:5000')).code).toBe(1);
    const run = await cli('configure', 'docker', instance, '--host', 'acme.jfrog.io:5000', '--host', 'docker-local.acme.jfrog.io');
    expect(run).toMatchObject({ code: 0 });
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ credHelpers: { 'acme.jfrog.io:5000': 'artikey', 'docker-local.acme.jfrog.io': 'artikey' } });
    const got = await helper('acme.jfrog.io:5000');
    expect(JSON.parse(got.stdout)).toMatchObject({ Secret: token });
  });

  it('erase acknowledges only a host Artikey serves, exactly', async () => {
    const erase = (server: string) => runClient(process.execPath, [`${root}dist/cli/docker-credential-artikey.cjs`, 'erase'], { env, input: server });
    expect((await erase('acme.jfrog.io')).code).toBe(0);
    expect((await erase('https://ACME.jfrog.io/v2/')).code).toBe(0);
    for (const server of ['acme.jfrog.io.evil.com', 'https://evil.com/acme.jfrog.io', 'acme.jfrog.io:5001', 'xacme.jfrog.io']) {
      expect(await erase(server)).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
    }
  });
});
