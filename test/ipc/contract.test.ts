import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  channel,
  createBridge,
  eventChannel,
  METHOD_NAMES,
  parseArgs,
  TOOL_NAMES,
  type AppInfo,
  type ArtikeyBridge,
  type InstanceSummary,
  type LoginResult,
  type Navigation,
  type Result,
} from '../../electron/ipc/contract.js';
import type {
  CredentialKind as CoreCredentialKind,
  ScanTool,
} from '../../electron/core/scan/scan.js';
import type { NoticeAction, NoticeKind } from '../../electron/core/notices.js';
import type { LoginMethod as CoreLoginMethod } from '../../electron/core/state.js';
import type { TargetKind } from '../../electron/core/targets/target-record.js';
import { TOOLS } from '../../electron/core/targets/tool-request.js';
import type { TokenStatus as CoreTokenStatus } from '../../electron/core/tokens.js';
import type {
  CredentialKind,
  FoundCredential,
  LoginMethod,
  NoticeSummary,
  TokenStatus,
  ToolKind,
} from '../../electron/ipc/types.js';
import { ensureBuilt, root } from '../support/built.js';

describe('the IPC contract', () => {
  it('namespaces every channel and names methods <area>.<verb>', () => {
    expect(channel('app.info')).toBe('artikey:app.info');
    expect(eventChannel('navigate')).toBe('artikey:event:navigate');
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
  });

  it('derives the bridge the page sees from the method list', () => {
    // Checked by tsc: a method added to the contract changes these types, not a second declaration.
    expectTypeOf<ArtikeyBridge['app']['info']>().toEqualTypeOf<() => Promise<Result<AppInfo>>>();
    expectTypeOf<ArtikeyBridge['instances']['list']>().toEqualTypeOf<
      () => Promise<Result<InstanceSummary[]>>
    >();
    expectTypeOf<ArtikeyBridge['login']['password']>().parameter(0).toEqualTypeOf<{
      url: string;
      name?: string | undefined;
      lifetimeSeconds?: number | undefined;
      replaceUser?: boolean | undefined;
      username: string;
      password: string;
    }>();
    expectTypeOf<ArtikeyBridge['login']['password']>().returns.toEqualTypeOf<
      Promise<Result<LoginResult>>
    >();
    expectTypeOf<keyof ArtikeyBridge>().toEqualTypeOf<
      | 'app'
      | 'instances'
      | 'login'
      | 'tools'
      | 'credentials'
      | 'backups'
      | 'notices'
      | 'token'
      | 'settings'
      | 'cliTools'
      | 'activity'
      | 'on'
    >();
    expectTypeOf<Parameters<ArtikeyBridge['on']>[0]>().toEqualTypeOf<
      'instances.changed' | 'login.prompt' | 'navigate'
    >();
    const listen = (bridge: ArtikeyBridge): void =>
      void bridge.on('navigate', (to) => expectTypeOf(to).toEqualTypeOf<Navigation>());
    expect(listen).toBeTypeOf('function');
  });

  it('mirrors the core’s vocabularies exactly (the contract may not import the core)', () => {
    expectTypeOf<ToolKind>().toEqualTypeOf<TargetKind>();
    expectTypeOf<TokenStatus>().toEqualTypeOf<CoreTokenStatus>();
    expectTypeOf<LoginMethod>().toEqualTypeOf<CoreLoginMethod>();
    expectTypeOf<CredentialKind>().toEqualTypeOf<CoreCredentialKind>();
    expectTypeOf<FoundCredential['tool']>().toEqualTypeOf<ScanTool>();
    expectTypeOf<NoticeSummary['kind']>().toEqualTypeOf<NoticeKind>();
    expectTypeOf<NoticeSummary['actions'][number]>().toEqualTypeOf<NoticeAction>();
    expect([...TOOL_NAMES]).toEqual([...TOOLS]);
  });

  it('parses arguments against the schemas: exact objects, bounded values, no extras', () => {
    expect(parseArgs('instances.rename', ['acme', 'Acme'])).toEqual(['acme', 'Acme']);
    const login = { url: 'acme.jfrog.io', username: 'a', password: 'b' };
    expect(parseArgs('login.password', [login])).toEqual([login]);
    for (const bad of [
      [{ ...login, extra: 1 }],
      [{ ...login, username: '' }],
      [{ ...login, lifetimeSeconds: 1.5 }],
      [[login]],
      [null],
      [login, login],
    ])
      expect(() => parseArgs('login.password', bad)).toThrow(
        expect.objectContaining({ code: 'invalid-argument' }),
      );
    expect(() => parseArgs('tools.configure', ['acme', { tool: 'bash' }])).toThrow(
      /one of docker, npm/,
    );
    expect(() =>
      parseArgs('tools.configure', ['acme', { tool: 'docker', hosts: Array(21).fill('h') }]),
    ).toThrow(/up to 20/);
    // The page never names a file main would write (the CLI's --file is the person's own).
    for (const method of ['tools.configure', 'tools.preview'] as const)
      expect(() =>
        parseArgs(method, ['acme', { tool: 'gradle', file: '/home/alice/.bashrc' }]),
      ).toThrow(/file.*unknown option/);
    // The page cannot say the person confirmed a reveal: main asks them itself.
    expect(() => parseArgs('token.reveal', ['acme', { confirmed: true }])).toThrow(/1 argument/);
    expect(() => parseArgs('instances.setConnection', ['acme', { clearCaFile: false }])).toThrow(
      /true/,
    );
    // Only known keys survive, rebuilt on a fresh object.
    const [parsed] = parseArgs('credentials.scan', [JSON.parse('{"check":true}')]);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('takes logout options: keepServerToken as a boolean, nothing else; without them logout revokes', () => {
    expect(parseArgs('instances.logout', ['acme'])).toEqual(['acme', undefined]);
    expect(parseArgs('instances.logout', ['acme', { keepServerToken: true }])).toEqual([
      'acme',
      { keepServerToken: true },
    ]);
    expect(parseArgs('instances.logout', ['acme', {}])).toEqual(['acme', {}]);
    for (const bad of [
      ['acme', { keepServerToken: 'yes' }],
      ['acme', { keepServerToken: true, revoke: false }],
      ['acme', true],
      ['acme', null],
      ['acme', {}, {}],
    ])
      expect(() => parseArgs('instances.logout', bad)).toThrow(
        expect.objectContaining({ code: 'invalid-argument' }),
      );
    expect(() => parseArgs('instances.logout', ['acme', { keepServerToken: 1 }])).toThrow(
      /keepServerToken must be/,
    );
    expectTypeOf<ArtikeyBridge['instances']['logout']>().parameters.toEqualTypeOf<
      [id: string, options?: { keepServerToken?: boolean | undefined } | undefined]
    >();
  });

  it('builds a bridge over any transport with exactly the contract methods', async () => {
    const calls: [string, unknown[]][] = [];
    const bridge = createBridge({
      invoke: (name, args) => (calls.push([name, args]), Promise.resolve({ ok: true, value: 1 })),
      subscribe: () => () => undefined,
    });
    expect(await bridge.instances.rename('acme', 'Acme')).toEqual({ ok: true, value: 1 });
    expect(calls).toEqual([['artikey:instances.rename', ['acme', 'Acme']]]);
    expect(() => bridge.on('secrets' as 'navigate', () => undefined)).toThrow(/No event/);
  });
});

describe('the built preload', () => {
  let exposed: Record<string, unknown> = {};
  const invoked: [string, unknown[]][] = [];
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
  beforeAll(() => {
    ensureBuilt();
    const code = readFileSync(`${root}dist/preload/index.cjs`, 'utf8');
    // Electron stands in here, at its import; the bundle runs as it would in a sandboxed preload.
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, unknown>) =>
          (exposed = { [name]: api }),
      },
      ipcRenderer: {
        invoke: (name: string, ...args: unknown[]) => (
          invoked.push([name, args]),
          Promise.resolve(null)
        ),
        on: (name: string, listener: (event: unknown, payload: unknown) => void) =>
          void listeners.set(name, listener),
        removeListener: (name: string) => void listeners.delete(name),
      },
    };
    const required: string[] = [];
    runInNewContext(code, {
      require: (name: string) => (required.push(name), name === 'electron' ? electron : undefined),
      module: { exports: {} },
      exports: {},
    });
    expect(required).toEqual(['electron']);
  });

  it('exposes window.artikey with one function per contract method and nothing else', () => {
    const api = exposed['artikey'] as Record<string, Record<string, unknown>>;
    const exposedMethods = Object.entries(api).flatMap(([area, verbs]) =>
      typeof verbs === 'function' ? [] : Object.keys(verbs).map((verb) => `${area}.${verb}`),
    );
    expect(exposedMethods.sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(api)).toContain('on');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|invoke|send/);
  });

  it('forwards calls on their channel and hands listeners the payload, never the event', async () => {
    const api = exposed['artikey'] as ArtikeyBridge;
    await api.tools.dockerLogin('acme');
    expect(invoked.at(-1)).toEqual(['artikey:tools.dockerLogin', ['acme']]);
    const heard: unknown[] = [];
    const stop = api.on('navigate', (payload) => heard.push(payload));
    listeners.get('artikey:event:navigate')?.({ sender: 'ipcRenderer' }, { to: 'settings' });
    expect(heard).toEqual([{ to: 'settings' }]);
    stop();
    expect(listeners.has('artikey:event:navigate')).toBe(false);
  });
});
