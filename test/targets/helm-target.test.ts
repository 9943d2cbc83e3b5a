import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helmRepositoriesFile } from '../../electron/core/scan/locations.js';
import { previewTarget } from '../../electron/core/targets/preview.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { HelmSpec } from '../../electron/core/targets/kinds/helm-spec.js';
import { removeTarget } from '../../electron/core/targets/targets.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import {
  ACCESS_TOKEN,
  fingerprint,
  scanHome,
  PASSWORD,
  tempHome,
  type TempHome,
} from '../scan/fixtures.js';
import { writeAsAlice } from '../support/written-target.js';

const INSTANCE = { platformUrl: 'https://acme.jfrog.io/' };
const URL = 'https://acme.jfrog.io/artifactory/api/helm/helm-virtual';
const TOKEN = 'eyJ2ZXIiOiIyIn0.e30.c2ln';

/** The entry `helm repo add` writes, in Artikey's key order (name first, as people write it). */
const entry = (name: string, token: string, url = URL): string =>
  [
    `- name: ${name}`,
    `  url: ${url}`,
    '  username: alice',
    `  password: ${token}`,
    '  caFile: ""',
    '  certFile: ""',
    '  keyFile: ""',
    '  insecure_skip_tls_verify: false',
    '  pass_credentials_all: false',
    '',
  ].join('\n');

