import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';
import { jfrogJwt } from '../scan/fixtures.js';

/**
 * Issue 17: what `artikey scan` prints is read by people. Paths as they would type them
 * (`~/.npmrc:4`), the line of the secret itself, "expired" for an expired token, a JFrog CLI
 * refresh token called one, `${VAR}` references apart from plain-text secrets, and advice that
 * fits when Artikey is logged in to none of the servers. `--json` keeps absolute paths.
 */
const cli = `${root}dist/cli/artikey.js`;

const TWO_HOURS = 2 * 3600;
const EXPIRED_TOKEN = jfrogJwt({
  ext: '{"revocable":"true"}',
  sub: 'jfac@01abc/users/alice',
  scp: 'applied-permissions/user',
  aud: '*@*',
  iss: 'jfac@01abc',
  exp: Math.floor(Date.now() / 1000) - TWO_HOURS - 600,
  iat: Math.floor(Date.now() / 1000) - 86_400,
  jti: '0b7c1e2d-3f4a-4b5c-8d9e-0f1a2b3c4d5e',
});
const MAVEN_PASSWORD = 'canary-maven-Pa55word';
const REFRESH_TOKEN = '7d1e2f3a-canary-4b5c-9d8e-1f2a3b4c5d6e';
const SECRETS = [EXPIRED_TOKEN, MAVEN_PASSWORD, REFRESH_TOKEN];

const NPMRC = `; the team's registry
registry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/
always-auth=true
//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken=${EXPIRED_TOKEN}
//acme.jfrog.io/artifactory/api/npm/npm-ci/:_authToken=\${NPM_TOKEN}
`;

const SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
  <servers>
    <server>
      <id>central</id>
      <username>alice</username>
      <password>${MAVEN_PASSWORD}</password>
    </server>
  </servers>
  <profiles>
    <profile>
      <id>artifactory</id>
      <repositories>
        <repository>
          <id>central</id>
          <url>https://acme.jfrog.io/artifactory/libs-release</url>
        </repository>
      </repositories>
    </profile>
  </profiles>
</settings>
`;

const JFROG_CLI = `${JSON.stringify(
  {
    servers: [
      {
        serverId: 'acme',
        url: 'https://acme.jfrog.io/',
        artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
        user: 'alice',
        refreshToken: REFRESH_TOKEN,
        isDefault: true,
      },
    ],
    version: '6',
  },
  null,
  2,
)}\n`;

describe(
  'artikey scan output (the built CLI), with no instance logged in',
  { timeout: 60_000 },
  () => {
    let scratch: ReturnType<typeof scratchHome>;
    let env: NodeJS.ProcessEnv;
    const scan = (...args: string[]): Promise<ClientRun> =>
      runClient(process.execPath, [cli, 'scan', ...args], { env });
    const write = (path: string, text: string): string => {
      const file = join(scratch.home, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    };
    const expectNoSecret = (run: ClientRun): void => {
      for (const secret of SECRETS) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    };

    beforeAll(() => ensureBuilt());
    beforeEach(() => {
      scratch = scratchHome();
      env = artikeyEnv(scratch);
    });
    afterEach(() => scratch.cleanup());

    it('names files from HOME at the line of the secret, says "expired" and "refresh token"', async () => {
      write('.npmrc', NPMRC);
      write('.m2/settings.xml', SETTINGS);
      write('.jfrog/jfrog-cli.conf.v6', JFROG_CLI);
      const run = await scan();
      expect(run.code, run.stderr).toBe(0);
      expectNoSecret(run);
      expect(run.stdout).not.toContain(scratch.home);
      const row = (where: string): string =>
        run.stdout.split('\n').find((line) => line.includes(where)) ?? '';
      expect(row('~/.npmrc:4 ')).toMatch(/^npm\s+access token\s.*\sexpired 2 h ago\s/);
      // The <password>, three lines below its <server>.
      expect(row('~/.m2/settings.xml:')).toMatch(
        /^maven\s+password\s+acme\.jfrog\.io \(not logged in\)\s.*~\/\.m2\/settings\.xml:7 /,
      );
      expect(row('~/.jfrog/jfrog-cli.conf.v6:')).toMatch(/^jfrog-cli\s+refresh token\s/);
    });

    it('lists ${VAR} references apart, never as plain-text secrets', async () => {
      write('.npmrc', NPMRC);
      const run = await scan();
      expect(run.code, run.stderr).toBe(0);
      const [table, references] = run.stdout.split(/\n(?=\S.*environment variable)/);
      expect(table).toMatch(/~\/\.npmrc:4 /);
      expect(table).not.toMatch(/~\/\.npmrc:5|variable/);
      expect(references).toMatch(/^1 entry reads its secret from an environment variable/);
      expect(references).toMatch(
        /\n {2}npm\s+~\/\.npmrc:5 \/\/acme\.jfrog\.io\/artifactory\/api\/npm\/npm-ci\/:_authToken\n/,
      );

      write(
        '.npmrc',
        'registry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/\n//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken=${NPM_TOKEN}\n',
      );
      const onlyReferences = await scan();
      expect(onlyReferences.stdout).toMatch(
        /^No plain-text Artifactory credentials found \(looked in \d+ places\)\.\n/,
      );
      expect(onlyReferences.stdout).toMatch(
        /1 entry reads its secret from an environment variable/,
      );
      expect(onlyReferences.stdout).toMatch(/~\/\.npmrc:2 /);
    });

    it('with no instance logged in, says to log in and migrate, not "migrate the others"', async () => {
      write('.npmrc', NPMRC);
      write('.m2/settings.xml', SETTINGS);
      const run = await scan();
      expect(run.stdout).not.toMatch(/others/);
      expect(run.stdout).toMatch(
        /Artikey is not logged in to acme\.jfrog\.io yet\. Log in and replace these credentials with tokens Artikey keeps fresh: artikey migrate acme\.jfrog\.io\n/,
      );
    });

    it('--json keeps absolute paths and the same lines', async () => {
      const npmrc = write('.npmrc', NPMRC);
      const settings = write('.m2/settings.xml', SETTINGS);
      const run = await scan('--json');
      expect(run.code, run.stderr).toBe(0);
      expectNoSecret(run);
      const report = JSON.parse(run.stdout) as {
        found: { file: string; line: number; kind: string }[];
      };
      expect(report.found.map((c) => [c.file, c.line, c.kind])).toEqual([
        [npmrc, 4, 'access-token'],
        [npmrc, 5, 'env-reference'],
        [settings, 7, 'password'],
      ]);
    });
  },
);
