import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainInChildProcess } from '../../electron/core/keychain-process.js';
import { Vault, VaultError } from '../../electron/core/vault.js';
import { ensureBuilt, root } from '../support/built.js';
import { testService } from '../support/keychain.js';

/** The keychain of the app and the agent: the real Secret Service, reached through a child process. */
describe('keychain in a child process', () => {
  const script = `${root}dist/cli/keychain-child.js`;
  let folder: string;
  beforeAll(() => {
    ensureBuilt();
    folder = mkdtempSync(join(tmpdir(), 'artikey-keychain-child-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('stores, reads and erases secrets like the in-process keychain', async () => {
    const vault = new Vault(keychainInChildProcess({ script, service: testService() }));
    await vault.write('acme', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(await vault.read('acme')).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    expect(await vault.erase('acme')).toBe(true);
    expect(await vault.read('acme')).toBeNull();
  });

  it('lists the service’s entries, so logout finds every part even without a pointer', async () => {
    const keychain = keychainInChildProcess({ script, service: testService() });
    await keychain.set('acme#4.0', 'stray-part');
    expect(await keychain.accounts()).toContain('acme#4.0');
    await new Vault(keychain).erase('acme');
    expect(await keychain.accounts()).not.toContain('acme#4.0');
  });

  it('passes the keychain’s own errors on with their codes', async () => {
    const keychain = keychainInChildProcess({
      script,
      service: testService(),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/artikey-test-bus' },
    });
    const failure = await keychain.get('acme').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(VaultError);
    expect((failure as VaultError).code).toMatch(/^keychain-/);
  });

  it('a keychain that never answers fails the call with "did not answer", and the stuck child is replaced', async () => {
    const hung = join(folder, 'hung.mjs');
    writeFileSync(hung, "process.on('message', () => undefined);\n");
    const keychain = keychainInChildProcess({ script: hung, service: 'unused', timeoutMs: 500 });
    const calls = [keychain.get('a'), keychain.set('b', 'secret-b')].map((call) =>
      call.catch((error: unknown) => error),
    );
    for (const failure of await Promise.all(calls)) {
      expect(failure).toBeInstanceOf(VaultError);
      expect(failure).toMatchObject({
        code: 'keychain-timeout',
        message: expect.stringMatching(/did not answer within 1 s/),
      });
      expect((failure as Error).message).not.toContain('secret-b');
    }
    // A fresh child takes the next call (and hangs again: this one never answers anything).
    await expect(keychain.get('c')).rejects.toMatchObject({ code: 'keychain-timeout' });
  });

  it('a child that dies mid-call fails the call instead of leaving it waiting', async () => {
    const dying = join(folder, 'dying.mjs');
    writeFileSync(dying, "process.on('message', () => process.exit(3));\n");
    const keychain = keychainInChildProcess({ script: dying, service: 'unused' });
    await expect(keychain.get('a')).rejects.toMatchObject({
      code: 'keychain-failed',
      message: expect.stringContaining('exit code 3'),
    });
  });
});
