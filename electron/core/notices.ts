/**
 * Which warnings are due, as a pure function of the tokens, the settings and the time, so the
 * tray, the CLI agent and the tests all agree. The caller shows the notices, persists their
 * `covers` keys as seen, and sleeps until `nextWakeAt`.
 */
export type NoticeKind = 'expiring' | 'expired' | 'login-required' | 'revoked';
export type NoticeAction = 'log-in-again' | 'open-instance' | 'dismiss';

export interface NoticeSubject {
  id: string;
  name: string;
  tokenId: string | null;
  /** Seconds since the epoch; null = never expires. */
  expiresAt: number | null;
  refreshable: boolean;
  refreshError: { code: string; message: string } | null;
  revocation: 'active' | 'revoked' | 'not-persisted' | 'unknown';
}

export interface Notice {
  /** Stable per token and threshold: shown once, never again. */
  key: string;
  /** Keys this notice makes redundant (the 7-day warning once the 1-hour one is shown). */
  covers: string[];
  instanceId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  actions: NoticeAction[];
}

export interface NoticeSettings {
  /** Seconds before expiry to warn about tokens that will not refresh themselves. */
  warnBeforeSeconds: number[];
}

export interface NoticePlan {
  due: Notice[];
  /** Seconds since the epoch of the next threshold; null when nothing is ever due. */
  nextWakeAt: number | null;
}

export function planNotices(
  subjects: NoticeSubject[],
  settings: NoticeSettings,
  now: number,
  shown: ReadonlySet<string>,
): NoticePlan {
  const due: Notice[] = [];
  let nextWakeAt: number | null = null;
  const wakeAt = (at: number): void => {
    if (at > now && (nextWakeAt === null || at < nextWakeAt)) nextWakeAt = at;
  };
  for (const subject of subjects) {
    const token = subject.tokenId ?? 'token';
    const key = (what: string): string => `${subject.id}:${token}:${what}`;
    const push = (
      kind: NoticeKind,
      what: string,
      title: string,
      body: string,
      actions: NoticeAction[],
      covers: string[] = [],
    ): void => {
      if (!shown.has(key(what)))
        due.push({ key: key(what), covers, instanceId: subject.id, kind, title, body, actions });
    };
    if (subject.revocation === 'revoked') {
      push(
        'revoked',
        'revoked',
        `${subject.name}: token revoked`,
        'The server no longer accepts this token. Log in again to keep your tools working.',
        ['log-in-again', 'dismiss'],
      );
      continue;
    }
    const expired = subject.expiresAt !== null && subject.expiresAt <= now;
    if (subject.refreshError?.code === 'login-required') {
      push(
        'login-required',
        'login-required',
        `${subject.name}: log in again`,
        `Artikey can no longer refresh the token (${subject.refreshError.message}).`,
        ['log-in-again', 'open-instance', 'dismiss'],
      );
    }
    if (subject.expiresAt === null) continue;
    if (expired) {
      const retrying = subject.refreshable && subject.refreshError?.code !== 'login-required';
      push(
        'expired',
        'expired',
        `${subject.name}: token expired`,
        retrying
          ? subject.refreshError
            ? `The last refresh failed (${subject.refreshError.message}); Artikey will keep trying.`
            : 'Artikey has not refreshed it in time and will keep trying.'
          : 'Tools using this instance are refused until you log in again.',
        retrying ? ['open-instance', 'dismiss'] : ['log-in-again', 'dismiss'],
      );
      continue;
    }
    wakeAt(subject.expiresAt);
    // A token that refreshes itself needs no countdown; one that cannot (pasted, or refresh failing for good) does.
    if (subject.refreshable && subject.refreshError?.code !== 'login-required') continue;
    const thresholds = [...new Set(settings.warnBeforeSeconds.filter((s) => s > 0))].sort(
      (a, b) => b - a,
    );
    const passed = thresholds.filter((t) => now >= subject.expiresAt! - t);
    for (const t of thresholds) wakeAt(subject.expiresAt - t);
    const urgent = passed.at(-1);
    if (urgent !== undefined) {
      const left = subject.expiresAt - now;
      push(
        'expiring',
        `expiring-${urgent}`,
        `${subject.name}: token expires in ${duration(left)}`,
        'It cannot be refreshed automatically. Log in again before it expires.',
        ['log-in-again', 'dismiss'],
        passed.slice(0, -1).map((t) => key(`expiring-${t}`)),
      );
    }
  }
  return { due, nextWakeAt };
}

function duration(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Math.floor(seconds / 86_400)} days`;
  if (seconds >= 2 * 3600) return `${Math.floor(seconds / 3600)} hours`;
  if (seconds >= 120) return `${Math.floor(seconds / 60)} minutes`;
  return 'less than 2 minutes';
}
