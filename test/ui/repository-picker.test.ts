import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * The Tools panel offers each tool's repositories from the instance's server (issue 17): a picker,
 * virtual first, then remote and local, each with its type; the exact URL the file gets; the
 * choice remembered for the instance; free text with a note where the listing is refused (403).
 */
describe('the Tools panel: repositories from the server', { timeout: 120_000 }, () => {
  let ui: UiSession;
  let id = '';
  const npm = () => ui.page.locator('[data-tool-card="npm"]');
  const pip = () => ui.page.locator('[data-tool-card="pip"]');
  const card = (tool: string) => ui.page.locator(`[data-tool-card="${tool}"]`);
  const openTools = async () => {
    await ui.page.evaluate(`location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(id)}/tools`)}`);
    await npm().waitFor();
  };

  beforeAll(async () => {
    ui = await startUi();
    ({ id } = (await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name)).instance);
  });
  afterAll(async () => {
    if (ui) {
      if (id) await ui.artikey.vault.erase(id).catch(() => undefined);
      await ui.close();
    }
  });

  it('picks from the list, virtual first with types shown, shows the URL, writes it and remembers the choice', async () => {
    await openTools();
    const picker = pip().getByRole('combobox', { name: 'PyPI repository' });
    await picker.waitFor();
    expect(await picker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['Virtual', 'Remote', 'Local']);
    expect(await picker.locator('option').allTextContents()).toEqual([
      'pypi-virtual (virtual) — pypi-local and pypi-remote',
      'pypi-remote (remote) — Proxy of pypi.org',
      'pypi-local (local)',
    ]);
    expect(await picker.inputValue()).toBe('pypi-virtual');
    await picker.selectOption('pypi-local');
    const url = `${ui.fake.url}/artifactory/api/pypi/pypi-local/simple/`;
    await expect.poll(() => pip().getByTestId('pip-repo-url').textContent()).toContain(`Writes ${url}`);
    expect(await violations(ui)).toEqual([]);

    await pip().getByRole('button', { name: 'Set up pip' }).click();
    await pip().getByText(/^Done: pip/).waitFor();
    expect(readFileSync(join(ui.home, '.config', 'pip', 'pip.conf'), 'utf8')).toContain('/api/pypi/pypi-local/simple/');
    expect((await ui.artikey.artikey.repositories(id, 'pip')).remembered).toBe('pypi-local');

    // Opened again (a fresh page), the remembered repository is the one offered.
    await ui.open();
    await openTools();
    await expect.poll(() => pip().getByRole('combobox', { name: 'PyPI repository' }).inputValue()).toBe('pypi-local');
  });

  it('falls back to free text with the note when the user may not list repositories (403), still showing the URL', async () => {
    ui.fake.config.repositoryListForbidden = true;
    try {
      await ui.open();
      await openTools();
      const field = npm().getByRole('textbox', { name: 'npm repository' });
      await npm().getByText(/does not let alice list repositories \(403\)/).waitFor();
      await field.fill('team-npm');
      await expect.poll(() => npm().getByTestId('npm-repo-url').textContent()).toContain(`Writes ${ui.fake.url}/artifactory/api/npm/team-npm/`);
      expect(await field.getAttribute('aria-describedby')).toBe('npm-repo-note');
      expect(await violations(ui)).toEqual([]);
      await npm().getByRole('button', { name: 'Set up npm' }).click();
      await npm().getByText(/^Done: npm/).waitFor();
      expect(readFileSync(join(ui.home, '.npmrc'), 'utf8')).toContain('/api/npm/team-npm/:_authToken=');
    } finally {
      ui.fake.config.repositoryListForbidden = false;
    }
  });

  it('Docker and Gradle: the repository to use, not written, with how to use it; none by default, remembered once set up', async () => {
    await ui.open();
    await openTools();
    const docker = card('docker').getByRole('combobox', { name: 'Docker repository (optional)' });
    await docker.waitFor();
    expect(await docker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['Virtual', 'Remote', 'Local']);
    expect(await docker.locator('option').allTextContents()).toEqual([
      'None: name the repository in each image',
      'docker-virtual (virtual) — docker-local and docker-remote',
      'docker-remote (remote) — Proxy of Docker Hub',
      'docker-local (local) — Docker images built here',
    ]);
    expect(await docker.inputValue()).toBe('');
    await docker.selectOption('docker-virtual');
    await expect
      .poll(() => card('docker').getByTestId('docker-repo-url').textContent())
      .toContain(`How to use it (not written): docker pull ${ui.fake.host}/docker-virtual/<image>:<tag>`);

    const gradle = card('gradle').getByRole('combobox', { name: 'Gradle repository (optional)' });
    expect(await gradle.locator('option').allTextContents()).toEqual([
      'None: your build names the repository',
      'gradle-virtual (virtual) — gradle-local and gradle-remote',
      'gradle-remote (remote) — Proxy of Maven Central for Gradle',
      'gradle-local (local) — Gradle builds published here',
    ]);
    await gradle.selectOption('gradle-remote');
    await expect
      .poll(() => card('gradle').getByTestId('gradle-repo-url').textContent())
      .toContain('How to use it (not written), in build.gradle: url "${artifactory_contextUrl}/gradle-remote"');
    expect(await violations(ui)).toEqual([]);

    await card('docker').getByRole('button', { name: 'Set up Docker' }).click();
    await card('docker').getByText(/^Done: docker/).waitFor();
    await card('gradle').getByRole('button', { name: 'Set up Gradle' }).click();
    await card('gradle').getByText(/^Done: gradle/).waitFor();
    expect(readFileSync(join(ui.home, '.gradle', 'gradle.properties'), 'utf8')).not.toContain('gradle-remote');
    expect((await ui.artikey.artikey.repositories(id, 'docker')).remembered).toBe('docker-virtual');
    expect((await ui.artikey.artikey.repositories(id, 'gradle')).remembered).toBe('gradle-remote');

    await ui.open();
    await openTools();
    await expect.poll(() => card('docker').getByRole('combobox', { name: 'Docker repository (optional)' }).inputValue()).toBe('docker-virtual');
    await expect.poll(() => card('gradle').getByRole('combobox', { name: 'Gradle repository (optional)' }).inputValue()).toBe('gradle-remote');
  });

  it('Podman: the Docker repositories, how to pull with podman, and the helper entry in ~/.config/containers/auth.json', async () => {
    await ui.open();
    await openTools();
    const podman = card('podman').getByRole('combobox', { name: 'Docker repository (optional)' });
    await podman.waitFor();
    expect(await podman.locator('option').allTextContents()).toEqual([
      'None: name the repository in each image',
      'docker-virtual (virtual) — docker-local and docker-remote',
      'docker-remote (remote) — Proxy of Docker Hub',
      'docker-local (local) — Docker images built here',
    ]);
    // The Docker repository set up above: a choice is remembered per package type.
    expect(await podman.inputValue()).toBe('docker-virtual');
    await podman.selectOption('docker-local');
    await expect
      .poll(() => card('podman').getByTestId('podman-repo-url').textContent())
      .toContain(`How to use it (not written): podman pull ${ui.fake.host}/docker-local/<image>:<tag>`);
    expect(await violations(ui)).toEqual([]);
    await card('podman').getByRole('button', { name: 'Set up Podman' }).click();
    await card('podman').getByText(/^Done: podman: credHelpers/).waitFor();
    expect(JSON.parse(readFileSync(join(ui.home, '.config', 'containers', 'auth.json'), 'utf8'))).toEqual({
      credHelpers: { [ui.fake.host]: 'artikey' },
    });
    expect((await ui.artikey.artikey.repositories(id, 'podman')).remembered).toBe('docker-local');
  });

  it('twine uploads: local repositories first, then virtual, no remote ones; the section is written with the repository URL', async () => {
    await ui.open();
    await openTools();
    const picker = card('pypirc').getByRole('combobox', { name: 'PyPI repository to upload to' });
    await picker.waitFor();
    expect(await picker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['Local', 'Virtual']);
    expect(await picker.locator('option').allTextContents()).toEqual([
      'pypi-local (local)',
      'pypi-virtual (virtual) — pypi-local and pypi-remote',
    ]);
    const url = `${ui.fake.url}/artifactory/api/pypi/pypi-local`;
    await picker.selectOption('pypi-local');
    await expect.poll(() => card('pypirc').getByTestId('pypirc-repo-url').textContent()).toContain(`Writes ${url}`);
    expect(await violations(ui)).toEqual([]);
    await card('pypirc').getByRole('button', { name: 'Set up twine' }).click();
    await card('pypirc').getByText(/^Done: twine/).waitFor();
    expect(readFileSync(join(ui.home, '.pypirc'), 'utf8')).toContain(`repository = ${url}\n`);
  });

  it('Poetry publishes: the same upload list; set up writes the repository to config.toml and the credentials to auth.toml', async () => {
    await ui.open();
    await openTools();
    const picker = card('poetry').getByRole('combobox', { name: 'PyPI repository to publish to' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual([
      'pypi-local (local)',
      'pypi-virtual (virtual) — pypi-local and pypi-remote',
    ]);
    await picker.selectOption('pypi-local');
    expect(await violations(ui)).toEqual([]);
    await card('poetry').getByRole('button', { name: 'Set up Poetry' }).click();
    await card('poetry').getByText(/^Done: Poetry/).waitFor();
    const dir = join(ui.home, '.config', 'pypoetry');
    expect(readFileSync(join(dir, 'config.toml'), 'utf8')).toContain(`url = "${ui.fake.url}/artifactory/api/pypi/pypi-local"`);
    expect(readFileSync(join(dir, 'auth.toml'), 'utf8')).toMatch(/^\[http-basic\.[a-z0-9-]+\]\nusername = "alice"\npassword = "/);
  });

  it("Yarn: picks from the server's npm repositories, previews without the token, writes ~/.yarnrc.yml for a scope", async () => {
    await ui.open();
    await openTools();
    const yarn = card('yarn');
    const picker = yarn.getByRole('combobox', { name: "Yarn's npm repository" });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(await npm().getByRole('combobox', { name: 'npm repository' }).locator('option').allTextContents());
    expect(await picker.inputValue()).toBe('npm-virtual');
    const url = `${ui.fake.url}/artifactory/api/npm/npm-virtual/`;
    await expect.poll(() => yarn.getByTestId('yarn-repo-url').textContent()).toContain(`Writes ${url}`);
    await yarn.getByRole('textbox', { name: 'Yarn scope (optional)' }).fill('@acme');
    await yarn.getByRole('button', { name: 'Preview' }).click();
    await yarn.getByText('npmAuthToken: <token>').waitFor();
    expect(await violations(ui)).toEqual([]);

    await yarn.getByRole('button', { name: 'Set up Yarn' }).click();
    await yarn.getByText(/^Done: yarn/).waitFor();
    const written = readFileSync(join(ui.home, '.yarnrc.yml'), 'utf8');
    expect(written).toContain(`"//${ui.fake.host}/artifactory/api/npm/npm-virtual/":\n    npmAuthToken: `);
    expect(written).toContain(`npmScopes:\n  acme:\n    npmRegistryServer: ${url}`);
    expect((await ui.artikey.artikey.repositories(id, 'yarn')).remembered).toBe('npm-virtual');
  });

  it('Cargo: picks the cargo repository, shows the sparse index it writes, writes config.toml and credentials.toml, and removes both as one', async () => {
    await ui.open();
    await openTools();
    const cargo = card('cargo');
    const picker = cargo.getByRole('combobox', { name: 'Cargo repository' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['cargo-local (local) — Crates published here']);
    await expect.poll(() => picker.inputValue()).toBe('cargo-local');
    const index = `sparse+${ui.fake.url}/artifactory/api/cargo/cargo-local/index/`;
    await expect.poll(() => cargo.getByTestId('cargo-repo-url').textContent()).toContain(`Writes ${index}`);
    await cargo.getByRole('textbox', { name: 'Registry name' }).fill('acme');
    expect(await violations(ui)).toEqual([]);

    await cargo.getByRole('button', { name: 'Set up Cargo' }).click();
    await cargo.getByText(/^Done: cargo: registry acme/).waitFor();
    expect(readFileSync(join(ui.home, '.cargo', 'config.toml'), 'utf8')).toBe(`[registries.acme]\nindex = "${index}"\ncredential-provider = "cargo:token"\n`);
    expect(readFileSync(join(ui.home, '.cargo', 'credentials.toml'), 'utf8')).toMatch(/^\[registries\.acme\]\ntoken = "Bearer /);
    expect((await ui.artikey.artikey.repositories(id, 'cargo')).remembered).toBe('cargo-local');

    await ui.page.getByRole('button', { name: `Remove Cargo from ${join(ui.home, '.cargo', 'credentials.toml')}` }).click();
    // The registry goes first (it was written first), then its token: both, one after the other.
    await expect.poll(() => existsSync(join(ui.home, '.cargo', 'config.toml'))).toBe(false);
    await expect.poll(() => existsSync(join(ui.home, '.cargo', 'credentials.toml'))).toBe(false);
  });
  it("Helm: picks the helm repository, names the entry, previews without the token, writes repositories.yaml and says OCI goes through Docker's helper", async () => {
    await ui.open();
    await openTools();
    const helm = card('helm');
    const picker = helm.getByRole('combobox', { name: 'Helm repository' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['helm-virtual (virtual) — helm-local', 'helm-local (local) — Charts published here']);
    expect(await picker.inputValue()).toBe('helm-virtual');
    const url = `${ui.fake.url}/artifactory/api/helm/helm-virtual`;
    await expect.poll(() => helm.getByTestId('helm-repo-url').textContent()).toContain(`Writes ${url}`);
    await helm.getByText(/OCI registries \(oci:\/\/\) already use Docker’s credential helper/).waitFor();
    await helm.getByRole('textbox', { name: 'Repository name (optional)' }).fill('acme');
    await helm.getByRole('button', { name: 'Preview' }).click();
    await helm.getByText('password: <token>').waitFor();
    expect(await violations(ui)).toEqual([]);

    await helm.getByRole('button', { name: 'Set up Helm' }).click();
    await helm.getByText(/^Done: helm: repository acme/).waitFor();
    const file = join(ui.home, '.config', 'helm', 'repositories.yaml');
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: acme\n  url: ${url.replace(/[.]/g, '\\.')}\n  username: alice\n  password: `));
    expect((await ui.artikey.artikey.repositories(id, 'helm')).remembered).toBe('helm-virtual');

    await ui.page.getByRole('button', { name: `Remove Helm from ${file}` }).click();
    await expect.poll(() => existsSync(file)).toBe(false);
  });

  it("Bun: picks from the server's npm repositories, previews without the token, writes ~/.bunfig.toml for a scope", async () => {
    await ui.open();
    await openTools();
    const bun = card('bun');
    const picker = bun.getByRole('combobox', { name: "Bun's npm repository" });
    await picker.waitFor();
    await picker.selectOption('npm-virtual');
    const url = `${ui.fake.url}/artifactory/api/npm/npm-virtual/`;
    await expect.poll(() => bun.getByTestId('bun-repo-url').textContent()).toContain(`Writes ${url}`);
    await bun.getByRole('textbox', { name: 'Bun scope (optional)' }).fill('@acme');
    await bun.getByRole('button', { name: 'Preview' }).click();
    await bun.getByText(`"@acme" = { url = "${url}", token = "<token>" }`).waitFor();
    expect(await violations(ui)).toEqual([]);

    await bun.getByRole('button', { name: 'Set up Bun' }).click();
    await bun.getByText(/^Done: bun/).waitFor();
    expect(readFileSync(join(ui.home, '.bunfig.toml'), 'utf8')).toMatch(/^\[install\.scopes\]\n"@acme" = \{ url = "[^"]+", token = "[^"]+" \}\n$/);
    expect((await ui.artikey.artikey.repositories(id, 'bun')).remembered).toBe('npm-virtual');
  });

  it("uv: picks from the server's PyPI repositories, previews the [[index]] (no token in it), writes uv.toml and its .netrc entry", async () => {
    await ui.open();
    await openTools();
    const uv = card('uv');
    const picker = uv.getByRole('combobox', { name: "uv's PyPI repository" });
    await picker.waitFor();
    // The PyPI choice remembered from pip's test above is offered first; uv takes the virtual one.
    await picker.selectOption('pypi-virtual');
    const url = `${ui.fake.url}/artifactory/api/pypi/pypi-virtual/simple`;
    await expect.poll(() => uv.getByTestId('uv-repo-url').textContent()).toContain(`Writes ${url}`);
    await uv.getByRole('textbox', { name: 'Index name' }).fill('corp');
    await uv.getByRole('checkbox', { name: "Make it uv's default index (instead of PyPI)" }).check();
    await uv.getByRole('button', { name: 'Preview' }).click();
    await uv.getByText(`url = "${url}"`).waitFor();
    expect(await violations(ui)).toEqual([]);

    await uv.getByRole('button', { name: 'Set up uv' }).click();
    await uv.getByText(/^Done: uv/).waitFor();
    expect(readFileSync(join(ui.home, '.config', 'uv', 'uv.toml'), 'utf8')).toBe(`[[index]]\nname = "corp"\nurl = "${url}"\ndefault = true\n`);
    expect(readFileSync(join(ui.home, '.netrc'), 'utf8')).toMatch(/^machine 127\.0\.0\.1\n {2}login alice\n {2}password \S+\n$/);
    expect((await ui.artikey.artikey.repositories(id, 'uv')).remembered).toBe('pypi-virtual');
  });

  it('NuGet: picks the nuget repository, names the source, takes the v2 feed on request, previews without the token and writes NuGet.Config', async () => {
    await ui.open();
    await openTools();
    const nuget = card('nuget');
    const picker = nuget.getByRole('combobox', { name: 'NuGet repository' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['nuget-virtual (virtual) — nuget-remote', 'nuget-remote (remote) — Proxy of nuget.org']);
    await expect.poll(() => picker.inputValue()).toBe('nuget-virtual');
    await expect.poll(() => nuget.getByTestId('nuget-repo-url').textContent()).toContain(`Writes ${ui.fake.url}/artifactory/api/nuget/v3/nuget-virtual/index.json`);
    await nuget.getByRole('textbox', { name: 'Source name' }).fill('Acme Feed');
    await nuget.getByRole('radio', { name: /v2 feed/ }).check();
    // The line says what is written: the v2 feed, not the v3 service index.
    await expect.poll(() => nuget.getByTestId('nuget-repo-url').textContent()).toMatch(new RegExp(`Writes ${ui.fake.url}/artifactory/api/nuget/nuget-virtual\\s*$`));
    await nuget.getByRole('button', { name: 'Preview' }).click();
    await nuget.getByText('<add key="ClearTextPassword" value="<token>" />').waitFor();
    expect(await violations(ui)).toEqual([]);

    await nuget.getByRole('button', { name: 'Set up NuGet' }).click();
    await nuget.getByText(/^Done: nuget: source Acme Feed/).waitFor();
    const file = join(ui.home, '.nuget', 'NuGet', 'NuGet.Config');
    const written = readFileSync(file, 'utf8');
    expect(written).toContain(`<add key="Acme Feed" value="${ui.fake.url}/artifactory/api/nuget/nuget-virtual" />`);
    expect(written).toMatch(/<Acme_x0020_Feed>\n {6}<add key="Username" value="alice" \/>\n {6}<add key="ClearTextPassword" value="[^"<]+" \/>/);
    expect((await ui.artikey.artikey.repositories(id, 'nuget')).remembered).toBe('nuget-virtual');

    await ui.page.getByRole('button', { name: `Remove NuGet from ${file}` }).click();
    await expect.poll(() => existsSync(file)).toBe(false);
  });

  it('JFrog CLI: no repository, a server id and the default, previewed without the token, written to jfrog-cli.conf.v6 and removed', async () => {
    await ui.open();
    await openTools();
    const jfrog = card('jfrog');
    await jfrog.getByRole('textbox', { name: 'Server ID (optional)' }).fill('acme-ui');
    await jfrog.getByRole('checkbox', { name: "Make it jf's default server" }).check();
    await jfrog.getByRole('button', { name: 'Preview' }).click();
    await jfrog.getByText('"accessToken": "<token>"').waitFor();
    expect(await violations(ui)).toEqual([]);

    await jfrog.getByRole('button', { name: 'Set up JFrog CLI' }).click();
    await jfrog.getByText(/^Done: jfrog: server acme-ui/).waitFor();
    const file = join(ui.home, '.jfrog', 'jfrog-cli.conf.v6');
    const [server] = (JSON.parse(readFileSync(file, 'utf8')) as { servers: Record<string, unknown>[] }).servers;
    expect(server).toMatchObject({ serverId: 'acme-ui', url: `${ui.fake.url}/`, user: DEMO_USER.name, isDefault: true });
    expect(server?.['accessToken']).toBe(await ui.artikey.artikey.accessToken(id));

    await ui.page.getByRole('button', { name: `Remove JFrog CLI from ${file}` }).click();
    await expect.poll(() => existsSync(file)).toBe(false);
  });

  it('Conan: picks the conan repository, shows the remote URL, writes remotes.json and credentials.json, and removes both as one', async () => {
    await ui.open();
    await openTools();
    const conan = card('conan');
    const picker = conan.getByRole('combobox', { name: 'Conan repository' });
    await picker.waitFor();
    await expect.poll(() => picker.inputValue()).toBe('conan-local');
    const url = `${ui.fake.url}/artifactory/api/conan/conan-local`;
    await expect.poll(() => conan.getByTestId('conan-repo-url').textContent()).toContain(`Writes ${url}`);
    await conan.getByRole('textbox', { name: 'Remote name (optional)' }).fill('acme');
    expect(await violations(ui)).toEqual([]);

    await conan.getByRole('button', { name: 'Set up Conan' }).click();
    await conan.getByText(/^Done: conan: remote acme/).waitFor();
    const home = join(ui.home, '.conan2');
    expect(readFileSync(join(home, 'remotes.json'), 'utf8')).toContain(`"name": "acme",\n   "url": "${url}",\n   "verify_ssl": true`);
    const [entry] = (JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { credentials: Record<string, unknown>[] }).credentials;
    expect(entry).toEqual({ remote: 'acme', user: DEMO_USER.name, password: await ui.artikey.artikey.accessToken(id) });
    expect((await ui.artikey.artikey.repositories(id, 'conan')).remembered).toBe('conan-local');

    await ui.page.getByRole('button', { name: `Remove Conan from ${join(home, 'credentials.json')}` }).click();
    await expect.poll(() => existsSync(join(home, 'remotes.json'))).toBe(false);
    await expect.poll(() => existsSync(join(home, 'credentials.json'))).toBe(false);
  });

  it('Terraform: the terraform repositories for the module source (not written), a preview without the token, the credentials block in ~/.terraformrc', async () => {
    await ui.open();
    await openTools();
    const terraform = card('terraform');
    const picker = terraform.getByRole('combobox', { name: 'Terraform repository (optional)' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual([
      'None: your modules name the repository',
      'terraform-virtual (virtual) — terraform-local',
      'terraform-local (local) — Modules published here',
    ]);
    await picker.selectOption('terraform-virtual');
    await expect
      .poll(async () => (await terraform.getByTestId('terraform-repo-url').textContent())?.replace(/\s+/g, ' '))
      .toContain(`How to use it (not written), in a module block: source = "${ui.fake.host}/terraform-virtual__<namespace>/<name>/<provider>"`);
    await terraform.getByRole('button', { name: 'Preview' }).click();
    await terraform.getByText('token = "<token>"').waitFor();
    expect(await violations(ui)).toEqual([]);

    await terraform.getByRole('button', { name: 'Set up Terraform' }).click();
    await terraform.getByText(/^Done: terraform/).waitFor();
    expect(readFileSync(join(ui.home, '.terraformrc'), 'utf8')).toMatch(new RegExp(`^credentials "${ui.fake.host}" \\{\n  token = "[^"]+"\n\\}\n$`));
    expect((await ui.artikey.artikey.repositories(id, 'terraform')).remembered).toBe('terraform-virtual');
  });
  it('sbt: the sbt repositories for the resolver (not written), a preview without the token, realm, host, user and password in ~/.sbt/.credentials', async () => {
    await ui.open();
    await openTools();
    const sbt = card('sbt');
    const picker = sbt.getByRole('combobox', { name: 'sbt repository (optional)' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual([
      'None: your build names the repository',
      'sbt-virtual (virtual) — sbt-remote',
      'sbt-remote (remote) — Proxy of Maven Central for sbt',
    ]);
    await picker.selectOption('sbt-virtual');
    await expect
      .poll(async () => (await sbt.getByTestId('sbt-repo-url').textContent())?.replace(/\s+/g, ' '))
      .toContain(`How to use it (not written), in build.sbt: resolvers += "Artifactory" at "${ui.fake.url}/artifactory/sbt-virtual/"`);
    await sbt.getByRole('button', { name: 'Preview' }).click();
    await sbt.getByText('password=<token>').waitFor();
    expect(await violations(ui)).toEqual([]);

    await sbt.getByRole('button', { name: 'Set up sbt' }).click();
    await sbt.getByText(/^Done: sbt/).waitFor();
    expect(readFileSync(join(ui.home, '.sbt', '.credentials'), 'utf8')).toMatch(
      new RegExp(`^realm=Artifactory Realm\nhost=${new URL(ui.fake.url).hostname}\nuser=${DEMO_USER.name}\npassword=.+\n$`),
    );
    expect((await ui.artikey.artikey.repositories(id, 'sbt')).remembered).toBe('sbt-virtual');
  });
});
