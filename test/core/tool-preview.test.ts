import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import type { TargetPreview } from '../../electron/core/targets/preview.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import {
  targetSpec,
  type ConfigureOptions,
  type Tool,
} from '../../electron/core/targets/tool-request.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/** Secrets of other registries already in the user's files; none may appear in a preview. */
const OTHER_JWT =
  'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIn0.eyJzdWIiOiJib2IiLCJpc3MiOiJvdGhlciJ9.b3RoZXItc2lnbmF0dXJlLWNhbmFyeQ';
const OTHER_PASSWORD = 'Other-Canary-Passw0rd';
const OTHER_AUTH = Buffer.from(`bob:${OTHER_PASSWORD}`).toString('base64');

describe('previewing a tool change: what configure would write, without writing, without a secret', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let id: string;
  let environment: Environment;
  let token: string;
  let host: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    host = new URL(fake.url).host;
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    t = testArtikey(fake);
    environment = { platform: 'linux', env: {}, home: t.home };
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    id = instance.id;
    token = (await t.vault.read(id))?.accessToken ?? 'missing';
  });
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  const spec = async (tool: Tool, options: ConfigureOptions = {}): Promise<TargetSpec> =>
    targetSpec(tool, await t.artikey.instance(id), options, environment);
  const seed = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode: 0o644 });
  };
  /** Previews, proves nothing was written or recorded, and that no secret is in the result. */
  const preview = async (target: TargetSpec): Promise<TargetPreview> => {
    const existed = existsSync(target.path);
    const bytes = existed ? readFileSync(target.path) : null;
    const mtime = existed ? statSync(target.path).mtimeMs : null;
    const folder = existsSync(dirname(target.path))
      ? readdirSync(dirname(target.path)).sort()
      : null;
    const state = readFileSync(t.stateFile, 'utf8');
    const result = await t.artikey.previewTool(id, target);
    expect(existsSync(target.path)).toBe(existed);
    if (bytes) expect(readFileSync(target.path).equals(bytes)).toBe(true);
    if (mtime !== null) expect(statSync(target.path).mtimeMs).toBe(mtime);
    expect(
      existsSync(dirname(target.path)) ? readdirSync(dirname(target.path)).sort() : null,
    ).toEqual(folder); // no backup, no temp file
    expect(readFileSync(t.stateFile, 'utf8')).toBe(state); // no target recorded
    const shown = JSON.stringify(result);
    const secrets = await t.vault.read(id);
    for (const secret of [
      token,
      secrets?.refreshToken,
      OTHER_JWT,
      OTHER_PASSWORD,
      OTHER_AUTH,
      DEMO_USER.password,
    ])
      expect(shown).not.toContain(secret ?? 'missing');
    return result;
  };
  /** After the real configure, every previewed line is where the preview said, with the real token. */
  const configureMatches = async (
    target: TargetSpec,
    result: TargetPreview,
    real: (line: string) => string = (l) => l.replace('<token>', token),
  ): Promise<void> => {
    await t.artikey.configureTool(id, target);
    const lines = readFileSync(target.path, 'utf8').split(/\r?\n/);
    for (const change of result.changes)
      if (change.line !== null && change.after !== null && !change.after.includes('<secret>'))
        expect(lines[change.line - 1]).toBe(real(change.after));
    // Once written, the same preview has nothing left to change.
    expect((await t.artikey.previewTool(id, target)).changes).toEqual([]);
  };

  it('npm: adds the token line; another registry’s token on an untouched line is not shown at all', async () => {
    const path = join(t.home, '.npmrc');
    seed(
      path,
      `registry=https://registry.npmjs.org/\n//npm.other.example/:_authToken=${OTHER_JWT}\nfund=false\n`,
    );
    const target = await spec('npm', { repo: 'npm-virtual' });
    const result = await preview(target);
    expect(result).toEqual({
      kind: 'npm',
      path,
      fileExists: true,
      changes: [
        {
          line: 4,
          before: null,
          after: `//${host}/artifactory/api/npm/npm-virtual/:_authToken=<token>`,
        },
      ],
    });
    const withRegistry = await preview(
      await spec('npm', { repo: 'npm-virtual', setRegistry: true }),
    );
    expect(withRegistry.changes).toEqual([
      {
        line: 1,
        before: 'registry=https://registry.npmjs.org/',
        after: `registry=http://${host}/artifactory/api/npm/npm-virtual/`,
      },
      {
        line: 4,
        before: null,
        after: `//${host}/artifactory/api/npm/npm-virtual/:_authToken=<token>`,
      },
    ]);
    await configureMatches(target, result);
  });

  it('npm: a file that does not exist yet is all additions, and still is not created', async () => {
    const result = await preview(await spec('npm', { repo: 'npm-virtual', scope: '@acme' }));
    expect(result.fileExists).toBe(false);
    expect(result.changes.every((c) => c.before === null && c.line !== null)).toBe(true);
    expect(result.changes.map((c) => c.after)).toEqual([
      `//${host}/artifactory/api/npm/npm-virtual/:_authToken=<token>`,
      `@acme:registry=http://${host}/artifactory/api/npm/npm-virtual/`,
    ]);
  });

  it('pip: the index line it replaces shows the other index’s password as <secret>', async () => {
    const path = join(t.home, '.config', 'pip', 'pip.conf');
    seed(
      path,
      `[global]\ntimeout = 60\nindex-url = https://bob:${OTHER_PASSWORD}@pypi.other.example/simple/\n`,
    );
    const target = await spec('pip', { repo: 'pypi-virtual' });
    const result = await preview(target);
    expect(result.changes).toEqual([
      {
        line: 3,
        before: 'index-url = https://bob:<secret>@pypi.other.example/simple/',
        after: `index-url = http://alice:<token>@${host}/artifactory/api/pypi/pypi-virtual/simple/`,
      },
    ]);
    await configureMatches(target, result);
  });

  it('gradle: an old password of the same prefix becomes <secret> on its changed line', async () => {
    const path = join(t.home, '.gradle', 'gradle.properties');
    seed(
      path,
      `org.gradle.daemon=true\nartifactory_password=${OTHER_PASSWORD}\nother_password=${OTHER_PASSWORD}\n`,
    );
    const target = await spec('gradle');
    const result = await preview(target);
    expect(result.changes).toEqual([
      { line: 2, before: 'artifactory_password=<secret>', after: 'artifactory_password=<token>' },
      { line: 4, before: null, after: 'artifactory_user=alice' },
      { line: 5, before: null, after: `artifactory_contextUrl=http://${host}/artifactory` },
    ]);
    await configureMatches(target, result);
  });

  it('maven: adds the server entry; another server’s password stays out of the preview', async () => {
    const path = join(t.home, '.m2', 'settings.xml');
    seed(
      path,
      [
        '<settings>',
        '  <servers>',
        '    <server>',
        '      <id>other</id>',
        '      <username>bob</username>',
        `      <password>${OTHER_PASSWORD}</password>`,
        '    </server>',
        '  </servers>',
        '</settings>',
        '',
      ].join('\n'),
    );
    const target = await spec('maven');
    const result = await preview(target);
    const after = result.changes.map((c) => c.after).join('\n');
    expect(result.changes.every((c) => c.before === null)).toBe(true);
    expect(after).toContain('<id>artifactory-mirror</id>');
    expect(after).toContain('<username>alice</username>');
    expect(after).toContain('<password><token></password>');
    await configureMatches(target, result);
  });

  it('netrc: a new file is all additions; on a shared line the other machine’s password is <secret>', async () => {
    const path = join(t.home, '.netrc');
    const target = await spec('netrc');
    const fresh = await preview(target);
    expect(fresh.fileExists).toBe(false);
    expect(fresh.changes.map((c) => c.after).join(' ')).toMatch(
      /machine 127\.0\.0\.1\s+login alice\s+password <token>/,
    );
    seed(
      path,
      `machine other.example login bob password ${OTHER_PASSWORD} machine 127.0.0.1 login alice password old-one\n`,
    );
    const shared = await preview(target);
    expect(shared.changes).toEqual([
      {
        line: 1,
        before:
          'machine other.example login bob password <secret> machine 127.0.0.1 login alice password <secret>',
        after:
          'machine other.example login bob password <secret> machine 127.0.0.1 login alice password <token>',
      },
    ]);
  });

  it('docker: the helper entry holds no token; an auths entry shows <token>; other registries’ auth stays hidden', async () => {
    const path = join(t.home, '.docker', 'config.json');
    seed(
      path,
      `${JSON.stringify({ auths: { 'other.example': { auth: OTHER_AUTH } } }, null, '\t')}\n`,
    );
    const auths = await preview(await spec('docker', { auths: true }));
    expect(auths.changes.map((c) => c.after)).toContain('\t\t\t"auth": "<token>"');
    const helper = await spec('docker');
    const helperPreview = await preview(helper);
    expect(helperPreview.kind).toBe('docker-helper');
    expect(JSON.stringify(helperPreview)).not.toContain('<token>');
    expect(helperPreview.changes.map((c) => c.after)).toContain(`\t\t"${host}": "artikey"`);
    await configureMatches(helper, helperPreview);
    // Docker asks the helper for the host now and would never read an auths entry: refused.
    await expect(preview(await spec('docker', { auths: true }))).rejects.toMatchObject({
      code: 'tool-file-conflict',
    });
  });

  it('refuses what configure refuses: another server’s address, a missing repository', async () => {
    await expect(
      t.artikey.previewTool(id, {
        kind: 'npm',
        path: join(t.home, '.npmrc'),
        registryUrl: 'https://evil.example/npm/',
        scope: null,
        setRegistry: false,
      }),
    ).rejects.toMatchObject({ code: 'invalid-target' });
    await expect(spec('npm')).rejects.toMatchObject({ code: 'invalid-option' });
    expect(existsSync(join(t.home, '.npmrc'))).toBe(false);
  });
});
