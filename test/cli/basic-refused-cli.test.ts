import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';
import { onTerminal } from '../support/terminal.js';

/**
 * `artikey login --password` against a server that will not trade a password for a token (issue
 * 15, item 1), as real processes: piped, it fails with the way out; on a terminal (a real pty,
 * from util-linux `script`), it offers the browser login and carries on with it.
 */
describe('artikey login with a password, where the server refuses Basic token creation', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ config: { allowBasicAuthTokenCreation: false } });
    cli = sourceCli();
  });
  afterAll(async () => {
    await cli.run(['logout', fake.host]);
    await fake.stop();
    cli.cleanup();
  });

  const approveOnce = (screen: string, approved: Set<string>): void => {
    const session = /jfClientSession=([0-9a-f-]+)/.exec(screen)?.[1];
    if (session && !approved.has(session)) {
      approved.add(session);
      fake.approveLogin(session, DEMO_USER.name);
    }
  };

  it('piped, exits 5 with the way out, and leaves nothing behind', async () => {
    const run = await cli.run(['login', fake.url, '--user', DEMO_USER.name, '--password-stdin'], { input: `${DEMO_USER.password}\n` });
    expect(run.code).toBe(5);
    expect(run.stderr).toBe(
      `artikey: ${fake.host} does not let tools trade a password for a token; log in through the browser instead: artikey login ${fake.url}/ [basic-token-creation-disabled]\n`,
    );
    expect(JSON.parse((await cli.run(['list', '--json'])).stdout)).toEqual([]);
    const state = JSON.parse(readFileSync(join(cli.home, '.config', 'artikey', 'state.json'), 'utf8')) as { pendingLogins: unknown[] };
    expect(state.pendingLogins).toEqual([]);
  });

  it('on a terminal, offers the browser login and completes it', async () => {
    // Known to refuse since the test before: said before the password is asked for.
    const approved = new Set<string>();
    const run = await onTerminal(cli, ['login', fake.url, '--user', DEMO_USER.name, '--password', '--no-browser'], (screen) => {
      approveOnce(screen, approved);
      if (/\[Y\/n\] $/.test(screen)) return '\r';
      return undefined;
    });
    expect(run.screen).toContain(`${fake.host} does not let tools trade a password for a token`);
    expect(run.screen).not.toContain('Password for');
    expect(run.screen).toMatch(/Logged in to \S+ as alice; token expires in/);
    expect(run.code).toBe(0);
  });

  it('on a terminal, asks again after the server refused the password, and the browser login follows', async () => {
    // A fresh home: nothing known about the server, so the password is asked for and sent first.
    const fresh = sourceCli();
    const approved = new Set<string>();
    try {
      const run = await onTerminal(fresh, ['login', fake.url, '--user', DEMO_USER.name, '--password', '--no-browser'], (screen) => {
        approveOnce(screen, approved);
        if (/\[Y\/n\] $/.test(screen)) return 'y\r';
        if (/Password for alice \(input hidden\): $/.test(screen)) return `${DEMO_USER.password}\r`;
        return undefined;
      });
      expect(run.screen.indexOf('Password for alice')).toBeLessThan(run.screen.indexOf('does not let tools trade a password for a token'));
      expect(run.screen).toContain('Log in through the browser instead? [Y/n]');
      expect(run.screen).not.toContain(DEMO_USER.password);
      expect(run.screen).toMatch(/Logged in to \S+ as alice; token expires in/);
      expect(run.code).toBe(0);
    } finally {
      await fresh.run(['logout', fake.host]);
      fresh.cleanup();
    }
  });
});
