import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault, VaultError, type InstanceSecrets, type SecretBackend } from '../../electron/core/vault.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { dyingAfter, realKeychain, testService, windowsLimited } from '../support/keychain.js';

const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const vaultModule = new URL('../../electron/core/vault.js', import.meta.url).pathname;
const keychainModule = new URL('../../electron/core/keychain.js', import.meta.url).pathname;

describe('Vault on the real OS keychain', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());

  const pair = (scope?: string): InstanceSecrets => {
    const token = fake.issueToken({ username: 'alice', expiresIn: 86_400, refreshable: true, ...(scope ? { scope } : {}) });
    return { accessToken: token.jwt, refreshToken: token.refreshToken ?? '' };
  };

  it('stores, reads back and erases an instance record', async () => {
    const vault = new Vault(realKeychain());
    const secrets = pair();
    expect(await vault.read('acme.jfrog.io')).toBeNull();
    await vault.write('acme.jfrog.io', secrets);
    expect(await vault.read('acme.jfrog.io')).toEqual(secrets);
    const next = pair();
    await vault.write('acme.jfrog.io', next);
    expect(await vault.read('acme.jfrog.io')).toEqual(next);
    expect(await vault.erase('acme.jfrog.io')).toBe(true);
    expect(await vault.read('acme.jfrog.io')).toBeNull();
    expect(await vault.erase('acme.jfrog.io')).toBe(false);
  });

  it('splits records that exceed the Windows credential limit, and reads them whole', async () => {
    const backend = realKeychain();
    const longScope = Array.from({ length: 40 }, (_, i) => `artifact:repository-number-${i}:r`).join(' ');
    const secrets = { ...pair(longScope), referenceToken: fake.issueToken({ username: 'alice', expiresIn: 3600, includeReferenceToken: true }).referenceToken ?? '' };
    expect(secrets.accessToken.length).toBeGreaterThan(1280);
    // The imitation really enforces the limit: one entry of this size is refused.
    await expect(windowsLimited(backend).set('probe', secrets.accessToken)).rejects.toThrow(/1783/);
    const vault = new Vault(windowsLimited(backend));
    await vault.write('big', secrets);
    expect(await vault.read('big')).toEqual(secrets);
    await vault.write('big', pair(longScope));
    await vault.erase('big');
    expect(await backend.get('big')).toBeNull();
    expect(await backend.get('big#1.0')).toBeNull();
    expect(await backend.get('big#2.0')).toBeNull();
  });

  it('after a crash at any step of a write, holds the old pair or the new pair, never a mix', async () => {
    const service = testService();
    const longScope = Array.from({ length: 30 }, (_, i) => `artifact:repo-${i}:r`).join(' ');
    const before = pair(longScope);
    const after = pair(longScope);
    for (let writes = 0; writes <= 6; writes++) {
      const backend = windowsLimited(realKeychain(service));
      const vault = new Vault(backend);
      await vault.erase('crash');
      await vault.write('crash', before);
      await new Vault(dyingAfter(backend, writes)).write('crash', after).catch(() => undefined);
      const survived = await vault.read('crash');
      expect([before, after]).toContainEqual(survived);
      await vault.erase('crash');
    }
  });

  it('survives kill -9 in the middle of rotating pairs', async () => {
    const service = testService();
    // A child rotates the pair as fast as it can; record N always pairs accessToken N with refreshToken N.
    const script = `
      import { Vault } from ${JSON.stringify(vaultModule)};
      import { osKeychain } from ${JSON.stringify(keychainModule)};
      const vault = new Vault(osKeychain({ service: ${JSON.stringify(service)} }));
      const pad = 'x'.repeat(3000);
      for (let n = 1; ; n++) {
        await vault.write('killed', { accessToken: 'access-' + n + '-' + pad, refreshToken: 'refresh-' + n });
        if (n === 1) process.stdout.write('ready\\n');
      }`;
    for (let round = 0; round < 3; round++) {
      // node itself, not the tsx wrapper: SIGKILL must hit the process that writes.
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(errors).toBe('');
      const record = await new Vault(realKeychain(service)).read('killed');
      expect(record).not.toBeNull();
      const n = /^access-(\d+)-/.exec(record?.accessToken ?? '')?.[1];
      expect(record?.refreshToken).toBe(`refresh-${n}`);
    }
    await new Vault(realKeychain(service)).erase('killed');
  });

  it('a read racing another process\'s write of a split record returns the new pair, not "corrupt"', async () => {
    // Split records (Windows' size limit) are read part by part, which another process can pull away.
    const backend = windowsLimited(realKeychain());
    const longScope = Array.from({ length: 40 }, (_, i) => `artifact:repository-number-${i}:r`).join(' ');
    const writer = new Vault(backend);
    const first = pair(longScope);
    const second = pair(longScope);
    await writer.write('racing', first);
    // Between the reader's pointer and its part, the other process switches generations (and deletes the old part).
    let raced = false;
    const reader = new Vault({
      ...backend,
      get: async (account) => {
        if (account === 'racing#1.0' && !raced) {
          raced = true;
          await writer.write('racing', second);
        }
        return backend.get(account);
      },
    });
    expect(await reader.read('racing')).toEqual(second);
    expect(raced).toBe(true);
    await writer.erase('racing');
  });

  it('reports a tampered or incomplete entry as corrupt, with the fix', async () => {
    const backend = realKeychain();
    const vault = new Vault(backend);
    await vault.write('tampered', pair());
    const entry = JSON.parse((await backend.get('tampered')) ?? '{}') as Record<string, unknown>;
    await backend.set('tampered', JSON.stringify({ ...entry, record: '{"accessToken":"changed"}' }));
    await expect(vault.read('tampered')).rejects.toMatchObject({ code: 'keychain-corrupt', message: expect.stringMatching(/Log in to tampered again/) });
    await backend.set('tampered', 'not json');
    await expect(vault.read('tampered')).rejects.toBeInstanceOf(VaultError);
    await backend.delete('tampered');
    // A record split into parts: a changed part is caught too.
    const split = new Vault(windowsLimited(backend));
    await split.write('tampered', { ...pair(), referenceToken: 'r'.repeat(1500) });
    await backend.set('tampered#1.0', '{"accessToken":"changed"}');
    await expect(split.read('tampered')).rejects.toMatchObject({ code: 'keychain-corrupt' });
    await split.erase('tampered');
  });

  it('stores a pair that fits one entry with one keychain write, reading nothing before it', async () => {
    // A refresh's answer is stored by this write: a process killed before it loses the session
    // (the server already spent the refresh token), so nothing else may come first.
    const backend = realKeychain();
    const calls: string[] = [];
    const watched: SecretBackend = {
      ...backend,
      description: backend.description,
      maxSecretLength: backend.maxSecretLength,
      get: (account) => (calls.push(`get ${account}`), backend.get(account)),
      set: (account, secret) => (calls.push(`set ${account}`), backend.set(account, secret)),
      delete: (account) => (calls.push(`delete ${account}`), backend.delete(account)),
      accounts: () => (calls.push('accounts'), backend.accounts()),
    };
    // Written before as parts (as a record too large for Windows is): the parts go once the new pair is in.
    await new Vault(windowsLimited(backend)).write('one-write', { ...pair(), referenceToken: 'r'.repeat(1500) });
    const next = pair();
    await new Vault(watched).write('one-write', next);
    expect(calls[0]).toBe('set one-write');
    expect(await new Vault(backend).read('one-write')).toEqual(next);
    expect((await backend.accounts()).filter((account) => account.startsWith('one-write'))).toEqual(['one-write']);
    await new Vault(backend).erase('one-write');
  });

  it('erase finds parts by name: a pointer that was never written or is unreadable leaves nothing behind', async () => {
    const service = testService();
    const backend = realKeychain(service);
    const vault = new Vault(backend);
    // A crash after writing the first generation's parts, before its pointer.
    await backend.set('crashed#1.0', '{"accessToken":');
    await backend.set('crashed#1.1', '"half"}');
    await vault.write('neighbour', pair());
    expect(await vault.erase('crashed')).toBe(true);
    // The neighbour's record fits one entry: it is all there is of it, and it stays.
    expect(await backend.accounts()).toEqual(['neighbour']);
    await vault.erase('neighbour');
    expect(await backend.accounts()).toEqual([]);
  });

  it('refuses to run without a Secret Service, says how to fix it, and writes nowhere else', () => {
    const script = `
      import { Vault } from ${JSON.stringify(vaultModule)};
      import { osKeychain } from ${JSON.stringify(keychainModule)};
      try {
        await new Vault(osKeychain({ service: 'artikey-test-no-dbus' })).write('x', { accessToken: 'canary-secret-value' });
        console.log('WROTE');
      } catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`;
    const result = spawnSync(tsx, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/artikey-test-bus' },
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    expect(line).not.toBe('WROTE');
    const outcome = JSON.parse(line) as { code: string; message: string };
    expect(outcome.code).toBe('keychain-unavailable');
    expect(outcome.message).toMatch(/Secret Service/);
    expect(outcome.message).toMatch(/kernel keyring/);
    expect(outcome.message).toMatch(/dbus-run-session/);
    expect(outcome.message).not.toContain('canary-secret-value');
  });
});
