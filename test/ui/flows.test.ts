import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { startUi, type UiSession } from './harness.js';

/**
 * Every flow a person goes through, by clicking and typing in the real renderer build, on the
 * real core with the fake Artifactory, the real keychain and a temp HOME. Each step waits for
 * what the page shows or for an event from main, never for a fixed time.
 */
describe('the window, end to end', () => {
  let ui: UiSession;
  let instanceId = '';
  const canaries = new Set<string>();

  /** Every secret Artikey holds right now joins the canaries the page must never see. */
  async function collectCanaries(): Promise<void> {
    for (const instance of await ui.artikey.artikey.list()) {
      canaries.add(await ui.artikey.artikey.accessToken(instance.id));
      const secrets = await ui.artikey.vault.read(instance.id).catch(() => null);
      if (secrets?.refreshToken) canaries.add(secrets.refreshToken);
    }
  }

  async function expectNoSecretInPage(): Promise<void> {
    await collectCanaries();
    const dom = await ui.page.content();
    const received = ui.results
      .filter((r) => r.method !== 'token.reveal')
      .map((r) => JSON.stringify(r.result))
      .join('\n');
    const events = JSON.stringify(ui.events);
    for (const canary of canaries) {
      expect(dom.includes(canary), 'a token reached the DOM').toBe(false);
      expect(received.includes(canary), 'a token reached an IPC result').toBe(false);
      expect(events.includes(canary), 'a token reached an event').toBe(false);
      expect(consoleText.includes(canary), 'a token reached the console').toBe(false);
    }
  }

  let consoleText = '';
  const page = () => ui.page;
  /** The screen itself; the live region repeats its messages for screen readers. */
  const main = () => ui.page.locator('#content');
  const nav = (name: string) =>
    ui.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const heading = (name: string | RegExp) => page().getByRole('heading', { level: 1, name });
  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
  const file = (relative: string) => join(ui.home, relative);
  const read = (relative: string) => readFileSync(file(relative), 'utf8');
  const row = () => page().locator(`[data-instance="${instanceId}"]`);

  beforeAll(async () => {
    ui = await startUi({ colorScheme: 'light', open: false });
    ui.page.on('console', (message) => (consoleText += `${message.text()}\n`));
    await ui.open();
  });
  afterAll(async () => {
    if (ui) {
      for (const instance of await ui.artikey.artikey.list().catch(() => []))
        await ui.artikey.vault.erase(instance.id).catch(() => undefined);
      await ui.close();
    }
  });

  it('starts empty and explains what Artikey does', async () => {
    await visible(page().getByRole('heading', { name: 'Log in once, stay logged in' }));
    await expect
      .poll(() =>
        page()
          .getByText(/keeps your JFrog Artifactory tokens/)
          .count(),
      )
      .toBe(1);
    await ui.screenshot('flow-overview-empty');
  });

  it('checks the address before asking main, and shows main’s error when the server is not there', async () => {
    await page().getByRole('link', { name: 'Add an instance' }).click();
    await visible(heading('Add an instance'));
    await page()
      .getByRole('radio', { name: /User name and password/ })
      .check();
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(main().getByText(/Enter the address of your Artifactory/));
    await expect
      .poll(() => page().evaluate('document.activeElement && document.activeElement.id'))
      .toBe('login-url');
    await page().getByLabel('Artifactory address').fill('http://127.0.0.1:1');
    await page().getByLabel('User name', { exact: true }).fill('alice');
    await page().getByLabel('Password', { exact: true }).fill('wrong');
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(page().getByRole('alert'));
    expect(await page().getByRole('alert').textContent()).toMatch(/127\.0\.0\.1:1/);
    expect(await ui.artikey.artikey.list()).toEqual([]);
  });

  it('logs in through the browser: shows the code, waits, and lands on the new instance', async () => {
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    await page()
      .getByRole('radio', { name: /Browser/ })
      .check();
    const from = ui.events.length;
    await page().getByRole('button', { name: 'Log in with browser' }).click();
    const prompt = await ui.waitForEvent('login.prompt', undefined, { from });
    await expect.poll(() => page().getByTestId('login-code').textContent()).toBe(prompt.code);
    await ui.screenshot('flow-login-waiting');
    await ui.approveBrowserLogin();
    await visible(page().getByRole('heading', { name: /^Logged in to / }));
    const [instance] = await ui.artikey.artikey.list();
    instanceId = instance!.id;
    expect(instance!.loginMethod).toBe('browser');
    await expectNoSecretInPage();
  });

  it('cancels a browser login that nobody approves', async () => {
    await page().getByRole('button', { name: 'Add another' }).click();
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    const from = ui.events.length;
    await page().getByRole('button', { name: 'Log in with browser' }).click();
    await ui.waitForEvent('login.prompt', undefined, { from });
    await page().getByRole('button', { name: 'Cancel login' }).click();
    await visible(main().getByText('The login was cancelled.'));
  });

  it('says so when nobody approves the browser login in time', async () => {
    const from = ui.events.length;
    await page().getByRole('button', { name: 'Log in with browser' }).click();
    await ui.waitForEvent('login.prompt', undefined, { from });
    // Once Artikey polls, five minutes pass on the server's clock; the next poll gives up.
    const polls = () => ui.fake.requests.list({ path: /jfrog_client_login\/token/ }).length;
    const before = polls();
    await expect.poll(polls).toBeGreaterThan(before);
    ui.fake.clock.advance(6 * 60);
    await visible(main().getByText('Nobody approved the login in time.'));
  });

  it('logs in with a user name and password', async () => {
    // A permissive server (token generation via the API with Basic enabled): this is the password form.
    ui.fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      ui.fake.config.allowBasicAuthTokenCreation = false;
    });
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    await page()
      .getByRole('radio', { name: /User name and password/ })
      .check();
    await page().getByLabel('User name', { exact: true }).fill(DEMO_USER.name);
    await page().getByLabel('Password', { exact: true }).fill(DEMO_USER.password);
    await page().getByLabel('Token lifetime').selectOption({ label: '1 day' });
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(page().getByRole('heading', { name: /^Logged in to / }));
    const instance = await ui.artikey.artikey.instance(instanceId);
    expect(instance.loginMethod).toBe('password');
    expect(instance.tokenLifetimeSeconds).toBe(86_400);
    expect(await page().content()).not.toContain(DEMO_USER.password);
    await expectNoSecretInPage();
  });

  it('logs in with a pasted token, and clears it from the form', async () => {
    const pasted = ui.fake.tokens.issue({
      username: 'alice',
      expiresIn: 3600,
      refreshable: true,
    }).jwt;
    canaries.add(pasted);
    await page().getByRole('button', { name: 'Add another' }).click();
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    await page()
      .getByRole('radio', { name: /Paste a token/ })
      .check();
    await page().getByLabel('Token', { exact: true }).fill('not a token');
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(main().getByText(/does not look like an Artifactory token/));
    await page().getByLabel('Token', { exact: true }).fill(pasted);
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(page().getByRole('heading', { name: /^Logged in to / }));
    expect((await ui.artikey.artikey.instance(instanceId)).loginMethod).toBe('access-token');
    await expectNoSecretInPage();
  });

  it('lists the instance with its status, countdown and tools, and filters it', async () => {
    await nav('Instances').click();
    await visible(row());
    await expect.poll(() => row().getByText('Active').count()).toBe(1);
    await expect.poll(() => row().textContent()).toMatch(/expires in \d/);
    await page().getByLabel('Filter instances').fill('no-such-thing');
    await visible(main().getByText(/No instance matches/));
    await page().getByLabel('Filter instances').fill('alice');
    await visible(row());
    await page().getByLabel('Filter instances').fill('');
  });

  it('shows the token in detail: scopes as chips, times, id, and the server’s token list', async () => {
    await row().getByRole('link').click();
    await visible(page().getByRole('heading', { name: 'Current token' }));
    const view = await ui.artikey.artikey.instance(instanceId);
    await visible(main().getByText(view.token.tokenId!, { exact: true }).first());
    await expect
      .poll(() => page().getByRole('list', { name: 'Scopes' }).textContent())
      .toMatch(/\S/);
    const tokens = page().locator('[data-token]');
    await expect.poll(() => tokens.count()).toBeGreaterThan(0);
    await visible(main().getByText("Artikey's current token"));
    await ui.screenshot('flow-instance-token', { fullPage: true });
  });

  it('refreshes on request and follows a refresh made elsewhere', async () => {
    const before = (await ui.artikey.artikey.instance(instanceId)).token.tokenId!;
    await page().getByRole('button', { name: 'Refresh now' }).click();
    await visible(main().getByText('The token was renewed.'));
    const afterClick = (await ui.artikey.artikey.instance(instanceId)).token.tokenId!;
    expect(afterClick).not.toBe(before);
    await visible(main().getByText(afterClick, { exact: true }).first());
    // The background engine (or the CLI) refreshes: main says so, the page shows the new id.
    ui.fake.clock.advance(60);
    const from = ui.events.length;
    await ui.artikey.artikey.refresh(instanceId);
    await ui.waitForEvent('instances.changed', (c) => c.reason === 'refresh', { from });
    const afterBackground = (await ui.artikey.artikey.instance(instanceId)).token.tokenId!;
    await visible(main().getByText(afterBackground, { exact: true }).first());
    await expectNoSecretInPage();
  });

  it('copies the token through main, which clears the clipboard later', async () => {
    await page().getByRole('button', { name: 'Copy token' }).click();
    await visible(main().getByText(/Token copied\. The clipboard is cleared in \d+ seconds\./));
    expect(ui.clipboard.text).toBe(await ui.artikey.artikey.accessToken(instanceId));
    await expectNoSecretInPage();
  });

  it('shows the token once, only after main’s dialog, and hides it again', async () => {
    const host = new URL(ui.fake.url).host;
    // The person says no in main's dialog: the page gets nothing and shows nothing.
    ui.dialogs.answer = false;
    let from = ui.calls.length;
    await page().getByRole('button', { name: 'Show token…' }).click();
    const declined = await ui.waitForCall('token.reveal', undefined, { from });
    expect(declined.result).toMatchObject({ ok: false, code: 'declined' });
    expect(ui.dialogs.asked.at(-1)?.message).toBe(`Show the token for ${host}?`);
    expect(await page().getByRole('textbox', { name: 'Token' }).count()).toBe(0);
    ui.dialogs.answer = true;
    from = ui.calls.length;
    await page().getByRole('button', { name: 'Show token…' }).click();
    await ui.waitForCall('token.reveal', undefined, { from });
    const shown = page().getByRole('textbox', { name: 'Token' });
    await visible(shown);
    expect(await shown.inputValue()).toBe(await ui.artikey.artikey.accessToken(instanceId));
    await page().getByRole('button', { name: 'Hide' }).click();
    await shown.waitFor({ state: 'detached' });
    await expectNoSecretInPage();
  });

  it('sees the expiry when the server’s clock passes it', async () => {
    const view = await ui.artikey.artikey.instance(instanceId);
    ui.fake.clock.set((view.token.expiresAt! + 120) * 1000);
    await ui.emit('instances.changed', { instanceId: null, reason: 'external' });
    await expect
      .poll(() => page().locator('[data-status]').first().getAttribute('data-status'))
      .toMatch(/expired|refresh-failing/);
    await ui.screenshot('flow-instance-expired');
    // Renewing brings it back, on a server that grants a refresh grace (none by default).
    ui.fake.config.refreshGraceSeconds = 86_400;
    try {
      await page().getByRole('button', { name: 'Refresh now' }).click();
      await expect
        .poll(() => page().locator('[data-status]').first().getAttribute('data-status'))
        .toBe('active');
    } finally {
      ui.fake.config.refreshGraceSeconds = 0;
    }
  });

  it('sees a revocation made on the server when it checks', async () => {
    const view = await ui.artikey.artikey.instance(instanceId);
    const record = ui.fake.tokens.byId(view.token.tokenId!);
    ui.fake.tokens.revoke(record!);
    await page().getByRole('button', { name: 'Check now' }).click();
    await expect
      .poll(() => page().locator('[data-status]').first().getAttribute('data-status'))
      .toBe('revoked');
    await expect.poll(() => page().getByTestId('revocation').textContent()).toBe('revoked');
    await nav('Instances').click();
    await expect.poll(() => row().getByText('Revoked').count()).toBe(1);
    // Log in again to go on.
    await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name);
    await expect.poll(() => row().getByText('Active').count()).toBe(1);
  });

  it('revokes another of the user’s tokens from the server list', async () => {
    const other = ui.fake.tokens.issue({
      username: 'alice',
      expiresIn: 86_400,
      refreshable: false,
      description: 'old CI token',
    });
    await row().getByRole('link').click();
    await page().getByRole('button', { name: 'Reload' }).click();
    const line = page().locator(`[data-token="${other.id}"]`);
    await visible(line);
    await line.getByRole('button', { name: /Revoke token old CI token/ }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await line.waitFor({ state: 'detached' });
    expect(ui.fake.tokens.byId(other.id)!.revoked).toBe(true);
  });

  it('sets up Docker in one click, and removes it again', async () => {
    await page()
      .getByRole('link', { name: /^Tools/ })
      .click();
    await visible(page().getByRole('heading', { name: 'Set up now' }));
    await page()
      .getByRole('button', { name: /^Docker login for / })
      .click();
    await visible(main().getByText(/Docker logs in through Artikey/));
    const config = JSON.parse(read('.docker/config.json')) as {
      credHelpers: Record<string, string>;
    };
    expect(config.credHelpers[ui.fake.host]).toBe('artikey');
    await ui.screenshot('flow-instance-tools', { fullPage: true });
    await page()
      .getByRole('button', { name: /Remove Docker from/ })
      .click();
    await expect
      .poll(() => (existsSync(file('.docker/config.json')) ? read('.docker/config.json') : ''))
      .not.toContain('artikey');
  });

  it('previews npm’s change with the token masked, then writes it, then removes it', async () => {
    const npm = page().locator('[data-tool-card="npm"]');
    // Picked from the instance's list, the virtual repository first.
    await expect.poll(() => npm.getByLabel('npm repository').inputValue()).toBe('npm-virtual');
    await npm.getByRole('button', { name: 'Preview' }).click();
    await visible(npm.locator('figure'));
    const diff = (await npm.locator('figure').textContent()) ?? '';
    expect(diff).toContain('npm-virtual');
    expect(diff).toContain('<token>');
    expect(existsSync(file('.npmrc'))).toBe(false);
    await npm.getByRole('button', { name: 'Set up npm' }).click();
    await visible(npm.getByText(/^Done: npm/));
    const token = await ui.artikey.artikey.accessToken(instanceId);
    expect(read('.npmrc')).toContain(`/api/npm/npm-virtual/:_authToken=${token}`);
    await page()
      .getByRole('button', { name: /Remove npm from/ })
      .click();
    await expect
      .poll(() => (existsSync(file('.npmrc')) ? read('.npmrc') : ''))
      .not.toContain(token);
    await expectNoSecretInPage();
  });

  it('writes Maven’s server and mirror, and removes them', async () => {
    const maven = page().locator('[data-tool-card="maven"]');
    await maven.getByLabel('Mirror repository (optional)').selectOption('libs-release');
    await maven.getByRole('button', { name: 'Set up Maven' }).click();
    await visible(maven.getByText(/^Done: maven/));
    const settings = read('.m2/settings.xml');
    expect(settings).toContain('<id>artifactory-mirror</id>');
    expect(settings).toContain('libs-release/');
    expect(settings).toContain(await ui.artikey.artikey.accessToken(instanceId));
    await page()
      .getByRole('button', { name: /Remove Maven from/ })
      .click();
    await expect
      .poll(() => (existsSync(file('.m2/settings.xml')) ? read('.m2/settings.xml') : ''))
      .not.toContain('artifactory-mirror');
  });

  it('finds an API key in a planted .npmrc and migrates it with a preview and a report', async () => {
    const apiKey = ui.fake.createApiKey('alice');
    canaries.add(apiKey);
    const registry = `//${ui.fake.host}/artifactory/api/npm/npm-virtual/`;
    mkdirSync(dirname(file('.npmrc')), { recursive: true });
    writeFileSync(file('.npmrc'), `# team\n${registry}:_authToken=${apiKey}\n`);
    await nav('Migrate').click();
    await page().getByRole('button', { name: 'Scan my files' }).click();
    const found = page().locator('tr[data-kind="api-key"]');
    await visible(found);
    expect(await found.textContent()).toMatch(/High/);
    await ui.screenshot('flow-migrate-found', { fullPage: true });
    await page().getByRole('button', { name: 'Preview migration' }).click();
    await visible(page().getByRole('heading', { name: /^Plan for / }));
    expect(read('.npmrc')).toContain(apiKey);
    await page().getByRole('button', { name: 'Migrate', exact: true }).click();
    await visible(page().getByTestId('migration-report'));
    expect(await page().getByTestId('migration-report').textContent()).toMatch(/1 replaced/);
    const npmrc = read('.npmrc');
    expect(npmrc).not.toContain(apiKey);
    expect(npmrc).toContain(await ui.artikey.artikey.accessToken(instanceId));
    expect(npmrc).toContain('# team');
    await expectNoSecretInPage();

    // The backup holding the old API key is listed, and deleted only after main's own dialog.
    const backup = page().getByRole('button', {
      name: /^Delete the backup .*\.npmrc\.artikey-backup-/,
    });
    await visible(backup);
    const path = ((await backup.getAttribute('aria-label')) ?? '').replace(
      'Delete the backup ',
      '',
    );
    expect(readFileSync(path, 'utf8')).toContain(apiKey);
    ui.dialogs.answer = false;
    await backup.click();
    await visible(page().getByText('You did not confirm; the backup is still there.'));
    expect(existsSync(path)).toBe(true);
    ui.dialogs.answer = true;
    await backup.click();
    await expect.poll(() => existsSync(path)).toBe(false);
    expect(ui.dialogs.asked.at(-1)?.message).toBe(`Delete this backup of ${file('.npmrc')}?`);
    ui.dialogs.answer = false;
    await expectNoSecretInPage();
  });

  it('changes settings and shows where secrets live', async () => {
    await nav('Settings').click();
    await visible(page().getByTestId('keychain'));
    expect(await page().getByTestId('keychain').textContent()).toBe(ui.artikey.artikey.keychain);
    await page().getByLabel('Lifetime of new tokens').selectOption({ label: '1 day' });
    await visible(main().getByText('Saved: token lifetime.'));
    expect((await ui.artikey.artikey.settings()).defaultTokenLifetimeSeconds).toBe(86_400);
    await page().getByLabel('Start Artikey in the tray when I log in').check();
    await visible(main().getByText('Saved: start at login.'));
    expect(ui.launchAtLogin.value).toBe(true);

    // A proxy and a CA bundle for this instance: the page proposes a proxy, main picks the CA file,
    // and main asks the person (its dialog names the host) before anything is saved.
    const host = new URL(ui.fake.url).host;
    const saved = () => {
      const state = JSON.parse(readFileSync(ui.artikey.stateFile, 'utf8')) as {
        instances: { id: string; proxy: string | null; caFile: string | null }[];
      };
      return state.instances.find((i) => i.id === instanceId)!;
    };
    const connection = page().locator('section.connection');
    await connection.getByLabel('Proxy').fill('not a proxy');
    await visible(main().getByText(/That is not a proxy address/));
    await connection.getByLabel('Proxy').fill('http://127.0.0.1:9');
    ui.dialogs.answer = false;
    let from = ui.calls.length;
    await connection.getByRole('button', { name: 'Save proxy…' }).click();
    await ui.waitForCall('instances.setConnection', undefined, { from });
    expect(ui.dialogs.asked.at(-1)?.message).toBe(
      `Send ${host}'s traffic through the proxy 127.0.0.1:9?`,
    );
    expect(saved().proxy).toBeNull();
    ui.dialogs.answer = true;
    await connection.getByRole('button', { name: 'Save proxy…' }).click();
    await visible(connection.getByText(/now goes through http:\/\/127\.0\.0\.1:9\.$/));
    expect(saved().proxy).toBe('http://127.0.0.1:9');

    // Main's picker returns a file; a bad one is refused by the core, a good one is trusted.
    ui.dialogs.pick = file('no-such-ca.pem');
    await connection.getByRole('button', { name: 'Choose CA bundle…' }).click();
    await visible(connection.locator('.alert.bad'));
    expect(saved().caFile).toBeNull();
    const caFile = file('corp-ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', {
      mode: 0o644,
    });
    ui.dialogs.pick = caFile;
    await connection.getByRole('button', { name: 'Choose CA bundle…' }).click();
    await visible(connection.getByText(/now trusts the chosen CA bundle\.$/));
    expect(ui.dialogs.asked.at(-1)?.message).toBe(`Trust this CA bundle for ${host}?`);
    expect(saved().caFile).toBe(caFile);
    expect(await connection.getByTestId('ca-file').textContent()).toBe(caFile);

    from = ui.calls.length;
    await connection.getByRole('button', { name: 'Stop trusting it…' }).click();
    await ui.waitForCall('instances.setConnection', undefined, { from });
    expect(saved().caFile).toBeNull();
    await connection.getByLabel('Proxy').fill('');
    await connection.getByRole('button', { name: 'Save proxy…' }).click();
    await visible(connection.getByText(/no longer uses a proxy\.$/));
    expect(saved().proxy).toBeNull();
    expect(ui.calls.some((c) => JSON.stringify(c.args).includes('caFile'))).toBe(false);
    await ui.screenshot('flow-settings', { fullPage: true });
  });

  it('lists logins, refreshes and failures in Activity', async () => {
    await nav('Activity').click();
    await visible(page().locator('tr[data-kind="login"]').first());
    await visible(page().locator('tr[data-kind="refresh"]').first());
    await ui.screenshot('flow-activity', { fullPage: true });
    await expectNoSecretInPage();
  });

  it('goes where main sends it (links, tray, notifications) and opens the instance’s page', async () => {
    // A link's address is shown as such and not used until the person confirms it.
    await ui.emit('navigate', { to: 'login', url: 'http://acme.example.com/' });
    await visible(heading('Add an instance'));
    expect(await page().getByLabel('Artifactory address').inputValue()).toBe(
      'http://acme.example.com/',
    );
    const origin = page().getByTestId('link-origin');
    await visible(origin);
    expect(await origin.textContent()).toContain('This address came from a link: acme.example.com');
    await page()
      .getByRole('radio', { name: /User name and password/ })
      .check();
    await visible(
      page().getByText(/Your password goes to acme\.example\.com over plain http:\/\//),
    );
    await page().getByLabel('User name', { exact: true }).fill(DEMO_USER.name);
    await page().getByLabel('Password', { exact: true }).fill(DEMO_USER.password);
    const before = ui.calls.length;
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(main().getByText(/Confirm this is your Artifactory’s address/));
    expect(await page().evaluate('document.activeElement && document.activeElement.id')).toBe(
      'login-link',
    );
    expect(ui.calls.slice(before).some((c) => c.method.startsWith('login.'))).toBe(false);
    // Typing the address oneself makes it the person's own: the note goes.
    await page().getByLabel('Artifactory address').fill('http://acme.example.com/artifactory');
    await origin.waitFor({ state: 'detached' });

    await ui.emit('navigate', { to: 'login', url: ui.fake.url });
    await expect
      .poll(() => page().getByLabel('Artifactory address').inputValue())
      .toBe(ui.fake.url);
    await visible(page().getByTestId('link-origin'));
    await page()
      .getByRole('radio', { name: /User name and password/ })
      .check();
    // A loopback address over http is this machine: no warning about the network.
    expect(await page().getByTestId('plain-http').count()).toBe(0);
    await page().getByLabel('This is my Artifactory’s address').check();
    await page().getByRole('button', { name: 'Log in', exact: true }).click();
    await visible(main().getByText('Enter your user name.'));
    expect(
      await main()
        .getByText(/Confirm this is your Artifactory’s address/)
        .count(),
    ).toBe(0);
    await ui.emit('navigate', { to: 'settings' });
    await visible(heading('Settings'));
    await ui.emit('navigate', { to: 'instance', instanceId });
    await visible(page().getByRole('heading', { name: 'Current token' }));
    await page().getByRole('button', { name: 'Rename' }).click();
    await page().getByLabel('New name').fill('Acme prod');
    await page().getByRole('button', { name: 'Save' }).click();
    await visible(heading('Acme prod'));
    expect((await ui.artikey.artikey.instance(instanceId)).name).toBe('Acme prod');
    const from = ui.calls.length;
    await page().getByRole('button', { name: 'Open in browser' }).click();
    const opened = await ui.waitForCall('instances.openInBrowser', undefined, { from });
    expect(opened.result).toEqual({ ok: true, value: null });
    await expect
      .poll(() => page().getByTestId('instance-message').textContent())
      .toMatch(/^Opened .* in your browser\.$/);
    expect(ui.openedUrls).toContain((await ui.artikey.artikey.instance(instanceId)).platformUrl);
  });

  it('logs out: revokes, removes the token from tool files, forgets the instance', async () => {
    const token = await ui.artikey.artikey.accessToken(instanceId);
    const tokenId = (await ui.artikey.artikey.instance(instanceId)).token.tokenId!;
    await nav('Instances').click();
    await row().getByRole('link').click();
    await page().getByRole('button', { name: 'Log out…' }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Log out' }).click();
    await visible(page().getByRole('heading', { name: 'Log in once, stay logged in' }));
    expect(await ui.artikey.artikey.list()).toEqual([]);
    expect(read('.npmrc')).not.toContain(token);
    expect(ui.fake.tokens.byId(tokenId)!.revoked).toBe(true);
    await expectNoSecretInPage();
    expect(ui.errors).toEqual([]);
  });
});
