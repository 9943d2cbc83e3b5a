import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readToml } from '../../electron/core/targets/toml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, type BuiltCli } from '../support/built-cli.js';
import { runClient, type ClientRun } from '../support/clients.js';

/**
 * The Bun target end to end: the built CLI logs in, `artikey configure bun` writes the global
 * .bunfig.toml (in $XDG_CONFIG_HOME, which the test sets, as Bun reads it then), and the real Bun
 * (the `bun` devDependency) installs through it; after `artikey refresh` the file holds the new
 * token, the old one is revoked and Bun still installs; after `artikey logout` the file is the
 * person's own bytes again (their registry, without a token) and Bun is refused. The ~/.npmrc
 * `configure npm` writes serves Bun as well.
 */
describe('bun with the .bunfig.toml Artikey writes (built CLI)', () => {
  const registryPath = '/artifactory/api/npm/npm-virtual/';
  let cli: BuiltCli;
  let bun: string;

  beforeEach(async () => {
    cli = await startBuiltCli({ fake: { approveBrowserLoginsAs: DEMO_USER.name } });
    mkdirSync(cli.env.XDG_CONFIG_HOME!, { recursive: true });
    const require = createRequire(import.meta.url);
    bun = (require.resolve.paths('bun') ?? [])
      .map((folder) => join(folder, 'bun/bin/bun.exe'))
      .find((file) => existsSync(file))!;
    expect(bun, 'bun is a devDependency: run npm install').toBeDefined();
  });
  afterEach(() => cli.stop());

  /** `bun install` of a project needing artikey-demo, with a fresh cache each time. */
  let runs = 0;
  async function install(): Promise<ClientRun & { dir: string }> {
    const cache = join(cli.scratch.home, '.bun-cache');
    rmSync(cache, { recursive: true, force: true });
    const dir = join(cli.scratch.home, `probe-${++runs}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      '{"name":"probe","private":true,"dependencies":{"artikey-demo":"1.0.0"}}\n',
    );
    cli.fake.requests.clear();
    const run = await runClient(bun, ['install'], {
      env: { ...cli.env, BUN_INSTALL_CACHE_DIR: cache },
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
  const bunfig = (): string => join(cli.env.XDG_CONFIG_HOME!, '.bunfig.toml');
  const tokenInFile = (): string => {
    const entry = readToml(readFileSync(bunfig(), 'utf8'), ['install'], 'registry', 'f')?.value;
    return (entry as { token: string }).token;
  };

  it('installs through the configured registry, keeps installing after a refresh, and is refused after logout with the file restored', async () => {
    await cli.login('browser');
    // The person's own file names the fake's registry without a token: Artikey's entry replaces it.
    const original = `# my Bun settings\n[install]\nregistry = "${cli.fake.url}${registryPath}"   # mine\nexact = true\n`;
    writeFileSync(bunfig(), original, { mode: 0o644 });

    const typo = await cli.artikey(['configure', 'bun', 'demo', '--repo', 'npm-virtaul']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean --repo npm-virtual?');
    expect(readFileSync(bunfig(), 'utf8')).toBe(original);
    expect((await cli.artikey(['configure', '--help'])).stdout).toContain(
      'artikey configure bun acme.jfrog.io --repo npm-virtual',
    );

    const configure = await cli.artikey(['configure', 'bun', 'demo', '--repo', 'npm-virtual', '--json']);
    expect(configure.code, configure.stderr).toBe(0);
    expect(JSON.parse(configure.stdout)).toMatchObject({
      changed: true,
      target: {
        kind: 'bun',
        path: bunfig(),
        registryUrl: `${cli.fake.url}${registryPath}`,
        scope: null,
      },
    });
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
    expect(readFileSync(bunfig(), 'utf8')).toBe(original);
    const gone = await install();
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('401');
    expect(seen()).toEqual([[null, null, null, 401]]);
  });

  it('also installs with the ~/.npmrc that configure npm writes, which Bun reads', async () => {
    await cli.login('browser');
    const configure = await cli.artikey([
      'configure',
      'npm',
      'demo',
      '--repo',
      'npm-virtual',
      '--set-registry',
    ]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(existsSync(bunfig())).toBe(false);
    const token = (await cli.artikey(['token', 'demo'])).stdout.trim();
    const run = await install();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(seen()).toEqual([['Bearer', 'alice', cli.fake.fingerprint(token), 200]]);
  });
});
