import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { App, processesMentioning, RENDERER_INDEX } from './support/app.js';

let app: App | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

describe('the built app, started cold', () => {
  it('loads the real renderer with the preload bridge, builds the tray after ready, and quits cleanly', async () => {
    app = await App.launch();
    const loaded = await app.waitFor(
      'the window to load',
      (r) => r.kind === 'window' && r.event === 'did-finish-load',
    );
    expect(loaded).toMatchObject({ url: `file://${RENDERER_INDEX}` });
    const page = await app.page();
    const instances = await page.evaluate(() =>
      (
        globalThis as unknown as { artikey: { instances: { list(): Promise<unknown> } } }
      ).artikey.instances.list(),
    );
    expect(instances).toEqual({ ok: true, value: [] });
    const kinds = app.records.map((r) => `${r.kind}:${'event' in r ? r.event : ''}`);
    expect(kinds.indexOf('app:ready')).toBeLessThan(kinds.indexOf('tray:created'));
    const exit = await app.quit();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(processesMentioning(app.home)).toEqual([]);
    expect(existsSync(app.home)).toBe(true);
  });
});
