import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * `artikey configure nuget`, driven through the built CLI and read by the real nuget (Debian's
 * 2.8.7 on Mono). That nuget speaks only the v2 feed, so the source is configured with
 * `--protocol v2`; and nuget.exe on Mono reads its user file from ~/.config/NuGet/NuGet.Config,
 * not the ~/.nuget/NuGet/NuGet.Config that dotnet reads and Artikey writes by default ("Common
 * NuGet configurations": the location varies by tooling), so the test names that file with
 * `--file`. The source name has a space, so nuget finds its credentials only under the element
 * name encoded as XmlConvert.EncodeLocalName spells it. nuget asks anonymously first and sends
 * Basic after the 401; it installs with the token Artikey wrote, again after a refresh (the file
 * then holds the new token and the old one is dead on the server), and after logout the person's
 * file is back byte for byte and nuget, which cannot prompt (-NonInteractive), has no credentials.
 */
describe(
  'nuget 2.8.7 reads the NuGet.Config source Artikey writes, through refresh and logout',
  { timeout: 300_000 },
  () => {
    let cli: BuiltCli;
    const feed = '/artifactory/api/nuget/nuget-virtual';
    const source = 'Acme Feed';
    const original =
      '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <!-- my feeds -->\n  <packageSources>\n' +
      '    <add key="local" value="/srv/packages" />\n  </packageSources>\n</configuration>\n';
    const config = (): string => join(cli.scratch.home, '.config', 'NuGet', 'NuGet.Config');
    let installs = 0;

    /** Installs the fake's package into a fresh folder, past nuget's machine cache. */
    const install = async (from = source): Promise<ClientRun & { out: string }> => {
      const out = join(cli.scratch.home, `packages-${++installs}`);
      const run = await runClient(
        'nuget',
        [
          'install',
          'Artikey.Demo',
          '-Version',
          '1.0.0',
          '-Source',
          from,
          '-OutputDirectory',
          out,
          '-NoCache',
          '-NonInteractive',
        ],
        { env: cli.scratch.env, timeoutMs: 120_000 },
      );
      return { ...run, out };
    };
    const installed = (out: string): boolean =>
      existsSync(join(out, 'Artikey.Demo.1.0.0', 'Artikey.Demo.1.0.0.nupkg'));
    /** [scheme, user, which token, status] of each request for the package's entry. */
    const asked = (token: string): [string | null, string | null, string | null, number][] =>
      cli.fake.requests
        .list({ path: `${feed}/Packages(Id=%27Artikey.Demo%27,Version=%271.0.0%27)` })
        .map((r) => [
          r.scheme,
          r.user,
          r.secret === cli.fake.fingerprint(token) ? 'current' : r.secret,
          r.status,
        ]);

    beforeAll(async () => {
      requireClient('nuget');
      cli = await startBuiltCli();
      mkdirSync(dirname(config()), { recursive: true });
      writeFileSync(config(), original);
      await cli.login('token');
    });
    afterAll(() => cli.stop());
    beforeEach(() => cli.fake.requests.clear());

    it('configure nuget --protocol v2 writes the source and its credentials; nuget installs with the current token', async () => {
      const configured = JSON.parse(
        succeeded(
          await cli.artikey([
            'configure',
            'nuget',
            'demo',
            '--repo',
            'nuget-virtual',
            '--protocol',
            'v2',
            '--name',
            source,
            '--file',
            config(),
            '--json',
          ]),
        ).stdout,
      ) as { changed: boolean; target: { name: string; url: string; protocol: string } };
      expect(configured).toMatchObject({
        changed: true,
        target: { name: source, url: `${cli.fake.url}${feed}`, protocol: 'v2' },
      });
      const token = await cli.token();
      expect(readFileSync(config(), 'utf8')).toBe(
        original.replace(
          '  </packageSources>\n</configuration>\n',
          `    <add key="${source}" value="${cli.fake.url}${feed}" />\n  </packageSources>\n` +
            '  <packageSourceCredentials>\n    <Acme_x0020_Feed>\n' +
            `      <add key="Username" value="${DEMO_USER.name}" />\n      <add key="ClearTextPassword" value="${token}" />\n` +
            '    </Acme_x0020_Feed>\n  </packageSourceCredentials>\n</configuration>\n',
        ),
      );
      const run = await install();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(installed(run.out)).toBe(true);
      expect(asked(token)).toEqual([
        [null, null, null, 401],
        ['Basic', DEMO_USER.name, 'current', 200],
      ]);
    });

    it('refresh rewrites the ClearTextPassword with the new token, the old one is dead, and nuget still installs', async () => {
      const { old: before, renewed: after } = await cli.refresh();
      const text = readFileSync(config(), 'utf8');
      expect(text).toContain(`<add key="ClearTextPassword" value="${after}" />`);
      expect(text).not.toContain(before);
      const run = await install();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(installed(run.out)).toBe(true);
      expect(asked(after)).toEqual([
        [null, null, null, 401],
        ['Basic', DEMO_USER.name, 'current', 200],
      ]);
    });

    it("logout gives back the person's NuGet.Config byte for byte, and nuget, given the feed's URL, has no credentials for it", async () => {
      succeeded(await cli.artikey(['logout', 'demo']));
      expect(readFileSync(config(), 'utf8')).toBe(original);
      cli.fake.requests.clear();
      expect((await install()).code).not.toBe(0);
      // The URL itself: nuget would take the credentials of a source with that URL, and finds none.
      const run = await install(`${cli.fake.url}${feed}`);
      expect(run.code).not.toBe(0);
      expect(installed(run.out)).toBe(false);
      expect(cli.fake.requests.list({ path: feed }).map((r) => [r.scheme, r.status])).toEqual([
        [null, 401],
      ]);
      expect(cli.fake.requests.list().filter((r) => r.scheme !== null)).toEqual([]);
    });
  },
);
