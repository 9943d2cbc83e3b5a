import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Artikey, type ArtikeyOptions } from '../../electron/core/artikey.js';
import { createHttpClient } from '../../electron/core/http.js';
import type { Environment } from '../../electron/core/paths.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { kindsOf, targetSpec, type ConfigureOptions, type Tool } from '../../electron/core/targets/tool-request.js';
import { Vault } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { logInAs } from './browser-login.js';
import { realKeychain } from './keychain.js';

export interface TestArtikey {
  artikey: Artikey;
  home: string;
  stateFile: string;
  vault: Vault;
  logs: string[];
  cleanup(): void;
}

/** The real core on a temp HOME and a throwaway keychain service, on the fake's clock. */
export function testArtikey(fake: FakeArtifactory, options: Partial<ArtikeyOptions> = {}): TestArtikey {
  const home = mkdtempSync(join(tmpdir(), 'artikey-home-'));
  const stateFile = join(home, '.config', 'artikey', 'state.json');
  const vault = new Vault(realKeychain());
  const logs: string[] = [];
  const artikey = new Artikey({
    stateFile,
    vault,
    httpFor: () => Promise.resolve(createHttpClient({ env: {}, sleep: () => Promise.resolve(), ...(fake.tls ? { extraCa: fake.tls.caPem } : {}) })),
    now: () => fake.clock.now(),
    sleep: () => Promise.resolve(),
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    // Its tool files are in the temp HOME, never the real one (the backup sweep looks there).
    environment: { platform: process.platform, env: {}, home },
    ...options,
  });
  return { artikey, home, stateFile, vault, logs, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export interface LoggedInArtikey extends TestArtikey {
  /** The instance the demo user is logged in to. */
  id: string;
  /** Linux with no variables set, this HOME. */
  environment: Environment;
  /** What `configure <tool>` writes for the instance with these options. */
  spec(tool: Tool, options: ConfigureOptions, environment: Environment): Promise<TargetSpec>;
  /** Takes out every target of the tool, as `unconfigure <tool>` does. */
  unconfigure(tool: Tool): ReturnType<Artikey['unconfigureTool']>;
  /** The access token the keychain holds now ('' when none): what a tool file should carry. */
  storedToken(): Promise<string>;
  /** Erases the instance's keychain entry, then the temp HOME. */
  forget(): Promise<void>;
}

/** `testArtikey`, logged in to the fake as the demo user. */
export async function loggedInArtikey(fake: FakeArtifactory, options: Partial<ArtikeyOptions> = {}): Promise<LoggedInArtikey> {
  const core = testArtikey(fake, options);
  const { artikey, home, vault, cleanup } = core;
  const id = (await logInAs(artikey, fake, DEMO_USER.name)).instance.id;
  return {
    ...core,
    id,
    environment: { platform: 'linux', env: {}, home },
    spec: async (tool, request, environment) => targetSpec(tool, await artikey.instance(id), request, environment),
    unconfigure: (tool) => artikey.unconfigureTool(id, (target) => kindsOf(tool).includes(target.kind)),
    storedToken: async () => (await vault.read(id))?.accessToken ?? '',
    forget: async () => {
      try {
        await vault.erase(id);
      } finally {
        cleanup();
      }
    },
  };
}

/** A fake of its own (for a test that changes the fake) and a core logged in to it. */
export async function loggedInOnFreshFake(fakeOptions: Parameters<typeof startFakeArtifactory>[0] = {}): Promise<{ fake: FakeArtifactory; core: LoggedInArtikey }> {
  const fake = await startFakeArtifactory(fakeOptions);
  return { fake, core: await loggedInArtikey(fake) };
}

/** Undoes `loggedInOnFreshFake`: logs out (the test may have already), forgets the core, stops the fake. */
export async function logOutAndStop({ fake, core }: { fake: FakeArtifactory; core: LoggedInArtikey }): Promise<void> {
  await core.artikey.logout(core.id).catch(() => undefined);
  await core.forget();
  await fake.stop();
}

/**
 * For a describe: one fake for all its tests, and for each test a core logged in to it, handed to
 * `each` before the test and forgotten after it (each test starts with an empty HOME and keychain).
 */
export function loggedInEachTest(each: (session: { fake: FakeArtifactory; core: LoggedInArtikey }) => void): void {
  let fake: FakeArtifactory;
  let core: LoggedInArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    core = await loggedInArtikey(fake);
    each({ fake, core });
  });
  afterEach(() => core.forget());
}
