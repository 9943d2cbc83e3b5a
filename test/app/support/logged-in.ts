/**
 * An app HOME with one instance already logged in, as the person would have done with the CLI:
 * a real fake Artifactory whose clock follows the wall clock (as the app's does), and a browser
 * login through the built CLI that the fake approves as soon as it is asked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USER } from '../../fake-artifactory/directory.js';
import { FakeClock } from '../../fake-artifactory/clock.js';
import { startFakeArtifactory, type FakeArtifactory } from '../../fake-artifactory/server.js';
import type { FaultSpec } from '../../fake-artifactory/faults.js';
import type { Recorded } from '../standin/protocol.js';
import { type App, runCli, tempHome } from './app.js';

export const INSTANCE_NAME = 'acme';

/** Access's token endpoint: where a refresh goes. */
export const TOKENS_PATH = '/access/api/v1/tokens';

export interface LoggedIn {
  fake: FakeArtifactory;
  home: string;
  instanceId: string;
  /** The instance's current access token, as `artikey token` prints it. */
  token(): Promise<string>;
}

export async function loggedInHome(): Promise<LoggedIn> {
  const fake = await startFakeArtifactory({
    clock: new FakeClock(),
    approveBrowserLoginsAs: DEMO_USER.name,
  });
  const home = tempHome();
  const login = await runCli(home, ['login', fake.url, '--no-browser', '--name', INSTANCE_NAME]);
  if (login.code !== 0) {
    await fake.stop();
    throw new Error(`the CLI login failed (${login.code}): ${login.stderr}`);
  }
  const state = JSON.parse(
    readFileSync(join(home, '.config', 'artikey', 'state.json'), 'utf8'),
  ) as {
    instances: { id: string }[];
  };
  const instanceId = state.instances[0]?.id ?? '';
  return {
    fake,
    home,
    instanceId,
    async token() {
      const printed = await runCli(home, ['token', INSTANCE_NAME]);
      if (printed.code !== 0) throw new Error(`artikey token failed: ${printed.stderr}`);
      return printed.stdout.trim();
    },
  };
}

/** The fake holds its answer to the next refresh back for `ms`; without `ms`, forever. */
export function holdNextRefresh(ms?: number): FaultSpec {
  return {
    method: 'POST',
    path: TOKENS_PATH,
    times: 1,
    action: ms === undefined ? { kind: 'hang' } : { kind: 'delay', ms },
  };
}

/**
 * Ends apps sharing a HOME, last started first, leaving the HOME: each quits as the person would,
 * so that its Chromium goes with it; only one stuck quitting is killed.
 */
export async function closeApps(apps: App[]): Promise<void> {
  for (const app of [...apps].reverse()) {
    if (!app.hasExited)
      await Promise.race([app.quit(), new Promise((resolve) => setTimeout(resolve, 8000))]);
    await app.cleanup({ keepHome: true });
  }
}

export type Notification = Extract<Recorded, { kind: 'notification' }>;

/**
 * Ends a test's app as the person would, logs its instance out (the keychain is shared with the
 * other tests of this session: nothing is left behind) and stops its fake.
 */
export async function endLoggedIn(
  app: App | undefined,
  fake: FakeArtifactory | undefined,
  name = INSTANCE_NAME,
): Promise<void> {
  if (app) {
    await app.quit();
    await runCli(app.home, ['logout', name]);
    await app.cleanup();
  }
  await fake?.stop();
}
