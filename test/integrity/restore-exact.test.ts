import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { definitionFor } from '../../electron/core/targets/target-kinds.js';
import {
  kindsOf,
  targetSpec,
  type ConfigureOptions,
  type Tool,
} from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/**
 * configure + unconfigure gives back the file byte for byte: the value Artikey replaced comes back
 * as the person wrote it (quotes, escapes, spacing, another credential helper), not re-spelt.
 */
describe('unconfigure restores exactly what Artikey replaced', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let id: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    await t.vault.erase(id);
    t.cleanup();
  });

  async function roundTrip(
    tool: Tool,
    relative: string,
    before: string,
    options: ConfigureOptions = {},
    replaceReferences = false,
  ): Promise<string> {
    t = testArtikey(fake);
    ({
      instance: { id },
    } = await logInAs(t.artikey, fake, DEMO_USER.name));
    const environment: Environment = { platform: 'linux', env: {}, home: t.home };
    const path = join(t.home, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, before);
    const spec = targetSpec(tool, await t.artikey.instance(id), options, environment);
    await t.artikey.configureTool(id, spec, { replaceReferences });
    expect(readFileSync(path, 'utf8')).not.toBe(before);
    const { removed, failed } = await t.artikey.unconfigureTool(id, (target) =>
      kindsOf(tool).includes(target.kind),
    );
    expect(failed).toEqual([]);
    // An entry written beside the tool's own (Poetry's repository, Cargo's registry) goes with it.
    expect(removed).toHaveLength(definitionFor(spec).companion ? 2 : 1);
    return readFileSync(path, 'utf8');
  }

  it('npm: a quoted registry and a quoted ${NPM_TOKEN} reference come back quoted', async () => {
    const registry = `${fake.url}/artifactory/api/npm/npm-old/`;
    const before = `registry = "${registry}"\n//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken="\${NPM_TOKEN}"  \nfund=false\n`;
    expect(
      await roundTrip('npm', '.npmrc', before, { repo: 'npm-virtual', setRegistry: true }, true),
    ).toBe(before);
  });

  it('npm: a single-quoted scope registry comes back as written', async () => {
    const before = `@acme:registry='${fake.url}/artifactory/api/npm/npm-old/'\r\n`;
    expect(await roundTrip('npm', '.npmrc', before, { repo: 'npm-virtual', scope: '@acme' })).toBe(
      before,
    );
  });

  it('pip: index_url with ":" and trailing spaces comes back as written', async () => {
    const before = `[global]\nindex_url:   https://pypi.example.com/simple/   \ntimeout = 60\n`;
    expect(await roundTrip('pip', '.config/pip/pip.conf', before, { repo: 'pypi-virtual' })).toBe(
      before,
    );
  });

  it("pypirc: the person's index-servers list, their sections and comments come back byte for byte", async () => {
    const before =
      '# twine\r\n[distutils]\r\nindex-servers =\r\n\tpypi\r\n\tcorp\r\n\r\n[corp]\r\nrepository: https://corp.example/upload\r\nusername = me\r\n; keep\r\n';
    expect(await roundTrip('pypirc', '.pypirc', before, { repo: 'pypi-local' })).toBe(before);
  });

  it("poetry: a user name Poetry kept for its keyring, in the person's quoting, comes back beside their comments", async () => {
    const before =
      "# creds\r\n[http-basic.other]\r\nusername = 'me' # keyring has the password\r\n[http-basic.demo]\r\nusername = 'old'\r\n";
    expect(
      await roundTrip('poetry', '.config/pypoetry/auth.toml', before, {
        repo: 'pypi-local',
        section: 'demo',
      }),
    ).toBe(before);
  });

  it("terraform: the person's comments, other hosts' blocks and heredocs in .terraformrc come back byte for byte", async () => {
    const before =
      '# mine\r\nplugin_cache_dir = "/tmp/tf" // cache\r\ncredentials "app.terraform.io" {\r\n  token = "xxxx.atlasv1.yyyy"\r\n}\r\n/* note */\r\nx = <<EOT\r\ncredentials "h" {\r\nEOT\r\ndisable_checkpoint = true';
    expect(
      await roundTrip('terraform', '.terraformrc', before, { repo: 'terraform-virtual' }),
    ).toBe(before);
  });

  it("sbt: the person's comments, realm spelling and escaped user for the host come back byte for byte", async () => {
    const host = new URL(fake.url).hostname;
    const before = `# sbt\r\nrealm : Artifactory Realm\r\nhost=${host}\r\nuser = b\\u00fcilder\r\n`;
    expect(await roundTrip('sbt', '.sbt/.credentials', before, { repo: 'sbt-virtual' })).toBe(
      before,
    );
  });

  it('gradle: escaped and continued values come back with their escapes and line breaks', async () => {
    const before = `artifactory_contextUrl=https\\://old.example.com/\\\n    artifactory\nartifactory_user = b\\u00fcilder\nartifactory_password=\${ART_TOKEN}\n`;
    expect(await roundTrip('gradle', '.gradle/gradle.properties', before, {}, true)).toBe(before);
  });

  it('maven: a reference spread over lines and a mirror of the same id come back as written', async () => {
    const before = `<settings>\n  <servers>\n    <server>\n      <id>artifactory-mirror</id>\n      <username>ci&#45;bot</username>\n      <password>\n        \${env.ART_TOKEN}\n      </password>\n    </server>\n  </servers>\n  <mirrors>\n    <mirror>\n      <id>artifactory-mirror</id>\n      <url>https://old.example.com/maven/</url>\n      <mirrorOf>central</mirrorOf>\n    </mirror>\n  </mirrors>\n</settings>\n`;
    expect(
      await roundTrip('maven', '.m2/settings.xml', before, { mirror: 'maven-virtual' }, true),
    ).toBe(before);
  });

  it("docker: the host's own credential helper (ecr-login) comes back, beside a credsStore", async () => {
    const host = new URL(fake.url).host;
    const before = `{\n\t"credsStore": "desktop",\n\t"credHelpers": {\n\t\t"${host}": "ecr-login",\n\t\t"gcr.io": "gcloud"\n\t}\n}`;
    expect(await roundTrip('docker', '.docker/config.json', before)).toBe(before);
  });

  it('docker: an escaped helper name, the only entry of its object, comes back as written', async () => {
    const host = new URL(fake.url).host;
    const before = `{"credHelpers": {"${host}": "desk\\u0074op"}}`;
    expect(await roundTrip('docker', '.docker/config.json', before)).toBe(before);
  });

  it("podman: the person's logins and another helper for the host in containers/auth.json come back as written", async () => {
    const before = `{\n\t"auths": {\n\t\t"quay.io": {\n\t\t\t"auth": "eDp5"\n\t\t}\n\t},\n\t"credHelpers": {\n\t\t"${fake.host}": "pass"\n\t}\n}\n`;
    expect(await roundTrip('podman', '.config/containers/auth.json', before)).toBe(before);
  });

  it('docker: an empty or null credHelpers the person wrote stays as written', async () => {
    const empty = `{\n  "credsStore": "desktop",\n  "credHelpers": {\n  }\n}\n`;
    expect(await roundTrip('docker', '.docker/config.json', empty)).toBe(empty);
    await t.vault.erase(id);
    t.cleanup();
    const none = `{"credHelpers": null, "credsStore": "desktop"}`;
    expect(await roundTrip('docker', '.docker/config.json', none)).toBe(none);
  });

  it("yarn: the person's comments, registries, quoted server and entry of the same registry stay as written", async () => {
    const key = `//${fake.host}/artifactory/api/npm/npm-virtual/`;
    const before = [
      '# my Yarn settings',
      "npmRegistryServer: 'https://registry.yarnpkg.com'   # the default",
      'npmRegistries:',
      '  # a registry of my own',
      '  "//npm.corp.example/":',
      '    npmAuthToken: "${CORP_TOKEN}"',
      `  ${JSON.stringify(key)}:`,
      '    npmAlwaysAuth: false # mine',
      'npmScopes:',
      '  acme:',
      `    npmRegistryServer: "${fake.url}/artifactory/api/npm/npm-old/"`,
      'enableTelemetry: false',
    ].join('\n');
    expect(
      await roundTrip('yarn', '.yarnrc.yml', before, { repo: 'npm-virtual', setRegistry: true }),
    ).toBe(before);
    await t.vault.erase(id);
    t.cleanup();
    expect(
      await roundTrip('yarn', '.yarnrc.yml', before, { repo: 'npm-virtual', scope: '@acme' }),
    ).toBe(before);
    await t.vault.erase(id);
    t.cleanup();
    const crlf = 'nodeLinker: node-modules\r\n\r\n# end\r\n';
    expect(
      await roundTrip('yarn', '.yarnrc.yml', crlf, { repo: 'npm-virtual', scope: 'other' }),
    ).toBe(crlf);
  });

  it('yarn: a token taken from ${NPM_TOKEN} comes back as the reference, with --replace-references', async () => {
    const key = `//${fake.host}/artifactory/api/npm/npm-virtual/`;
    const before = `npmRegistries:\n  ${JSON.stringify(key)}:\n    npmAuthToken: \${NPM_TOKEN}\n`;
    expect(await roundTrip('yarn', '.yarnrc.yml', before, { repo: 'npm-virtual' }, true)).toBe(
      before,
    );
  });
  it("helm: the person's comments, repositories, quoting, a flow list and a comment-only file stay as written", async () => {
    const before = [
      '# my chart repositories',
      'apiVersion: ""',
      "generated: '2024-05-01T10:00:00.123456789Z'",
      'repositories:',
      '- caFile: ""',
      '  name: "bitnami"   # public charts',
      '  url: https://charts.bitnami.com/bitnami',
      '  username: ""',
      "  password: ''",
    ].join('\n');
    const file = '.config/helm/repositories.yaml';
    expect(await roundTrip('helm', file, before, { repo: 'helm-virtual' })).toBe(before);
    await t.vault.erase(id);
    t.cleanup();
    const flow = 'apiVersion: v1\r\nrepositories: []\r\n';
    expect(await roundTrip('helm', file, flow, { repo: 'helm-virtual', name: 'art' })).toBe(flow);
    await t.vault.erase(id);
    t.cleanup();
    const comments = '# nothing yet\n';
    expect(await roundTrip('helm', file, comments, { repo: 'helm-virtual' })).toBe(comments);
  });

  it("bun: the person's registry, in their quoting, with a comment after it, comes back beside their scopes", async () => {
    const before = `# bun\n[install]\nregistry = 'https://registry.npmjs.org/'  # public\n\n[install.scopes]\n"@own" = { url = "https://npm.example.com/", token = "$OWN_TOKEN" }\n`;
    expect(await roundTrip('bun', '.bunfig.toml', before, { repo: 'npm-virtual' })).toBe(before);
  });

  it("uv: the person's indexes, quoting and comments in uv.toml come back byte for byte", async () => {
    const before = `# uv\n[[index]]\nname = "own"  # mine\nurl = 'https://pypi.example.com/simple'\n`;
    expect(await roundTrip('uv', '.config/uv/uv.toml', before, { repo: 'pypi-virtual', setRegistry: true })).toBe(before);
  });

  it("nuget: the BOM, CRLF, comments, the person's source of the same name and its %VAR% credentials come back byte for byte", async () => {
    const before =
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<configuration>\r\n  <!-- feeds -->\r\n' +
      '  <packageSources>\r\n    <clear/>\r\n    <add protocolVersion="3" key="Acme Feed" value="https://old.example/v3/index.json"/>\r\n  </packageSources>\r\n' +
      "  <packageSourceCredentials>\r\n    <Acme_x0020_Feed>\r\n      <add key='Username' value='%FEED_USER%'/>\r\n" +
      "      <add key='ClearTextPassword' value='%FEED_TOKEN%'/>\r\n    </Acme_x0020_Feed>\r\n  </packageSourceCredentials>\r\n</configuration>\r\n";
    expect(
      await roundTrip(
        'nuget',
        '.nuget/NuGet/NuGet.Config',
        before,
        { repo: 'nuget-virtual', sourceName: 'acme feed' },
        true,
      ),
    ).toBe(before);
  });

  it("jfrog: the person's servers, their default, tabs and CRLF come back byte for byte after --default", async () => {
    const before =
      '{\r\n\t"servers": [\r\n\t\t{\r\n\t\t\t"url": "https://other.example/",\r\n\t\t\t"accessToken": "own",\r\n\t\t\t"serverId": "corp",\r\n\t\t\t"isDefault": true\r\n\t\t}\r\n\t],\r\n\t"version": "6"\r\n}\r\n';
    expect(
      await roundTrip('jfrog', '.jfrog/jfrog-cli.conf.v6', before, { makeDefault: true }),
    ).toBe(before);
  });

  it("conan: the person's remotes, one of the same name with its own URL and flags, come back byte for byte", async () => {
    const before =
      '{\r\n\t"remotes": [\r\n\t\t{"name": "conancenter", "url": "https://center2.conan.io", "verify_ssl": true},\r\n\t\t{"name": "conan-local", "url": "https://old.example/c", "verify_ssl": false, "disabled": true, "allowed_packages": ["zlib/*"]}\r\n\t]\r\n}\r\n';
    expect(await roundTrip('conan', '.conan2/remotes.json', before, { repo: 'conan-local' })).toBe(
      before,
    );
  });
});

