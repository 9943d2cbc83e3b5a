import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import type { ClientRun } from '../support/clients.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';

// Each test runs several CLI processes that compile TypeScript as they start (about 4 s each on
// a busy 2-core machine): the limit guards against a hang, it is no claim about speed.
describe('artikey CLI, as a real process against the fake Artifactory and the real keychain', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let artikey: SourceCli;
  let home: string;
  const transcript: string[] = [];

  /** Runs the CLI; `onStderr` may react to output (the browser-login URL). */
  async function cli(args: string[], input = '', onStderr?: (text: string) => void): Promise<ClientRun> {
    const run = await artikey.run(args, { input, ...(onStderr ? { onStderr } : {}) });
    transcript.push(run.stdout, run.stderr);
    return run;
  }

  beforeAll(async () => {
    fake = await startFakeArtifactory();
    artikey = sourceCli();
    home = artikey.home;
  });
  afterAll(async () => {
    await cli(['logout', fake.host]);
    await fake.stop();
    artikey.cleanup();
  });

  it('logs in with a password from stdin, lists, inspects, prints the token, refreshes and revokes', async () => {
    // A permissive server (token generation via the API with Basic enabled): this is the password path.
    fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      fake.config.allowBasicAuthTokenCreation = false;
    });
    const login = await cli(
      [
        'login',
        fake.url,
        '--user',
        DEMO_USER.name,
        '--password-stdin',
        '--lifetime',
        '8h',
        '--name',
        'demo',
      ],
      `${DEMO_USER.password}\n`,
    );
    expect(login).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Logged in to demo as alice; token expires in [78] h/),
    });

    const list = await cli(['list', '--json']);
    expect(list.code).toBe(0);
    const [view] = JSON.parse(list.stdout) as {
      id: string;
      status: string;
      token: { refreshable: boolean };
    }[];
    expect(view).toMatchObject({
      id: `127.0.0.1-${fake.port}`,
      status: 'active',
      token: { refreshable: true },
    });

    const table = await cli(['list']);
    expect(table.stdout).toMatch(/^INSTANCE\s+USER\s+STATUS\s+EXPIRES\s+URL\n/);
    expect(table.stdout).toMatch(/demo\s+alice\s+active\s+in [78] h/);

    const status = await cli(['status', 'demo']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Scopes:\s+user permissions/);
    expect(status.stdout).toMatch(/Clock skew:\s+-?[01] s/);
    // Anonymous access is off on the fake as on a default server: the version is asked with the token.
    expect(status.stdout).toMatch(new RegExp(`Server:\\s+Artifactory ${fake.config.artifactoryVersion.replaceAll('.', '\\.')}`));
    expect(status.stdout).toMatch(/Next refresh: {2}around \d{4}-\d\d-\d\dT/);

    const token = await cli(['token', fake.url]);
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(token.stderr).toBe('');

    const refreshed = await cli(['refresh', 'demo']);
    expect(refreshed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Refreshed demo/) });
    const after = await cli(['token', 'demo']);
    expect(after.stdout).not.toBe(token.stdout);
  });

  it('logs in through the browser on a headless machine by printing the URL', async () => {
    let approved = false;
    const run = await cli(['login', fake.url, '--no-browser'], '', (stderr) => {
      const url = /(http:\/\/\S+jfClientSession=\S+)/.exec(stderr)?.[1];
      if (url && !approved) {
        approved = true;
        fake.approveLogin(new URL(url).searchParams.get('jfClientSession') ?? '', 'alice');
      }
    });
    expect(run.stderr).toMatch(
      /Open this page on any device to log in \(enter the code [0-9a-f]{4} if asked\)/,
    );
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^Logged in to demo as alice; token expires in [78] h, refreshed automatically/,
      ),
    });
  });

  it('reports errors on stderr with a code and a non-zero exit, and JSON when asked', async () => {
    const missing = await cli(['status', 'nope.example']);
    expect(missing).toMatchObject({
      code: 3,
      stdout: '',
      stderr: expect.stringMatching(/No instance "nope.example".*\[instance-not-found\]/),
    });
    const json = await cli(['status', 'nope.example', '--json']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'instance-not-found' } });
    const usage = await cli(['login']);
    expect(usage.code).toBe(2);
    const bad = await cli(
      ['login', fake.url, '--user', 'alice', '--password-stdin'],
      'canary-wrong-password\n',
    );
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused the credentials.*\[unauthorized\]/),
    });
    const notArtifactory = await cli(
      ['login', 'http://127.0.0.1:9/', '--user', 'alice', '--password-stdin'],
      'x\n',
    );
    expect(notArtifactory.stderr).toMatch(/refused the connection/);
  });

  it('doctor checks the keychain and every instance', async () => {
    const doctor = await cli(['doctor', '--json']);
    expect(doctor.code, doctor.stderr).toBe(0);
    const checks = JSON.parse(doctor.stdout) as { check: string; ok: boolean; detail: string }[];
    expect(checks[0]).toMatchObject({
      check: 'keychain',
      ok: true,
      detail: 'Secret Service (D-Bus)',
    });
    expect(checks[1]).toMatchObject({
      check: 'demo',
      ok: true,
      detail: expect.stringMatching(/^Artifactory 7\.\d+\.\d+; token active; clock skew -?[01] s$/),
    });
  });

  it('configures npm and Maven in the home folder, shows them in status, and takes them out again', async () => {
    const npmrc = join(home, '.npmrc');
    writeFileSync(npmrc, '# mine\nfund=false\n');
    const npm = await cli([
      'configure',
      'npm',
      'demo',
      '--repo',
      'npm-virtual',
      '--scope',
      '@acme',
    ]);
    expect(npm, npm.stderr).toMatchObject({
      code: 0,
      stdout: `Configured npm: ${fake.url}/artifactory/api/npm/npm-virtual/ for @acme in ${npmrc}. Artikey rewrites it on every refresh and removes it on logout.\n`,
    });
    const token = (await cli(['token', 'demo'])).stdout.trim();
    expect(readFileSync(npmrc, 'utf8')).toBe(
      `# mine\nfund=false\n//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${token}\n@acme:registry=${fake.url}/artifactory/api/npm/npm-virtual/\n`,
    );
    const maven = await cli(['configure', 'maven', 'demo', '--mirror', 'libs-release']);
    expect(maven.stdout).toBe(
      `Configured maven: server artifactory-mirror with mirror ${fake.url}/artifactory/libs-release/ in ${join(home, '.m2', 'settings.xml')}. Artikey rewrites it on every refresh and removes it on logout.\n`,
    );
    expect(readFileSync(join(home, '.m2', 'settings.xml'), 'utf8')).toContain(
      `<password>${token}</password>`,
    );

    const status = await cli(['status', 'demo']);
    expect(status.stdout).toMatch(new RegExp(`Configured:\\s+npm: .* in ${npmrc}\n`));
    expect(status.stdout).toMatch(/Configured:\s+maven: server artifactory-mirror/);

    await cli(['refresh', 'demo']);
    const rotated = (await cli(['token', 'demo'])).stdout.trim();
    expect(rotated).not.toBe(token);
    expect(readFileSync(npmrc, 'utf8')).toContain(`:_authToken=${rotated}\n`);

    const removed = await cli(['unconfigure', 'npm', 'demo']);
    expect(removed).toMatchObject({
      code: 0,
      stdout: `Removed npm: ${fake.url}/artifactory/api/npm/npm-virtual/ for @acme in ${npmrc}.\n`,
    });
    expect(readFileSync(npmrc, 'utf8')).toBe('# mine\nfund=false\n');
    const again = await cli(['unconfigure', 'npm', 'demo']);
    expect(again.stdout).toBe('Artikey has not configured npm for demo.\n');
    const dropped = await cli(['unconfigure', 'maven', 'demo']);
    expect(dropped.code).toBe(0);
    expect(existsSync(join(home, '.m2', 'settings.xml'))).toBe(false);
  });

  it('refuses configure requests it cannot honour, with usage errors', async () => {
    expect(await cli(['configure', 'npm', 'demo'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('npm needs --repo <npm repository>'),
    });
    expect(await cli(['configure', 'cvs', 'demo'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"cvs" is not a tool Artikey configures'),
    });
    expect(await cli(['configure', 'cargo', 'demo'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cargo needs --repo <cargo repository>; the cargo repositories of demo: cargo-local (local). Pass one, e.g. --repo cargo-local'),
    });
    expect(await cli(['configure', 'cargo', 'demo', '--repo', 'cargo-lokal'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Did you mean --repo cargo-local?'),
    });
    expect(await cli(['configure', 'cargo', 'demo', '--repo', 'cargo-local', '--registry-name', 'crates-io'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--registry-name "crates-io" is not a Cargo registry name'),
    });
    expect(await cli(['configure', 'helm', 'demo'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('helm needs --repo <helm repository>; the helm repositories of demo: helm-virtual (virtual), helm-local (local). Pass one, e.g. --repo helm-virtual'),
    });
    expect(await cli(['configure', 'helm', 'demo', '--repo', 'helm-virtual', '--name', 'acme/charts'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--name "acme/charts" is not a Helm repository name: Helm refuses '/' in it`),
    });
    expect(await cli(['configure', 'nuget', 'demo', '--repo', 'nuget-virtaul'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Did you mean --repo nuget-virtual?'),
    });
    expect(await cli(['configure', 'nuget', 'demo', '--repo', 'nuget-virtual', '--protocol', 'v1'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--protocol "v1" is not a NuGet feed protocol: choose v3 or v2'),
    });
    expect(await cli(['configure', 'nuget', 'demo', '--repo', 'nuget-virtual', '--name', ' '])).toMatchObject({
      code: 0,
    });
    expect(await cli(['unconfigure', 'nuget', 'demo'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Removed nuget: source Artifactory') as unknown as string,
    });
    expect(existsSync(join(home, '.nuget', 'NuGet', 'NuGet.Config'))).toBe(false);
    expect(
      await cli(['configure', 'docker', 'demo', '--host', 'registry.example.com']),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /Docker host registry\.example\.com is not on demo.*\[invalid-target\]/,
      ),
    });
    expect(existsSync(join(home, '.docker', 'config.json'))).toBe(false);
  });

  it('scans for plain-text credentials and migrates them after showing the plan', async () => {
    const apiKey = fake.createApiKey('alice');
    const npmrc = join(home, '.npmrc');
    const key = `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken`;
    writeFileSync(npmrc, `# mine\n${key}=${apiKey}\n`);

    const scan = await cli(['scan']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(
      new RegExp(`^TOOL\\s+KIND\\s+INSTANCE\\s+USER\\s+EXPIRES\\s+MANAGED\\s+WHERE\\n`),
    );
    expect(scan.stdout).toMatch(
      /npm\s+API key \(end-of-life\)\s+demo\s+/,
    );
    expect(scan.stdout).toContain(
      'Replace them with tokens Artikey keeps fresh: artikey migrate demo',
    );
    const checked = JSON.parse((await cli(['scan', '--check', '--json'])).stdout) as {
      found: { tool: string; works: string }[];
    };
    expect(checked.found).toContainEqual(expect.objectContaining({ tool: 'npm', works: 'yes' }));

    const plan = await cli(['migrate', 'demo']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`replace API key (end-of-life) in ~/.npmrc:2 ${key}\n`);
    expect(plan.stdout).toMatch(/\n {6}with npm: \S+ in ~\/\.npmrc\n/);
    expect(plan.stdout).toMatch(/Nothing changed\. Run again with --yes to apply\.\n$/);
    expect(readFileSync(npmrc, 'utf8')).toBe(`# mine\n${key}=${apiKey}\n`);

    const applied = await cli(['migrate', 'demo', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Replaced the API key (end-of-life) in ~/.npmrc.');
    // The file as it was, API key and all, in a fresh backup the output names.
    const backup = new RegExp(`Saved ${npmrc} as it was before: (\\S+)`).exec(applied.stdout)?.[1];
    expect(backup).toMatch(/\.npmrc\.artikey-backup-\d{8}T\d{6}Z$/);
    expect(readFileSync(backup!, 'utf8')).toBe(`# mine\n${key}=${apiKey}\n`);
    expect(applied.stdout).toContain('The API key still works on the server until it is revoked');
    const token = (await cli(['token', 'demo'])).stdout.trim();
    expect(readFileSync(npmrc, 'utf8')).toBe(`# mine\n${key}=${token}\n`);
    expect(transcript.join('\n')).not.toContain(apiKey);
    await cli(['unconfigure', 'npm', 'demo']);
  });

  it('shows help with examples', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n\s+artikey login acme\.jfrog\.io/);
  });

  it('never lets a secret reach output other than `artikey token`, or the state file', async () => {
    const secrets = fake.tokens
      .all()
      .flatMap((t) => [t.jwt, t.refreshToken].filter((s): s is string => Boolean(s)));
    const tokenOutputs = transcript.filter((text) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/.test(text));
    const everythingElse = transcript.filter((text) => !tokenOutputs.includes(text)).join('\n');
    for (const secret of [...secrets, DEMO_USER.password, 'canary-wrong-password']) {
      expect(everythingElse).not.toContain(secret);
    }
    const state = readFileSync(join(home, '.config', 'artikey', 'state.json'), 'utf8');
    for (const secret of secrets) expect(state).not.toContain(secret);
  });

  it('says which release browser login needs on a 7.40 server, and changes nothing', async () => {
    const legacy = await startFakeArtifactory({ profile: 'legacy-7.40' });
    try {
      const login = await cli(['login', legacy.url, '--no-browser']);
      expect(login.code).not.toBe(0);
      expect(login.stderr).toMatch(/This server is 7\.40\.2: browser login needs 7\.64 or newer; use a token/);
      expect(legacy.pendingLogins()).toEqual([]);
      expect((await cli(['list', '--json'])).stdout).not.toContain(`${legacy.port}`);
    } finally {
      await legacy.stop();
    }
  });

  it('migrates a server it is not logged in to whose API key is refused: browser login, then the files', async () => {
    const refusing = await startFakeArtifactory({ config: { apiKeysEnabled: false } });
    try {
      refusing.config.apiKeysEnabled = true;
      const apiKey = refusing.createApiKey('alice');
      refusing.config.apiKeysEnabled = false;
      const npmrc = join(home, '.npmrc');
      const key = `//${refusing.host}/artifactory/api/npm/npm-virtual/:_authToken`;
      writeFileSync(npmrc, `# mine\n${key}=${apiKey}\n`);
      let approved = false;
      const run = await cli(['migrate', refusing.host, '--yes', '--no-browser'], '', (stderr) => {
        const url = /(http:\/\/\S+jfClientSession=\S+)/.exec(stderr)?.[1];
        if (url && !approved) {
          approved = true;
          refusing.approveLogin(new URL(url).searchParams.get('jfClientSession') ?? '', 'alice');
        }
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Logged in to \S+ as alice through the browser\./);
      expect(run.stdout).toMatch(/refused the API key found in your files/);
      expect(run.stdout).toContain('Replaced the API key (end-of-life) in ~/.npmrc.');
      const token = (await cli(['token', refusing.host])).stdout.trim();
      expect(readFileSync(npmrc, 'utf8')).toBe(`# mine\n${key}=${token}\n`);
      expect(transcript.join('\n')).not.toContain(apiKey);
    } finally {
      await cli(['logout', refusing.host]);
      await refusing.stop();
    }
  });

  it('says once, at login and in status, when the server limits tokens below the lifetime asked', async () => {
    fake.config.maxExpirySeconds = 86_400;
    fake.config.defaultExpirySeconds = 86_400;
    fake.config.maxExpiryExceeded = 'cap';
    try {
      const note = 'The server limits tokens to 1 day (Artikey asks for 2 days): after a longer sleep, log in again.';
      fake.approveBrowserLoginsAs(DEMO_USER.name);
      const login = await cli(['login', fake.url, '--no-browser', '--lifetime', '2d', '--name', 'demo']);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toContain(`note: ${note}`);
      const status = await cli(['status', 'demo']);
      expect(status.stdout).toMatch(new RegExp(`Lifetime:\\s+${note.replace(/[().]/g, '\\$&')}`));
      expect((await cli(['list'])).stdout).toContain(`Note: demo: ${note}`);
    } finally {
      Object.assign(fake.config, { maxExpirySeconds: 0, defaultExpirySeconds: 31_536_000, maxExpiryExceeded: 'refuse' });
      fake.approveBrowserLoginsAs(null);
    }
  });
});
