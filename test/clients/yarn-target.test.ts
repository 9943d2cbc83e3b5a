import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readYaml } from '../../electron/core/targets/yaml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, type BuiltCli } from '../support/built-cli.js';
import { runClient, type ClientRun } from '../support/clients.js';

/**
 * The Yarn target end to end: the built CLI logs in, `artikey configure yarn` writes
 * ~/.yarnrc.yml, and the real Yarn Berry (`@yarnpkg/cli-dist`, a devDependency) installs through
 * it; after `artikey refresh` the file holds the new token, the old one is revoked and Yarn still
 * installs; after `artikey logout` the file is the person's own bytes again and Yarn is anonymous.
 */
describe('yarn berry with the ~/.yarnrc.yml Artikey writes (built CLI)', { timeout: 240_000 }, () => {
  const registryPath = '/artifactory/api/npm/npm-virtual/';
  let cli: BuiltCli;
  let yarn: string;

  beforeEach(async () => {
    cli = await startBuiltCli({ fake: { approveBrowserLoginsAs: DEMO_USER.name } });
    const require = createRequire(import.meta.url);
    yarn = (require.resolve.paths('@yarnpkg/cli-dist') ?? [])
      .map((folder) => join(folder, '@yarnpkg/cli-dist/bin/yarn.js'))
      .find((file) => existsSync(file))!;
    expect(yarn, '@yarnpkg/cli-dist is a devDependency: run npm install').toBeDefined();
  });
  afterEach(() => cli.stop());

  /** `yarn install` of a project needing artikey-demo, with no cache of an earlier run. */
  let runs = 0;
  async function install(extra: NodeJS.ProcessEnv = {}): Promise<ClientRun & { dir: string }> {
    rmSync(join(cli.scratch.home, '.yarn'), { recursive: true, force: true });
    const dir = join(cli.scratch.home, `probe-${++runs}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      '{"name":"probe","private":true,"dependencies":{"artikey-demo":"1.0.0"}}\n',
    );
    cli.fake.requests.clear();
    const run = await runClient(process.execPath, [yarn, 'install'], {
      env: {
        ...cli.scratch.env,
        YARN_ENABLE_TELEMETRY: '0',
        YARN_NODE_LINKER: 'node-modules',
        ...extra,
      },
      cwd: dir,
      timeoutMs: 120_000,
    });
    return { ...run, dir };
  }
  /** [scheme, user, token, status] of each request for the package's metadata. */
  const seen = (): [string | null, string | null, string | null, number][] =>
    cli.fake.requests
      .list({ path: `${registryPath}artikey-demo` })
      .map((r) => [r.scheme, r.user, r.secret, r.status]);
  const yarnrc = (): string => join(cli.scratch.home, '.yarnrc.yml');
  const tokenInFile = (): string =>
    readYaml(
      readFileSync(yarnrc(), 'utf8'),
      ['npmRegistries', `//${cli.fake.host}${registryPath}`, 'npmAuthToken'],
      '.yarnrc.yml',
    )?.value as string;

  it('installs through the configured registry, keeps installing after a refresh, and is anonymous after logout with the file restored', async () => {
    await cli.login('browser');
    // The person's own file; unsafeHttpWhitelist only because the fake speaks plain HTTP.
    const original =
      '# my Yarn settings\nenableTelemetry: false\nunsafeHttpWhitelist:\n  - "127.0.0.1"   # the fake\n';
    writeFileSync(yarnrc(), original, { mode: 0o644 });

    // --repo is checked against the server's npm repositories, and a miss changes nothing.
    const typo = await cli.artikey(['configure', 'yarn', 'demo', '--repo', 'npm-virtaul']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean --repo npm-virtual?');
    expect(readFileSync(yarnrc(), 'utf8')).toBe(original);
    expect((await cli.artikey(['configure', '--help'])).stdout).toContain(
      'artikey configure yarn acme.jfrog.io --repo npm-virtual --scope @acme',
    );

    const configure = await cli.artikey([
      'configure',
      'yarn',
      'demo',
      '--repo',
      'npm-virtual',
      '--set-registry',
      '--json',
    ]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(JSON.parse(configure.stdout)).toMatchObject({ changed: true });
    const first = tokenInFile();
    expect(cli.fake.tokens.lookup(first).ok).toBe(true);

    const before = await install();
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(existsSync(join(before.dir, 'node_modules', 'artikey-demo', 'package.json'))).toBe(true);
    expect(seen()).toEqual([['Bearer', 'alice', cli.fake.fingerprint(first), 200]]);

    const { renewed: second } = await cli.refresh(tokenInFile);
    const after = await install();
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(seen()).toEqual([['Bearer', 'alice', cli.fake.fingerprint(second), 200]]);

    const logout = await cli.artikey(['logout', 'demo']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(readFileSync(yarnrc(), 'utf8')).toBe(original);
    // Without Artikey's npmRegistryServer Yarn would go to its public default: the test names the
    // fake through Yarn's environment instead, so nothing leaves loopback.
    const gone = await install({ YARN_NPM_REGISTRY_SERVER: `${cli.fake.url}${registryPath}` });
    expect(gone.code).not.toBe(0);
    expect(gone.stdout).toContain('Invalid authentication (as an anonymous user)');
    expect(seen()).toEqual([[null, null, null, 401]]);
  });
});
