import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  main: string;
};

describe('npm run build', () => {
  beforeAll(() => ensureBuilt());

  it('bundles the preload into one CommonJS file that requires only electron', () => {
    const preload = readFileSync(`${root}dist/preload/index.cjs`, 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('artikey:');
    expect(preload).toContain('instances.list');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);
  });

  it('points package.json main and bin at the built files, executable', () => {
    expect(statSync(`${root}${pkg.main}`).isFile()).toBe(true);
    for (const file of Object.values(pkg.bin)) {
      expect(statSync(`${root}${file}`).mode & 0o111).not.toBe(0);
      expect(readFileSync(`${root}${file}`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
  });

  it('runs the CLI with plain node', () => {
    expect(
      execFileSync(process.execPath, [`${root}dist/cli/artikey.js`, '--version'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe(pkg.version);
    expect(
      execFileSync(process.execPath, [`${root}dist/cli/artikey.js`, '--help'], {
        encoding: 'utf8',
      }),
    ).toContain('Examples:');
    expect(
      execFileSync(process.execPath, [`${root}dist/cli/docker-credential-artikey.js`, 'version'], {
        encoding: 'utf8',
      }),
    ).toContain(pkg.version);
  });

  it('builds the renderer with relative asset URLs and a strict CSP', () => {
    const html = readFileSync(`${root}dist/renderer/index.html`, 'utf8');
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
    expect(html).toContain("script-src 'self'");
    expect(html).not.toMatch(/unsafe-eval|unsafe-inline/);
  });

  it('has a packaging config that electron-builder itself accepts', async () => {
    // The schema check `npm run dist` starts with; app-builder-lib comes with electron-builder.
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const config = JSON.parse(readFileSync(`${root}build/electron-builder.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt: Record<string, unknown> = { ...config, notAnOption: true };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(
      /configuration/,
    );
  });
});

describe('npm start without the Electron runtime', () => {
  it('fails with a short message that points at the CLI and the demo, not a stack trace', () => {
    let output = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [`${root}build/scripts/start.mjs`], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: {
          ...process.env,
          ELECTRON_GET_USE_PROXY: '',
          electron_config_cache: `${root}node_modules/.cache/electron-test-empty`,
        },
      });
    } catch (error) {
      const failure = error as { status: number; stderr: string };
      status = failure.status;
      output = failure.stderr;
    }
    expect(status).toBe(1);
    expect(output).toMatch(/^artikey: the Electron runtime could not be downloaded/);
    expect(output).toContain('node dist/cli/artikey.js --help');
    expect(output).toContain('npm run demo');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output.split('\n').length).toBeLessThan(10);
  });
});
