import { describe, expect, it } from 'vitest';
import { planNotices, type NoticeSubject } from '../../electron/core/notices.js';
import { defaultSettings } from '../../electron/core/state.js';

const DEFAULT_WARNINGS = { warnBeforeSeconds: defaultSettings().warnBeforeSeconds };

const NOW = 1_800_000_000;
const HOUR = 3600;
const DAY = 86_400;

const subject = (overrides: Partial<NoticeSubject> = {}): NoticeSubject => ({
  id: 'acme.jfrog.io',
  name: 'acme',
  tokenId: 't1',
  expiresAt: NOW + 30 * DAY,
  refreshable: false,
  refreshError: null,
  revocation: 'active',
  ...overrides,
});
const plan = (subjects: NoticeSubject[], now = NOW, shown: Iterable<string> = []) =>
  planNotices(subjects, DEFAULT_WARNINGS, now, new Set(shown));

describe('planNotices', () => {
  it('says nothing about a token far from expiry, and wakes at the first threshold', () => {
    expect(plan([subject()])).toEqual({ due: [], nextWakeAt: NOW + 23 * DAY });
  });

  it('warns at 7 days, 1 day and 1 hour before a non-refreshable token expires, each once', () => {
    const token = subject({ expiresAt: NOW + 7 * DAY });
    const first = plan([token]);
    expect(first.due).toEqual([
      {
        key: 'acme.jfrog.io:t1:expiring-604800',
        covers: [],
        instanceId: 'acme.jfrog.io',
        kind: 'expiring',
        title: 'acme: token expires in 7 days',
        body: 'It cannot be refreshed automatically. Log in again before it expires.',
        actions: ['log-in-again', 'dismiss'],
      },
    ]);
    expect(first.nextWakeAt).toBe(NOW + 6 * DAY);
    expect(plan([token], NOW + HOUR, ['acme.jfrog.io:t1:expiring-604800']).due).toEqual([]);
    const dayBefore = plan([token], NOW + 6 * DAY, ['acme.jfrog.io:t1:expiring-604800']);
    expect(dayBefore.due.map((n) => [n.key, n.title])).toEqual([
      ['acme.jfrog.io:t1:expiring-86400', 'acme: token expires in 24 hours'],
    ]);
    expect(dayBefore.nextWakeAt).toBe(NOW + 7 * DAY - HOUR);
  });

  it('shows only the most urgent warning after a long sleep, covering the ones it replaces', () => {
    const token = subject({ expiresAt: NOW + 30 * 60 });
    const { due } = plan([token]);
    expect(due.map((n) => n.key)).toEqual(['acme.jfrog.io:t1:expiring-3600']);
    expect(due[0]?.covers).toEqual([
      'acme.jfrog.io:t1:expiring-604800',
      'acme.jfrog.io:t1:expiring-86400',
    ]);
    expect(due[0]?.title).toBe('acme: token expires in 30 minutes');
  });

  it('gives a token that refreshes itself no countdown, only the wake-up at expiry', () => {
    expect(plan([subject({ refreshable: true, expiresAt: NOW + HOUR / 2 })])).toEqual({
      due: [],
      nextWakeAt: NOW + HOUR / 2,
    });
  });

  it('tells once when a token expired: "will retry" while refresh may still work, "log in again" otherwise', () => {
    const retrying = plan([subject({ refreshable: true, expiresAt: NOW - 10 })]).due;
    expect(retrying.map((n) => [n.kind, n.body, n.actions])).toEqual([
      [
        'expired',
        'Artikey has not refreshed it in time and will keep trying.',
        ['open-instance', 'dismiss'],
      ],
    ]);
    // Only a failed refresh is blamed on the network; a server issuing tokens already due is not.
    const unreachable = plan([
      subject({
        refreshable: true,
        expiresAt: NOW - 10,
        refreshError: { code: 'network', message: 'acme.jfrog.io refused the connection' },
      }),
    ]).due;
    expect(unreachable.map((n) => n.body)).toEqual([
      'The last refresh failed (acme.jfrog.io refused the connection); Artikey will keep trying.',
    ]);
    const pasted = plan([subject({ expiresAt: NOW - 10 })]).due;
    expect(pasted.map((n) => n.actions)).toEqual([['log-in-again', 'dismiss']]);
    expect(plan([subject({ expiresAt: NOW - 10 })], NOW, ['acme.jfrog.io:t1:expired']).due).toEqual(
      [],
    );
  });

  it('warns at once when a refresh needs the user, then counts down like a pasted token', () => {
    const failing = subject({
      refreshable: true,
      expiresAt: NOW + 2 * HOUR,
      refreshError: { code: 'login-required', message: 'refresh token spent' },
    });
    const { due, nextWakeAt } = plan([failing]);
    expect(due.map((n) => [n.kind, n.actions])).toEqual([
      ['login-required', ['log-in-again', 'open-instance', 'dismiss']],
      ['expiring', ['log-in-again', 'dismiss']],
    ]);
    expect(due[0]?.body).toBe('Artikey can no longer refresh the token (refresh token spent).');
    expect(nextWakeAt).toBe(NOW + HOUR);
  });

  it('warns once on revocation and nothing else for that token', () => {
    const revoked = subject({ revocation: 'revoked', expiresAt: NOW + HOUR });
    expect(plan([revoked]).due.map((n) => n.kind)).toEqual(['revoked']);
    expect(plan([revoked], NOW, ['acme.jfrog.io:t1:revoked'])).toEqual({
      due: [],
      nextWakeAt: null,
    });
  });

  it('starts over for a new token of the same instance', () => {
    const seen = ['acme.jfrog.io:t1:expiring-3600'];
    expect(
      plan([subject({ tokenId: 't2', expiresAt: NOW + 10 * 60 })], NOW, seen).due.map((n) => n.key),
    ).toEqual(['acme.jfrog.io:t2:expiring-3600']);
  });

  it('never wakes for tokens that never expire, and takes the earliest wake-up across instances', () => {
    expect(plan([subject({ expiresAt: null })])).toEqual({ due: [], nextWakeAt: null });
    const a = subject({ id: 'a', expiresAt: NOW + 3 * DAY });
    const b = subject({ id: 'b', expiresAt: NOW + 2 * HOUR, refreshable: true });
    expect(plan([a, b]).nextWakeAt).toBe(NOW + 2 * HOUR);
  });

  it('honours custom thresholds, ignoring duplicates and non-positive ones', () => {
    const result = planNotices(
      [subject({ expiresAt: NOW + 20 * 60 })],
      { warnBeforeSeconds: [1800, 1800, 0, -5] },
      NOW,
      new Set(),
    );
    expect(result.due.map((n) => n.key)).toEqual(['acme.jfrog.io:t1:expiring-1800']);
  });
});
