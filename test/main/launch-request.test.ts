import { describe, expect, it } from 'vitest';
import { parseLaunchRequest, parseLink } from '../../electron/main/launch-request.js';

describe('launch arguments and artikey:// links', () => {
  it('starts hidden only when asked (auto-start at login)', () => {
    expect(parseLaunchRequest(['/opt/Artikey/artikey', '--hidden'])).toEqual({
      hidden: true,
      navigate: null,
    });
    expect(parseLaunchRequest(['/opt/Artikey/artikey'])).toEqual({ hidden: false, navigate: null });
  });

  it('finds a link among the arguments a second launch forwards', () => {
    const argv = [
      '/opt/Artikey/artikey',
      '--no-sandbox',
      'artikey://login?url=https%3A%2F%2Facme.jfrog.io',
    ];
    expect(parseLaunchRequest(argv).navigate).toEqual({
      to: 'login',
      url: 'https://acme.jfrog.io',
    });
  });

  it.each([
    ['artikey://login', { to: 'login', url: null }],
    ['artikey:///login?url=https://acme.jfrog.io/', { to: 'login', url: 'https://acme.jfrog.io/' }],
    ['ARTIKEY://Login?url=http://127.0.0.1:8081', { to: 'login', url: 'http://127.0.0.1:8081' }],
    ['artikey://instance/acme.jfrog.io', { to: 'instance', instanceId: 'acme.jfrog.io' }],
    ['artikey://settings', { to: 'settings' }],
  ])('%s → %j', (link, expected) => {
    expect(parseLink(link)).toEqual(expected);
  });

  it.each([
    'artikey://login?url=javascript:alert(1)',
    'artikey://login?url=file:///etc/passwd',
    'artikey://login?url=https://alice:secret@acme.jfrog.io',
    'artikey://instance/../../etc',
    'artikey://instance/a/b',
    'artikey://logout/acme',
    'https://acme.jfrog.io/',
    'artikey://',
    `artikey://login?url=https://${'a'.repeat(5000)}`,
    'artikey://instance/%2e%2e/x',
    'not a link',
  ])('ignores %.60s', (link) => {
    expect(parseLink(link)).toBeNull();
  });
});
