import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTomlDocument } from '../../electron/core/targets/toml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * The uv target end to end with the built CLI. No uv binary installs here (Astral publishes none
 * to the npm registry, Debian 12 has none, PyPI is out of reach), so uv itself does not run: the
 * index URL is read from the uv.toml Artikey wrote, and pip, another PEP 503 client that reads
 * the same ~/.netrc as uv, fetches through it with the credentials Artikey wrote there. After
 * `artikey refresh` .netrc holds the new token and the old one is revoked; after `artikey logout`
 * uv.toml is the person's own bytes again, .netrc is gone and the fetch is refused.
 */
describe('uv: the [[index]] and .netrc Artikey writes (built CLI; pip fetches in uv’s place)', { timeout: 240_000 }, () => {
  const simple = '/artifactory/api/pypi/pypi-virtual/simple/fakepkg/';
  let cli: BuiltCli;

  beforeEach(async () => {
    requireClient('pip');
    cli = await startBuiltCli({ fake: { approveBrowserLoginsAs: DEMO_USER.name } });
  });
  afterEach(() => cli.stop());

  const uvToml = (): string => join(cli.env.XDG_CONFIG_HOME!, 'uv', 'uv.toml');
  const netrc = (): string => join(cli.scratch.home, '.netrc');
  const indexUrl = (name: string): string => {
    const indexes = readTomlDocument(readFileSync(uvToml(), 'utf8'), 'uv.toml')['index'];
    const entry = (indexes as Record<string, unknown>[]).find((i) => i['name'] === name);
    return entry?.['url'] as string;
  };
  /** pip, with no configuration of its own, fetching from `index` with what ~/.netrc holds. */
  const fetch = (index: string): Promise<ClientRun> => {
    const dir = join(cli.scratch.home, 'dl');
    rmSync(dir, { recursive: true, force: true });
    cli.fake.requests.clear();
    return runClient(
      'pip',
      [
        'download',
        'fakepkg==1.0',
        '--no-deps',
        '-d',
        dir,
        '--no-cache-dir',
        '--no-input',
        '--index-url',
        index,
      ],
      {
        env: { ...cli.scratch.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
        timeoutMs: 60_000,
      },
    );
  };
  const seen = (): [string | null, string | null, string | null, number][] =>
    cli.fake.requests.list({ path: simple }).map((r) => [r.scheme, r.user, r.secret, r.status]);
  const netrcToken = (): string => /password (\S+)/.exec(readFileSync(netrc(), 'utf8'))?.[1] ?? '';

  it('fetches through the index with the .netrc credentials, after a refresh too, and not after logout', async () => {
    await cli.login('browser');
    const original = `# my uv settings\n[pip]\nno-cache = true\n`;
    mkdirSync(join(cli.env.XDG_CONFIG_HOME!, 'uv'), { recursive: true });
    writeFileSync(uvToml(), original);

    const typo = await cli.artikey(['configure', 'uv', 'demo', '--repo', 'pypi-virtaul']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean --repo pypi-virtual?');
    expect(readFileSync(uvToml(), 'utf8')).toBe(original);
    expect(existsSync(netrc())).toBe(false);
    expect((await cli.artikey(['configure', '--help'])).stdout).toContain(
      'artikey configure uv acme.jfrog.io --repo pypi-virtual',
    );

    const configure = await cli.artikey([
      'configure',
      'uv',
      'demo',
      '--repo',
      'pypi-virtual',
      '--set-registry',
      '--json',
    ]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(JSON.parse(configure.stdout)).toMatchObject({
      changed: true,
      target: { kind: 'uv', path: uvToml(), name: 'demo', setDefault: true, netrcPath: netrc() },
    });
    const first = netrcToken();
    expect(cli.fake.tokens.lookup(first).ok).toBe(true);
    expect(readFileSync(uvToml(), 'utf8')).toBe(
      `${original}[[index]]\nname = "demo"\nurl = "${cli.fake.url}/artifactory/api/pypi/pypi-virtual/simple"\ndefault = true\n`,
    );
    expect(readFileSync(uvToml(), 'utf8')).not.toContain(first);

    const before = await fetch(indexUrl('demo'));
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(readdirSync(join(cli.scratch.home, 'dl'))).toEqual(['fakepkg-1.0-py3-none-any.whl']);
    expect(seen().at(-1)).toEqual(['Basic', 'alice', cli.fake.fingerprint(first), 200]);

    const { renewed: second } = await cli.refresh(netrcToken);
    const after = await fetch(indexUrl('demo'));
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(seen().at(-1)).toEqual(['Basic', 'alice', cli.fake.fingerprint(second), 200]);

    const logout = await cli.artikey(['logout', 'demo']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(readFileSync(uvToml(), 'utf8')).toBe(original);
    expect(existsSync(netrc())).toBe(false);
    const gone = await fetch(`${cli.fake.url}/artifactory/api/pypi/pypi-virtual/simple`);
    expect(gone.code).not.toBe(0);
    expect(seen()).toEqual([[null, null, null, 401]]);
  });
});
