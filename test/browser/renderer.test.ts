import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { CHROMIUM } from '../support/chromium.js';
import { serveFolder } from '../support/static-server.js';

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

  it('is the production build of Svelte, whoever built it', () => {
    // Svelte's development build names every component's source file; production names none.
    const assets = `${root}dist/renderer/assets`;
    for (const file of readdirSync(assets).filter((f) => f.endsWith('.js')))
      expect(readFileSync(`${assets}/${file}`, 'utf8')).not.toMatch(/src\/\w+\.svelte/);
  });

  it('explains itself when opened without the desktop bridge', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await tab.goto(page);
    await expect
      .poll(() => tab.getByRole('status').textContent())
      .toMatch(/bridge is not available/);
    // The page's strict CSP allows everything the renderer does: nothing was refused.
    expect(errors, errors.join('\n')).toEqual([]);
    await tab.close();
  });
});
