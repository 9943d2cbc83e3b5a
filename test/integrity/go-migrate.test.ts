import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInOnFreshFake, logOutAndStop, type LoggedInArtikey } from '../support/artikey.js';

/**
 * The Go env file through the core: scan finds a credential in a GOPROXY URL (with its line), a
 * `${VAR}` one apart; migrate replaces it with the clean URL and Artikey's .netrc entry, which a
 * refresh rewrites and logout takes out. On an https instance: Go sends .netrc only over https.
 */
describe('go: scan finds credentials in GOPROXY, migrate replaces them with the .netrc entry', () => {
  let fake: FakeArtifactory;
  let core: LoggedInArtikey;
  let environment: Environment;
  let instance: string;
  const envFile = (): string => join(core.home, '.config', 'go', 'env');
  const netrcFile = (): string => join(core.home, '.netrc');

  beforeEach(async () => {
    ({ fake, core } = await loggedInOnFreshFake({ tls: true }));
    ({ environment, id: instance } = core);
  });
  afterEach(() => logOutAndStop({ fake, core }));

  it('finds each credential with its line, replaces the plain-text one, and logout leaves the clean URL', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const proxy = `${fake.url}/artifactory/api/go/go-virtual`;
    const withKey = proxy.replace('https://', `https://${DEMO_USER.name}:${apiKey}@`);
    const withReference = proxy.replace('https://', 'https://ci:${GO_TOKEN}@');
    const original = `# mine\nGOFLAGS=-mod=mod\nGOPROXY=${withReference}\nGOPROXY=${withKey},direct\n`;
    mkdirSync(dirname(envFile()), { recursive: true });
    writeFileSync(envFile(), original, { mode: 0o600 });

    const found = (await core.artikey.scan(environment)).found.filter((c) => c.tool === 'go');
    expect(found.map((c) => [c.location, c.line, c.kind, c.url, c.instanceId])).toEqual([
      ['GOPROXY', 3, 'env-reference', proxy, instance],
      ['GOPROXY', 4, 'api-key', proxy, instance],
    ]);
    expect(JSON.stringify(found)).not.toContain(apiKey);

    // A preview of configure go shows the person's GOPROXY lines without the key in them.
    const preview = await core.artikey.previewTool(
      instance,
      targetSpec('go', { platformUrl: fake.url }, { repo: 'go-virtual' }, environment),
    );
    expect(JSON.stringify(preview)).not.toContain(apiKey);
    expect(JSON.stringify(preview)).not.toContain(await core.storedToken());

    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied.map((s) => s.action === 'replace' && s.target.kind)).toEqual(['go']);
    const migrated = readFileSync(envFile(), 'utf8');
    expect(migrated).toBe(
      `# mine\nGOFLAGS=-mod=mod\nGOPROXY=${withReference}\nGOPROXY=${proxy},direct\n`,
    );
    const machine = `machine ${new URL(fake.url).hostname}`;
    expect(readFileSync(netrcFile(), 'utf8')).toContain(
      `${machine}\n  login ${DEMO_USER.name}\n  password ${await core.storedToken()}\n`,
    );

    await core.artikey.refresh(instance);
    expect(readFileSync(netrcFile(), 'utf8')).toContain(`password ${await core.storedToken()}`);
    expect((await core.artikey.logout(instance)).complete).toBe(true);
    // The API key is gone for good (the state never holds a secret); the URL it was in stays.
    expect(readFileSync(envFile(), 'utf8')).toBe(migrated);
    expect(existsSync(netrcFile())).toBe(false);
  });
});
