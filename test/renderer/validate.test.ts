import { describe, expect, it } from 'vitest';
import {
  checkName,
  checkProxy,
  checkRequired,
  checkToken,
  checkUrl,
  hostOf,
  normalizeUrl,
  plainHttpHost,
  tokenKind,
} from '../../renderer/src/lib/validate.js';
import { href, parseHash, type Route } from '../../renderer/src/lib/routes.js';
import { risk, toMigrate } from '../../renderer/src/lib/risk.js';

describe('login form checks', () => {
  it('accepts addresses with or without a scheme', () => {
    expect(checkUrl('https://acme.jfrog.io')).toBeNull();
    expect(checkUrl('acme.jfrog.io')).toBeNull();
    expect(checkUrl('http://127.0.0.1:8081/artifactory')).toBeNull();
    expect(normalizeUrl(' acme.jfrog.io ')).toBe('https://acme.jfrog.io');
  });

  it('explains what is wrong with an address', () => {
    expect(checkUrl('')).toMatch(/Enter the address/);
    expect(checkUrl('ftp://acme.jfrog.io')).toMatch(/https:\/\//);
    expect(checkUrl('https://')).toMatch(/not a web address|no host/);
    expect(checkUrl('https://jane:pw@acme.jfrog.io')).toMatch(/user name out/);
    expect(checkUrl('acme jfrog io')).not.toBeNull();
  });

  it('recognises pasted tokens', () => {
    expect(tokenKind('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('access-token');
    expect(tokenKind('cmVmdGtuOjAxOjE3MDAwMDAwMDA6YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo')).toBe(
      'reference-token',
    );
    expect(tokenKind('hunter2')).toBeNull();
    expect(checkToken('')).toBe('Paste the token.');
    expect(checkToken('hunter2')).toMatch(/does not look like/);
  });

  it('checks required fields, names, proxies and paths', () => {
    expect(checkRequired('  ', 'your user name')).toBe('Enter your user name.');
    expect(checkRequired('jane', 'your user name')).toBeNull();
    expect(checkName('')).toMatch(/at least one/);
    expect(checkName('x'.repeat(81))).toMatch(/80/);
    expect(checkProxy('')).toBeNull();
    expect(checkProxy('http://proxy:3128')).toBeNull();
    expect(checkProxy('socks5://proxy:1080')).toMatch(/http:\/\//);
    expect(checkProxy('http://proxy:3128/path')).toMatch(/no path/);
  });
});

describe('addresses a password should not travel to', () => {
  it('names plain http:// hosts other than this machine', () => {
    for (const text of [
      'http://acme.example.com',
      'http://10.0.0.5:8082/',
      'http://[::ffff:8.8.8.8]/',
    ])
      expect(plainHttpHost(text), text).not.toBeNull();
    expect(plainHttpHost('http://acme.example.com:8082/artifactory')).toBe('acme.example.com:8082');
    for (const text of [
      'https://acme.jfrog.io',
      'acme.jfrog.io',
      'http://127.0.0.1:8082',
      'http://localhost/',
      'http://[::1]:80/',
      'not a url',
    ])
      expect(plainHttpHost(text), text).toBeNull();
    expect(hostOf('http://acme.example.com:8082/x')).toBe('acme.example.com:8082');
  });
});

describe('routes', () => {
  it('round-trips every screen through the hash', () => {
    const routes: Route[] = [
      { screen: 'overview' },
      { screen: 'login', url: null },
      { screen: 'login', url: 'https://acme.jfrog.io/' },
      { screen: 'login', url: 'http://acme.example.com/', fromLink: true },
      { screen: 'instance', id: 'acme.jfrog.io/x y', tab: 'token' },
      { screen: 'instance', id: 'acme', tab: 'tools' },
      { screen: 'migrate' },
      { screen: 'activity' },
      { screen: 'settings' },
    ];
    for (const route of routes) expect(parseHash(href(route))).toEqual(route);
  });

  it('sends unknown or broken hashes home', () => {
    expect(parseHash('')).toEqual({ screen: 'overview' });
    expect(parseHash('#/nowhere')).toEqual({ screen: 'overview' });
    expect(parseHash('#/instance/%E0%A4%A')).toEqual({ screen: 'overview' });
  });
});

describe('migration risk', () => {
  const plain = { managed: false, stale: false };

  it('ranks API keys, passwords and eternal tokens high', () => {
    expect(risk({ ...plain, kind: 'api-key', expiresAt: null, works: 'yes' }).level).toBe('high');
    expect(risk({ ...plain, kind: 'password', expiresAt: null, works: null }).level).toBe('high');
    expect(risk({ ...plain, kind: 'access-token', expiresAt: null, works: null }).level).toBe(
      'high',
    );
    expect(risk({ ...plain, kind: 'access-token', expiresAt: 5, works: null }).level).toBe(
      'medium',
    );
    expect(risk({ ...plain, kind: 'env-reference', expiresAt: null, works: null }).level).toBe(
      'none',
    );
    expect(risk({ ...plain, kind: 'api-key', expiresAt: null, works: 'no' }).level).toBe('low');
  });

  it('calls Artikey’s own entries managed, and a stale copy in one a risk to migrate', () => {
    const token = { kind: 'access-token', expiresAt: 5, works: null } as const;
    expect(risk({ ...token, managed: true, stale: false })).toMatchObject({
      level: 'managed',
      label: 'Managed by Artikey',
    });
    expect(risk({ ...token, managed: false, stale: true })).toMatchObject({
      level: 'medium',
      label: 'Stale copy',
    });
    expect(toMigrate({ instanceId: 'acme', managed: true })).toBe(false);
    expect(toMigrate({ instanceId: 'acme', managed: false })).toBe(true);
    expect(toMigrate({ instanceId: null, managed: false })).toBe(false);
  });
});
