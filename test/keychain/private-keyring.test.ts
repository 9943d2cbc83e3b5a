import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';
import { describe, expect, it } from 'vitest';

/**
 * `npm test` runs the suites in a private D-Bus session with its own unlocked GNOME Keyring.
 * These tests prove that harness: secrets land in the real Secret Service of that session,
 * never in the kernel keyring and never in the developer's own keyring.
 */
describe.runIf(process.platform === 'linux')('private Secret Service for tests', () => {
  const pinned = { linux: { store: 'secret-service' as const } };

  it('runs inside the private session npm test started', () => {
    expect(process.env.ARTIKEY_TEST_PRIVATE_KEYRING, 'run the suites through `npm test`, which starts the private keyring').toBe('1');
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBeTruthy();
    expect(process.env.XDG_DATA_HOME).toMatch(/artikey-keyring-/);
  });

  it('stores, reads and deletes a secret through the Secret Service', async () => {
    const service = `artikey-test-${randomUUID()}`;
    const entry = new AsyncEntry(service, 'probe', pinned);
    await entry.setPassword('harness-secret-value');
    expect(await entry.getPassword()).toBe('harness-secret-value');
    // secret-tool talks D-Bus to the same daemon: the item is really in the Secret Service.
    const seen = execFileSync('secret-tool', ['lookup', 'service', service, 'username', 'probe'], { encoding: 'utf8' });
    expect(seen).toBe('harness-secret-value');
    expect(await entry.deleteCredential()).toBe(true);
    expect(await entry.getPassword()).toBeNull();
  });
});
