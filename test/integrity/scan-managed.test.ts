import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { npmRegistryKey } from '../../electron/core/targets/ini-file.js';
import { targetSpec, type Tool } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { sourceCli } from '../support/source-cli.js';

/**
 * Issue 14, item 11: the entries `artikey configure` wrote are Artikey's own, kept current on
 * every refresh. The scan must say so (`managed: true`), not call them plain-text credentials to
 * migrate; an entry at one of those places holding another token (a stale copy) is not managed.
 */
describe('scan: Artikey’s own entries are managed, not plain-text credentials', () => {
  let fake: FakeArtifactory;
  let core: TestArtikey;
  let environment: Environment;
  let instance: string;
  const registryUrl = (): string => `${fake.url}/artifactory/api/npm/npm-virtual/`;
  const npmrc = (): string => join(core.home, '.npmrc');
  const currentToken = async (): Promise<string> =>
    (await core.vault.read(instance))?.accessToken ?? '';

  beforeAll(async () => {
    fake = await startFakeArtifactory();
    core = testArtikey(fake);
    environment = { platform: 'linux', env: {}, home: core.home };
    instance = (await logInAs(core.artikey, fake, DEMO_USER.name)).instance.id;
    const platform = { platformUrl: fake.url };
    const requests: [Tool, Parameters<typeof targetSpec>[2]][] = [
      ['npm', { repo: 'npm-virtual' }],
      ['maven', { mirror: 'libs-release' }],
      ['pip', { repo: 'pypi-virtual' }],
      ['gradle', {}],
      ['netrc', {}],
      ['docker', { auths: true }],
      ['nuget', { repo: 'nuget-virtual', sourceName: 'Acme Feed' }],
    ];
    for (const [tool, options] of requests)
      await core.artikey.configureTool(instance, targetSpec(tool, platform, options, environment));
  });
  afterAll(async () => {
    await core.artikey.logout(instance).catch(() => undefined);
    await core.vault.erase(instance).catch(() => undefined);
    await fake.stop();
    core.cleanup();
  });

  it('marks every entry configure wrote as managed, and migrate plans nothing', async () => {
    const report = await core.artikey.scan(environment);
    const mine = report.found.filter((c) => c.instanceId === instance);
    expect(mine.map((c) => c.tool).sort()).toEqual(
      ['docker', 'gradle', 'maven', 'netrc', 'npm', 'nuget', 'pip'].sort(),
    );
    for (const credential of mine)
      expect(credential, credential.location).toMatchObject({ managed: true, stale: false });
    expect((await core.artikey.migrate(instance, environment, false)).steps).toEqual([]);
  });

  it('an API key planted in another file is not managed, and is the only thing to migrate', async () => {
    const apiKey = fake.createApiKey('alice');
    // Another pip file, whose entry has the very location (`[global] index-url`) of Artikey's.
    const legacyPip = join(core.home, '.pip', 'pip.conf');
    mkdirSync(dirname(legacyPip), { recursive: true });
    const indexUrl = new URL(`${fake.url}/artifactory/api/pypi/pypi-virtual/simple/`);
    indexUrl.username = 'alice';
    indexUrl.password = apiKey;
    writeFileSync(legacyPip, `[global]\nindex-url = ${indexUrl.href}\n`);

    const report = await core.artikey.scan(environment);
    const planted = report.found.filter((c) => c.file === legacyPip);
    expect(planted).toEqual([
      expect.objectContaining({ kind: 'api-key', managed: false, stale: false }),
    ]);
    expect(report.found.filter((c) => c.managed)).toHaveLength(7);
    const steps = (await core.artikey.migrate(instance, environment, false)).steps;
    expect(steps.map((s) => [s.action, s.credential.file])).toEqual([['replace', legacyPip]]);
    writeFileSync(legacyPip, '');
  });

  it('a stale token in Artikey’s npm entry is reported as a stale copy, and migrate rewrites it', async () => {
    const stale = await currentToken();
    await core.artikey.refresh(instance);
    const key = npmRegistryKey(registryUrl(), '_authToken');
    const fresh = readFileSync(npmrc(), 'utf8');
    expect(fresh).not.toContain(stale);
    writeFileSync(npmrc(), fresh.replace(`${key}=${await currentToken()}`, `${key}=${stale}`));

    const report = await core.artikey.scan(environment);
    const npm = report.found.filter((c) => c.tool === 'npm');
    expect(npm).toEqual([expect.objectContaining({ managed: false, stale: true })]);
    expect(report.found.filter((c) => c.managed)).toHaveLength(6);

    const plan = await core.artikey.migrate(instance, environment, false);
    expect(plan.steps).toEqual([
      expect.objectContaining({
        action: 'replace',
        credential: expect.objectContaining({ tool: 'npm', stale: true }),
        // Artikey's own recorded entry, rewritten as it was configured.
        target: expect.objectContaining({ kind: 'npm', registryUrl: registryUrl() }),
        cleanup: null,
      }),
    ]);
    const applied = await core.artikey.migrate(instance, environment, true);
    expect(applied.failed).toEqual([]);
    expect(readFileSync(npmrc(), 'utf8')).toContain(`${key}=${await currentToken()}`);
    const again = await core.artikey.scan(environment);
    expect(again.found.filter((c) => c.instanceId === instance && !c.managed)).toEqual([]);
  });
});

describe('artikey scan (the CLI) on an entry it configured', () => {
  it('says managed: true in --json, marks it in the table and advises no migration', async () => {
    const fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    const cli = sourceCli({ prefix: 'artikey-scan-managed-' });
    try {
      const login = await cli.run(['login', fake.url, '--no-browser', '--name', 'demo']);
      expect(login.code, login.stderr).toBe(0);
      const configure = await cli.run(['configure', 'npm', 'demo', '--repo', 'npm-virtual']);
      expect(configure.code, configure.stderr).toBe(0);

      const json = await cli.run(['scan', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const found = (JSON.parse(json.stdout) as { found: Record<string, unknown>[] }).found;
      expect(found).toEqual([
        expect.objectContaining({ tool: 'npm', managed: true, stale: false }),
      ]);

      const table = await cli.run(['scan']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/\bMANAGED\b/);
      expect(table.stdout).toMatch(/\nnpm\s+access token\s.*\byes\s/);
      expect(table.stdout).toContain('managed by Artikey');
      expect(table.stdout).not.toContain('artikey migrate');
      await cli.run(['logout', 'demo']);
    } finally {
      await fake.stop();
      cli.cleanup();
    }
    // Five processes run from source: slow on a loaded machine, not a measure of anything.
  }, 120_000);
});