/** Helm's `repositories.yaml` Artikey writes for classic chart repositories, in a temp HOME. */
describe('helm target (repositories.yaml)', () => {
  let home: string;
  beforeEach(() => void (home = mkdtempSync(join(tmpdir(), 'artikey-helm-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const environment = (env: Record<string, string> = {}, platform: NodeJS.Platform = 'linux') => ({
    platform,
    env,
    home,
  });
  const spec = (options: Parameters<typeof targetSpec>[2] = {}): HelmSpec =>
    targetSpec('helm', INSTANCE, { repo: 'helm-virtual', ...options }, environment()) as HelmSpec;

  /** The person's own repositories.yaml, at Helm's default place; its path. */
  const seed = (text: string): string => {
    const path = spec().path;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };

  it("finds the file where Helm does: HELM_REPOSITORY_CONFIG, HELM_CONFIG_HOME, XDG_CONFIG_HOME, then each platform's folder", () => {
    const at = (env: Record<string, string>, platform?: NodeJS.Platform) =>
      helmRepositoriesFile(environment(env, platform));
    expect(at({})).toBe(join(home, '.config', 'helm', 'repositories.yaml'));
    expect(at({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/helm/repositories.yaml');
    expect(at({ XDG_CONFIG_HOME: '/xdg', HELM_CONFIG_HOME: '/hc' })).toBe('/hc/repositories.yaml');
    expect(at({ HELM_CONFIG_HOME: '/hc', HELM_REPOSITORY_CONFIG: '/r/repos.yaml' })).toBe(
      '/r/repos.yaml',
    );
    // helm's lazypath reads XDG_CONFIG_HOME on every platform, before the platform's folder.
    expect(at({}, 'darwin')).toBe(
      join(home, 'Library', 'Preferences', 'helm', 'repositories.yaml'),
    );
    expect(at({ XDG_CONFIG_HOME: '/xdg' }, 'darwin')).toBe('/xdg/helm/repositories.yaml');
    expect(at({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\helm\\repositories.yaml',
    );
  });

  it('creates the file as helm repo add does, names the entry after the repository, rewrites the token on refresh and deletes the file it created', async () => {
    const target = spec();
    expect(target).toEqual({
      kind: 'helm',
      path: join(home, '.config', 'helm', 'repositories.yaml'),
      name: 'helm-virtual',
      url: URL,
    });
    const record = await writeAsAlice(target, TOKEN);
    expect(record.createdFile).toBe(true);
    expect(readFileSync(target.path, 'utf8')).toBe(
      `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n${entry('helm-virtual', TOKEN)}`,
    );
    await writeAsAlice(target, 'NEW-TOKEN', record);
    expect(readFileSync(target.path, 'utf8')).toBe(
      `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n${entry('helm-virtual', 'NEW-TOKEN')}`,
    );
    expect((await removeTarget(record)).deleted).toBe(true);
  });

  it('adds its entry after the person’s own, keeping comments and quoting, and takes exactly it out again', async () => {
    const before = [
      '# my charts',
      'apiVersion: ""',
      "generated: '2024-05-01T10:00:00Z'",
      'repositories:',
      '- caFile: ""',
      '  name: "bitnami"   # public',
      '  url: https://charts.bitnami.com/bitnami',
      '',
    ].join('\n');
    const path = seed(before);
    const record = await writeAsAlice(spec({ name: 'acme-charts' }), TOKEN);
    expect(readFileSync(path, 'utf8')).toBe(`${before}${entry('acme-charts', TOKEN)}`);
    await removeTarget(record);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses a same-named repository that points elsewhere, leaving the file as is, and moves its own entry', async () => {
    const before = 'repositories:\n- name: helm-virtual\n  url: https://charts.example.com\n';
    const path = seed(before);
    const refusal = await writeAsAlice(spec(), TOKEN).then(
      () => null,
      (error: unknown) => error as Error & { code: string },
    );
    expect(refusal?.code).toBe('tool-file-conflict');
    expect(refusal?.message).toContain(
      'already has a Helm repository named "helm-virtual" (line 2, column 3) for https://charts.example.com',
    );
    expect(refusal?.message).toContain('--name');
    expect(refusal?.message).toContain('helm repo remove helm-virtual');
    expect(readFileSync(path, 'utf8')).toBe(before);
    // Artikey's own entry (a rewrite) follows a new --repo under the same name.
    rmSync(path);
    const record = await writeAsAlice(spec({ name: 'art' }), TOKEN);
    const moved = spec({ name: 'art', repo: 'helm-local' });
    await writeAsAlice(moved, TOKEN, record);
    expect(readFileSync(path, 'utf8')).toContain(
      '  url: https://acme.jfrog.io/artifactory/api/helm/helm-local\n',
    );
  });

  it('takes over a same-named entry for the same URL and puts back its user name and empty password', async () => {
    const before =
      'repositories:\n- name: helm-virtual\n  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual/\n  username: ""\n  password: ""\n  caFile: /etc/ca.pem\n';
    const path = seed(before);
    const record = await writeAsAlice(spec(), TOKEN);
    const written = readFileSync(path, 'utf8');
    expect(written).toContain(
      '  username: alice\n  password: eyJ2ZXIiOiIyIn0.e30.c2ln\n  caFile: /etc/ca.pem\n',
    );
    expect(written).not.toContain('certFile');
    await removeTarget(record);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('never notes a ${VAR}-shaped password it replaces: Helm sends it as it is, so it is a secret', async () => {
    const before =
      'repositories:\n- name: helm-virtual\n  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual\n  username: bob\n  password: ${HELM_PASSWORD}\n';
    const path = seed(before);
    const record = await writeAsAlice(spec(), TOKEN);
    expect(JSON.stringify(record.restore)).not.toContain('HELM_PASSWORD');
    await removeTarget(record);
    expect(readFileSync(path, 'utf8')).toBe(
      'repositories:\n- name: helm-virtual\n  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual\n  username: bob\n',
    );
  });

  it('refuses a name Helm refuses, before writing anything', () => {
    expect(() => spec({ name: 'acme/charts' })).toThrow(
      /--name "acme\/charts" is not a Helm repository name: Helm refuses '\/'/,
    );
    expect(spec({ name: '  charts ' }).name).toBe('charts');
  });

  it('previews the change without the token or any other secret of the file', async () => {
    seed(
      `repositories:\n- name: corp\n  url: https://charts.corp.example\n  username: bob\n  password: ${PASSWORD}\n`,
    );
    const preview = await previewTarget(spec(), { username: 'alice', token: TOKEN });
    const shown = JSON.stringify(preview);
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(PASSWORD);
    expect(preview.changes.map((c) => c.after)).toContain('  password: <token>');
  });

  it('names one entry by its name', () => {
    const helm = definitionOf('helm');
    expect(helm.sameEntry(spec(), spec({ repo: 'helm-local', name: 'helm-virtual' }))).toBe(true);
    expect(helm.sameEntry(spec(), spec({ name: 'other' }))).toBe(false);
  });
});

describe('helm: names found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // Helm reads repositories.yaml with yaml.v2 (YAML 1.1) and prints a bool or number that lands
  // in the string `name` back as Go does: `yes`, `ON` and `TRUE` are all the repository "true",
  // `0x7B` is "123". Artikey matched names as YAML 1.2 reads them (`yes` a string), so for the
  // repository "true" it added a second entry Helm never reads (its first "true" wins) beside the
  // `yes` one, and ran over a `yes` entry of another server instead of refusing.
  const helm = definitionOf('helm');
  const named = (name: string, url = URL): HelmSpec => ({
    kind: 'helm',
    path: '/home/ada/.config/helm/repositories.yaml',
    name,
    url,
  });
  const configure = (target: HelmSpec, before: string) => {
    const restore: Record<string, string> = {};
    const written = helm.writer(
      target,
      { username: 'alice', token: TOKEN },
      restore,
      false,
    )(before);
    const record = { ...target, restore, createdFile: false, writtenAt: 1, error: null };
    return { written, removed: helm.remover(record)(written) };
  };

  it.each([
    ['yes', 'true'],
    ['ON', 'true'],
    ['0x7B', '123'],
    ['1.23e2', '123'],
  ])('takes over the entry `name: %s`, which Helm reads as the repository "%s"', (plain, name) => {
    const before = `repositories:\n- name: ${plain}\n  url: ${URL}/\n`;
    const { written, removed } = configure(named(name), before);
    expect(written).toBe(
      `repositories:\n- name: ${plain}\n  url: ${URL}\n  username: alice\n  password: ${TOKEN}\n`,
    );
    expect(removed).toBe(before);
  });

  it('refuses when the first entry Helm reads as "true" (`name: yes`) is another server', () => {
    const before = `repositories:\n- name: yes\n  url: https://charts.other.example\n- name: "true"\n  url: ${URL}\n`;
    expect(() => configure(named('true'), before)).toThrow(
      /already has a Helm repository named "true" \(line 2, column 3\) for https:\/\/charts.other.example/,
    );
  });

  // The refusal named the other repository's URL as written, so a `user:password@` in it reached
  // the error, which the CLI prints and the app shows.
  it('names the other repository of the name without the user name and password in its URL', () => {
    const before = `repositories:\n- name: art\n  url: https://bob:hunter2-secret@charts.other.example/stable\n`;
    expect(() => configure(named('art'), before)).toThrow(
      /named "art" \(line 2, column 3\) for https:\/\/charts\.other\.example\/stable;/,
    );
    expect(() => configure(named('art'), before)).not.toThrow(/hunter2|bob/);
  });

  // A comment line indented under the last repository belongs, for the `yaml` library, to the
  // entry Artikey added before it; removing that entry took the person's comment out with it.
  it('keeps a comment indented under the entry it adds when it takes the entry out', () => {
    const before = `repositories: # \r\n- {name: helm2, url: https://charts.other.example}\r\n    # \r\nA: [] # `;
    const { written, removed } = configure(named('helm'), before);
    expect(written).toContain(`  pass_credentials_all: false\r\n    # \r\nA: [] # `);
    expect(removed).toBe(before);
  });

  // In a flow mapping (`{}`) the new `repositories` was written as a mapping, not a list of one
  // (`{repositories: {name: …}}`), so the read-back check refused a file Helm reads fine.
  it('adds the repositories list to a file that is an empty flow mapping', () => {
    const { written, removed } = configure(named('123'), '{}');
    expect(written).toBe(
      `{repositories: [{name: "123", url: ${URL}, username: alice, password: ${TOKEN}, caFile: "", certFile: "", keyFile: "", insecure_skip_tls_verify: false, pass_credentials_all: false}]}`,
    );
    expect(removed).toBe('{}');
  });

  // Helm's reader, go-yaml v2, tests for a byte-order mark at the start of its read buffer, not
  // at the character it reads: a U+FEFF in a comment that happens to open the buffer makes it skip
  // the first character of a later line. The fuzzing found a file Helm read, which Artikey's
  // migrate, by moving where the buffer starts, turned into one Helm refuses ("yaml: line 32: did
  // not find expected key").
  it('refuses a file holding a U+FEFF past its start, naming its line and column', () => {
    const before = `repositories:\n- name: other # note\uFEFF\n  url: https://charts.other.example\n`;
    expect(() => configure(named('helm'), before)).toThrow(
      /zero-width no-break space \(U\+FEFF\) at line 2, column 21\./,
    );
    const record = { ...named('helm'), restore: {}, createdFile: false, writtenAt: 1, error: null };
    expect(() => helm.remover(record)(before)).toThrow(/U\+FEFF\) at line 2, column 21\./);
    // A second mark at the start is inside the file to Helm too (the first one is skipped).
    expect(() => configure(named('helm'), `\uFEFF${before}`)).toThrow(/at line 1, column 1\./);
    // A file that is no YAML at all is refused as that, wherever a U+FEFF stands.
    expect(() => configure(named('helm'), `${before}\tkey: value\n`)).toThrow(/not valid YAML/);
  });

  it('leaves alone a quoted "yes", which Helm reads as the repository "yes"', () => {
    const before = `repositories:\n- name: "yes"\n  url: https://charts.other.example\n`;
    const { written, removed } = configure(named('true'), before);
    expect(written).toContain(
      `- name: "yes"\n  url: https://charts.other.example\n- name: "true"\n`,
    );
    expect(removed).toBe(before);
  });
});

describe('scan and migrate of repositories.yaml', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const repositories = [
    'apiVersion: ""',
    'repositories:',
    '- name: acme',
    '  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
    '  username: alice',
    `  password: ${ACCESS_TOKEN}`,
    '- name: corp',
    '  url: https://artifactory.corp.example:8443/artifactory/api/helm/charts',
    '  username: carol',
    `  password: "${PASSWORD}"`,
    '- name: bitnami',
    '  url: https://charts.bitnami.com/bitnami',
    '  password: ""',
    '- name: literal',
    '  url: https://acme.jfrog.io/artifactory/api/helm/helm-local',
    '  username: alice',
    '  password: ${HELM_PASSWORD}',
    '',
  ].join('\n');

  it('finds plain-text passwords with their line; Helm expands no ${VAR}, so one is the password itself', async () => {
    const file = home.write('.config/helm/repositories.yaml', repositories);
    const report = await scanHome(home);
    const found = report.found.filter((f) => f.tool === 'helm');
    expect(
      found.map((f) => [f.location, f.line, f.host, f.username, f.kind, f.instanceId]),
    ).toEqual([
      ['repositories[name="acme"].password', 6, 'acme.jfrog.io', 'alice', 'access-token', 'acme'],
      [
        'repositories[name="corp"].password',
        10,
        'artifactory.corp.example:8443',
        'carol',
        'password',
        'corp',
      ],
      ['repositories[name="literal"].password', 17, 'acme.jfrog.io', 'alice', 'password', 'acme'],
    ]);
    expect(found.every((f) => f.file === file)).toBe(true);
    expect(found[1]!.fingerprint).toBe(fingerprint(PASSWORD));
  });

  it('adopts a repository’s password under its own name and URL', async () => {
    home.write('.config/helm/repositories.yaml', repositories);
    const report = await scanHome(home);
    const [acme] = report.found.filter((f) => f.tool === 'helm');
    const helm = definitionOf('helm');
    const adopted = helm.adopt!(acme!, INSTANCE);
    expect(adopted).toEqual({
      target: {
        kind: 'helm',
        path: acme!.file,
        name: 'acme',
        url: 'https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
      },
      cleanup: null,
    });
    expect(helm.ownsEntry((adopted as { target: HelmSpec }).target, acme!)).toBe(true);
  });

  // The scan read values as YAML 1.2 does: `password: 123456` was a number, so a password Helm
  // sends was missing from the scan and from migrate, and `name: yes` was the repository "yes",
  // which migrate would have added anew beside the entry Helm reads as "true".
  it('reads names and passwords as Helm does (YAML 1.1 types printed back as Go prints them)', async () => {
    const before = [
      'repositories:',
      '- name: yes',
      '  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
      '  username: alice',
      '  password: 123456',
      '- name: "true"',
      '  url: https://acme.jfrog.io/artifactory/api/helm/never-read',
      '  password: shadowed',
      '- name: 0x7B',
      '  url: https://acme.jfrog.io/artifactory/api/helm/charts',
      '  password: 0x1F',
      '',
    ].join('\n');
    const file = home.write('.config/helm/repositories.yaml', before);
    const found = (await scanHome(home)).found.filter((f) => f.tool === 'helm');
    expect(found.map((f) => [f.location, f.line, f.fingerprint])).toEqual([
      ['repositories[name="true"].password', 5, fingerprint('123456')],
      ['repositories[name="123"].password', 11, fingerprint('31')],
    ]);
    const helm = definitionOf('helm');
    const { target } = helm.adopt!(found[0]!, INSTANCE) as { target: HelmSpec };
    expect(target).toEqual({
      kind: 'helm',
      path: file,
      name: 'true',
      url: 'https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
    });
    const written = helm.writer(target, { username: 'alice', token: TOKEN }, {}, false)(before);
    expect(written).toBe(before.replace('password: 123456', `password: ${TOKEN}`));
  });
});
