import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { cargoRegistry } from '../../electron/core/targets/kinds/cargo.js';
import type { CargoRegistrySpec } from '../../electron/core/targets/kinds/cargo-spec.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { targetSpec, type ConfigureOptions } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/**
 * Cargo's two files: the registry in config.toml, its token in credentials.toml. Configure writes
 * both, a refresh rewrites the token, unconfigure gives both files back byte for byte.
 */
describe('cargo: config.toml registry and credentials.toml token', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let cargoHome: string;
  let environment: Environment;
  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    id = t.id;
    cargoHome = join(t.home, 'cargo-home');
    mkdirSync(cargoHome, { recursive: true });
    environment = { platform: 'linux', env: { CARGO_HOME: cargoHome }, home: t.home };
  });

  const index = (repo = 'cargo-local'): string =>
    `sparse+${fake.url}/artifactory/api/cargo/${repo}/index/`;
  const spec = (options: ConfigureOptions = {}): Promise<TargetSpec> =>
    t.spec('cargo', { repo: 'cargo-local', ...options }, environment);
  const read = (name: string): string => readFileSync(join(cargoHome, name), 'utf8');
  const unconfigure = () => t.unconfigure('cargo');

  it('writes the registry with its own credential provider and a Bearer token, 0600, and takes out the files it created', async () => {
    const outcome = await t.artikey.configureTool(id, await spec());
    expect(outcome.target).toMatchObject({
      kind: 'cargo',
      registryName: 'artifactory',
      indexUrl: index(),
    });
    expect(read('config.toml')).toBe(
      `[registries.artifactory]\nindex = "${index()}"\ncredential-provider = "cargo:token"\n`,
    );
    const token = await t.artikey.accessToken(id);
    expect(read('credentials.toml')).toBe(`[registries.artifactory]\ntoken = "Bearer ${token}"\n`);
    expect(statSync(join(cargoHome, 'credentials.toml')).mode & 0o777).toBe(0o600);
    expect((await t.artikey.toolTargets(id)).map((target) => target.kind).sort()).toEqual([
      'cargo',
      'cargo-registry',
    ]);

    await t.artikey.refresh(id);
    const renewed = await t.artikey.accessToken(id);
    expect(renewed).not.toBe(token);
    expect(read('credentials.toml')).toBe(
      `[registries.artifactory]\ntoken = "Bearer ${renewed}"\n`,
    );

    const { removed, failed } = await unconfigure();
    expect(failed).toEqual([]);
    expect(removed).toHaveLength(2);
    expect(existsSync(join(cargoHome, 'config.toml'))).toBe(false);
    expect(existsSync(join(cargoHome, 'credentials.toml'))).toBe(false);
  });

  it("keeps the person's comments, other registries and global providers, and puts back the index it replaced byte for byte", async () => {
    const config = [
      '# my cargo config',
      '[registry]',
      'global-credential-providers = ["cargo:libsecret"]  # for crates.io',
      '',
      '[registries.artifactory]',
      "index = 'sparse+https://old.example.com/index/'   # the old one",
      '',
      '[registries.other]',
      'index = "sparse+https://other.example.com/index/"',
      '',
    ].join('\r\n');
    const credentials = '# tokens\n[registries.other]\ntoken = "Bearer other-secret"\n';
    writeFileSync(join(cargoHome, 'config.toml'), config);
    writeFileSync(join(cargoHome, 'credentials.toml'), credentials);
    await t.artikey.configureTool(id, await spec());
    expect(read('config.toml')).toContain(
      `index = '${index()}'   # the old one\r\ncredential-provider = "cargo:token"\r\n`,
    );
    expect(read('config.toml')).toContain(
      'global-credential-providers = ["cargo:libsecret"]  # for crates.io',
    );
    expect(read('credentials.toml')).toContain('token = "Bearer other-secret"');
    expect(JSON.stringify(await t.artikey.toolTargets(id))).not.toContain('other-secret');
    await unconfigure();
    expect(read('config.toml')).toBe(config);
    expect(read('credentials.toml')).toBe(credentials);
  });

  it('takes out the registry and its token together when either is picked (the window removes one entry)', async () => {
    writeFileSync(join(cargoHome, 'config.toml'), '[net]\nretry = 3\n');
    await t.artikey.configureTool(id, await spec());
    const { removed } = await t.artikey.unconfigureTool(
      id,
      (target) => target.kind === 'cargo-registry',
    );
    expect(removed.map((r) => r.target.kind).sort()).toEqual(['cargo', 'cargo-registry']);
    expect(read('config.toml')).toBe('[net]\nretry = 3\n');
    expect(existsSync(join(cargoHome, 'credentials.toml'))).toBe(false);
    expect(await t.artikey.toolTargets(id)).toEqual([]);
  });

  it('previews the token line with the token masked, writing nothing', async () => {
    const preview = await t.artikey.previewTool(id, await spec());
    const token = await t.artikey.accessToken(id);
    expect(JSON.stringify(preview)).not.toContain(token);
    expect(preview.changes).toEqual([
      { line: 1, before: null, after: '[registries.artifactory]' },
      { line: 2, before: null, after: 'token = "Bearer <token>"' },
    ]);
    expect(existsSync(join(cargoHome, 'credentials.toml'))).toBe(false);
    expect(existsSync(join(cargoHome, 'config.toml'))).toBe(false);
  });

  it('writes the legacy config and credentials files where Cargo reads them', async () => {
    writeFileSync(join(cargoHome, 'config'), '[net]\nretry = 3\n');
    writeFileSync(join(cargoHome, 'credentials'), '');
    const target = await spec({ registryName: 'acme_cargo' });
    expect(target).toMatchObject({
      path: join(cargoHome, 'credentials'),
      configPath: join(cargoHome, 'config'),
    });
    await t.artikey.configureTool(id, target);
    expect(read('config')).toBe(
      `[net]\nretry = 3\n[registries.acme_cargo]\nindex = "${index()}"\ncredential-provider = "cargo:token"\n`,
    );
    expect(read('credentials')).toMatch(/^\[registries\.acme_cargo\]\ntoken = "Bearer /);
    expect(existsSync(join(cargoHome, 'config.toml'))).toBe(false);
    await unconfigure();
    expect(read('config')).toBe('[net]\nretry = 3\n');
    expect(read('credentials')).toBe('');
  });

  it('takes the registry out again when the token cannot be written, leaving config.toml as it was', async () => {
    writeFileSync(join(cargoHome, 'config.toml'), '[net]\nretry = 3\n');
    writeFileSync(join(cargoHome, 'credentials.toml'), '[registries.artifactory\ntoken = "x"\n');
    await expect(t.artikey.configureTool(id, await spec())).rejects.toMatchObject({
      code: 'tool-file-invalid',
    });
    expect(read('config.toml')).toBe('[net]\nretry = 3\n');
    expect(await t.artikey.toolTargets(id)).toEqual([]);
  });

  it('refuses a name Cargo cannot use and an index on another server, changing nothing', async () => {
    await expect(spec({ registryName: 'crates-io' })).rejects.toMatchObject({
      code: 'invalid-option',
    });
    await expect(spec({ registryName: 'my registry' })).rejects.toThrow(
      /not a Cargo registry name/,
    );
    const elsewhere = {
      ...(await spec()),
      indexUrl: 'sparse+https://evil.example.com/index/',
    } as TargetSpec;
    await expect(t.artikey.configureTool(id, elsewhere)).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(existsSync(join(cargoHome, 'config.toml'))).toBe(false);
    expect(existsSync(join(cargoHome, 'credentials.toml'))).toBe(false);
  });

  it("refuses another instance's registry of the same name, which would change what that instance's logout takes out", async () => {
    const other = await startFakeArtifactory();
    try {
      const second = (await logInAs(t.artikey, other, DEMO_USER.name)).instance;
      await t.artikey.configureTool(id, await spec());
      const config = read('config.toml');
      const credentials = read('credentials.toml');
      const theirs = targetSpec('cargo', second, { repo: 'cargo-local' }, environment);
      await expect(t.artikey.configureTool(second.id, theirs)).rejects.toThrow(
        /registry artifactory .* is configured for 127\.0\.0\.1:\d+ already.*--registry-name/,
      );
      expect(read('config.toml')).toBe(config);
      expect(read('credentials.toml')).toBe(credentials);
      await t.artikey.configureTool(
        second.id,
        targetSpec('cargo', second, { repo: 'cargo-local', registryName: 'second' }, environment),
      );
      expect(read('config.toml')).toContain('[registries.second]');
      await t.vault.erase(second.id);
    } finally {
      await other.stop();
    }
  });

  it("scan finds a plain-text token in credentials.toml with its registry's index, and migrate adopts it", async () => {
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    writeFileSync(
      join(cargoHome, 'config.toml'),
      `[registries.artifactory]\nindex = "${index()}"\n`,
    );
    writeFileSync(
      join(cargoHome, 'credentials.toml'),
      `# mine\n[registries.artifactory]\ntoken = "Bearer ${token}"\n`,
    );
    const { found } = await t.artikey.scan(environment);
    const cargo = found.filter((f) => f.tool === 'cargo');
    expect(cargo).toHaveLength(1);
    expect(cargo[0]).toMatchObject({
      location: 'registries.artifactory.token',
      line: 3,
      url: index(),
      managed: false,
    });
    expect(JSON.stringify(cargo)).not.toContain(token);

    const plan = await t.artikey.migrate(id, environment, true);
    expect(JSON.stringify(plan)).not.toContain(token);
    const current = await t.artikey.accessToken(id);
    expect(read('credentials.toml')).toBe(
      `# mine\n[registries.artifactory]\ntoken = "Bearer ${current}"\n`,
    );
    const after = (await t.artikey.scan(environment)).found.filter((f) => f.tool === 'cargo');
    expect(after).toMatchObject([{ location: 'registries.artifactory.token', managed: true }]);
  });
});

