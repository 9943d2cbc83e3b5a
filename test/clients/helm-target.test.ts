import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readYaml } from '../../electron/core/targets/yaml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { fixtures } from '../fake-artifactory/fixtures.js';
import { startBuiltCli, type BuiltCli } from '../support/built-cli.js';
import { runClient, type ClientRun } from '../support/clients.js';

/** The real helm (v3.17.3, installed by .ci/run from the npm registry's Lambda layer). */
const HELM = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

/**
 * The Helm target end to end: the built CLI logs in, `artikey configure helm` writes the chart
 * repository into repositories.yaml, and the real helm updates its index and pulls a chart through
 * it; after `artikey refresh` the file holds the new token, the old one is revoked and helm still
 * fetches; after `artikey logout` the file is the person's own bytes again and helm gets a 401.
 * OCI registries need no entry: helm asks Docker's credential helper, which `configure docker` names.
 */
describe('helm with the repositories.yaml Artikey writes (built CLI)', () => {
  const repoPath = '/artifactory/api/helm/helm-virtual';
  let cli: BuiltCli;
  let helmEnv: NodeJS.ProcessEnv;
  const helm = (args: string[]): Promise<ClientRun> => runClient(HELM, args, { env: helmEnv });

  beforeEach(async () => {
    expect(HELM, 'helm is installed by .ci/run (see /usr/local/bin/helm)').not.toBe('');
    // Helm's three folders in the scratch home; Artikey reads the same HELM_CONFIG_HOME.
    const folders = (home: string): NodeJS.ProcessEnv => ({
      HELM_CONFIG_HOME: join(home, 'helm', 'config'),
      HELM_CACHE_HOME: join(home, 'helm', 'cache'),
      HELM_DATA_HOME: join(home, 'helm', 'data'),
    });
    cli = await startBuiltCli({ fake: { approveBrowserLoginsAs: DEMO_USER.name }, env: folders });
    helmEnv = { ...cli.scratch.env, ...folders(cli.scratch.home) };
  });
  afterEach(() => cli.stop());

  const repositoriesYaml = (): string => join(cli.scratch.home, 'helm', 'config', 'repositories.yaml');
  const tokenInFile = (): string =>
    readYaml(
      readFileSync(repositoriesYaml(), 'utf8'),
      ['repositories', { key: 'name', is: 'art' }, 'password'],
      'repositories.yaml',
    )?.value as string;
  /** [scheme, user, token, status] of each request for the index. */
  const seen = (): [string | null, string | null, string | null, number][] =>
    cli.fake.requests
      .list({ path: `${repoPath}/index.yaml` })
      .map((r) => [r.scheme, r.user, r.secret, r.status]);
  /** `helm repo update art`, failing on a failed fetch (without the flag helm exits 0 on a 401). */
  async function update(): Promise<ClientRun> {
    cli.fake.requests.clear();
    return helm(['repo', 'update', 'art', '--fail-on-repo-update-fail']);
  }

  it('updates and pulls through the configured repository, keeps working after a refresh, and gets a 401 after logout with the file restored', async () => {
    await cli.login('browser');
    // The person's own file, as helm writes it, with a comment of theirs.
    const original = [
      '# my chart repositories',
      'apiVersion: ""',
      'generated: "0001-01-01T00:00:00Z"',
      'repositories:',
      '- caFile: ""',
      '  name: public',
      '  url: http://127.0.0.1:9/charts',
      '',
    ].join('\n');
    mkdirSync(join(cli.scratch.home, 'helm', 'config'), { recursive: true });
    writeFileSync(repositoriesYaml(), original, { mode: 0o644 });

    // --repo is checked against the server's Helm repositories, and a miss changes nothing.
    const typo = await cli.artikey([
      'configure',
      'helm',
      'demo',
      '--repo',
      'helm-virtaul',
      '--name',
      'art',
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean --repo helm-virtual?');
    expect(readFileSync(repositoriesYaml(), 'utf8')).toBe(original);
    const help = (await cli.artikey(['configure', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('artikey configure helm acme.jfrog.io --repo helm-virtual --name acme');
    expect(help).toContain("Helm's OCI registries (oci://) already use Docker's credential helper");

    const configure = await cli.artikey([
      'configure',
      'helm',
      'demo',
      '--repo',
      'helm-virtual',
      '--name',
      'art',
    ]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(configure.stdout).toContain(`Configured helm: repository art (${cli.fake.url}${repoPath})`);
    expect(configure.stdout).toContain(
      `Helm's OCI registries (helm pull oci://${cli.fake.host}/…) use Docker's credential helper instead: artikey configure docker demo`,
    );
    const first = tokenInFile();
    expect(cli.fake.tokens.lookup(first).ok).toBe(true);

    const before = await update();
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(seen()).toEqual([['Basic', 'alice', cli.fake.fingerprint(first), 200]]);
    const search = await helm(['search', 'repo', 'art/']);
    expect(search.code, search.stderr).toBe(0);
    const { helm: chart } = fixtures();
    expect(search.stdout).toContain(`art/${chart.name}`);
    const pulled = join(cli.scratch.home, 'pulled');
    mkdirSync(pulled);
    const pull = await helm([
      'pull',
      `art/${chart.name}`,
      '--version',
      chart.version,
      '-d',
      pulled,
    ]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(pulled, `${chart.name}-${chart.version}.tgz`))).toEqual(chart.chart);

    // unconfigure gives the person's bytes back; configure again, as JSON, puts the entry back.
    const unconfigure = await cli.artikey(['unconfigure', 'helm', 'demo', '--json']);
    expect(unconfigure.code, unconfigure.stderr).toBe(0);
    expect(JSON.parse(unconfigure.stdout)).toMatchObject({
      removed: [{ target: { kind: 'helm', name: 'art' } }],
      failed: [],
    });
    expect(readFileSync(repositoriesYaml(), 'utf8')).toBe(original);
    const again = await cli.artikey([
      'configure',
      'helm',
      'demo',
      '--repo',
      'helm-virtual',
      '--name',
      'art',
      '--json',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      changed: true,
      target: { kind: 'helm', name: 'art', url: `${cli.fake.url}${repoPath}` },
      repository: { key: 'helm-virtual' },
    });
    expect(tokenInFile()).toBe(first);

    const { renewed: second } = await cli.refresh(tokenInFile);
    const after = await update();
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(seen()).toEqual([['Basic', 'alice', cli.fake.fingerprint(second), 200]]);

    const logout = await cli.artikey(['logout', 'demo']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(readFileSync(repositoriesYaml(), 'utf8')).toBe(original);
    expect((await update()).stderr).toContain("no repositories found matching 'art'");
    // The repository itself, without the entry's credentials: helm is anonymous and refused.
    cli.fake.requests.clear();
    const gone = await helm(['pull', chart.name, '--repo', `${cli.fake.url}${repoPath}`, '-d', pulled]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('401');
    expect(seen()).toEqual([[null, null, null, 401]]);
  });
  it("reads an OCI registry's credentials through the Docker credential helper that configure docker sets up", async () => {
    await cli.login('browser');
    // docker-credential-artikey on PATH, as the app and npm link install it.
    const bin = join(cli.scratch.home, 'bin');
    mkdirSync(bin);
    const helper = new URL('../../dist/cli/docker-credential-artikey.cjs', import.meta.url)
      .pathname;
    writeFileSync(
      join(bin, 'docker-credential-artikey'),
      `#!/bin/sh\nexec "${process.execPath}" "${helper}" "$@"\n`,
      { mode: 0o755 },
    );
    const docker = await cli.artikey(['configure', 'docker', 'demo']);
    expect(docker.code, docker.stderr).toBe(0);
    const token = (await cli.artikey(['token', 'demo'])).stdout.trim();

    // Nothing in repositories.yaml and no HELM_REGISTRY_CONFIG: helm reads Docker's config.json.
    cli.fake.requests.clear();
    const pulled = join(cli.scratch.home, 'pulled');
    mkdirSync(pulled);
    await runClient(
      HELM,
      [
        'pull',
        `oci://${cli.fake.host}/docker-local/hello`,
        '--version',
        '1.0',
        '--plain-http',
        '-d',
        pulled,
      ],
      {
        env: { ...cli.env, PATH: `${bin}:${cli.env.PATH ?? ''}` },
      },
    );
    // The fake's image is no chart, so the pull itself fails once authenticated (helm: "manifest
    // does not contain minimum number of descriptors"): what counts is that helm fetched the
    // registry token with the instance's current token, which only the helper hands out.
    const tokenRequests = cli.fake.requests
      .list({ path: '/artifactory/api/docker/docker-local/v2/token' })
      .filter((r) => r.method === 'GET');
    expect(tokenRequests.map((r) => [r.scheme, r.user, r.secret, r.status])).toEqual([
      ['Basic', 'alice', cli.fake.fingerprint(token), 200],
    ]);
    expect(
      cli.fake.requests
        .list({ path: '/v2/docker-local/hello/manifests/1.0' })
        .map((r) => [r.scheme, r.status]),
    ).toEqual([
      [null, 401],
      ['Bearer', 200],
    ]);
    expect(existsSync(repositoriesYaml())).toBe(false);
  });
});
