import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../electron/core/vault.js';
import { osKeychain } from '../../electron/core/keychain.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';

/**
 * Several `artikey` processes changing the same instance at once: each one's change survives
 * and every tool file holds the token the keychain holds. Before state changes were
 * transactions across processes, `configure npm ∥ configure maven ∥ refresh` lost one of the
 * two tool records in about 4 rounds of 10, and once left .npmrc with the token the refresh had
 * just replaced (and the server revoked).
 */
const ROUNDS = 10;

describe('changes from several processes at once', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });

  const stateFile = (): string => join(scratch.home, '.config', 'artikey', 'state.json');
  const state = (): { instances: { id: string; targets: { kind: string; path: string }[] }[] } =>
    JSON.parse(readFileSync(stateFile(), 'utf8'));

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
    const login = await artikey(['login', fake.url, '--no-browser', '--name', 'acme']);
    expect(login.code, login.stderr).toBe(0);
  });
  afterAll(async () => {
    await artikey(['logout', 'acme']);
    await fake.stop();
    scratch.cleanup();
  });

  it(
    'configure npm ∥ configure maven ∥ refresh loses no record and leaves no replaced token, round after round',
    async () => {
      const npmrc = join(scratch.home, '.npmrc');
      const settings = join(scratch.home, '.m2', 'settings.xml');
      const vault = new Vault(osKeychain({ service: env['ARTIKEY_KEYCHAIN_SERVICE']! }));
      for (let round = 1; round <= ROUNDS; round++) {
        const runs = await Promise.all([
          artikey(['configure', 'npm', 'acme', '--repo', 'npm-virtual']),
          artikey(['configure', 'maven', 'acme']),
          artikey(['refresh', 'acme']),
        ]);
        for (const run of runs) expect(run.code, `round ${round}: ${run.stderr}`).toBe(0);

        const [instance] = state().instances;
        expect(instance!.targets.map((t) => t.kind).sort(), `round ${round}: the records of both tool files`).toEqual(['maven', 'npm']);
        const token = (await vault.read(instance!.id))!.accessToken;
        expect(fake.tokens.lookup(token).ok, `round ${round}: the keychain's token is live`).toBe(true);
        expect(readFileSync(npmrc, 'utf8'), `round ${round}: .npmrc holds the current token`).toContain(`:_authToken=${token}`);
        expect(readFileSync(settings, 'utf8'), `round ${round}: settings.xml holds the current token`).toContain(token);

        // Taking both out at once leaves neither record nor entry behind.
        const removals = await Promise.all([artikey(['unconfigure', 'npm', 'acme']), artikey(['unconfigure', 'maven', 'acme'])]);
        for (const run of removals) expect(run.code, `round ${round}: ${run.stderr}`).toBe(0);
        expect(state().instances[0]!.targets, `round ${round}: no record left`).toEqual([]);
        for (const file of [npmrc, settings]) expect(existsSync(file) && readFileSync(file, 'utf8').includes(token), `round ${round}: ${file}`).toBe(false);
      }
    },
    ROUNDS * 20_000,
  );
});
