import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './support/app.js';
import { closeApps, INSTANCE_NAME, loggedInHome, type LoggedIn } from './support/logged-in.js';

/**
 * The tray's instance actions on the built app: Docker login writes Docker's real config file,
 * Copy token puts the instance's token on the clipboard and takes it off 30 s later (unless the
 * person copied something else meanwhile), and each tells the person with a notification.
 */
let app: App | undefined;
let setup: LoggedIn | undefined;
afterEach(async () => {
  if (app) await closeApps([app]);
  await setup?.fake.stop();
  if (setup) rmSync(setup.home, { recursive: true, force: true });
  app = undefined;
  setup = undefined;
});

/** The app on a HOME logged in to the fake, once the tray lists the instance. */
async function launchLoggedIn(): Promise<{ app: App; setup: LoggedIn; item: string }> {
  setup = await loggedInHome();
  app = await App.launch({ home: setup.home, args: ['--hidden'] });
  const running = app;
  const item = await running.until('the tray to list the instance', () =>
    running.trayMenu().find((entry) => entry.label?.startsWith(`${INSTANCE_NAME} — `)),
  );
  return { app: running, setup, item: item.label ?? '' };
}

const notification = (app: App, title: string) =>
  app.waitFor('a notification', (r) => r.kind === 'notification' && r.title === title);

describe('the tray of the built app', () => {
  it('"Docker login" writes the credHelpers entry for the instance host and confirms it', async () => {
    const { app, setup, item } = await launchLoggedIn();
    // The app's clock is the wall clock, as the fake's and the CLI's: a 4-day token.
    expect(item).toMatch(/^acme — expires in [34] d$/);

    await app.command({ op: 'click-tray-item', path: [item, 'Docker login'] });

    expect(await notification(app, 'Docker is set up')).toMatchObject({
      body: expect.stringContaining("docker pull and push now use Artikey's token"),
    });
    const config = JSON.parse(readFileSync(join(setup.home, '.docker', 'config.json'), 'utf8')) as {
      credHelpers?: Record<string, string>;
    };
    expect(config.credHelpers).toEqual({ [setup.fake.host]: 'artikey' });
  });

  it('"Copy token" copies the current token and clears it after 30 s, but not what the person copied since', async () => {
    const { app, setup, item } = await launchLoggedIn();
    const token = await setup.token();
    const issued = setup.fake.tokens.find(token);
    expect(issued && !issued.revoked).toBe(true);

    await app.command({ op: 'click-tray-item', path: [item, 'Copy token'] });
    expect(await notification(app, 'Token copied')).toMatchObject({
      body: 'The clipboard is cleared in 30 seconds.',
    });
    expect(await app.command({ op: 'read-clipboard' })).toBe(token);
    await app.advance(29_000);
    expect(await app.command({ op: 'read-clipboard' })).toBe(token);
    await app.advance(2_000);
    expect(await app.command({ op: 'read-clipboard' })).toBe('');

    await app.command({ op: 'click-tray-item', path: [item, 'Copy token'] });
    await app.until('the second copy', () =>
      app
        .all('notification')
        .filter((n) => n.title === 'Token copied')
        .at(1),
    );
    expect(await app.command({ op: 'read-clipboard' })).toBe(token);
    await app.command({ op: 'write-clipboard', text: 'the person copied this' });
    await app.advance(31_000);
    expect(await app.command({ op: 'read-clipboard' })).toBe('the person copied this');
  });
});
