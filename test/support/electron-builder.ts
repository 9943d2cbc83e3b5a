import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { minimatch } from 'minimatch';
import type { TrayState } from '../../electron/main/tray-menu.js';
import { root } from './built.js';

/**
 * electron-builder cannot run here (it needs the Electron runtime), so tests read its
 * configuration the way it would, and lay out the app it would make.
 */
export interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  protocols: { name: string; schemes: string[] }[];
  fileAssociations?: unknown;
  icon?: string;
  afterSign?: string;
  directories: { output: string; buildResources: string };
  linux: {
    target: string[];
    executableName: string;
    category: string;
    maintainer?: string;
    synopsis?: string;
  };
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

export const config = JSON.parse(
  readFileSync(`${root}build/electron-builder.json`, 'utf8'),
) as BuilderConfig;

/** Every state electron/main/tray-view.ts draws; the compiler fails here when one is added. */
const EVERY_TRAY_STATE: Record<TrayState, true> = {
  ok: true,
  expiring: true,
  'action-needed': true,
};
export const TRAY_STATES = Object.keys(EVERY_TRAY_STATE) as TrayState[];

export function walk(folder: string, skip: readonly string[] = []): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (skip.includes(relative(root, path))) return [];
    return entry.isDirectory() ? walk(path, skip) : [path];
  });
}

/** electron-builder's reading of `files`: patterns in order, a `!` pattern takes files out. */
export function shipped(path: string): boolean {
  let keep = false;
  for (const pattern of config.files)
    if (pattern.startsWith('!')) keep &&= !minimatch(path, pattern.slice(1), { dot: true });
    else keep ||= minimatch(path, pattern, { dot: true });
  return keep;
}

/** Whether `asarUnpack` leaves a file (relative to the app) outside the archive. */
export function unpacked(path: string): boolean {
  return config.asarUnpack.some((pattern) => minimatch(path, pattern, { dot: true }));
}

/** The project's files `files` selects, relative to the project: every file is a candidate. */
export function appFiles(): string[] {
  return walk(root, ['.git', 'node_modules', 'release', 'coverage', 'test-results'])
    .map((file) => relative(root, file))
    .filter(shipped);
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The installed packages electron-builder copies into the app's node_modules: the production
 * dependencies and theirs, with the optional ones this machine installed (the keychain addon
 * for this platform).
 */
export function productionPackages(): string[] {
  const found = new Set<string>();
  const visit = (manifest: Manifest): void => {
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...optional]) {
      const folder = `${root}node_modules/${name}`;
      if (found.has(name) || (optional.includes(name) && !existsSync(folder))) continue;
      found.add(name);
      visit(JSON.parse(readFileSync(`${folder}/package.json`, 'utf8')) as Manifest);
    }
  };
  visit(JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Manifest);
  return [...found].sort();
}

/** The production packages' files as the app holds them: node_modules/…, after `files`' exclusions. */
export function packageFiles(): string[] {
  const excluded = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return productionPackages()
    .flatMap((name) => walk(`${root}node_modules/${name}`))
    .map((file) => relative(root, file))
    .filter((file) => !excluded.some((pattern) => minimatch(file, pattern, { dot: true })));
}

/** The files an `extraResources` entry copies, relative to its `from`. */
export function extraResourceFiles(resource: BuilderConfig['extraResources'][number]): string[] {
  return walk(`${root}${resource.from}`)
    .map((file) => relative(`${root}${resource.from}`, file))
    .filter((file) => (resource.filter ?? ['**/*']).some((pattern) => minimatch(file, pattern)));
}

/**
 * The app electron-builder would make, as plain folders (`asar: false`, so no Electron is
 * needed to read it): `resources/app` holds what `files` selects and the production packages,
 * `resources/app.asar.unpacked` what `asarUnpack` keeps out of the archive, and
 * `resources/<to>` each `extraResources` entry. Returns the `resources` folder.
 */
export function layOutPackagedApp(into: string): string {
  const resources = join(into, 'resources');
  const copy = (from: string, to: string): void => {
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to);
  };
  for (const file of [...appFiles(), ...packageFiles()])
    copy(`${root}${file}`, join(resources, unpacked(file) ? 'app.asar.unpacked' : 'app', file));
  for (const resource of config.extraResources)
    for (const file of extraResourceFiles(resource))
      copy(`${root}${resource.from}/${file}`, join(resources, resource.to, file));
  return resources;
}

/**
 * Electron reads a file the archive marks unpacked from app.asar.unpacked, at the same relative
 * path (https://www.electronjs.org/docs/latest/tutorial/asar-archives, "Adding Unpacked Files to
 * ASAR archives"). Plain Node has no archive: a link at each such path inside `app` stands in.
 */
export function linkUnpackedIntoApp(resources: string): void {
  const unpackedDir = join(resources, 'app.asar.unpacked');
  for (const file of walk(unpackedDir)) {
    const inApp = join(resources, 'app', relative(unpackedDir, file));
    mkdirSync(dirname(inApp), { recursive: true });
    symlinkSync(file, inApp);
  }
}
