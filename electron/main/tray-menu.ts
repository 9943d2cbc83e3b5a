import type { InstanceView } from '../core/artikey.js';
import type { Notice } from '../core/notices.js';
import { expiryPhrase } from '../core/time-phrases.js';

/**
 * The tray, as data: a pure function of the core's state, rebuilt on every change event and
 * turned into an Electron menu by main. Keeping it data makes it testable here, where Electron
 * cannot run, and keeps main a thin translation.
 */
export type TrayState = 'ok' | 'expiring' | 'action-needed';

export type TrayAction =
  | {
      kind: 'docker-login' | 'refresh' | 'copy-token' | 'log-in-again' | 'open-instance';
      instanceId: string;
    }
  | { kind: 'open-app' | 'quit' | 'install-cli-tools' }
  | { kind: 'launch-at-login'; enabled: boolean };

export type TrayItem =
  | { type: 'separator' }
  | {
      type: 'item';
      label: string;
      enabled: boolean;
      action?: TrayAction;
      submenu?: TrayItem[];
      /** A check box, ticked or not. */
      checked?: boolean;
    };

/** App-wide switches the tray offers, read from the system when the menu is built. */
export interface TrayAppState {
  /** Null where starting at login is not supported. */
  launchAtLogin: boolean | null;
  /** A packaged app whose command-line tools are not on PATH yet. */
  cliToolsInstallable: boolean;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  items: TrayItem[];
}

const NEEDS_ACTION = new Set(['expired', 'revoked', 'refresh-failing']);

export function instanceState(view: InstanceView): TrayState {
  if (NEEDS_ACTION.has(view.status) || view.refreshError?.code === 'login-required')
    return 'action-needed';
  return view.status === 'expiring' ? 'expiring' : 'ok';
}

/** The worst state across instances decides the icon. */
export function trayState(views: InstanceView[]): TrayState {
  const states = views.map(instanceState);
  return states.includes('action-needed')
    ? 'action-needed'
    : states.includes('expiring')
      ? 'expiring'
      : 'ok';
}

export function trayMenu(
  views: InstanceView[],
  notices: Notice[] = [],
  app: TrayAppState = { launchAtLogin: null, cliToolsInstallable: false },
): TrayModel {
  const state = trayState(views);
  const attention = views.filter((v) => instanceState(v) !== 'ok').length;
  const tooltip =
    views.length === 0
      ? 'Artikey: no instances yet'
      : attention === 0
        ? `Artikey: ${views.length} instance${views.length === 1 ? '' : 's'}, all fine`
        : `Artikey: ${attention} of ${views.length} need${attention === 1 ? 's' : ''} attention`;
  const items: TrayItem[] = views.map((view) =>
    instanceItem(
      view,
      notices.some((n) => n.instanceId === view.id && n.actions.includes('log-in-again')),
    ),
  );
  if (views.length === 0) items.push({ type: 'item', label: 'No instances yet', enabled: false });
  items.push(
    { type: 'separator' },
    { type: 'item', label: 'Open Artikey', enabled: true, action: { kind: 'open-app' } },
  );
  if (app.launchAtLogin !== null)
    items.push({
      type: 'item',
      label: 'Start at login',
      enabled: true,
      checked: app.launchAtLogin,
      action: { kind: 'launch-at-login', enabled: !app.launchAtLogin },
    });
  if (app.cliToolsInstallable)
    items.push({
      type: 'item',
      label: 'Install command-line tools…',
      enabled: true,
      action: { kind: 'install-cli-tools' },
    });
  items.push({ type: 'item', label: 'Quit Artikey', enabled: true, action: { kind: 'quit' } });
  return { state, tooltip, items };
}

function instanceItem(view: InstanceView, loginNoticed: boolean): TrayItem {
  const needsLogin = instanceState(view) === 'action-needed' || loginNoticed;
  const usable = view.status !== 'expired' && view.status !== 'revoked';
  const id = view.id;
  const submenu: TrayItem[] = [
    ...(needsLogin
      ? [
          {
            type: 'item',
            label: 'Log in again…',
            enabled: true,
            action: { kind: 'log-in-again', instanceId: id },
          } as const,
        ]
      : []),
    {
      type: 'item',
      label: 'Docker login',
      enabled: usable && view.username !== null,
      action: { kind: 'docker-login', instanceId: id },
    },
    {
      type: 'item',
      label: 'Refresh now',
      enabled: view.token.refreshable && view.refreshError?.code !== 'login-required',
      action: { kind: 'refresh', instanceId: id },
    },
    {
      type: 'item',
      label: 'Copy token',
      enabled: usable,
      action: { kind: 'copy-token', instanceId: id },
    },
    { type: 'separator' },
    {
      type: 'item',
      label: 'Open in browser',
      enabled: true,
      action: { kind: 'open-instance', instanceId: id },
    },
  ];
  const label =
    needsLogin && !usable
      ? `${view.name} — ${view.status === 'revoked' ? 'revoked' : 'expired'}, log in again`
      : `${view.name} — ${expiryPhrase(view.expiresInSeconds)}`;
  return { type: 'item', label, enabled: true, submenu };
}
