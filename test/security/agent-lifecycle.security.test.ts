import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome, spawnAgent } from '../support/clients.js';

/**
 * `artikey agent` as a real process. Threats: a stop signal that arrives while the agent is still
 * starting is lost and the agent runs until `kill -9`; a server that hands out tokens already due
 * drives the agent into refreshing as fast as the network allows (164 refreshes in 10 s).
 */
const TOKENS = '/access/api/v1/tokens';
/** Far longer than a healthy agent needs to finish one held refresh and stop. */
const HANG_GUARD_MS = 30_000;
/** Real processes on a busy machine: login, agent start-up and the hang guard, with room to spare. */
const TEST_MS = 120_000;
/** Refreshes of one instance are at least this far apart when every new token is already due. */
const MIN_INTERVAL_MS = 30_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); await pause(25))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('artikey agent: a stop is never lost, a misbehaving server never drives a loop', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
  const tokenPosts = (): number => fake.requests.list({ method: 'POST', path: TOKENS }).length;

  /**
   * Logs in while the server issues tokens that expired a minute ago: due when the agent starts,
   * and refreshable only inside a grace (none by default), which this server grants.
   */
  const loginWithExpiredToken = async (): Promise<void> => {
    fake.config.issuedTokensExpireAfterSeconds = -60;
    fake.config.refreshGraceSeconds = 86_400;
    const run = await artikey(
      ['login', fake.url, '--no-browser'],
    );
    expect(run.code, run.stderr).toBe(0);
  };

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterEach(() => {
    fake.faults.clear();
    fake.config.issuedTokensExpireAfterSeconds = null;
    fake.config.refreshGraceSeconds = 0;
  });
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  it(
    'SIGTERM while the first refresh is in flight: the agent finishes that refresh, then exits 0',
    async () => {
      await loginWithExpiredToken();
      fake.config.issuedTokensExpireAfterSeconds = null;
      // The agent's first refresh is held by the server, so the signal surely arrives during it.
      fake.faults.add({
        method: 'POST',
        path: TOKENS,
        times: 1,
        action: { kind: 'delay', ms: 2000 },
      });
      const posts = tokenPosts();
      const refreshes = fake.tokens.refreshCount;

      const agent = spawnAgent(env);
      await until(() => tokenPosts() > posts, 'the agent to start its first refresh');
      const code = await agent.stop(HANG_GUARD_MS);

      expect(code, agent.output()).toBe(0);
      expect(fake.tokens.refreshCount - refreshes).toBe(1);
      expect(agent.output()).toContain('refreshed ');
      expect(agent.output()).toMatch(/ stopped\n$/);
      // The refresh was finished, not cut short: the state names the token the server issued last.
      const state = JSON.parse(
        readFileSync(join(scratch.home, '.config', 'artikey', 'state.json'), 'utf8'),
      ) as { instances: { token: { tokenId: string } }[] };
      const newest = fake.tokens.all().at(-1);
      expect(state.instances[0]?.token.tokenId).toBe(newest?.id);
    },
    TEST_MS,
  );

  it(
    'a server issuing already-expired tokens gets a few refreshes a minute, not a loop',
    async () => {
      await loginWithExpiredToken();
      const posts = tokenPosts();

      const agent = spawnAgent(env);
      await until(() => tokenPosts() > posts, 'the agent to start its first refresh');
      const window = 5_000;
      await pause(window);
      const made = tokenPosts() - posts;
      const code = await agent.stop(HANG_GUARD_MS);

      // The first refresh, then one per minimum interval at most (with one to spare).
      expect(made, agent.output()).toBeLessThanOrEqual(
        1 + Math.floor(window / MIN_INTERVAL_MS) + 1,
      );
      expect(agent.output()).toContain(
        'the server issued a token that is already due; next try in 30 s',
      );
      expect(code).toBe(0);
    },
    TEST_MS,
  );
});
