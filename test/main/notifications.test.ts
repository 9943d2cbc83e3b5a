import { describe, expect, it } from 'vitest';
import type { Notice } from '../../electron/core/notices.js';
import { notificationSpec } from '../../electron/main/notifications.js';

const notice = (over: Partial<Notice>): Notice => ({
  key: 'acme:t1:expired',
  covers: [],
  instanceId: 'acme',
  kind: 'expired',
  title: 'acme: token expired',
  body: 'Log in again to keep Docker and npm working.',
  actions: ['log-in-again', 'dismiss'],
  ...over,
});

describe('notifications from notices', () => {
  it('offers the fixing action as a button and as the click, and stays until dismissed', () => {
    expect(notificationSpec(notice({}))).toEqual({
      title: 'acme: token expired',
      body: 'Log in again to keep Docker and npm working.',
      buttons: [{ text: 'Log in again', action: 'log-in-again' }],
      onClick: 'log-in-again',
      urgent: true,
    });
  });

  it('a warning ahead of expiry is not urgent, and opens the app when it has no action', () => {
    expect(notificationSpec(notice({ kind: 'expiring', actions: ['dismiss'] }))).toMatchObject({
      buttons: [],
      onClick: 'open-app',
      urgent: false,
    });
    expect(
      notificationSpec(notice({ kind: 'revoked', actions: ['open-instance', 'log-in-again'] })),
    ).toMatchObject({
      onClick: 'open-instance',
      buttons: [{ text: 'Open in browser' }, { text: 'Log in again' }],
    });
  });
});
