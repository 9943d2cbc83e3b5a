/**
 * The window's budgets, measured in Debian's Chromium with the Performance API: the renderer's
 * gzipped JavaScript, the first render of 1,000 instances, a filter keystroke, and what the
 * countdown touches while it ticks. The bridge is a stand-in that answers from memory, so the
 * figures are the page's own cost. Prints one JSON line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../../test/support/chromium.js';
import { serveFolder } from '../../test/support/static-server.js';

const root = new URL('../..', import.meta.url).pathname;
const assets = join(root, 'dist/renderer/assets');
const gzipped = (ext: string) =>
  readdirSync(assets)
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);

/**
 * Polls an expression in the page. (waitForFunction with a string compiles it in the page,
 * which the renderer's CSP rightly refuses; evaluate goes through the debugger protocol.)
 */
async function until(page: Page, expression: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 10) {
    if (await page.evaluate(expression)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${expression}`);
}

const COUNT = Number(process.env['BENCH_INSTANCES'] ?? 1000);
const site = await serveFolder(join(root, 'dist/renderer'));
const browser = await chromium.launch(CHROMIUM);
try {
  const renders: number[] = [];
  const keystrokes: number[] = [];
  const latencies: number[] = [];
  const layouts: number[] = [];
  let tick = { rowsAdded: 0, rowsRemoved: 0, textUpdates: 0, seconds: 0 };
  // One warm-up load (Chromium's first page pays for its caches), then nine measured ones.
  for (let run = -1; run < 9; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.addInitScript({ path: join(root, 'build/bench/renderer-page.js') });
    await page.addInitScript(`window.__benchStandIn(${COUNT})`);
    await page.goto(site.url);
    await until(page, 'window.__bench.rowsLaidOut');
    if (run >= 0) {
      renders.push(
        Number(await page.evaluate('window.__bench.rowsLaidOut - window.__bench.listDelivered')),
      );
      layouts.push(
        Number(await page.evaluate('window.__bench.rowsLaidOut - window.__bench.rowsInserted')),
      );
    }
    if (run === 0) {
      // Real key presses, as a person types and corrects a filter.
      await page.evaluate('window.__benchWatchKeystrokes()');
      const keys = [
        ...'team-01',
        ...Array(3).fill('Backspace'),
        ...' prod',
        ...Array(9).fill('Backspace'),
      ];
      // One key at a time, each measured alone, at a brisk typist's pace.
      for (const [index, key] of keys.entries()) {
        await page.keyboard.press(key);
        await until(page, `window.__keystrokes.work.length > ${index}`);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      const typed = (await page.evaluate('window.__keystrokes')) as {
        work: number[];
        latency: number[];
      };
      keystrokes.push(...typed.work);
      latencies.push(...typed.latency);
      tick = (await page.evaluate('window.__benchTicks(3.2)')) as typeof tick;
    }
    await page.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({
      jsGzipKb: +(gzipped('.js') / 1024).toFixed(1),
      cssGzipKb: +(gzipped('.css') / 1024).toFixed(1),
      instances: COUNT,
      firstRenderMs: +median(renders).toFixed(1),
      firstRenderRuns: renders.map((r) => +r.toFixed(1)),
      firstLayoutMs: +median(layouts).toFixed(1),
      keystrokes: keystrokes.length,
      keystrokeMedianMs: +median(keystrokes).toFixed(1),
      keystrokeMaxMs: +Math.max(...keystrokes).toFixed(1),
      keyToLayoutMedianMs: +median(latencies).toFixed(1),
      tick,
    })}\n`,
  );
} finally {
  await browser.close();
  await site.stop();
}