describe('cargo: what config.toml held before', () => {
  // Fuzzing (test/fuzz/toml.suite.ts) found unconfigure failing ("not one TOML value") after a
  // first write over an index holding a password: the index was noted without it, but unquoted.
  it('puts back an index that held a password as that index alone, quoted', () => {
    const spec: CargoRegistrySpec = {
      kind: 'cargo-registry',
      path: '/c/config.toml',
      registryName: 'artifactory',
      indexUrl: 'sparse+https://acme.jfrog.io/artifactory/api/cargo/cargo-local/index/',
    };
    const before =
      'registries.artifactory = { index = "sparse+https://ada:pa55word@acme.jfrog.io/x/index/" }\n';
    const restore: Record<string, string> = {};
    const written = cargoRegistry.writer(
      spec,
      { username: 'ada', token: 't' },
      restore,
      false,
    )(before);
    const record = { ...spec, restore, createdFile: false, writtenAt: 1, error: null };
    expect(cargoRegistry.remover(record)(written)).toBe(
      'registries.artifactory = { index = "sparse+https://acme.jfrog.io/x/index/" }\n',
    );
  });

  // Fuzzing (test/fuzz/toml.suite.ts) found unconfigure taking out the person's own empty
  // [registries.<name>] header along with Artikey's keys under it.
  it("keeps the person's empty table header that Artikey wrote under", () => {
    const spec: CargoRegistrySpec = {
      kind: 'cargo-registry',
      path: '/c/config.toml',
      registryName: 'artifactory',
      indexUrl: 'sparse+https://acme.jfrog.io/artifactory/api/cargo/cargo-local/index/',
    };
    const before =
      '[registries]\n[registries.artifactory] # mine\n[source.crates-io]\nreplace-with = "artifactory"\n';
    const restore: Record<string, string> = {};
    const written = cargoRegistry.writer(
      spec,
      { username: 'ada', token: 't' },
      restore,
      false,
    )(before);
    const record = { ...spec, restore, createdFile: false, writtenAt: 1, error: null };
    expect(cargoRegistry.remover(record)(written)).toBe(before);
  });
});
