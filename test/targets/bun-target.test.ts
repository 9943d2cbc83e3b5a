import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { bun } from '../../electron/core/targets/kinds/bun.js';
import type { BunSpec } from '../../electron/core/targets/kinds/bun-spec.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { type ConfigureOptions } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';

/**
 * Bun's global .bunfig.toml: `[install] registry = { url, token }`, or one scope's entry under
 * `[install.scopes]`. Configure writes it, a refresh rewrites the token, unconfigure gives the
 * file back byte for byte (the person's own registry too); scan and migrate read it.
 */
describe('bun: the install registry in .bunfig.toml', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let environment: Environment;
  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    ({ id, environment } = t);
  });

  const registry = (repo = 'npm-virtual'): string => `${fake.url}/artifactory/api/npm/${repo}/`;
  const bunfig = (): string => join(t.home, '.bunfig.toml');
  const read = (): string => readFileSync(bunfig(), 'utf8');
  const spec = (options: ConfigureOptions = {}): Promise<TargetSpec> =>
    t.spec('bun', { repo: 'npm-virtual', ...options }, environment);
  const unconfigure = () => t.unconfigure('bun');

  it('writes the install registry with the token, 0600, rewrites it on refresh and takes out the file it created', async () => {
    const outcome = await t.artikey.configureTool(id, await spec());
    expect(outcome.target).toMatchObject({
      kind: 'bun',
      path: bunfig(),
      registryUrl: registry(),
      scope: null,
    });
    const token = await t.artikey.accessToken(id);
    expect(read()).toBe(`[install]\nregistry = { url = "${registry()}", token = "${token}" }\n`);
    expect(statSync(bunfig()).mode & 0o777).toBe(0o600);

    await t.artikey.refresh(id);
    const renewed = await t.artikey.accessToken(id);
    expect(renewed).not.toBe(token);
    expect(read()).toBe(`[install]\nregistry = { url = "${registry()}", token = "${renewed}" }\n`);

    const { removed, failed } = await unconfigure();
    expect(failed).toEqual([]);
    expect(removed).toHaveLength(1);
    expect(existsSync(bunfig())).toBe(false);
  });

  it('goes to $XDG_CONFIG_HOME/.bunfig.toml when that is set, the only global file Bun then reads', async () => {
    environment = {
      platform: 'linux',
      env: { XDG_CONFIG_HOME: join(t.home, 'xdg') },
      home: t.home,
    };
    expect((await spec()).path).toBe(join(t.home, 'xdg', '.bunfig.toml'));
  });

  it("routes a scope under [install.scopes], beside the person's own default registry, and gives the file back", async () => {
    const before = `# my bun settings\r\n[install]\r\nregistry = "https://registry.npmjs.org/"  # public\r\nexact = true\r\n`;
    writeFileSync(bunfig(), before);
    await t.artikey.configureTool(id, await spec({ scope: '@acme' }));
    const token = await t.artikey.accessToken(id);
    expect(read()).toBe(
      `${before}[install.scopes]\r\n"@acme" = { url = "${registry()}", token = "${token}" }\r\n`,
    );
    expect((await unconfigure()).failed).toEqual([]);
    expect(read()).toBe(before);
  });

  it('puts back the registry the person had, byte for byte, and never keeps a secret it replaced', async () => {
    const before = `[install]\nregistry = 'https://old.example.com/npm/'   # the old one\n\n[install.scopes]\n"@acme" = { url = "https://old.example.com/acme/", token = "old-secret" }\n`;
    writeFileSync(bunfig(), before);
    await t.artikey.configureTool(id, await spec());
    await t.artikey.configureTool(id, await spec({ scope: '@acme' }));
    const token = await t.artikey.accessToken(id);
    expect(read()).toBe(
      `[install]\nregistry = { url = "${registry()}", token = "${token}" }   # the old one\n\n[install.scopes]\n"@acme" = { url = "${registry()}", token = "${token}" }\n`,
    );
    expect(JSON.stringify(await t.artikey.toolTargets(id))).not.toContain('old-secret');
    expect((await unconfigure()).failed).toEqual([]);
    // The scope's old token is gone for good; its registry stays, so Bun still knows where @acme lives.
    expect(read()).toBe(
      `[install]\nregistry = 'https://old.example.com/npm/'   # the old one\n\n[install.scopes]\n"@acme" = "https://old.example.com/acme/"\n`,
    );
  });

  it('leaves a token read from $VAR alone unless asked to replace it, then puts the reference back', async () => {
    const before = `[install]\nregistry = { url = "https://old.example.com/npm/", token = "$NPM_TOKEN" }\n`;
    writeFileSync(bunfig(), before);
    const refusal = await t.artikey.configureTool(id, await spec()).then(
      () => null,
      (error: unknown) => error as Error & { code: string },
    );
    expect(refusal?.code).toBe('tool-file-conflict');
    expect(refusal?.message).toContain(
      'install.registry (line 2) takes its token from an environment variable',
    );
    expect(read()).toBe(before);
    await t.artikey.configureTool(id, await spec(), { replaceReferences: true });
    expect(read()).toContain(`token = "${await t.artikey.accessToken(id)}"`);
    expect((await unconfigure()).failed).toEqual([]);
    expect(read()).toBe(before);
  });

  it('refuses a scope that is not an npm scope, and a registry of another server', async () => {
    await expect(spec({ scope: 'acme' })).rejects.toThrow(
      '--scope "acme" is not an npm scope such as @acme',
    );
    const other = {
      ...(await spec()),
      registryUrl: 'https://evil.example/artifactory/api/npm/x/',
    } as TargetSpec;
    await expect(t.artikey.configureTool(id, other)).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(existsSync(bunfig())).toBe(false);
  });

  it('previews the entry with the token masked, writing nothing', async () => {
    const preview = await t.artikey.previewTool(id, await spec());
    expect(JSON.stringify(preview)).not.toContain(await t.artikey.accessToken(id));
    expect(preview.changes).toEqual([
      { line: 1, before: null, after: '[install]' },
      { line: 2, before: null, after: `registry = { url = "${registry()}", token = "<token>" }` },
    ]);
    expect(existsSync(bunfig())).toBe(false);
  });

  it('scan finds plain-text credentials with their lines, a $VAR apart, and the configured entry managed', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    writeFileSync(
      bunfig(),
      [
        '# bun',
        '[install]',
        `registry = "${fake.url.replace('//', `//alice:${apiKey}@`)}/artifactory/api/npm/npm-old/"`,
        '',
        '[install.scopes]',
        `"@env" = { url = "${registry('npm-env')}", token = "$NPM_TOKEN" }`,
        `"@basic" = { url = "${registry('npm-basic')}", username = "alice", password = "${apiKey}" }`,
        '',
      ].join('\n'),
    );
    const found = (await t.artikey.scan(environment)).found.filter((c) => c.tool === 'bun');
    expect(found.map((c) => [c.location, c.line, c.url, c.username, c.kind])).toEqual([
      ['install.registry.url', 3, `${fake.url}/artifactory/api/npm/npm-old/`, 'alice', 'api-key'],
      ['install.scopes["@env"].token', 6, registry('npm-env'), null, 'env-reference'],
      ['install.scopes["@basic"].password', 7, registry('npm-basic'), 'alice', 'api-key'],
    ]);
    expect(JSON.stringify(found)).not.toContain(apiKey);
  });

  it('migrate replaces a plain-text password with a managed token entry, and logout puts back only the URL', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const before = `# mine\n[install.scopes]\n"@acme" = { url = "${registry()}", username = "alice", password = "${apiKey}" }\n`;
    writeFileSync(bunfig(), before, { mode: 0o600 });
    const result = await t.artikey.migrate(id, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    const token = await t.artikey.accessToken(id);
    expect(read()).toBe(
      `# mine\n[install.scopes]\n"@acme" = { url = "${registry()}", token = "${token}" }\n`,
    );
    expect((await t.artikey.scan(environment)).found.filter((c) => c.tool === 'bun')).toEqual([
      expect.objectContaining({ managed: true }),
    ]);
    expect((await t.artikey.logout(id)).complete).toBe(true);
    expect(read()).toBe(`# mine\n[install.scopes]\n"@acme" = "${registry()}"\n`);
  });
});

describe("bun: the person's own tables", () => {
  // Fuzzing (test/fuzz/toml.suite.ts) found unconfigure taking out the person's own empty
  // [install] header along with the registry Artikey wrote under it.
  it("keeps the person's empty [install] header that Artikey wrote under", () => {
    const spec: BunSpec = {
      kind: 'bun',
      path: '/b/.bunfig.toml',
      registryUrl: 'https://acme.jfrog.io/artifactory/api/npm/npm/',
      scope: null,
    };
    const before = '[install] # mine\n\n[run]\nbun = true\n';
    const restore: Record<string, string> = {};
    const written = bun.writer(spec, { username: 'ada', token: 't' }, restore, false)(before);
    const record = { ...spec, restore, createdFile: false, writtenAt: 1, error: null };
    expect(bun.remover(record)(written)).toBe(before);
  });
});
