import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_POM, demoFetches } from '../fake-artifactory/demo-fetches.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, requireClient, scratchHome } from '../support/clients.js';
import { npmLinkIntoScratchPrefix } from '../support/npm-link.js';

/** The address the README's demo block is written for: `npm run demo`'s default. */
const README_ADDRESS = '127.0.0.1:8081';
const MARKER = '<!-- demo-block:';

interface Step {
  command: string;
  /** The text after "# →", which the command's output must contain. */
  prints?: string;
}

/** The lines of the fenced block right after the README's demo-block marker, comments split off. */
function readmeDemoBlock(): Step[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(MARKER);
  if (start < 0) throw new Error(`README.md has no "${MARKER}" marker before its demo block`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block?.[1]) throw new Error('README.md has no ```sh block after its demo-block marker');
  return block[1]
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, command = line, comment] = /^(.*?)\s+#\s(.*)$/.exec(line) ?? [];
      const prints = /^→\s+(.*)$/.exec(comment?.trim() ?? '')?.[1];
      return { command: command.trim(), ...(prints ? { prints } : {}) };
    });
}

/**
 * Runs `command` the way a person types it (bash, from the checkout); `onOutput` sees the output
 * as it arrives, so the test can act as the person in the browser.
 */
function run(
  command: string,
  env: NodeJS.ProcessEnv,
  onOutput: (all: string) => void = () => {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const take = (chunk: Buffer): void => {
      output += chunk.toString();
      onOutput(output);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("the README's demo block, verbatim against the demo server", () => {
  const steps = readmeDemoBlock();
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureBuilt();
    prefix = npmLinkIntoScratchPrefix();
    // As `npm run demo` starts it (test/fake-artifactory/cli.ts), on a free port.
    fake = await startFakeArtifactory({ clock: new FakeClock(), profile: 'default', port: 0 });
    scratch = scratchHome();
    env = {
      ...artikeyEnv(scratch),
      PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
      // Java takes user.home from the password database, not $HOME (real-clients.md §3): point
      // Maven at the scratch home, where a person's own ~/.m2 would be.
      MAVEN_OPTS: `-Duser.home=${scratch.home}`,
    };
  });
  afterAll(async () => {
    await fake?.stop();
    scratch?.cleanup();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('is there and covers the four things the demo serves with their real clients', () => {
    const programs = steps.map((step) => step.command.split(' ')[0]);
    expect(programs).toEqual(
      expect.arrayContaining(['artikey', 'docker', 'skopeo', 'npm', 'mvn', 'pip']),
    );
    expect(
      steps.every(
        (step) => !step.command.includes('127.0.0.1') || step.command.includes(README_ADDRESS),
      ),
    ).toBe(true);
  });

  it("holds every command the demo's banner prints, for the default address", () => {
    const inReadme = steps.map((step) => step.command);
    const banner = demoFetches({ url: `http://${README_ADDRESS}`, host: README_ADDRESS }).flatMap(
      (f) => [f.configure, ...f.fetch],
    );
    // The banner names the POM by its full path; the README, run from the checkout, by the relative one.
    const relative = banner.map((command) =>
      command.replace(DEMO_POM, DEMO_POM.slice(root.length)),
    );
    expect(inReadme).toEqual(expect.arrayContaining(relative));
  });

  it('runs every line in order, each exiting 0 with the output the README shows', async () => {
    for (const step of steps) {
      const program = step.command.split(' ')[0] ?? '';
      if (program !== 'artikey') requireClient(program);
      const command = step.command.replaceAll(README_ADDRESS, fake.host);
      // The person's part of a browser login: open the printed page and approve as alice.
      const approve = (output: string): void => {
        const session = /jfClientSession=([\w-]+)/.exec(output)?.[1];
        if (session && fake.pendingLogins().includes(session)) fake.approveLogin(session, 'alice');
      };
      const { code, output } = await run(command, env, approve);
      expect({ command, code, output }).toMatchObject({ command, code: 0 });
      if (step.prints) expect(output, command).toContain(step.prints);
    }
  }, 300_000);
});
