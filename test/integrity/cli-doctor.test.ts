import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, runClient, scratchHome } from '../support/clients.js';

/**
 * Issue 17: `artikey doctor` states the keychain once, then each instance; a locked keyring is
 * told how to unlock it, not to install a Secret Service provider. The keyring is a real GNOME
 * Keyring, locked over D-Bus, in a D-Bus session of this test's own (the suite's shared keyring
 * is never locked); the session, its daemon and its files end with the test.
 */
const cli = `${root}dist/cli/artikey.js`;
const KEYRING_PASSWORD = 'doctor-keyring-pw';
const UNLOCK = 'gnome-keyring-daemon --replace --unlock --components=secrets';

/**
 * Runs `script` (sh) in a new D-Bus session whose login keyring lives in `home`; one output per
 * `---` marker. Asynchronous: the fake Artifactory answers from this very process.
 */
async function inOwnKeyringSession(
  home: string,
  env: NodeJS.ProcessEnv,
  script: string,
): Promise<{ parts: string[]; stderr: string }> {
  const sessionEnv: NodeJS.ProcessEnv = {
    ...env,
    XDG_RUNTIME_DIR: join(home, 'run'),
    XDG_DATA_HOME: join(home, 'data'),
    CLI: cli,
    NODE: process.execPath,
    PASSWORD: KEYRING_PASSWORD,
  };
  delete sessionEnv.DBUS_SESSION_BUS_ADDRESS;
  const run = await runClient('dbus-run-session', ['--', 'sh', '-c', script], {
    env: sessionEnv,
    timeoutMs: 90_000,
  });
  return { parts: run.stdout.split('---\n'), stderr: run.stderr };
}

/** The bus and keyring daemons of that session, should it have been cut short. */
function stopSessionDaemons(home: string): void {
  const marker = `XDG_DATA_HOME=${join(home, 'data')}\0`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker))
        process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
}

describe.runIf(process.platform === 'linux')(
  'artikey doctor (the built CLI) with a real GNOME Keyring, unlocked and locked',
  { timeout: 120_000 },
  () => {
    const fakes: FakeArtifactory[] = [];
    let scratch: ReturnType<typeof scratchHome>;

    beforeAll(async () => {
      ensureBuilt();
      for (let i = 0; i < 2; i++) {
        const fake = await startFakeArtifactory();
        fake.config.allowBasicAuthTokenCreation = true;
        fakes.push(fake);
      }
      scratch = scratchHome();
    });
    afterAll(async () => {
      for (const fake of fakes) await fake.stop();
      stopSessionDaemons(scratch.home);
      scratch.cleanup();
    });

    it('states the keychain once, then each instance; locked, it says how to unlock, and that works', async () => {
      const login = (fake: FakeArtifactory, name: string): string =>
        `printf '%s\\n' '${DEMO_USER.password}' | "$NODE" "$CLI" login ${fake.url} --user ${DEMO_USER.name} --password-stdin --name ${name} >/dev/null 2>&1 || echo "login ${name} failed"`;
      const script = [
        'printf %s "$PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
        login(fakes[0]!, 'first'),
        login(fakes[1]!, 'second'),
        '"$NODE" "$CLI" doctor; echo "exit $?"; echo ---',
        // Locked as a screen lock or `secret-tool lock` would: the Secret Service's own Lock call.
        `gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null`,
        '"$NODE" "$CLI" doctor; echo "exit $?"; echo ---',
        // What the message says to run, typed as it says: the password, then end of input (Ctrl+D).
        `printf %s "$PASSWORD" | ${UNLOCK} >/dev/null 2>&1`,
        '"$NODE" "$CLI" doctor; echo "exit $?"; echo ---',
        '"$NODE" "$CLI" logout first >/dev/null 2>&1; "$NODE" "$CLI" logout second >/dev/null 2>&1',
      ].join('\n');
      const { parts, stderr } = await inOwnKeyringSession(
        scratch.home,
        artikeyEnv(scratch),
        script,
      );
      const [unlocked = '', locked = '', again = ''] = parts;

      expect(unlocked, stderr).toMatch(
        /^ok\s+keychain\s+\S.*\nok\s+first\s+Artifactory .*\nok\s+second\s+Artifactory .*\nexit 0\n$/,
      );

      const lines = locked.trimEnd().split('\n');
      expect(lines, locked).toHaveLength(4);
      expect(lines[0]).toMatch(/^FAIL\s+keychain\s+.*is locked/);
      expect(lines[0]).toContain(UNLOCK);
      expect(lines[0]).not.toMatch(/[Ii]nstall/);
      // Each instance once, without the keychain's story again.
      expect(lines[1]).toMatch(
        /^FAIL\s+first\s+not checked: its token is in the keychain \(see above\)$/,
      );
      expect(lines[2]).toMatch(
        /^FAIL\s+second\s+not checked: its token is in the keychain \(see above\)$/,
      );
      expect(lines[3]).toBe('exit 1');
      expect(locked.match(/locked/g)).toHaveLength(1);

      expect(again).toMatch(/^ok\s+keychain\s.*\nok\s+first\s.*\nok\s+second\s.*\nexit 0\n$/);
    });
  },
);
