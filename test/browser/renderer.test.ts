import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { serveFolder } from '../support/static-server.js';

/** Debian's Chromium, never a downloaded browser; flags keep it off this machine's closed network. */
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

describe('renderer in real Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  let page: string;
  beforeAll(async () => {
    ensureBuilt();
    site = await serveFolder(`${root}dist/renderer`);
    page = site.url;
    browser = await chromium.launch(CHROMIUM);
  });
  afterAll(async () => {
    await browser.close();
    await site.stop();
  });

  it('shows the version the bridge reports', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await tab.addInitScript(() => {
      Object.defineProperty(globalThis, 'artikey', {
        value: {
          app: {
            info: () =>
              Promise.resolve({ ok: true, value: { name: 'Artikey', version: '9.9.9' } }),
          },
        },
      });
    });
    await tab.goto(page);
    await expect.poll(() => tab.getByRole('heading', { name: 'Artikey' }).isVisible()).toBe(true);
    await expect.poll(() => tab.getByTestId('version').textContent()).toBe('9.9.9');
    mkdirSync(`${root}test-results`, { recursive: true });
    await tab.screenshot({ path: `${root}test-results/renderer-home.png` });
    expect(errors, errors.join('\n')).toEqual([]);
    await context.close();
  });

  it('explains itself when opened without the desktop bridge', async () => {
    const tab = await browser.newPage();
    await tab.goto(page);
    await expect
      .poll(() => tab.getByRole('status').textContent())
      .toMatch(/bridge is not available/);
    await tab.close();
  });
});
