import { describe, expect, it } from 'vitest';
import type { InstanceSummary } from '../../electron/ipc/contract.js';
import {
  displayStatus,
  matches,
  searchText,
  sortByUrgency,
  STATUS,
} from '../../renderer/src/lib/status.js';

function instance(over: Partial<InstanceSummary> & { name: string }): InstanceSummary {
  return {
    id: over.name,
    platformUrl: `https://${over.name}.example.com/`,
    username: 'dev',
    loginMethod: 'browser',
    status: 'active',
    token: {
      kind: 'access-token',
      tokenId: 't',
      subject: 's',
      scopes: [],
      audience: [],
      issuer: null,
      issuedAt: 0,
      expiresAt: 10_000,
      refreshable: true,
      revocable: true,
      signature: 'verified',
    },
    expiresInSeconds: 100,
    revocation: { status: 'active', checkedAt: null },
    refreshError: null,
    tokenLifetimeSeconds: 3600,
    tools: [],
    clockOffsetSeconds: 0,
    plainHttpWarning: null,
    lifetimeNote: null,
    nextRefreshAt: null,
    logoutIncomplete: false,
    ...over,
  };
}

describe('status badge', () => {
  it('has words and a tone for every status', () => {
    for (const info of Object.values(STATUS)) {
      expect(info.label).not.toBe('');
      expect(info.explanation).toMatch(/\.$/);
    }
  });

  it('shows a network failure as offline, but never hides an expired or revoked token', () => {
    const offline = { code: 'connection-refused', message: 'refused', at: 1 };
    expect(displayStatus({ status: 'active', refreshError: offline })).toBe('offline');
    expect(displayStatus({ status: 'refresh-failing', refreshError: offline })).toBe('offline');
    expect(displayStatus({ status: 'expired', refreshError: offline })).toBe('expired');
    expect(displayStatus({ status: 'revoked', refreshError: offline })).toBe('revoked');
    const spent = { code: 'login-required', message: 'Log in again', at: 1 };
    expect(displayStatus({ status: 'refresh-failing', refreshError: spent })).toBe(
      'refresh-failing',
    );
  });

  it('shows an unfinished logout above whatever the token does, first in the list and findable', () => {
    const offline = { code: 'connection-refused', message: 'refused', at: 1 };
    for (const status of ['active', 'revoked', 'expired'] as const)
      expect(displayStatus({ status, refreshError: offline, logoutIncomplete: true })).toBe(
        'logout-incomplete',
      );
    expect(STATUS['logout-incomplete'].explanation).toBe(
      'Logout incomplete — log out again to finish.',
    );
    const list = [
      instance({ name: 'revoked', status: 'revoked' }),
      instance({ name: 'half', logoutIncomplete: true }),
    ];
    expect(sortByUrgency(list).map((i) => i.name)).toEqual(['half', 'revoked']);
    expect(
      matches(searchText(instance({ name: 'half', logoutIncomplete: true })), 'logout incomplete'),
    ).toBe(true);
  });
});

describe('urgency order', () => {
  it('puts broken first, then expiring, then the soonest to expire, then by name', () => {
    const list = [
      instance({ name: 'calm-late', token: { ...instance({ name: 'x' }).token, expiresAt: 9000 } }),
      instance({ name: 'never', token: { ...instance({ name: 'x' }).token, expiresAt: null } }),
      instance({ name: 'calm-soon', token: { ...instance({ name: 'x' }).token, expiresAt: 5000 } }),
      instance({ name: 'expiring', status: 'expiring' }),
      instance({ name: 'revoked', status: 'revoked' }),
      instance({ name: 'expired', status: 'expired' }),
      instance({ name: 'b-failing', status: 'refresh-failing' }),
      instance({ name: 'a-failing', status: 'refresh-failing' }),
    ];
    expect(sortByUrgency(list).map((i) => i.name)).toEqual([
      'revoked',
      'expired',
      'a-failing',
      'b-failing',
      'expiring',
      'calm-soon',
      'calm-late',
      'never',
    ]);
    // Names compare as people read them: numbers by value, case ignored.
    const named = ['team-10', 'Team-9', 'team-100'].map((name) =>
      instance({ name, token: { ...instance({ name: 'x' }).token, expiresAt: 1 } }),
    );
    expect(sortByUrgency(named).map((i) => i.name)).toEqual(['Team-9', 'team-10', 'team-100']);
  });
});

describe('filter', () => {
  const text = searchText(
    instance({
      name: 'Acme Prod',
      username: 'jane',
      status: 'expiring',
      tools: [
        {
          kind: 'npm',
          path: '/h/.npmrc',
          description: '',
          holdsToken: true,
          writtenAt: null,
          error: null,
        },
      ],
    }),
  );
  it('matches every word anywhere, ignoring case', () => {
    expect(matches(text, '')).toBe(true);
    expect(matches(text, 'acme')).toBe(true);
    expect(matches(text, 'PROD jane')).toBe(true);
    expect(matches(text, 'expiring npm')).toBe(true);
    expect(matches(text, 'acme maven')).toBe(false);
  });
});
