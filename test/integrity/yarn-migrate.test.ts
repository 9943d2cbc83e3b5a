import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { readYaml } from '../../electron/core/targets/yaml-file.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInOnFreshFake, logOutAndStop, type LoggedInArtikey } from '../support/artikey.js';

/**
 * ~/.yarnrc.yml through the core: the entry `configure yarn` wrote is managed (scan leaves it to
 * Artikey), and migrate replaces a plain-text credential the person left there with Artikey's
 * entry at the same key, taking out an `npmAuthIdent` the token replaces.
 */
describe('yarn: scan marks Artikey’s entry managed, migrate adopts a plain-text one', () => {
  let fake: FakeArtifactory;
  let core: LoggedInArtikey;
  let environment: Environment;
  let instance: string;
  const yarnrc = (): string => join(core.home, '.yarnrc.yml');

  beforeEach(async () => {
    ({ fake, core } = await loggedInOnFreshFake());
    ({ environment, id: instance } = core);
  });
  afterEach(() => logOutAndStop({ fake, core }));

  it('finds the configured entry managed, and plans nothing for it', async () => {
    await core.artikey.configureTool(
      instance,
      targetSpec('yarn', { platformUrl: fake.url }, { repo: 'npm-virtual' }, environment),
    );
    const report = await core.artikey.scan(environment);
    expect(report.found.filter((c) => c.tool === 'yarn')).toEqual([
      expect.objectContaining({
        location: `npmRegistries["//${fake.host}/artifactory/api/npm/npm-virtual/"].npmAuthToken`,
        line: 3,
        managed: true,
        stale: false,
      }),
    ]);
    expect((await core.artikey.migrate(instance, environment, false)).steps).toEqual([]);
  });

  it('writes a token only under a key of its own instance', async () => {
    const spec = targetSpec(
      'yarn',
      { platformUrl: fake.url },
      { repo: 'npm-virtual' },
      environment,
    );
    for (const registryKey of [
      '//evil.example/artifactory/api/npm/npm-virtual/',
      'https://evil.example/artifactory/api/npm/npm-virtual',
    ]) {
      const refusal = await core.artikey
        .configureTool(instance, { ...spec, registryKey } as typeof spec)
        .then(
          () => null,
          (error: unknown) => error as Error & { code: string },
        );
      expect(refusal?.code, registryKey).toBe('invalid-target');
      expect(existsSync(yarnrc())).toBe(false);
    }
  });

  it('replaces an API key in npmAuthIdent with a managed npmAuthToken at the same key, and logout leaves the person’s rest', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const key = `${fake.url}/artifactory/api/npm/npm-virtual`;
    const original = `# mine\nnpmRegistries:\n  "${key}":\n    npmAuthIdent: "alice:${apiKey}"\n    npmAlwaysAuth: true\nenableTelemetry: false\n`;
    writeFileSync(yarnrc(), original, { mode: 0o600 });

    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    const text = readFileSync(yarnrc(), 'utf8');
    expect(text).not.toContain(apiKey);
    expect(readYaml(text, ['npmRegistries', key], 'f')?.value).toEqual({
      npmAlwaysAuth: true,
      npmAuthToken: await core.storedToken(),
    });
    const report = await core.artikey.scan(environment);
    expect(report.found.filter((c) => c.tool === 'yarn')).toEqual([
      expect.objectContaining({ managed: true }),
    ]);

    await core.artikey.refresh(instance);
    expect(readFileSync(yarnrc(), 'utf8')).toContain(`npmAuthToken: ${await core.storedToken()}`);
    expect((await core.artikey.logout(instance)).complete).toBe(true);
    expect(readFileSync(yarnrc(), 'utf8')).toBe(
      `# mine\nnpmRegistries:\n  "${key}":\n    npmAlwaysAuth: true\nenableTelemetry: false\n`,
    );
  });
});
