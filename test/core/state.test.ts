import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appDataDir } from '../../electron/core/paths.js';
import { emptyState, StateError, StateStore, type InstanceRecord } from '../../electron/core/state.js';

const instance = (id: string): InstanceRecord => ({
  id,
  name: id,
  platformUrl: `https://${id}/`,
  username: 'alice',
  loginMethod: 'browser',
  token: {
    kind: 'access-token',
    tokenId: 'abc',
    subject: 'jfac@01x/users/alice',
    scopes: ['applied-permissions/user'],
    audience: ['*@*'],
    issuer: 'jfac@01x',
    issuedAt: 1,
    expiresAt: 2,
    refreshable: true,
    revocable: true,
    signature: 'not-checked',
  },
  tokenLifetimeSeconds: null,
  caFile: null,
  proxy: null,
  addedAt: 1,
  updatedAt: 1,
  targets: [],
  clockOffsetSeconds: 0,
  revocation: { status: 'unknown', checkedAt: null },
  refreshError: null,
});

const writer = new URL('./fixtures/state-writer.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

describe('StateStore', () => {
  let folder: string;
  let path: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-state-'));
    path = join(folder, 'config', 'artikey', 'state.json');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('starts empty when there is no file, and creates it on first change with mode 0600', async () => {
    const store = new StateStore(path);
    expect(await store.load()).toEqual(emptyState());
    await store.update((state) => state.instances.push(instance('acme.jfrog.io')));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'config', 'artikey')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { version: number; instances: unknown[] };
    expect(saved.version).toBe(1);
    expect(saved.instances).toHaveLength(1);
    expect(await new StateStore(path).load()).toMatchObject({ instances: [{ id: 'acme.jfrog.io' }] });
  });

  it('runs concurrent updates one after another, losing none', async () => {
    const store = new StateStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update((state) => state.instances.push(instance(`i${i}.example`)))));
    expect((await store.load()).instances).toHaveLength(20);
    expect(readdirSync(join(folder, 'config', 'artikey'))).toEqual(['locks', 'state.json']);
    expect(readdirSync(join(folder, 'config', 'artikey', 'locks'))).toEqual([]);
  });

  it('loses no change when several processes change the state at once', async () => {
    const writers = ['a', 'b', 'c', 'd'];
    const exits = await Promise.all(
      writers.map(
        (name) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, ['--import', tsx, writer, path, name, '25'], { stdio: 'inherit' });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(exits).toEqual([0, 0, 0, 0]);
    const shown = (await new StateStore(path).load()).shownNotices;
    expect(shown).toHaveLength(100);
    for (const name of writers) expect(shown.filter((key) => key.startsWith(`${name}-`))).toEqual(Array.from({ length: 25 }, (_, i) => `${name}-${i}`));
  });

  it('saves nothing when the change throws, and refuses a transaction inside another', async () => {
    const store = new StateStore(path);
    await store.update((state) => state.instances.push(instance('acme.jfrog.io')));
    const before = readFileSync(path, 'utf8');
    await expect(
      store.transaction((state) => {
        state.instances = [];
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(readFileSync(path, 'utf8')).toBe(before);
    await expect(store.transaction(() => store.update(() => undefined))).rejects.toThrow('inside another');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it.each([
    ['not JSON', '{"version": 1, "instances": ['],
    ['not an object', '[]'],
    ['no version', '{"instances": []}'],
    ['instances not a list', '{"version": 1, "instances": {}}'],
    ['an incomplete instance', '{"version": 1, "instances": [{"id": "x"}]}'],
  ])('refuses a corrupt file (%s), keeps it byte for byte, and says what to do', async (_, content) => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    writeFileSync(path, content);
    await expect(store.load()).rejects.toMatchObject({ code: 'state-corrupt', message: expect.stringContaining(path) });
    await expect(store.update((state) => state.instances.push(instance('x.example')))).rejects.toBeInstanceOf(StateError);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('refuses a file from a newer Artikey without touching it', async () => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    writeFileSync(path, '{"version": 7, "instances": []}');
    await expect(store.load()).rejects.toMatchObject({ code: 'state-too-new' });
    expect(readFileSync(path, 'utf8')).toBe('{"version": 7, "instances": []}');
  });

  it('fills in missing settings with defaults', async () => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    writeFileSync(path, '{"version": 1, "instances": [], "settings": {"defaultTokenLifetimeSeconds": -5}}');
    expect((await store.load()).settings).toEqual(emptyState().settings);
  });

  it('reads the old 12-hour default of a file from before rotation as the new default, and keeps every other choice', async () => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    const file = (settings: Record<string, unknown>): string =>
      JSON.stringify({ version: 1, settings, instances: [{ ...instance('a'), tokenLifetimeSeconds: 43_200 }, { ...instance('b'), tokenLifetimeSeconds: 7200 }] });
    // Before rotation, every file held the default whether or not it was chosen (and the window's login sent it).
    writeFileSync(path, file({ defaultTokenLifetimeSeconds: 43_200 }));
    let loaded = await store.load();
    expect(loaded.settings).toMatchObject({ defaultTokenLifetimeSeconds: 4 * 86_400, rotationIntervalSeconds: 4 * 3600 });
    expect(loaded.instances.map((i) => i.tokenLifetimeSeconds)).toEqual([null, 7200]);
    writeFileSync(path, file({ defaultTokenLifetimeSeconds: 8 * 3600 }));
    expect((await store.load()).settings.defaultTokenLifetimeSeconds).toBe(8 * 3600);
    // Saved by this release, 12 hours is a choice.
    writeFileSync(path, file({ defaultTokenLifetimeSeconds: 43_200, rotationIntervalSeconds: 3600 }));
    loaded = await store.load();
    expect(loaded.settings).toMatchObject({ defaultTokenLifetimeSeconds: 43_200, rotationIntervalSeconds: 3600 });
    expect(loaded.instances.map((i) => i.tokenLifetimeSeconds)).toEqual([43_200, 7200]);
  });

  it('deletes dead backups by itself only when the file says so in so many words', async () => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    const saved = (value: string): string => `{"version": 1, "instances": [], "settings": {"deleteDeadBackups": ${value}}}`;
    for (const [value, on] of [['true', true], ['"yes"', false], ['1', false]] as const) {
      writeFileSync(path, saved(value));
      expect((await store.load()).settings.deleteDeadBackups, value).toBe(on);
    }
    expect(emptyState().settings.deleteDeadBackups).toBe(false);
  });

  it('loads files from before login markers with none, and drops a damaged marker rather than the file', async () => {
    const store = new StateStore(path);
    await store.update(() => undefined);
    writeFileSync(path, '{"version": 1, "instances": []}');
    expect((await store.load()).pendingLogins).toEqual([]);
    const marker = { instanceId: 'acme.jfrog.io', platformUrl: 'https://acme.jfrog.io/', nonce: '1a2b3c4d', at: 1, until: 2, pid: 42, host: 'laptop' };
    writeFileSync(path, JSON.stringify({ version: 1, instances: [], pendingLogins: [marker, { ...marker, nonce: 'not hex' }, { ...marker, pid: '42' }, 'junk'] }));
    expect((await store.load()).pendingLogins).toEqual([{ ...marker, replaces: null, handedOut: null }]);
  });
});

describe('appDataDir', () => {
  it('follows each platform convention', () => {
    expect(appDataDir({ platform: 'linux', env: {}, home: '/home/a' })).toBe('/home/a/.config/artikey');
    expect(appDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/a' })).toBe('/x/cfg/artikey');
    expect(appDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: '/home/a' })).toBe('/home/a/.config/artikey');
    expect(appDataDir({ platform: 'darwin', env: {}, home: '/Users/a' })).toBe('/Users/a/Library/Application Support/Artikey');
    expect(appDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, home: 'C:\\Users\\a' })).toMatch(/Artikey$/);
  });
});
