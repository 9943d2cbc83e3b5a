import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';
import { trayIconFile } from '../../electron/main/tray-view.js';
import {
  appFiles,
  config,
  extraResourceFiles,
  packageFiles,
  productionPackages,
  shipped,
  TRAY_STATES,
  unpacked,
  walk,
} from '../support/electron-builder.js';

/**
 * electron-builder cannot run here (it needs the Electron runtime), so its configuration is
 * checked the way it would read it: against its own JSON schema, every file it refers to, and
 * the file set its `files` patterns select from the real build.
 */

/** The four files each tray state needs, at their sizes. */
const TRAY_SIZES: Record<string, number> = { '': 32, '@2x': 64, Template: 16, 'Template@2x': 32 };
const trayFiles = TRAY_STATES.flatMap((state) =>
  Object.keys(TRAY_SIZES).map((suffix) => `${state}${suffix}.png`),
);

/** Width, height and RGBA pixels of a PNG as make-icons.mjs writes it: 8-bit RGBA, unfiltered. */
function readPng(path: string): { width: number; height: number; rgba: Buffer } {
  const data = readFileSync(path);
  expect(data.subarray(0, 8).toString('hex'), `${path} is a PNG`).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8, 10)], `${path} is 8-bit RGBA`).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)], `${path}: unfiltered rows`).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('packaging configuration (build/electron-builder.json)', () => {
  it('is accepted by electron-builder’s own schema', () => {
    const schema = JSON.parse(
      readFileSync(`${root}node_modules/app-builder-lib/scheme.json`, 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema is strict enough to catch a misspelt option.
    expect(validate({ ...config, linux: { ...config.linux, targets: ['AppImage'] } })).toBe(false);
  });

  it('names the app and registers the artikey:// login links, and no file types', () => {
    expect(config).toMatchObject({ appId: 'dev.artikey.app', productName: 'Artikey', asar: true });
    expect(config.protocols).toEqual([{ name: 'Artikey login link', schemes: ['artikey'] }]);
    expect(config.fileAssociations).toBeUndefined();
    // The keychain's native addon cannot be loaded from inside the asar archive.
    expect(config.asarUnpack).toEqual(['node_modules/@napi-rs/keyring*/**']);
  });

  it('builds AppImage and deb on Linux, without taking the command-line tool’s name', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    // package.json's bin puts `artikey` on the PATH; the app's binary must not shadow it.
    expect(config.linux.executableName).toBe('artikey-desktop');
    expect(config.linux.maintainer).toMatch(/^.+ <[^@\s>]+@[^\s>]+>$/);
    expect(config.linux.synopsis?.length).toBeGreaterThan(10);
  });

  it('builds a universal, hardened dmg on macOS, notarised when Apple credentials are set', async () => {
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config.mac.hardenedRuntime).toBe(true);
    // electron-builder's own notarisation, no afterSign hook: it reads the credentials from the
    // environment, skips with a warning when there are none, and stops when they are partial.
    expect(config.mac.notarize).toBe(true);
    expect(config.afterSign).toBeUndefined();
    const { MacTargetHelper } = createRequire(import.meta.url)(
      'app-builder-lib/out/mac/MacTargetHelper.js',
    ) as { MacTargetHelper: { getNotarizeOptions(app: string): unknown } };
    const apple = (): string[] => Object.keys(process.env).filter((n) => n.startsWith('APPLE_'));
    const saved = Object.fromEntries(apple().map((name) => [name, process.env[name]]));
    try {
      for (const name of apple()) delete process.env[name];
      expect(MacTargetHelper.getNotarizeOptions('/tmp/Artikey.app')).toBeUndefined();
      Object.assign(process.env, {
        APPLE_API_KEY: '/keys/AuthKey.p8',
        APPLE_API_KEY_ID: 'KEYID',
        APPLE_API_ISSUER: 'issuer',
      });
      expect(MacTargetHelper.getNotarizeOptions('/tmp/Artikey.app')).toMatchObject({
        tool: 'notarytool',
        appleApiKeyId: 'KEYID',
      });
      delete process.env['APPLE_API_ISSUER'];
      expect(() => MacTargetHelper.getNotarizeOptions('/tmp/Artikey.app')).toThrow(/APPLE_API/);
    } finally {
      for (const name of apple()) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('builds a per-user NSIS installer with a choice of folder on Windows', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
  });

  it('grants macOS only the JIT entitlement V8 needs, in a well-formed plist', () => {
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    const plist = readFileSync(`${root}${config.mac.entitlements}`, 'utf8');
    expect(plist).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1.0\/\/EN" "http:\/\/www.apple.com\/DTDs\/PropertyList-1.0.dtd">\s*<plist version="1.0">\s*<dict>[\s\S]*<\/dict>\s*<\/plist>\s*$/,
    );
    const body = plist
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/^[\s\S]*<dict>|<\/dict>[\s\S]*$/g, '')
      .replace(/\s+/g, '');
    expect(body).toBe('<key>com.apple.security.cs.allow-jit</key><true/>');
  });

  it('refers only to files that exist: icon, entitlements, tray images', () => {
    const referenced = [
      config.icon ?? `${config.directories.buildResources}/icon.png`,
      config.mac.entitlements,
      config.mac.entitlementsInherit,
      ...config.extraResources.map((r) => r.from),
    ];
    for (const file of referenced) expect(existsSync(`${root}${file}`), file).toBe(true);
    // Packaged, main reads the tray images from process.resourcesPath/tray.
    expect(config.extraResources).toEqual([{ from: 'build/tray', to: 'tray', filter: ['*.png'] }]);
  });
});

