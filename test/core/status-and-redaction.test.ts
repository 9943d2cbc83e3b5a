import { describe, expect, it } from 'vitest';
import { expiryPhrase, parseDuration, relative, scopeLabel } from '../../electron/cli/format.js';
import { createLogger, redact } from '../../electron/core/logger.js';
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
    expect(relative(-90)).toBe('1 min ago');
    expect(relative(3 * DAY)).toBe('in 3 d');
    expect(relative(null)).toBe('never');
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
  });
});
