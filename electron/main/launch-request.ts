import type { Navigation } from '../ipc/contract.js';

export const URL_SCHEME = 'artikey';

/** What a launch (or a second launch, forwarded to the first) asks for. */
export interface LaunchRequest {
  /** Start in the tray without showing the window (auto-start at login). */
  hidden: boolean;
  /** Where the window should go, from an `artikey://` link. */
  navigate: Navigation | null;
}

/**
 * Reads a command line or a link: `--hidden`, and `artikey://login?url=https://acme.jfrog.io`,
 * `artikey://instance/<id>`, `artikey://settings`. Links come from web pages and other programs,
 * so anything unexpected is ignored rather than acted on, and a login link only pre-fills the
 * form: the person still chooses to log in.
 */
export function parseLaunchRequest(argv: readonly string[]): LaunchRequest {
  const hidden = argv.includes('--hidden');
  const link = argv.find((arg) => arg.toLowerCase().startsWith(`${URL_SCHEME}://`));
  return { hidden, navigate: link === undefined ? null : parseLink(link) };
}

export function parseLink(link: string): Navigation | null {
  // Dot segments would be resolved away by URL; a link that needs them is not one we wrote.
  if (link.length > 4096 || /\/(\.|%2e){1,2}(\/|\?|#|$)/i.test(link)) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${URL_SCHEME}:`) return null;
  // `artikey://login?…` puts "login" in the host; `artikey:///login` in the path. Take both.
  const [what = '', ...rest] = `${url.host}${url.pathname}`.split('/').filter(Boolean);
  switch (what.toLowerCase()) {
    case 'login': {
      const target = url.searchParams.get('url');
      if (target === null) return { to: 'login', url: null };
      return isWebAddress(target) ? { to: 'login', url: target } : null;
    }
    case 'instance': {
      const id = rest.length === 1 ? decodeURIComponent(rest[0] ?? '') : '';
      return /^[\w.-]{1,200}$/.test(id) ? { to: 'instance', instanceId: id } : null;
    }
    case 'settings':
      return { to: 'settings' };
    default:
      return null;
  }
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
    );
  } catch {
    return false;
  }
}