describe('icons (build/scripts/make-icons.mjs)', () => {
  it('has a 1024×1024 app icon, from which electron-builder makes the .icns and .ico', () => {
    expect(readPng(`${root}build/icon.png`)).toMatchObject({ width: 1024, height: 1024 });
  });

  it('has exactly the twelve tray images, each at its size', () => {
    expect(readdirSync(`${root}build/tray`).sort()).toEqual([...trayFiles].sort());
    for (const state of TRAY_STATES)
      for (const [suffix, size] of Object.entries(TRAY_SIZES)) {
        const { width, height } = readPng(`${root}build/tray/${state}${suffix}.png`);
        expect([width, height], `${state}${suffix}.png`).toEqual([size, size]);
      }
  });

  it('draws macOS template images in black and alpha only, and tells the states apart', () => {
    for (const suffix of ['Template', 'Template@2x']) {
      const images = TRAY_STATES.map((state) => readPng(`${root}build/tray/${state}${suffix}.png`));
      for (const [i, { rgba }] of images.entries()) {
        const coloured = [];
        let opaque = 0;
        for (let p = 0; p < rgba.length; p += 4) {
          if (rgba[p] !== 0 || rgba[p + 1] !== 0 || rgba[p + 2] !== 0) coloured.push(p / 4);
          if (rgba[p + 3]! > 200) opaque++;
        }
        const name = `${TRAY_STATES[i]}${suffix}.png`;
        expect(coloured, `${name}: pixels that are not black`).toEqual([]);
        expect(opaque, `${name} draws something`).toBeGreaterThan(rgba.length / 4 / 10);
      }
      // Without colour the state is in the shape: no two states may look the same.
      for (let a = 0; a < images.length; a++)
        for (let b = a + 1; b < images.length; b++)
          expect(images[a]!.rgba.equals(images[b]!.rgba), `${suffix}: states ${a} and ${b}`).toBe(
            false,
          );
    }
  });

  it('gives the coloured tray images an opaque tile, so they read on light and dark bars', () => {
    for (const file of trayFiles.filter((name) => !name.includes('Template'))) {
      const { width, rgba } = readPng(`${root}build/tray/${file}`);
      // Top middle: inside the tile, above the key.
      const tile = (Math.round(width * 0.12) * width + Math.round(width / 2)) * 4;
      expect(rgba[tile + 3], `${file}: the tile is opaque`).toBe(255);
    }
  });

  it('are exactly what the generator writes, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'artikey-icons-'));
    try {
      execFileSync(process.execPath, [`${root}build/scripts/make-icons.mjs`, out], {
        stdio: 'pipe',
      });
      const generated = walk(out).map((file) => relative(out, file));
      expect(generated.sort()).toEqual(['icon.png', ...trayFiles.map((f) => `tray/${f}`)].sort());
      const drifted = generated.filter(
        (name) => !readFileSync(join(out, name)).equals(readFileSync(`${root}build/${name}`)),
      );
      expect(drifted, 'changed: run node build/scripts/make-icons.mjs and commit').toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the app package’s files, from the real build', () => {
  beforeAll(() => ensureBuilt());

  it('holds the built app and nothing else: no sources, tests or source maps', () => {
    const files = appFiles();
    for (const needed of [
      'dist/main/index.cjs',
      'dist/preload/index.cjs',
      'dist/renderer/index.html',
      'dist/cli/artikey.js',
      'dist/cli/docker-credential-artikey.cjs',
      'dist/cli/keychain-child.js',
      'package.json',
    ])
      expect(files).toContain(needed);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.(c|m)?ts$/.test(f) || f.endsWith('.svelte'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|tests|__tests__)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f !== 'package.json' && !f.startsWith('dist/'))).toEqual([]);
    // The exclusions hold inside dist/ too, should the build ever emit such files.
    for (const unwanted of [
      'dist/main/index.cjs.map',
      'dist/main/types.d.ts',
      'dist/cli/test/x.js',
    ])
      expect(shipped(unwanted), unwanted).toBe(false);
  });

  it('copies every tray image main asks for, on each platform, beside the app (extraResources)', () => {
    const tray = config.extraResources.find((resource) => resource.to === 'tray');
    const copied = tray ? extraResourceFiles(tray) : [];
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      for (const state of TRAY_STATES) {
        const icon = trayIconFile(state, platform, '');
        // Electron takes the @2x image beside it on high-density screens.
        for (const file of [icon, icon.replace(/\.png$/, '@2x.png')])
          expect(copied, `${platform} ${state}`).toContain(file);
      }
  });

  it('keeps the keychain addon for this machine out of the asar archive, and nothing else', () => {
    const packages = productionPackages();
    const addons = packages.filter((name) => name.startsWith('@napi-rs/keyring-'));
    expect(packages).toContain('@napi-rs/keyring');
    expect(addons, 'one keychain addon for this platform is installed').toHaveLength(1);
    const files = packageFiles();
    const native = files.filter((file) => file.endsWith('.node'));
    expect(native, 'the addon holds its native library').toEqual([
      expect.stringMatching(new RegExp(`^node_modules/${addons[0]}/[^/]+\\.node$`)),
    ]);
    const keychain = files.filter((file) => file.startsWith('node_modules/@napi-rs/keyring'));
    expect(
      keychain.filter((file) => !unpacked(file)),
      'packed in the archive',
    ).toEqual([]);
    // The rest (jose) is plain JavaScript, read from inside the archive.
    expect(files.filter((file) => unpacked(file) && !keychain.includes(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('node_modules/jose/'))).not.toEqual([]);
  });
});
