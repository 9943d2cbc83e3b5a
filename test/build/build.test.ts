import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { testService } from '../support/keychain.js';

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
      execFileSync(process.execPath, [`${root}dist/cli/docker-credential-artikey.cjs`, 'version'], {
        encoding: 'utf8',
      }),
    ).toContain(pkg.version);
  });

  it('keeps the helper working for launchers installed before it became CommonJS', () => {
    // "Install command-line tools" wrote launchers naming docker-credential-artikey.js; an app
    // update must not break `docker pull` until they are installed again.
    expect(
      execFileSync(process.execPath, [`${root}dist/cli/docker-credential-artikey.js`, 'version'], {
        encoding: 'utf8',
      }),
    ).toBe(`docker-credential-artikey ${pkg.version}\n`);
  });

  /** The files a Node process loaded through require (CommonJS and addons), as it exits. */
  const requiredFiles = (args: string[], env: NodeJS.ProcessEnv, input = ''): string[] => {
    const folder = mkdtempSync(join(tmpdir(), 'artikey-required-'));
    try {
      const preload = join(folder, 'report.cjs');
      const report = join(folder, 'required.json');
      writeFileSync(
        preload,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));\n`,
      );
      // Not execFileSync: a `get` Artikey cannot serve exits 1 by design.
      spawnSync(process.execPath, ['--require', preload, ...args], {
        env: { ...env, HOME: folder, XDG_CONFIG_HOME: join(folder, 'config') },
        input,
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      return (JSON.parse(readFileSync(report, 'utf8')) as string[]).filter(
        (file) => file !== preload,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };

  it("gives the Docker helper's get one CommonJS file to load, without Node's ESM loader", () => {
    // Docker runs `get` for every pull; each file costs Node a resolve and a read, an ES module
    // its loader too, which made `get` about 2x `node -e 0` (issue 17); the timing itself is in
    // npm run bench. Without an agent, for a host Artikey does not serve: the helper alone.
    expect(pkg.bin['docker-credential-artikey']).toBe('dist/cli/docker-credential-artikey.cjs');
    const helper = `${root}dist/cli/docker-credential-artikey.cjs`;
    expect(requiredFiles([helper, 'get'], {}, 'registry.example.com')).toEqual([helper]);
  });

  it("loads the keychain addon from the platform's package, without the package's loader", () => {
    // @napi-rs/keyring's index.js reads /usr/bin/ldd and tries absent files first (4 ms a `get`).
    const abi =
      ({ linux: '-gnu', win32: '-msvc' } as Record<string, string>)[process.platform] ?? '';
    const platformPackage = `${root}node_modules/@napi-rs/keyring-${process.platform}-${process.arch}${abi}`;
    const core = `${root}dist/cli/docker-credential-artikey-core.cjs`;
    const script = `import(${JSON.stringify(core)}).then((core) => core.createArtikey().checkKeychain())`;
    const loaded = requiredFiles(['-e', script], {
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      ARTIKEY_KEYCHAIN_SERVICE: testService(),
    });
    expect(loaded.filter((file) => file.endsWith('.node'))).toHaveLength(1);
    if (existsSync(platformPackage))
      expect(loaded.filter((file) => /keyring[/\\]index\.js$/.test(file))).toEqual([]);
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
  let folder: string;
  let mirror: Server;
  const requested: string[] = [];

  /**
   * start.mjs in a copy of the project's shape (the real script and the real electron package
   * with its installer's dependencies), so a download, had it worked, would land in the copy,
   * never in the checkout's node_modules. The build step is a stand-in: the build has its own
   * tests, and rebuilding dist/ here would pull it from under test files running alongside.
   */
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-start-'));
    mkdirSync(join(folder, 'build', 'scripts'), { recursive: true });
    cpSync(`${root}build/scripts/start.mjs`, join(folder, 'build', 'scripts', 'start.mjs'));
    writeFileSync(
      join(folder, 'build', 'scripts', 'build.mjs'),
      "process.stdout.write('built (stand-in)\\n');\n",
    );
    const electron = join(folder, 'node_modules', 'electron');
    cpSync(`${root}node_modules/electron`, electron, {
      recursive: true,
      filter: (source) => !source.includes('/electron/node_modules'),
    });
    const manifest = JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) {
      mkdirSync(dirname(join(folder, 'node_modules', name)), { recursive: true });
      symlinkSync(`${root}node_modules/${name}`, join(folder, 'node_modules', name));
    }
    // The mirror: on loopback, and it has no Electron.
    mirror = createServer((request, response) => {
      requested.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => mirror.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails with a short message that points at npm run preview and the CLI, not a stack trace', async () => {
    const { port } = mirror.address() as AddressInfo;
    // Nothing of the caller's Electron settings (a mirror, a proxy, a cache) may apply.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/electron/i.test(name)),
    );
    const start = spawn(process.execPath, [join(folder, 'build', 'scripts', 'start.mjs')], {
      env: {
        ...env,
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: join(folder, 'electron-cache'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    start.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [status] = (await once(start, 'close')) as [number | null];

    expect(stdout).toContain('built (stand-in)');
    expect(requested).toEqual([expect.stringMatching(/\/electron-v[\d.]+-[\w]+-[\w]+\.zip$/)]);
    expect(status).toBe(1);
    expect(output).toMatch(/^artikey: the Electron runtime could not be downloaded/);
    expect(output).toMatch(/cause: .*404/);
    expect(output).toContain('npm run preview');
    expect(output).toContain('node dist/cli/artikey.js --help');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output.split('\n').length).toBeLessThan(10);
    expect(existsSync(join(folder, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  });
});