describe('unconfigure go restores the Go env file and .netrc exactly', () => {
  // Go sends .netrc credentials only over https, so Artikey configures go for https instances only.
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let id: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ tls: true });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    await t.vault.erase(id);
    t.cleanup();
  });

  it("go: the person's GOPROXY list, comments, CRLF line and a .netrc entry of another host come back byte for byte", async () => {
    t = testArtikey(fake);
    ({
      instance: { id },
    } = await logInAs(t.artikey, fake, DEMO_USER.name));
    const environment: Environment = { platform: 'linux', env: {}, home: t.home };
    const envFile = join(t.home, '.config', 'go', 'env');
    const netrcFile = join(t.home, '.netrc');
    const before = '# set by go env -w\r\nGOFLAGS=-mod=mod\nGOPROXY=https://proxy.golang.org|direct\nGONOSUMDB=old.example';
    const netrcBefore = 'machine github.com\n  login me\n  password mine\n';
    mkdirSync(dirname(envFile), { recursive: true });
    writeFileSync(envFile, before);
    writeFileSync(netrcFile, netrcBefore);
    const spec = targetSpec('go', await t.artikey.instance(id), { repo: 'go-virtual', noSumDb: 'corp.example/*', goPrivate: 'private.example' }, environment);
    await t.artikey.configureTool(id, spec);
    expect(readFileSync(envFile, 'utf8')).toBe(
      `# set by go env -w\r\nGOFLAGS=-mod=mod\nGOPROXY=${fake.url}/artifactory/api/go/go-virtual\nGONOSUMDB=corp.example/*\nGOPRIVATE=private.example`,
    );
    expect(readFileSync(netrcFile, 'utf8')).toContain(`machine ${new URL(fake.url).hostname}`);
    const { removed, failed } = await t.artikey.unconfigureTool(id, (target) => kindsOf('go').includes(target.kind));
    expect(failed).toEqual([]);
    expect(removed.map((r) => r.target.kind).sort()).toEqual(['go', 'netrc']);
    expect(readFileSync(envFile, 'utf8')).toBe(before);
    expect(readFileSync(netrcFile, 'utf8')).toBe(netrcBefore);
  });

  it('go configured again with other options: unconfigure still gives back the person\'s own GONOSUMDB and GOPRIVATE', async () => {
    // A second configure is a rewrite of the same entry; it used to leave the GONOSUMDB line the
    // first one wrote (and forget the person's) once the second named none.
    t = testArtikey(fake);
    ({
      instance: { id },
    } = await logInAs(t.artikey, fake, DEMO_USER.name));
    const environment: Environment = { platform: 'linux', env: {}, home: t.home };
    const envFile = join(t.home, '.config', 'go', 'env');
    const before = 'GOFLAGS=-mod=mod\nGONOSUMDB=mine.example\n';
    mkdirSync(dirname(envFile), { recursive: true });
    writeFileSync(envFile, before);
    const instance = await t.artikey.instance(id);
    await t.artikey.configureTool(id, targetSpec('go', instance, { repo: 'go-virtual', noSumDb: 'corp.example/*', goPrivate: 'private.example' }, environment));
    await t.artikey.configureTool(id, targetSpec('go', instance, { repo: 'go-virtual' }, environment));
    expect(readFileSync(envFile, 'utf8')).toBe(`GOFLAGS=-mod=mod\nGONOSUMDB=mine.example\nGOPROXY=${fake.url}/artifactory/api/go/go-virtual\n`);
    await t.artikey.configureTool(id, targetSpec('go', instance, { repo: 'go-virtual', noSumDb: 'other.example/*' }, environment));
    const { failed } = await t.artikey.unconfigureTool(id, (target) => kindsOf('go').includes(target.kind));
    expect(failed).toEqual([]);
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });
});
