import { describe, expect, it } from 'vitest';
import type { InstanceView } from '../../electron/core/artikey.js';
import type { Notice } from '../../electron/core/notices.js';
import { trayMenu, trayState, type TrayItem } from '../../electron/main/tray-menu.js';

const view = (overrides: Partial<InstanceView> = {}): InstanceView => ({
  id: 'acme.jfrog.io',
  name: 'acme',
  platformUrl: 'https://acme.jfrog.io/',
  username: 'alice',
  loginMethod: 'browser',
  status: 'active',
  token: {
    kind: 'access-token',
    tokenId: 't1',
    subject: 'jfac@01x/users/alice',
    scopes: ['applied-permissions/user'],
    audience: ['*@*'],
    issuer: 'jfac@01x',
    issuedAt: 1,
    expiresAt: 2,
    refreshable: true,
    revocable: true,
    signature: 'verified',
  },
  expiresInSeconds: 3 * 3600,
  revocation: { status: 'active', checkedAt: null },
  refreshError: null,
  tokenLifetimeSeconds: 43_200,
  rotationIntervalSeconds: 14_400,
  lifetimeNote: null,
  targets: [],
  clockOffsetSeconds: 0,
  plainHttpWarning: null,
  logoutIncomplete: false,
  ...overrides,
});

const labels = (items: TrayItem[]): string[] =>
  items.map((i) =>
    i.type === 'separator' ? '---' : `${i.label}${i.enabled ? '' : ' (disabled)'}`,
  );
const submenu = (item: TrayItem | undefined): TrayItem[] =>
  item?.type === 'item' ? (item.submenu ?? []) : [];

describe('tray menu', () => {
  it('lists each instance with its time left and actions, then Open and Quit', () => {
    const model = trayMenu([
      view(),
      view({ id: 'corp', name: 'corp', expiresInSeconds: 20 * 60, status: 'expiring' }),
    ]);
    expect(model.state).toBe('expiring');
    expect(model.tooltip).toBe('Artikey: 1 of 2 needs attention');
    expect(labels(model.items)).toEqual([
      'acme — expires in 3 h',
      'corp — expires in 20 min',
      '---',
      'Open Artikey',
      'Quit Artikey',
    ]);
    expect(labels(submenu(model.items[0]))).toEqual([
      'Docker login',
      'Refresh now',
      'Copy token',
      '---',
      'Open in browser',
    ]);
    expect(submenu(model.items[0])[0]).toMatchObject({
      action: { kind: 'docker-login', instanceId: 'acme.jfrog.io' },
    });
    expect(model.items.at(-1)).toMatchObject({ action: { kind: 'quit' } });
  });

  it('asks for a new login first when the refresh token was refused, and disables what cannot work', () => {
    const broken = view({
      status: 'expired',
      expiresInSeconds: -60,
      refreshError: { code: 'login-required', message: 'spent', at: 1 },
    });
    const model = trayMenu([broken]);
    expect(model.state).toBe('action-needed');
    expect(labels(model.items)[0]).toBe('acme — expired, log in again');
    expect(labels(submenu(model.items[0]))).toEqual([
      'Log in again…',
      'Docker login (disabled)',
      'Refresh now (disabled)',
      'Copy token (disabled)',
      '---',
      'Open in browser',
    ]);
  });

  it('offers "Log in again" for a pasted token the notices warn about, while it still works', () => {
    const pasted = view({
      token: { ...view().token, refreshable: false },
      expiresInSeconds: 1800,
      status: 'expiring',
    });
    const notice: Notice = {
      key: 'k',
      covers: [],
      instanceId: 'acme.jfrog.io',
      kind: 'expiring',
      title: 't',
      body: 'b',
      actions: ['log-in-again', 'dismiss'],
    };
    const items = submenu(trayMenu([pasted], [notice]).items[0]);
    expect(labels(items)).toEqual([
      'Log in again…',
      'Docker login',
      'Refresh now (disabled)',
      'Copy token',
      '---',
      'Open in browser',
    ]);
  });

  it('shows the worst state across instances, and says so with no instances', () => {
    expect(trayState([view(), view({ status: 'revoked' })])).toBe('action-needed');
    expect(trayState([view({ status: 'not-revocable' })])).toBe('ok');
    const empty = trayMenu([]);
    expect(empty).toMatchObject({ state: 'ok', tooltip: 'Artikey: no instances yet' });
    expect(labels(empty.items)).toEqual([
      'No instances yet (disabled)',
      '---',
      'Open Artikey',
      'Quit Artikey',
    ]);
    expect(trayMenu([view()]).tooltip).toBe('Artikey: 1 instance, all fine');
  });

  it('never puts a secret in the model', () => {
    expect(JSON.stringify(trayMenu([view()]))).not.toMatch(/eyJ|cmVmd|AKCp/);
  });

  it('offers start-at-login as a check box and the command-line tools while they are missing', () => {
    const model = trayMenu([], [], { launchAtLogin: false, cliToolsInstallable: true });
    expect(labels(model.items)).toEqual([
      'No instances yet (disabled)',
      '---',
      'Open Artikey',
      'Start at login',
      'Install command-line tools…',
      'Quit Artikey',
    ]);
    expect(model.items[3]).toMatchObject({
      checked: false,
      action: { kind: 'launch-at-login', enabled: true },
    });
    const on = trayMenu([], [], { launchAtLogin: true, cliToolsInstallable: false });
    expect(labels(on.items)).not.toContain('Install command-line tools…');
    expect(on.items[3]).toMatchObject({
      checked: true,
      action: { kind: 'launch-at-login', enabled: false },
    });
  });
});
