import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { containersAuthFile, podmanFiles } from '../../electron/core/scan/locations.js';
import type { PodmanSpec } from '../../electron/core/targets/kinds/podman-spec.js';
import { loginsAhead } from '../../electron/core/targets/podman-logins.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';

const linux = (env: Record<string, string>): Environment => ({
  platform: 'linux',
  env,
  home: '/home/ada',
});

/**
 * Podman, Buildah and Skopeo read containers-auth.json(5): with REGISTRY_AUTH_FILE only that file;
 * else `${XDG_RUNTIME_DIR}/containers/auth.json` (a tmpfs, gone at reboot) and then
 * `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`; on macOS and Windows only the latter.
 */
describe('the containers auth.json Artikey writes for podman', () => {
  it('is the one that survives a reboot and is still read, unless REGISTRY_AUTH_FILE names another', () => {
    expect(containersAuthFile(linux({ XDG_RUNTIME_DIR: '/run/user/1000' }))).toBe(
      '/home/ada/.config/containers/auth.json',
    );
    expect(containersAuthFile(linux({ XDG_CONFIG_HOME: '/cfg' }))).toBe(
      '/cfg/containers/auth.json',
    );
    expect(containersAuthFile(linux({ XDG_CONFIG_HOME: 'relative' }))).toBe(
      '/home/ada/.config/containers/auth.json',
    );
    expect(containersAuthFile(linux({ REGISTRY_AUTH_FILE: 'auth/mine.json' }))).toBe(
      '/home/ada/auth/mine.json',
    );
    expect(containersAuthFile({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe(
      '/Users/ada/.config/containers/auth.json',
    );
    expect(
      targetSpec(
        'podman',
        { platformUrl: 'https://acme.jfrog.io/' },
        {},
        linux({ XDG_RUNTIME_DIR: '/run/user/1000' }),
      ),
    ).toEqual({
      kind: 'podman',
      path: '/home/ada/.config/containers/auth.json',
      hosts: ['acme.jfrog.io'],
    });
  });

  it('refuses --auths, which only Docker offers, rather than writing the helper entry instead', () => {
    expect(() =>
      targetSpec('podman', { platformUrl: 'https://acme.jfrog.io/' }, { auths: true }, linux({})),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid-option',
        message: expect.stringMatching(/--auths/),
      }) as Error,
    );
  });

  it('scans every file they read, the tmpfs one first, and only REGISTRY_AUTH_FILE when it is set', () => {
    expect(podmanFiles(linux({ XDG_RUNTIME_DIR: '/run/user/1000' }))).toEqual([
      '/run/user/1000/containers/auth.json',
      '/home/ada/.config/containers/auth.json',
    ]);
    expect(podmanFiles(linux({}))).toEqual(['/home/ada/.config/containers/auth.json']);
    expect(
      podmanFiles(linux({ XDG_RUNTIME_DIR: '/run/user/1000', REGISTRY_AUTH_FILE: '/x/auth.json' })),
    ).toEqual(['/x/auth.json']);
  });
});

describe('podman target on the real core', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let environment: Environment;
  const file = (): string => join(t.home, '.config', 'containers', 'auth.json');
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };

  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    id = t.id;
    environment = {
      platform: 'linux',
      env: { XDG_RUNTIME_DIR: join(t.home, 'run') },
      home: t.home,
    };
  });

  it('writes only a credHelpers entry, is not rewritten by a refresh, and goes at logout with the file it created', async () => {
    const spec = await t.spec('podman', {}, environment);
    const outcome = await t.artikey.configureTool(id, spec);
    expect(outcome.changed).toBe(true);
    const written = readFileSync(file(), 'utf8');
    expect(JSON.parse(written)).toEqual({ credHelpers: { [fake.host]: 'artikey' } });
    expect(written).not.toContain((await t.vault.read(id))?.accessToken ?? '?');
    await t.artikey.refresh(id);
    expect(readFileSync(file(), 'utf8')).toBe(written);
    await t.artikey.logout(id);
    expect(existsSync(file())).toBe(false);
  });

  it("previews the entry without changing the file, masking the person's own logins", async () => {
    const before = `{\n  "auths": {\n    "quay.io": { "auth": "${Buffer.from('me:quay-secret').toString('base64')}" }\n  }\n}\n`;
    write(file(), before);
    const preview = await t.artikey.previewTool(id, await t.spec('podman', {}, environment));
    expect(preview).toMatchObject({ kind: 'podman', path: file(), fileExists: true });
    const shown = preview.changes.map((c) => `${c.before ?? ''}\n${c.after ?? ''}`).join('\n');
    expect(shown).toContain(`"${fake.host}": "artikey"`);
    expect(shown).not.toContain(Buffer.from('me:quay-secret').toString('base64'));
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it("unconfigure gives the person's own file back byte for byte", async () => {
    const before = `{\n\t"auths": {\n\t\t"quay.io": {\n\t\t\t"auth": "eDp5"\n\t\t}\n\t},\n\t"credHelpers": {\n\t\t"${fake.host}": "secretservice"\n\t}\n}\n`;
    write(file(), before);
    await t.artikey.configureTool(id, await t.spec('podman', {}, environment));
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({
      credHelpers: { [fake.host]: 'artikey' },
    });
    const { removed, failed } = await t.artikey.unconfigureTool(
      id,
      (target) => target.kind === 'podman',
    );
    expect(failed).toEqual([]);
    expect(removed).toHaveLength(1);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('the Docker helper answers for a host only a podman entry names', async () => {
    const other = `127.0.0.1:${String(Number(fake.host.split(':')[1]) + 1)}`;
    await t.artikey.configureTool(id, await t.spec('podman', { hosts: [other] }, environment));
    expect(await t.artikey.dockerCredentials(other)).toMatchObject({
      instance: id,
      username: 'alice',
    });
    expect((await t.artikey.dockerHosts()).map((h) => h.host)).toContain(other);
  });

  it('names a podman login in the tmpfs auth.json that podman would use before the entry', async () => {
    const runtime = join(t.home, 'run', 'containers', 'auth.json');
    write(
      runtime,
      `{\n  "auths": {\n    "${fake.host}": { "auth": "${Buffer.from('alice:pw').toString('base64')}" }\n  }\n}\n`,
    );
    const view = await t.artikey.instance(id);
    const spec = targetSpec('podman', view, {}, environment) as PodmanSpec;
    await t.artikey.configureTool(id, spec);
    const { found } = await t.artikey.scan(environment);
    expect(loginsAhead(spec, found, environment, view.name)).toEqual([
      `podman reads ${runtime} first, and its login for ${fake.host} (line 3) wins over Artikey's entry: run \`podman logout ${fake.host}\` or \`artikey migrate ${view.name}\` to replace it.`,
    ]);
    expect(
      loginsAhead({ ...spec, hosts: ['other.example'] }, found, environment, view.name),
    ).toEqual([]);
    expect(loginsAhead(spec, found, { ...environment, env: {} }, view.name)).toEqual([]);
  });

  it('scan finds plain-text auths in both files with line numbers, and migrate replaces them with the helper entry', async () => {
    const apiKey = fake.createApiKey('alice');
    const auth = Buffer.from(`alice:${apiKey}`).toString('base64');
    const runtime = join(t.home, 'run', 'containers', 'auth.json');
    write(
      runtime,
      `{\n  "auths": {\n    "${fake.host}": {\n      "auth": "${auth}"\n    }\n  }\n}\n`,
    );
    write(
      file(),
      `{\n  "auths": {\n    "quay.io": { "auth": "eDp5" },\n    "${fake.host}": { "auth": "${auth}" }\n  }\n}\n`,
    );
    const report = await t.artikey.scan(environment);
    const podman = report.found.filter((c) => c.tool === 'podman');
    expect(podman.map((c) => [c.file, c.line, c.location, c.kind, c.instanceId])).toEqual([
      [runtime, 4, `auths["${fake.host}"]`, 'api-key', id],
      [file(), 4, `auths["${fake.host}"]`, 'api-key', id],
    ]);
    expect(JSON.stringify(report)).not.toContain(apiKey);

    const result = await t.artikey.migrate(id, environment, true);
    expect(result.failed).toEqual([]);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({
      auths: { 'quay.io': { auth: 'eDp5' } },
      credHelpers: { [fake.host]: 'artikey' },
    });
    expect(readFileSync(runtime, 'utf8')).not.toContain(auth);
    expect((await t.artikey.toolTargets(id)).map((target) => target.kind)).toEqual([
      'podman',
      'podman',
    ]);
  });
});
