import { Ajv } from 'ajv';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../support/built.js';

/**
 * electron-builder cannot run here (it needs the Electron runtime), so its configuration is
 * checked the way it would read it: against its own JSON schema, every file it refers to, and
 * the file set its `files` patterns select from the real build.
 */
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  protocols: { name: string; schemes: string[] }[];
  fileAssociations?: unknown;
  directories: { output: string; buildResources: string };
  linux: { target: string[]; executableName: string; category: string };
  mac: {
    target: { target: string; arch: string[] }[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: boolean;
  };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean };
}

const config = JSON.parse(
  readFileSync(`${root}build/electron-builder.json`, 'utf8'),
) as BuilderConfig;
const icons = (await import(`${root}build/scripts/make-icons.mjs`)) as {
  TRAY_STATES: string[];
  renderIcons(): Record<string, { width: number; height: number; rgba: Uint8Array }>;
};

/** Width, height and RGBA pixels of one of our PNGs (8-bit RGBA, filter 0, as we write them). */
function readPng(path: string): { width: number; height: number; rgba: Buffer } {
  const data = readFileSync(path);
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
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
    expect(raw[y * (width * 4 + 1)], 'unfiltered rows').toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

describe('packaging configuration', () => {
  beforeAll(() => ensureBuilt());

  it('is accepted by electron-builder’s own schema', () => {
    const schema = JSON.parse(
      readFileSync(`${root}node_modules/app-builder-lib/scheme.json`, 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ ...config, linux: { ...config.linux, targets: ['AppImage'] } })).toBe(false);
  });

  it('builds every platform’s installer, signed and hardened where the platform asks', () => {
    expect(config).toMatchObject({ appId: 'dev.artikey.app', productName: 'Artikey', asar: true });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    // `artikey` is the command-line tool's name; the app's binary must not shadow it.
    expect(config.linux.executableName).not.toBe('artikey');
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.fileAssociations).toBeUndefined();
    expect(config.protocols).toEqual([{ name: 'Artikey login link', schemes: ['artikey'] }]);
    expect(config.asarUnpack).toContain('node_modules/@napi-rs/keyring*/**');
  });

  it('grants macOS only the JIT entitlement V8 needs', () => {
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(`${root}${file}`, 'utf8');
      const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
      expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
      expect(plist).toMatch(
        /^<\?xml[^>]+>\s*<!DOCTYPE plist[^>]+>\s*<plist version="1.0">[\s\S]*<\/plist>\s*$/,
      );
    }
  });

  it('ships the app icon and all twelve tray images at the sizes main asks for', () => {
    expect(readPng(`${root}build/icon.png`)).toMatchObject({ width: 1024, height: 1024 });
    const tray = config.extraResources.find((r) => r.to === 'tray');
    expect(tray?.from).toBe('build/tray');
    const sizes: Record<string, number> = { '': 32, '@2x': 64, Template: 16, 'Template@2x': 32 };
    const files = readdirSync(`${root}build/tray`).sort();
    expect(files).toHaveLength(12);
    for (const state of icons.TRAY_STATES)
      for (const [suffix, size] of Object.entries(sizes)) {
        const image = readPng(`${root}build/tray/${state}${suffix}.png`);
        expect([image.width, image.height], `${state}${suffix}`).toEqual([size, size]);
        if (suffix.startsWith('Template'))
          for (let i = 0; i < image.rgba.length; i += 4)
            expect(
              [...image.rgba.subarray(i, i + 3)],
              'template images are black with alpha',
            ).toEqual([0, 0, 0]);
      }
  });

  it('has icons that match their generator (build/scripts/make-icons.mjs), pixel for pixel', () => {
    for (const [name, image] of Object.entries(icons.renderIcons())) {
      const committed = readPng(`${root}build/${name}`);
      expect(committed.width, name).toBe(image.width);
      expect(
        Buffer.from(image.rgba).equals(committed.rgba),
        `${name}: run node build/scripts/make-icons.mjs`,
      ).toBe(true);
    }
  });

  it('packs the built app and nothing else: no sources, tests or source maps', () => {
    const included = (path: string): boolean => {
      let keep = false;
      for (const pattern of config.files)
        if (pattern.startsWith('!')) keep &&= !minimatch(path, pattern.slice(1), { dot: true });
        else keep ||= minimatch(path, pattern, { dot: true });
      return keep;
    };
    const candidates = [
      ...walk(`${root}dist`),
      ...walk(`${root}electron`),
      ...walk(`${root}test/main`),
      ...walk(`${root}renderer/src`),
      `${root}package.json`,
    ].map((file) => relative(root, file));
    const shipped = candidates.filter(included);
    for (const needed of [
      'dist/main/index.cjs',
      'dist/preload/index.cjs',
      'dist/renderer/index.html',
      'dist/cli/artikey.js',
      'dist/cli/docker-credential-artikey.js',
      'package.json',
    ])
      expect(shipped).toContain(needed);
    expect(shipped.filter((f) => /\.(map|ts|svelte)$/.test(f) || /(^|\/)tests?\//.test(f))).toEqual(
      [],
    );
    expect(shipped.every((f) => f === 'package.json' || f.startsWith('dist/'))).toBe(true);
    expect(included('dist/main/index.cjs.map')).toBe(false);
    expect(statSync(`${root}dist/main/index.cjs`).size).toBeGreaterThan(0);
  });
});
