import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { CONAN_REMOTES } from '../../electron/core/targets/conan-files.js';
import { readNamedList } from '../../electron/core/targets/json-named-list.js';
import {
  conan as conanDefinition,
  conanRemote as conanRemoteDefinition,
} from '../../electron/core/targets/kinds/conan.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { type ConfigureOptions } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';

/**
 * Conan 2's two files. No conan runs here (PyPI is out of reach), so each file is checked the way
 * Conan 2 reads it: remotes.json as conan/api/subapi/remotes.py `_load` (`r["name"]`, `r["url"]`,
 * `r["verify_ssl"]`, `r.get("disabled", False)`), credentials.json as
 * conans/client/rest/remote_credentials.py (a Jinja2 template, then `credentials["remote"]`,
 * `["user"]`, `["password"]` of every entry).
 */
function conanRemotes(
  text: string,
): { name: string; url: string; verify_ssl: boolean; disabled: boolean }[] {
  const data = JSON.parse(text) as { remotes?: Record<string, unknown>[] };
  return (data.remotes ?? []).map((r) => {
    expect([typeof r['name'], typeof r['url'], typeof r['verify_ssl']]).toEqual([
      'string',
      'string',
      'boolean',
    ]);
    return {
      name: r['name'] as string,
      url: r['url'] as string,
      verify_ssl: r['verify_ssl'] as boolean,
      disabled: (r['disabled'] ?? false) as boolean,
    };
  });
}
function conanCredentials(text: string): Record<string, { user: string; password: string }> {
  expect(text).not.toMatch(/\{[{%#]/);
  const content = JSON.parse(text) as { credentials: Record<string, unknown>[] };
  return Object.fromEntries(
    content.credentials.map((c) => {
      expect([typeof c['remote'], typeof c['user'], typeof c['password']]).toEqual([
        'string',
        'string',
        'string',
      ]);
      return [
        c['remote'] as string,
        { user: c['user'] as string, password: c['password'] as string },
      ];
    }),
  );
}

/** What conan writes when remotes.json is missing (indent=True: one space, no final line break). */
const CONAN_DEFAULT =
  '{\n "remotes": [\n  {\n   "name": "conancenter",\n   "url": "https://center2.conan.io",\n   "verify_ssl": true\n  }\n ]\n}';

describe('conan: remotes.json remote and credentials.json user and token', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let conanHome: string;
  let environment: Environment;
  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    id = t.id;
    conanHome = join(t.home, 'conan-home');
    mkdirSync(conanHome, { recursive: true });
    environment = { platform: 'linux', env: { CONAN_HOME: conanHome }, home: t.home };
  });

  const url = (repo = 'conan-local'): string => `${fake.url}/artifactory/api/conan/${repo}`;
  const spec = (options: ConfigureOptions = {}): Promise<TargetSpec> =>
    t.spec('conan', { repo: 'conan-local', ...options }, environment);
  const read = (name: string): string => readFileSync(join(conanHome, name), 'utf8');
  const unconfigure = () => t.unconfigure('conan');

  it('writes the remote after conancenter and the user and token, 0600; a refresh rewrites the token; unconfigure removes the files it created', async () => {
    const outcome = await t.artikey.configureTool(id, await spec());
    expect(outcome.target).toMatchObject({ kind: 'conan', remoteName: 'conan-local', url: url() });
    expect(read('remotes.json')).toBe(
      `{\n "remotes": [\n  {\n   "name": "conancenter",\n   "url": "https://center2.conan.io",\n   "verify_ssl": true\n  },\n  {\n   "name": "conan-local",\n   "url": "${url()}",\n   "verify_ssl": true\n  }\n ]\n}`,
    );
    expect(conanRemotes(read('remotes.json')).map((r) => r.name)).toEqual([
      'conancenter',
      'conan-local',
    ]);
    const token = await t.artikey.accessToken(id);
    expect(conanCredentials(read('credentials.json'))).toEqual({
      'conan-local': { user: DEMO_USER.name, password: token },
    });
    expect(statSync(join(conanHome, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect((await t.artikey.toolTargets(id)).map((target) => target.kind).sort()).toEqual([
      'conan',
      'conan-remote',
    ]);

    await t.artikey.refresh(id);
    const renewed = await t.artikey.accessToken(id);
    expect(renewed).not.toBe(token);
    expect(conanCredentials(read('credentials.json'))['conan-local']?.password).toBe(renewed);

    const { removed, failed } = await unconfigure();
    expect(failed).toEqual([]);
    expect(removed).toHaveLength(2);
    expect(existsSync(join(conanHome, 'remotes.json'))).toBe(false);
    expect(existsSync(join(conanHome, 'credentials.json'))).toBe(false);
  });

  it("keeps the person's remotes and credentials, takes over a disabled remote of the name, and gives both files back byte for byte", async () => {
    const remotes = `{\n  "remotes": [\n    {"name": "conancenter", "url": "https://center2.conan.io", "verify_ssl": true},\n    {"name": "corp", "url": "https://old.example/conan", "verify_ssl": false, "disabled": true}\n  ]\n}\n`;
    const credentials = `{\n  "credentials": [\n    {\n      "remote": "conancenter",\n      "user": "me",\n      "password": "{{ os.getenv('CENTER_PW') }}"\n    }\n  ]\n}\n`;
    writeFileSync(join(conanHome, 'remotes.json'), remotes);
    writeFileSync(join(conanHome, 'credentials.json'), credentials);
    await t.artikey.configureTool(id, await spec({ remoteName: 'corp' }));
    expect(conanRemotes(read('remotes.json'))).toEqual([
      { name: 'conancenter', url: 'https://center2.conan.io', verify_ssl: true, disabled: false },
      { name: 'corp', url: url(), verify_ssl: true, disabled: false },
    ]);
    expect(read('credentials.json')).toContain(`"password": "{{ os.getenv('CENTER_PW') }}"`);
    expect(Object.keys(JSON.parse(read('credentials.json')).credentials.at(-1))).toEqual([
      'remote',
      'user',
      'password',
    ]);
    await unconfigure();
    expect(read('remotes.json')).toBe(remotes);
    expect(read('credentials.json')).toBe(credentials);
  });

  it('gives back the remotes.json conan wrote itself (only conancenter) byte for byte, not emptied', async () => {
    writeFileSync(join(conanHome, 'remotes.json'), CONAN_DEFAULT);
    await t.artikey.configureTool(id, await spec());
    expect(conanRemotes(read('remotes.json')).map((r) => r.name)).toEqual([
      'conancenter',
      'conan-local',
    ]);
    await unconfigure();
    expect(read('remotes.json')).toBe(CONAN_DEFAULT);
    expect(existsSync(join(conanHome, 'credentials.json'))).toBe(false);
  });

  it('names the remote --name or the repository key, and refuses names and URLs not the instance’s', async () => {
    expect(await spec({ remoteName: 'acme' })).toMatchObject({ remoteName: 'acme', url: url() });
    await expect(spec({ remoteName: 'my remote' })).rejects.toMatchObject({
      code: 'invalid-option',
    });
    await expect(spec({ repo: undefined })).rejects.toMatchObject({
      code: 'invalid-option',
      message: expect.stringMatching(/conan needs --repo <conan repository>/) as string,
    });
    const foreign = {
      ...(await spec()),
      url: 'https://evil.example/artifactory/api/conan/x',
    } as TargetSpec;
    await expect(t.artikey.configureTool(id, foreign)).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(existsSync(join(conanHome, 'remotes.json'))).toBe(false);
    expect(existsSync(join(conanHome, 'credentials.json'))).toBe(false);
  });

  it('the scan finds a plain password by line, leaves a Jinja template out, and migrate adopts it', async () => {
    writeFileSync(
      join(conanHome, 'remotes.json'),
      `{"remotes": [{"name": "corp", "url": "${url()}", "verify_ssl": true}]}`,
    );
    const credentials = `{\n  "credentials": [\n    {"remote": "other", "user": "x", "password": "{{ os.getenv('PW') }}"},\n    {\n      "remote": "corp",\n      "user": "${DEMO_USER.name}",\n      "password": "${DEMO_USER.password}"\n    }\n  ]\n}\n`;
    writeFileSync(join(conanHome, 'credentials.json'), credentials);
    const { found } = await t.artikey.scan(environment);
    expect(
      found
        .filter((f) => f.tool === 'conan')
        .map((f) => [f.location, f.line, f.kind, f.instanceId]),
    ).toEqual([['credentials[remote=corp] password', 7, 'password', id]]);
    const result = await t.artikey.migrate(id, environment, true);
    expect(result.failed).toEqual([]);
    const token = await t.artikey.accessToken(id);
    expect(read('credentials.json')).toBe(credentials.replace(DEMO_USER.password, token));
    expect((await t.artikey.toolTargets(id)).map((target) => target.kind).sort()).toEqual([
      'conan',
      'conan-remote',
    ]);
    // Artikey's own entry now: nothing left to migrate.
    expect((await t.artikey.migrate(id, environment, false)).steps).toEqual([]);
  });
});

/** Counterexamples the fuzzing found (test/fuzz/conan.suite.ts), shrunk. */
describe('fuzzing regressions', () => {
  const cycleOf = (kind: 'conan' | 'conan-remote', text: string): string => {
    const definition = (kind === 'conan' ? conanDefinition : conanRemoteDefinition) as unknown as {
      writer: typeof conanDefinition.writer;
      remover: typeof conanDefinition.remover;
    };
    const restore: Record<string, string> = {};
    const written = definition.writer(spec, { username: 'u', token: 'tok' }, restore, false)(text);
    return definition.remover({ ...spec, createdFile: false, restore, writtenAt: 1, error: null })(
      written,
    );
  };
  const spec = {
    kind: 'conan' as const,
    path: '/h/credentials.json',
    remoteName: 'art',
    url: 'https://art.example.com/artifactory/api/conan/conan-local',
    remotesPath: '/h/remotes.json',
  };

  it('gives back a credentials.json without a list, or with an empty or null one, as it was', () => {
    // Broke: "{}" came back as {"credentials": []} (and null or [ ] as []) after unconfigure.
    for (const text of ['{}', '{"credentials": null}', '{\n  "credentials": [ ]\n}'])
      expect(cycleOf('conan', text)).toBe(text);
  });

  it('gives back a remotes.json whose remotes list was null', () => {
    // Broke: {"remotes": null} came back as {"remotes": []}.
    const text = '{\n\t"remotes": null\n}';
    expect(cycleOf('conan-remote', text)).toBe(text);
  });

  it('names the place of a list that is no list of entries', () => {
    // Broke: "remotes in Conan's remotes.json is not a list of objects" named no line or column.
    expect(() => readNamedList('{"remotes": 5}', CONAN_REMOTES)).toThrow(
      /\(at line 1, column 13\)/,
    );
    expect(() => readNamedList('{"remotes": [\n 1]}', CONAN_REMOTES)).toThrow(
      /\(at line 2, column 2\)/,
    );
  });
});
