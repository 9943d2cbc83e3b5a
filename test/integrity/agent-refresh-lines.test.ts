import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome, spawnAgent } from '../support/clients.js';

/**
 * Issue 14, finding 9: with short tokens, `artikey agent` printed 8, then 17 "refreshed X" lines
 * milliseconds apart for one real refresh each. A jittered timer fired before the token was due,
 * the refresh did nothing, the nothing was reported and planned again at once, until the token
 * really was due. The agent must print one line per refresh the server actually made.
 */
const TOKENS = '/access/api/v1/tokens';
/** A minute: refreshed about every 27–30 s (half the lifetime, less up to 3 s of jitter). */
const LIFETIME_SECONDS = 60;
/** The first refresh at start-up (the token is already due) and two more from timers. */
const REFRESHES = 3;
/** Real processes on a busy machine: login, three refreshes about 30 s apart, and the stop. */
const TEST_MS = 150_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('artikey agent: one "refreshed" line per real refresh', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  /**
   * A one-minute token issued 40 s ago, so the agent refreshes at once and the test needs no
   * idle half minute. The server's clock is set back for the login; Artikey (rightly) reads that
   * as a server clock 40 s behind until `forgetClockOffset()`.
   */
  const loginWithAgedToken = async (): Promise<void> => {
    fake.clock.set(Date.now() - 40_000);
    const run = await artikey(
      [
        'login',
        fake.url,
        '--no-browser',
        '--lifetime',
        `${LIFETIME_SECONDS}s`,
      ],
    );
    fake.clock.set(Date.now());
    expect(run.code, run.stderr).toBe(0);
  };

  /** Makes the token as old by our clock as it is by the server's: called just before the agent starts. */
  const forgetClockOffset = (): void => {
    const path = join(scratch.home, '.config', 'artikey', 'state.json');
    const state = JSON.parse(readFileSync(path, 'utf8')) as {
      instances: { clockOffsetSeconds: number }[];
    };
    for (const instance of state.instances) instance.clockOffsetSeconds = 0;
    writeFileSync(path, JSON.stringify(state));
  };

  it(
    'prints as many "refreshed" lines as the server made refreshes and the tool file saw tokens, never two at once',
    async () => {
      const npmrc = join(scratch.home, '.npmrc');
      await loginWithAgedToken();
      const configured = await artikey([
        'configure',
        'npm',
        fake.host,
        '--repo',
        'npm-virtual',
        '--file',
        npmrc,
      ]);
      expect(configured.code, configured.stderr).toBe(0);
      forgetClockOffset();
      const refreshesBefore = fake.tokens.refreshCount;
      const postsBefore = fake.requests.list({ method: 'POST', path: TOKENS }).length;

      const agent = spawnAgent(env);

      // Every token the agent writes to .npmrc, as npm would read it (kept as a count only).
      const seen = new Set<string>();
      const initial = /:_authToken=(\S+)/.exec(readFileSync(npmrc, 'utf8'))?.[1];
      for (
        const end = Date.now() + TEST_MS - 30_000;
        fake.tokens.refreshCount - refreshesBefore < REFRESHES && Date.now() < end;
        await pause(100)
      ) {
        const token = /:_authToken=(\S+)/.exec(readFileSync(npmrc, 'utf8'))?.[1];
        if (token && token !== initial) seen.add(token);
      }
      // Room for a last rewrite of the tool file, and for any line a spinning loop would add.
      await pause(2_000);
      const last = /:_authToken=(\S+)/.exec(readFileSync(npmrc, 'utf8'))?.[1];
      if (last && last !== initial) seen.add(last);
      expect(await agent.stop(), agent.output()).toBe(0);
      const output = agent.output();

      const refreshes = fake.tokens.refreshCount - refreshesBefore;
      const posts = fake.requests.list({ method: 'POST', path: TOKENS }).length - postsBefore;
      const lines = output
        .split('\n')
        .filter((line) => / refreshed \S+; the new token /.test(line));
      expect(refreshes, output).toBe(REFRESHES);
      expect(posts).toBe(refreshes);
      expect(lines, output).toHaveLength(refreshes);
      expect(seen.size).toBe(refreshes);
      // No burst: consecutive lines are a token's half-life apart, not milliseconds.
      const times = lines.map((line) => Date.parse(line.slice(0, line.indexOf(' '))));
      const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
      expect(
        gaps.filter((gap) => gap < 10_000),
        output,
      ).toEqual([]);
    },
    TEST_MS,
  );
});
