import type { Artikey } from '../core/artikey.js';
import { redact } from '../core/logger.js';
import type { NoticeAction } from '../core/notices.js';
import type { Handlers } from './api.js';
import type { BrowserLogins } from './browser-login.js';
import type { TrayAction } from './tray-menu.js';

export type AppAction =
  TrayAction | { kind: Exclude<NoticeAction, 'dismiss'>; instanceId: string } | { kind: 'dismiss' };

export interface ActionContext {
  artikey: Artikey;
  handlers: Handlers;
  browserLogins: BrowserLogins;
  showWindow(): void;
  quit(): void;
  /** A short confirmation or failure for the person, as a notification. */
  tell(title: string, body: string): void;
}

/**
 * What a tray item or a notification button does. Each goes through the same handlers as the
 * window, so the tray can do nothing the window could not.
 */
export function createActions(context: ActionContext): (action: AppAction) => Promise<void> {
  const { handlers, tell } = context;
  const nameOf = async (id: string): Promise<string> =>
    (await context.artikey.instance(id).catch(() => null))?.name ?? id;
  return async (action) => {
    try {
      switch (action.kind) {
        case 'open-app':
          return context.showWindow();
        case 'quit':
          return context.quit();
        case 'dismiss':
          return;
        case 'docker-login': {
          const { tool } = await handlers['tools.dockerLogin'](action.instanceId);
          return tell(
            'Docker is set up',
            `${tool.description}. docker pull and push now use Artikey's token.`,
          );
        }
        case 'refresh': {
          const view = await handlers['instances.refresh'](action.instanceId);
          return tell('Token refreshed', `${view.name}: a new token is in place.`);
        }
        case 'copy-token': {
          const { clearsInSeconds } = await handlers['token.copy'](action.instanceId);
          return tell('Token copied', `The clipboard is cleared in ${clearsInSeconds} seconds.`);
        }
        case 'launch-at-login': {
          const { launchAtLogin } = await handlers['settings.update']({
            launchAtLogin: action.enabled,
          });
          return tell(
            launchAtLogin ? 'Artikey starts at login' : 'Artikey no longer starts at login',
            launchAtLogin
              ? 'It starts in the tray, without a window.'
              : 'Start it yourself when you need it.',
          );
        }
        case 'install-cli-tools': {
          const status = await handlers['cliTools.install']();
          return tell(
            'Command-line tools installed',
            `artikey and docker-credential-artikey are in ${status.folder}${status.onPath ? '.' : '; add that folder to your PATH.'}`,
          );
        }
        case 'open-instance':
          await handlers['instances.openInBrowser'](action.instanceId);
          return;
        case 'log-in-again': {
          const view = await context.artikey.instance(action.instanceId);
          context.showWindow();
          await context.browserLogins.start({ url: view.platformUrl, name: view.name });
          return tell('Logged in', `${view.name}: a new token is in place.`);
        }
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'login-cancelled') return;
      const who = 'instanceId' in action ? ` (${await nameOf(action.instanceId)})` : '';
      tell(`That did not work${who}`, redact((error as Error).message));
    }
  };
}
