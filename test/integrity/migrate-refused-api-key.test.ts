import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import type { FakeConfig } from '../fake-artifactory/config.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';

/**
 * Issue 15, item 6: migrating a server Artikey is not logged in to must not depend on the API key
 * found in the files. Creating a token with an API key is undocumented, and API-key use can be
 * switched off (cloud checkbox from 7.107.1, self-hosted flag from 7.84): when the server refuses
 * the key, the migration logs in through the browser and still replaces every copy of the key.
 */
describe('migrating a server whose API key is refused', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let environment: Environment;
  let apiKey: string;
  const prompts: string[] = [];
  const approve = (prompt: { url: string }): void => {
    prompts.push(prompt.url);
    fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice');
  };
  const npmrc = (): string => readFileSync(join(t.home, '.npmrc'), 'utf8');

  async function start(config: Partial<FakeConfig>): Promise<void> {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }), config });
    t = testArtikey(fake);
    environment = { platform: 'linux', env: {}, home: t.home };
    // The key exists on the server; whether the server takes it is what each test varies.
    const saved = fake.config.apiKeysEnabled;
    fake.config.apiKeysEnabled = true;
    apiKey = fake.createApiKey('alice');
    fake.config.apiKeysEnabled = saved;
    mkdirSync(t.home, { recursive: true });
    writeFileSync(join(t.home, '.npmrc'), `# team\n//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${apiKey}\n`);
    prompts.length = 0;
  }
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    await fake.stop();
  });

  async function migrateAfterLogin(): Promise<{ via: string; notes: string[] }> {
    const login = await t.artikey.loginToMigrate({ url: fake.url, onPrompt: approve }, environment);
    const result = await t.artikey.migrate(login.instance.id, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    const text = npmrc();
    expect(text).not.toContain(apiKey);
    expect(text).toContain(await t.artikey.accessToken(login.instance.id));
    expect(text).toContain('# team');
    return { via: login.via, notes: login.notes };
  }

  it('API keys switched off (401 to the key): logs in through the browser and replaces the key', async () => {
    await start({ apiKeysEnabled: false });
    const { via, notes } = await migrateAfterLogin();
    expect(via).toBe('browser');
    expect(prompts).toHaveLength(1);
    expect(notes.join('\n')).toMatch(/refused the API key/);
  });

  it('the key works for requests but may not create a token (403): browser login, files replaced', async () => {
    await start({ apiKeyTokenCreation: false });
    const { via } = await migrateAfterLogin();
    expect(via).toBe('browser');
    expect(prompts).toHaveLength(1);
  });

  it('a key the server takes: logs in with it, no browser', async () => {
    await start({});
    const { via } = await migrateAfterLogin();
    expect(via).toBe('api-key');
    expect(prompts).toEqual([]);
  });

  it('refuses, changing nothing, when the files hold nothing of that server', async () => {
    await start({});
    writeFileSync(join(t.home, '.npmrc'), '# nothing of it\n');
    await expect(t.artikey.loginToMigrate({ url: fake.url, onPrompt: approve }, environment)).rejects.toMatchObject({ code: 'instance-not-found' });
    expect(await t.artikey.list()).toEqual([]);
    expect(prompts).toEqual([]);
  });
});
