import type { InstanceSummary, TokenStatus } from '../../../electron/ipc/contract.js';

/**
 * What a badge shows: the core's status, plus "offline" when the last refresh could not connect
 * and "logout incomplete" when a logout stopped part-way (the token no longer matters then).
 */
export type DisplayStatus = TokenStatus | 'offline' | 'logout-incomplete';

export interface StatusInfo {
  label: string;
  /** Colour family; the label always says the same thing in words. */
  tone: 'good' | 'warn' | 'bad' | 'neutral';
  /** One sentence for the tooltip and screen readers. */
  explanation: string;
}

const NETWORK_CODES = new Set([
  'timeout',
  'connection-refused',
  'host-not-found',
  'connection-reset',
  'network',
  'proxy',
  'tls',
]);

export const STATUS: Record<DisplayStatus, StatusInfo> = {
  active: {
    label: 'Active',
    tone: 'good',
    explanation: 'The token works and Artikey renews it before it expires.',
  },
  expiring: {
    label: 'Expiring',
    tone: 'warn',
    explanation: 'The token expires soon and cannot be renewed automatically.',
  },
  expired: {
    label: 'Expired',
    tone: 'bad',
    explanation: 'The token has expired. Log in again to get a new one.',
  },
  revoked: {
    label: 'Revoked',
    tone: 'bad',
    explanation: 'The server revoked this token. Log in again.',
  },
  'not-revocable': {
    label: 'Not revocable',
    tone: 'neutral',
    explanation: 'The server cannot revoke this token early; it stays valid until it expires.',
  },
  'refresh-failing': {
    label: 'Refresh failing',
    tone: 'bad',
    explanation:
      'Artikey could not renew the token. It keeps trying; logging in again fixes it for good.',
  },
  offline: {
    label: 'Offline',
    tone: 'warn',
    explanation:
      'The last refresh could not reach the server. Artikey retries when the network is back.',
  },
  unknown: {
    label: 'Unknown',
    tone: 'neutral',
    explanation: 'Artikey has not been able to check this token yet.',
  },
  'logout-incomplete': {
    label: 'Logout incomplete',
    tone: 'bad',
    explanation: 'Logout incomplete — log out again to finish.',
  },
};

export function displayStatus(
  instance: Pick<InstanceSummary, 'status' | 'refreshError'> &
    Partial<Pick<InstanceSummary, 'logoutIncomplete'>>,
): DisplayStatus {
  if (instance.logoutIncomplete) return 'logout-incomplete';
  const error = instance.refreshError;
  if (
    error &&
    NETWORK_CODES.has(error.code) &&
    instance.status !== 'expired' &&
    instance.status !== 'revoked'
  ) {
    return 'offline';
  }
  return instance.status;
}

const URGENCY: Record<DisplayStatus, number> = {
  'logout-incomplete': -1,
  revoked: 0,
  expired: 1,
  'refresh-failing': 2,
  expiring: 3,
  offline: 4,
  unknown: 5,
  'not-revocable': 6,
  active: 7,
};

const names = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

interface UrgencyKey {
  rank: number;
  expiresAt: number;
  name: string;
}

const urgencyKey = (i: InstanceSummary): UrgencyKey => ({
  rank: URGENCY[displayStatus(i)],
  expiresAt: i.token.expiresAt ?? Number.POSITIVE_INFINITY,
  name: i.name,
});

/** Most urgent first: broken, then expiring, then by time left; ties by name. */
function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.expiresAt !== b.expiresAt) return a.expiresAt < b.expiresAt ? -1 : 1;
  return names.compare(a.name, b.name);
}

/** The list in urgency order; each instance's key is worked out once, not per comparison. */
export function sortByUrgency(instances: readonly InstanceSummary[]): InstanceSummary[] {
  return instances
    .map((instance) => ({ instance, key: urgencyKey(instance) }))
    .sort((a, b) => compareUrgency(a.key, b.key))
    .map((entry) => entry.instance);
}

/** The text a filter matches against: name, URL, user, status and configured tools. */
export function searchText(instance: InstanceSummary): string {
  return [
    instance.name,
    instance.platformUrl,
    instance.username ?? '',
    STATUS[displayStatus(instance)].label,
    ...instance.tools.map((t) => t.kind),
  ]
    .join('\n')
    .toLowerCase();
}

/** Every word of the query must appear somewhere; an empty query matches everything. */
export function matcher(query: string): (text: string) => boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return (text) => words.every((w) => text.includes(w));
}

export const matches = (text: string, query: string): boolean => matcher(query)(text);
