import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { root } from '../support/built.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient } from '../support/clients.js';

/**
 * `artikey configure sbt`, driven through the built CLI. No sbt installs here (not in Debian 12,
 * and its launcher downloads itself), so the client is the JDK doing what sbt does with the file:
 * test/clients/sbt/Fetch.java loads it with java.util.Properties (sbt's `IO.load`), looks the keys
 * up as sbt's CredentialUtils does, and answers the fake's Basic challenge for "Artifactory Realm"
 * at the host, as Ivy does. It fetches the demo POM through an sbt repository with the token
 * Artikey wrote, again after a refresh, and gets 401 after logout has given the person's file back.
 */
describe(
  'the credentials file configure sbt writes, read the way sbt reads it, through refresh and logout',
  { timeout: 240_000 },
  () => {
    let cli: BuiltCli;
    const original = '# sbt: credentials += Credentials(Path.userHome / ".sbt" / ".credentials")\n';
    const file = (): string => join(cli.scratch.home, '.sbt', '.credentials');

    const fetch = async (): Promise<string> => {
      const pom = `${cli.fake.url}/artifactory/sbt-virtual/com/example/fake-parent/1.0/fake-parent-1.0.pom`;
      const run = await runClient('java', [`${root}test/clients/sbt/Fetch.java`, file(), pom], { env: cli.scratch.env, timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
      return run.stdout.trim();
    };
    /** [user, which token, status] of each POM request the fake saw. */
    const requests = (token: string): [string | null, string | null, number][] =>
      cli.fake.requests
        .list({})
        .filter((r) => r.path.endsWith('.pom'))
        .map((r) => [r.user, r.secret === null ? null : r.secret === cli.fake.fingerprint(token) ? 'current' : 'other', r.status]);

    beforeAll(async () => {
      requireClient('java');
      cli = await startBuiltCli();
      mkdirSync(join(cli.scratch.home, '.sbt'));
      writeFileSync(file(), original);
      await cli.login('token');
    });
    afterAll(() => cli.stop());
    beforeEach(() => cli.fake.requests.clear());

    it('configure sbt writes the credentials and prints the build lines; the challenge is answered with the current token', async () => {
      const run = succeeded(await cli.artikey(['configure', 'sbt', 'demo', '--repo', 'sbt-virtual']));
      expect(run.stdout).toContain(`Configured sbt: credentials for 127.0.0.1 in ${file()}.`);
      expect(run.stdout).toContain(`in build.sbt\n  credentials += Credentials(Path.userHome / ".sbt" / ".credentials")\n  resolvers += "Artifactory" at "${cli.fake.url}/artifactory/sbt-virtual/"`);
      const token = await cli.token();
      expect(readFileSync(file(), 'utf8')).toBe(`${original}realm=Artifactory Realm\nhost=127.0.0.1\nuser=${DEMO_USER.name}\npassword=${token}\n`);
      expect(await fetch()).toBe('200');
      expect(requests(token)).toEqual([
        [null, null, 401],
        [DEMO_USER.name, 'current', 200],
      ]);
    });

    it('refresh rewrites the password with the new token, the old one is dead, and the fetch still works', async () => {
      const { renewed: after } = await cli.refresh();
      expect(readFileSync(file(), 'utf8')).toContain(`\npassword=${after}\n`);
      expect(await fetch()).toBe('200');
      expect(requests(after)).toEqual([
        [null, null, 401],
        [DEMO_USER.name, 'current', 200],
      ]);
    });

    it("logout gives back the person's file byte for byte, and the challenge goes unanswered", async () => {
      succeeded(await cli.artikey(['logout', 'demo']));
      expect(readFileSync(file(), 'utf8')).toBe(original);
      expect(await fetch()).toBe('401');
    });
  },
);
