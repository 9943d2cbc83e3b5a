import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';

/** `npm run preview -- --once`, headless, as a child process: starts, renders, saves, stops. */
describe('npm run preview', () => {
  const folder = mkdtempSync(join(tmpdir(), 'artikey-preview-test-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts headless, saves a screenshot of the first instance list and exits 0', async () => {
    // Built here, not by the preview: another test may be reading dist/ meanwhile.
    ensureBuilt();
    const screenshot = join(folder, 'preview.png');
    const child = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        'test/ui/preview.ts',
        '--once',
        '--headless',
        '--no-build',
        '--port',
        '0',
        '--screenshot',
        screenshot,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGTERM'), 90_000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });

    expect(code, output).toBe(0);
    expect(output).toMatch(/Fake Artifactory "Demo": +http:\/\/127\.0\.0\.1:\d+\//);
    expect(output).toContain('alice / alice-demo-password');
    expect(existsSync(screenshot), output).toBe(true);
    // A PNG, and not an empty one.
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(1000);
    // Everything it made is gone: the temp HOME it printed no longer exists.
    const home = /HOME: +(\S+)/.exec(output)?.[1];
    expect(home, output).toBeTruthy();
    expect(existsSync(home ?? '')).toBe(false);
  }, 120_000);
});
