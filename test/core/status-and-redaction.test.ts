import { describe, expect, it } from 'vitest';
import { ago, expiryPhrase, parseDuration, relative, scopeLabel } from '../../electron/cli/format.js';
import { HttpError } from '../../electron/core/http.js';
import { createLogger, redact } from '../../electron/core/logger.js';
import { unreachableReason } from '../../electron/core/unreachable.js';
import { tokenStatus, type StatusInput } from '../../electron/core/tokens.js';

const NOW = 1_800_000_000;
const DAY = 86_400;
const base: StatusInput = { expiresAt: NOW + 30 * DAY, refreshable: true, revocable: true, revocation: 'active', refreshFailing: false, offline: false };

describe('tokenStatus', () => {
  it.each<[string, Partial<StatusInput>, string]>([
    ['healthy', {}, 'active'],
    ['revoked outranks everything', { revocation: 'revoked', expiresAt: NOW - 1, refreshFailing: true }, 'revoked'],
    ['expired', { expiresAt: NOW }, 'expired'],
    ['refresh failing', { refreshFailing: true }, 'refresh-failing'],
    ['near expiry and not refreshable', { refreshable: false, expiresAt: NOW + 3600 }, 'expiring'],
    ['near expiry but refreshable is routine', { expiresAt: NOW + 3600 }, 'active'],
    ['offline', { offline: true }, 'unknown'],
    ['below the revocable threshold', { revocable: false }, 'not-revocable'],
    ['never expires', { expiresAt: null, refreshable: false }, 'active'],
  ])('%s', (_, change, expected) => {
    expect(tokenStatus({ ...base, ...change }, NOW, DAY)).toBe(expected);
  });
});

describe('redaction', () => {
  const jwt = 'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIn0.eyJzdWIiOiJqZmFjQDAxL3VzZXJzL2FsaWNlIn0.c2lnbmF0dXJlLXZhbHVl';
  const reference = `cmVmd${'A'.repeat(59)}`;
  const apiKey = `AKCp8${'b'.repeat(68)}`;

  it('removes every credential shape from a line', () => {
    const line = redact(`got ${jwt} and ${reference} and ${apiKey}; header Bearer abcdefgh12345678; url ?token=zzz&x=1`);
    for (const secret of [jwt, reference, apiKey, 'abcdefgh12345678', 'zzz']) expect(line).not.toContain(secret);
    expect(line).toContain('?token=[redacted]&x=1');
  });

  it('names the logger and redacts what it writes', () => {
    const lines: string[] = [];
    createLogger('refresh', (line) => lines.push(line)).warn(`refresh of acme failed with ${jwt}`);
    expect(lines).toEqual(['warn [refresh] refresh of acme failed with [redacted]']);
  });
});

describe('CLI formatting', () => {
  it('speaks of time relatively', () => {
    expect(relative(3 * 3600 + 5)).toBe('in 3 h');
    expect(relative(-80)).toBe('1 min ago');
    expect(relative(3 * DAY)).toBe('in 3 d');
    expect(relative(null)).toBe('never');
  });

  it('rounds to the nearest unit, as a countdown is read (issue 17)', () => {
    // A 12-hour token a second after login: not "in 11 h".
    expect(relative(12 * 3600 - 1)).toBe('in 12 h');
    expect(relative(11 * 3600 + 29 * 60)).toBe('in 11 h');
    // A tie goes to the smaller: never half a unit more than is left.
    expect(relative(90)).toBe('in 1 min');
    expect(relative(45)).toBe('in 45 s');
    // Close to the next unit, said in it: not "in 60 min".
    expect(relative(3590)).toBe('in 1 h');
    expect(relative(23 * 3600 + 40 * 60)).toBe('in 1 d');
    // Never "in 0 s".
    expect(relative(0)).toBe('now');
    expect(ago(0)).toBe('just now');
    expect(ago(59)).toBe('just now');
    expect(ago(3600)).toBe('1 h ago');
  });

  it('parses durations as users type them', () => {
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('7d')).toBe(7 * DAY);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('0')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('labels scopes for people', () => {
    expect(scopeLabel('applied-permissions/groups:readers,dev')).toBe('groups: readers, dev');
    expect(scopeLabel('applied-permissions/user')).toBe('user permissions');
    expect(scopeLabel('artifact:npm-virtual:r')).toBe('artifact:npm-virtual:r');
  });

  it('phrases expiry', () => {
    const view = { expiresInSeconds: -7200 } as Parameters<typeof expiryPhrase>[0];
    expect(expiryPhrase(view)).toBe('expired 2 h ago');
    const phrase = (expiresInSeconds: number): string => expiryPhrase({ expiresInSeconds } as Parameters<typeof expiryPhrase>[0]);
    expect(phrase(-3600)).toBe('expired 1 h ago');
    expect(phrase(0)).toBe('expired just now');
    expect(phrase(12 * 3600 - 2)).toBe('expires in 12 h');
  });
});

describe('why a server could not be reached (issue 17)', () => {
  it('says it in the few words a status line has', () => {
    const url = 'https://arti.corp:8443/';
    expect(unreachableReason(new HttpError('connection-refused', 'refused'), url)).toBe('connection refused to arti.corp:8443');
    expect(unreachableReason(new HttpError('timeout', 'slow'), url)).toBe('no answer from arti.corp:8443 in time (timed out)');
    expect(unreachableReason(new HttpError('host-not-found', 'The host arti.corp could not be found (DNS).'), url)).toBe('the host arti.corp could not be found (DNS)');
  });
});
