/**
 * Screens live in the URL's hash (`#/instance/<id>/tools`), so every link is a real link:
 * keyboard, middle-click-free back/forward and focus all behave as people expect.
 */
export type Route =
  | { screen: 'overview' }
  /** `fromLink`: the address came from an `artikey://` link, not from Artikey or the person. */
  | { screen: 'login'; url: string | null; fromLink?: boolean }
  | { screen: 'instance'; id: string; tab: 'token' | 'tools' }
  | { screen: 'migrate' }
  | { screen: 'activity' }
  | { screen: 'settings' };

export function href(route: Route): string {
  switch (route.screen) {
    case 'overview':
      return '#/';
    case 'login':
      return route.url
        ? `#/login?url=${encodeURIComponent(route.url)}${route.fromLink ? '&from=link' : ''}`
        : '#/login';
    case 'instance':
      return `#/instance/${encodeURIComponent(route.id)}${route.tab === 'tools' ? '/tools' : ''}`;
    default:
      return `#/${route.screen}`;
  }
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter((p) => p !== '');
  const decode = (text: string): string | null => {
    try {
      return decodeURIComponent(text);
    } catch {
      return null;
    }
  };
  switch (parts[0]) {
    case 'login': {
      const params = new URLSearchParams(query);
      const url = params.get('url');
      return url && params.get('from') === 'link'
        ? { screen: 'login', url, fromLink: true }
        : { screen: 'login', url };
    }
    case 'instance': {
      const id = parts[1] === undefined ? null : decode(parts[1]);
      return id
        ? { screen: 'instance', id, tab: parts[2] === 'tools' ? 'tools' : 'token' }
        : { screen: 'overview' };
    }
    case 'migrate':
    case 'activity':
    case 'settings':
      return { screen: parts[0] };
    default:
      return { screen: 'overview' };
  }
}
