import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import type { HelmSpec } from '../../electron/core/targets/kinds/helm-spec.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { readYaml } from '../../electron/core/targets/yaml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInOnFreshFake, logOutAndStop, type LoggedInArtikey } from '../support/artikey.js';

/**
 * Helm's repositories.yaml through the core: the entry `configure helm` wrote is managed (scan
 * leaves it to Artikey), and migrate replaces a plain-text password the person left in a
 * repository entry (`helm repo add --password …`) with the token, under the same name and URL.
 */
describe('helm: scan marks Artikey’s entry managed, migrate adopts a plain-text one', () => {
  let fake: FakeArtifactory;
  let core: LoggedInArtikey;
  let environment: Environment;
  let instance: string;
  const repositoriesYaml = (): string => join(core.home, '.config', 'helm', 'repositories.yaml');

  beforeEach(async () => {
    ({ fake, core } = await loggedInOnFreshFake());
    ({ environment, id: instance } = core);
  });
  afterEach(() => logOutAndStop({ fake, core }));

  it('finds the configured entry managed, and plans nothing for it', async () => {
    await core.artikey.configureTool(
      instance,
      targetSpec('helm', { platformUrl: fake.url }, { repo: 'helm-virtual' }, environment),
    );
    const report = await core.artikey.scan(environment);
    expect(report.found.filter((c) => c.tool === 'helm')).toEqual([
      expect.objectContaining({
        location: 'repositories[name="helm-virtual"].password',
        line: 7,
        managed: true,
        stale: false,
      }),
    ]);
    expect((await core.artikey.migrate(instance, environment, false)).steps).toEqual([]);
  });

  it('writes a token only for a URL of its own instance', async () => {
    const spec = targetSpec(
      'helm',
      { platformUrl: fake.url },
      { repo: 'helm-virtual' },
      environment,
    );
    const refusal = await core.artikey
      .configureTool(instance, {
        ...spec,
        url: 'https://evil.example/artifactory/api/helm/x',
      } as HelmSpec)
      .then(
        () => null,
        (error: unknown) => error as Error & { code: string },
      );
    expect(refusal?.code).toBe('invalid-target');
    expect(existsSync(repositoriesYaml())).toBe(false);
  });

  it('replaces an API key given as the password with the managed token in the same entry, and logout leaves the person’s rest', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const url = `${fake.url}/artifactory/api/helm/helm-virtual`;
    const entry = (password: string): string =>
      `# mine\nrepositories:\n- name: charts\n  url: ${url}\n  username: alice\n${password}  caFile: ""\n`;
    mkdirSync(dirname(repositoriesYaml()), { recursive: true });
    writeFileSync(repositoriesYaml(), entry(`  password: ${apiKey}\n`), { mode: 0o600 });

    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    const text = readFileSync(repositoriesYaml(), 'utf8');
    expect(text).not.toContain(apiKey);
    expect(text).toBe(entry(`  password: ${await core.storedToken()}\n`));
    const report = await core.artikey.scan(environment);
    expect(report.found.filter((c) => c.tool === 'helm')).toEqual([
      expect.objectContaining({ managed: true }),
    ]);

    await core.artikey.refresh(instance);
    expect(
      readYaml(
        readFileSync(repositoriesYaml(), 'utf8'),
        ['repositories', { key: 'name', is: 'charts' }, 'password'],
        'f',
      )?.value,
    ).toBe(await core.storedToken());
    expect((await core.artikey.logout(instance)).complete).toBe(true);
    // The API key is not put back (the state file never holds a secret): the entry keeps the rest.
    expect(readFileSync(repositoriesYaml(), 'utf8')).toBe(entry(''));
  });
});
