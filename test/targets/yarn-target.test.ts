import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewTarget } from '../../electron/core/targets/preview.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { YarnSpec } from '../../electron/core/targets/kinds/yarn-spec.js';
import { removeTarget } from '../../electron/core/targets/targets.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { readYaml } from '../../electron/core/targets/yaml-file.js';
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
const KEY = '//acme.jfrog.io/artifactory/api/npm/npm-virtual/';
const TOKEN = 'eyJ2ZXIiOiIyIn0.e30.c2ln';

/** `~/.yarnrc.yml` Artikey writes for Yarn Berry, in a temp HOME. */
describe('yarn target (~/.yarnrc.yml)', () => {
  let home: string;
  beforeEach(() => void (home = mkdtempSync(join(tmpdir(), 'artikey-yarn-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const environment = (env: Record<string, string> = {}) => ({
    platform: 'linux' as const,
    env,
    home,
  });
  const spec = (
    options: Parameters<typeof targetSpec>[2] = {},
    env: Record<string, string> = {},
  ): YarnSpec =>
    targetSpec('yarn', INSTANCE, { repo: 'npm-virtual', ...options }, environment(env)) as YarnSpec;

  it('writes the registry key Yarn matches (protocol-less, as its docs) with npmAlwaysAuth, in ~/.yarnrc.yml, which YARN_RC_FILENAME does not rename', async () => {
    const target = spec();
    expect(target).toMatchObject({
      path: join(home, '.yarnrc.yml'),
      registryUrl: 'https://acme.jfrog.io/artifactory/api/npm/npm-virtual/',
      registryKey: KEY,
      scope: null,
      setRegistry: false,
    });
    // Yarn reads the home folder's `.yarnrc.yml` whatever YARN_RC_FILENAME says (berry's
    // Configuration.findFolderRcFile joins the fixed name); the renamed one only above a project.
    expect(spec({}, { YARN_RC_FILENAME: '.yarnrc.ci.yml' }).path).toBe(join(home, '.yarnrc.yml'));
    const record = await writeAsAlice(target, TOKEN);
    expect(record.createdFile).toBe(true);
    expect(readFileSync(target.path, 'utf8')).toBe(
      `npmRegistries:\n  "${KEY}":\n    npmAuthToken: ${TOKEN}\n    npmAlwaysAuth: true\n`,
    );
    // A refresh rewrites the token in place; removal deletes the file Artikey created.
    await writeAsAlice(target, 'NEW-TOKEN', record);
    expect(
      readYaml(readFileSync(target.path, 'utf8'), ['npmRegistries', KEY, 'npmAuthToken'], 'f')
        ?.value,
    ).toBe('NEW-TOKEN');
    const removed = await removeTarget(record);
    expect(removed.deleted).toBe(true);
  });

  it('routes a scope (npmScopes.<name without @>) or every package (npmRegistryServer) on request', async () => {
    const scoped = spec({ scope: '@acme' });
    expect(scoped).toMatchObject({ scope: 'acme', setRegistry: true });
    await writeAsAlice(scoped, TOKEN);
    const text = readFileSync(scoped.path, 'utf8');
    expect(readYaml(text, ['npmScopes', 'acme', 'npmRegistryServer'], 'f')?.value).toBe(
      scoped.registryUrl,
    );
    expect(readYaml(text, ['npmRegistryServer'], 'f')).toBeUndefined();
    rmSync(scoped.path);
    const everything = spec({ setRegistry: true });
    await writeAsAlice(everything, TOKEN);
    expect(readYaml(readFileSync(everything.path, 'utf8'), ['npmRegistryServer'], 'f')?.value).toBe(
      everything.registryUrl,
    );
    expect(() => spec({ scope: 'not a scope' })).toThrow(
      /--scope "not a scope" is not an npm scope/,
    );
  });

  it('refuses, leaving the file as is, an entry of the same registry Yarn would read instead of Artikey’s', async () => {
    const path = join(home, '.yarnrc.yml');
    for (const key of [KEY.slice(0, -1), `https:${KEY}`, `https:${KEY.slice(0, -1)}`]) {
      const before = `npmRegistries:\n  "${key}":\n    npmAlwaysAuth: true\n`;
      writeFileSync(path, before);
      const refusal = await writeAsAlice(spec(), TOKEN).then(
        () => null,
        (error: unknown) => error as Error & { code: string },
      );
      expect(refusal?.code).toBe('tool-file-conflict');
      expect(refusal?.message).toContain(`npmRegistries["${key}"] (line 2, column 3)`);
      expect(readFileSync(path, 'utf8')).toBe(before);
    }
    // A rival key with no value is named at its place too (it was named at none).
    writeFileSync(path, `# registries\nnpmRegistries:\n  "${KEY.slice(0, -1)}":\n`);
    await expect(writeAsAlice(spec(), TOKEN)).rejects.toThrow('(line 3, column 3)');
  });

  it('leaves a token read from an environment variable alone unless asked to replace it', async () => {
    const path = join(home, '.yarnrc.yml');
    const before = `npmRegistries:\n  "${KEY}":\n    npmAuthToken: "\${NPM_TOKEN}"\n`;
    writeFileSync(path, before);
    await expect(writeAsAlice(spec(), TOKEN)).rejects.toThrow(
      /environment variable.*--replace-references/,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('previews the change without the token or any other secret of the file', async () => {
    const path = join(home, '.yarnrc.yml');
    writeFileSync(path, `npmRegistries:\n  "//npm.corp/":\n    npmAuthIdent: "bob:${PASSWORD}"\n`);
    const preview = await previewTarget(spec(), { username: 'alice', token: TOKEN });
    const shown = JSON.stringify(preview);
    expect(shown).not.toContain(TOKEN);
    expect(preview.changes.map((c) => c.after)).toEqual([
      `  "${KEY}":`,
      '    npmAuthToken: <token>',
      '    npmAlwaysAuth: true',
    ]);
  });

  it('names one entry by its registry, with or without the trailing slash', () => {
    const yarn = definitionOf('yarn');
    expect(yarn.sameEntry(spec(), { ...spec(), registryKey: KEY.slice(0, -1) })).toBe(true);
    expect(yarn.sameEntry(spec(), spec({ repo: 'npm-other' }))).toBe(false);
  });
});

describe('scan and migrate of ~/.yarnrc.yml', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const yarnrc = [
    '# Yarn',
    'npmRegistryServer: "https://acme.jfrog.io/artifactory/api/npm/npm-virtual"',
    `npmAuthToken: ${ACCESS_TOKEN}`,
    'npmRegistries:',
    `  "${KEY}":`,
    `    npmAuthToken: ${ACCESS_TOKEN}`,
    '  "https://artifactory.corp.example:8443/artifactory/api/npm/npm/":',
    `    npmAuthIdent: "carol:${PASSWORD}"`,
    '  "//npm.corp.example/":',
    '    npmAuthToken: "${CORP_TOKEN}"',
    'npmScopes:',
    '  acme:',
    `    npmAuthIdent: ${Buffer.from(`dan:${PASSWORD}`).toString('base64')}`,
    '',
  ].join('\n');

  it('finds plain-text tokens and idents with their line, and tells a ${VAR} reference apart', async () => {
    const file = home.write('.yarnrc.yml', yarnrc);
    const report = await scanHome(home);
    const found = report.found.filter((f) => f.tool === 'yarn');
    expect(
      found.map((f) => [f.location, f.line, f.host, f.username, f.kind, f.instanceId]),
    ).toEqual([
      ['npmAuthToken', 3, 'acme.jfrog.io', 'alice', 'access-token', 'acme'],
      [`npmRegistries["${KEY}"].npmAuthToken`, 6, 'acme.jfrog.io', 'alice', 'access-token', 'acme'],
      [
        'npmRegistries["https://artifactory.corp.example:8443/artifactory/api/npm/npm/"].npmAuthIdent',
        8,
        'artifactory.corp.example:8443',
        'carol',
        'password',
        'corp',
      ],
      ['npmScopes.acme.npmAuthIdent', 13, 'acme.jfrog.io', 'dan', 'password', 'acme'],
    ]);
    expect(found.every((f) => f.file === file)).toBe(true);
    expect(found[2]!.fingerprint).toBe(fingerprint(PASSWORD));
    // Not an Artifactory registry and not a JFrog-shaped value: none of Artikey's business.
    expect(JSON.stringify(found)).not.toContain('CORP_TOKEN');
    const referenced = home.write(
      '.yarnrc.yml',
      `npmRegistries:\n  "${KEY}":\n    npmAuthToken: \${NPM_TOKEN}\n`,
    );
    const again = await scanHome(home);
    expect(again.found.find((f) => f.file === referenced)).toMatchObject({
      kind: 'env-reference',
      line: 3,
    });
  });

  it('reports a file Yarn could not read either as a problem naming the line, never its text', async () => {
    const file = home.write(
      '.yarnrc.yml',
      `npmRegistries:\n  "${KEY}":\n    npmAuthToken: ${ACCESS_TOKEN}\n   bad: [\n`,
    );
    const report = await scanHome(home);
    const problem = report.problems.find((p) => p.file === file);
    expect(problem?.message).toMatch(
      /^Yarn's \.yarnrc\.yml is not valid \(line \d+\); not scanned\.$/,
    );
    expect(JSON.stringify(report.problems)).not.toContain(ACCESS_TOKEN);
  });

  it('adopts a registry’s credential at its own key, taking out an npmAuthIdent it replaces', async () => {
    home.write('.yarnrc.yml', yarnrc);
    const report = await scanHome(home);
    const [top, token, ident] = report.found.filter((f) => f.tool === 'yarn');
    const yarn = definitionOf('yarn');
    expect(yarn.adopt!(top!, INSTANCE)).toMatch(/move it under npmRegistries/);
    expect(yarn.adopt!(token!, INSTANCE)).toEqual({
      target: {
        kind: 'yarn',
        path: token!.file,
        registryUrl: `https:${KEY}`,
        registryKey: KEY,
        scope: null,
        setRegistry: false,
      },
      cleanup: null,
    });
    const corp = yarn.adopt!(ident!, { platformUrl: 'https://artifactory.corp.example:8443/' });
    expect(corp).toMatchObject({
      target: { registryKey: 'https://artifactory.corp.example:8443/artifactory/api/npm/npm/' },
      cleanup: { kind: 'yarn-ident' },
    });
    const adopted = (corp as { target: Parameters<typeof yarn.ownsEntry>[0] }).target;
    expect(yarn.ownsEntry(adopted, ident!)).toBe(false);
    expect(
      yarn.ownsEntry(adopted, { ...ident!, location: ident!.location.replace('Ident', 'Token') }),
    ).toBe(true);
  });
});

describe('yarn: settings found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // A key Artikey writes that the file held with no value (`npmAuthToken:`) was not noted (it is
  // a secret's key), so unconfigure took the person's line out instead of leaving it as it was.
  it('puts back a key of its entry that had no value, byte for byte', () => {
    const yarn = definitionOf('yarn');
    const spec = {
      kind: 'yarn' as const,
      path: '/home/ada/.yarnrc.yml',
      registryUrl: `https:${KEY}`,
      registryKey: KEY,
      scope: null,
      setRegistry: false,
    };
    const before = `npmRegistries:\n  ${KEY}: # mine\n    npmAuthToken:\n`;
    const restore: Record<string, string> = {};
    const written = yarn.writer(spec, { username: '', token: TOKEN }, restore, false)(before);
    expect(written).toContain(`npmAuthToken: ${TOKEN}\n`);
    const record = { ...spec, restore, createdFile: false, writtenAt: 1, error: null };
    expect(yarn.remover(record)(written)).toBe(before);
  });

  // Yarn reads .yarnrc.yml with every scalar a string: `~:` is the scope "~" and `1e3:` the scope
  // "1e3". Artikey read keys as YAML 1.2 does (`~` null, `1e3` the number 1000), so the scope
  // "null" or "1000" landed in the person's `~` or `1e3` scope and pointed it at Artifactory.
  it.each([
    ['~', 'null'],
    ['1e3', '1000'],
    ['TRUE', 'true'],
    ['0x10', '16'],
  ])('never takes the scope key `%s:` for the scope "%s"', (plain, scope) => {
    const yarn = definitionOf('yarn');
    const spec = {
      kind: 'yarn' as const,
      path: '/home/ada/.yarnrc.yml',
      registryUrl: `https:${KEY}`,
      registryKey: KEY,
      scope,
      setRegistry: true,
    };
    const theirs = `npmScopes:\n  ${plain}:\n    npmRegistryServer: "https://registry.other.example/"\n`;
    const restore: Record<string, string> = {};
    const written = yarn.writer(spec, { username: '', token: TOKEN }, restore, false)(theirs);
    expect(written.startsWith(theirs)).toBe(true);
    expect(readYaml(written, ['npmScopes', scope, 'npmRegistryServer'], 'f')?.value).toBe(
      `https:${KEY}`,
    );
    const record = { ...spec, restore, createdFile: false, writtenAt: 1, error: null };
    expect(yarn.remover(record)(written)).toBe(theirs);
  });
});
