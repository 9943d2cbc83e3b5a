// The refresh engine at scale, for `npm run bench`: 1,000 refreshable tokens issued by the fake
// Artifactory, kept by one RefreshScheduler whose refreshes are real HTTP refreshes (single-use
// refresh tokens, rotated by the fake). The tokens live in memory here: the figures are about the
// engine (timers, wake-ups, memory, concurrency), not the keychain.
import { AccessClient } from '../../electron/core/access.js';
import type { InstanceView, RefreshOutcome } from '../../electron/core/artikey.js';
import { createHttpClient } from '../../electron/core/http.js';
import { RefreshScheduler } from '../../electron/core/refresh-scheduler.js';
import { DEFAULT_ROTATION_SECONDS } from '../../electron/core/state.js';
import { decodeAccessToken } from '../../electron/core/tokens.js';
import { startFakeArtifactory } from '../../test/fake-artifactory/server.js';

const COUNT = 1000;
const fake = await startFakeArtifactory();
const client = new AccessClient(createHttpClient({ env: {} }), `${fake.url}/`);
const pairs = new Map<string, { access: string; refresh: string }>();

const view = (id: string): InstanceView => {
  const claims = decodeAccessToken(pairs.get(id)!.access);
  const now = Math.floor(Date.now() / 1000);
  return {
    id,
    name: id,
    platformUrl: `${fake.url}/`,
    username: 'alice',
    loginMethod: 'password',
    status: 'active',
    token: {
      kind: 'access-token',
      tokenId: claims.tokenId,
      subject: claims.subject,
      scopes: claims.scopes,
      audience: claims.audience,
      issuer: claims.issuer,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
      refreshable: true,
      revocable: true,
      signature: 'not-checked',
    },
    expiresInSeconds: claims.expiresAt === null ? null : claims.expiresAt - now,
    revocation: { status: 'active', checkedAt: null },
    refreshError: null,
    tokenLifetimeSeconds: 3600,
    // The default: with hourly rotation every token would be due within the measured hour.
    rotationIntervalSeconds: DEFAULT_ROTATION_SECONDS,
    lifetimeNote: null,
    targets: [],
    clockOffsetSeconds: 0,
    plainHttpWarning: null,
    logoutIncomplete: false,
  };
};

let inFlight = 0;
let maxInFlight = 0;
let refreshes = 0;
const host = {
  list: () => Promise.resolve([...pairs.keys()].map(view)),
  async refreshIfDue(id: string): Promise<RefreshOutcome> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const pair = pairs.get(id)!;
      const grant = await client.refreshToken(pair.access, pair.refresh);
      pairs.set(id, { access: grant.accessToken, refresh: grant.refreshToken ?? pair.refresh });
      refreshes++;
      return { view: view(id), refreshed: true };
    } finally {
      inFlight--;
    }
  },
};

const setTimer = (run: () => void, ms: number): NodeJS.Timeout => setTimeout(run, ms).unref();
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

// Staggered expiries between 2 and 26 hours: nothing is due during the measured hour.
for (let i = 0; i < COUNT; i++) {
  const token = fake.issueToken({
    username: 'alice',
    expiresIn: 7200 + Math.floor((i * 86_400) / COUNT),
    refreshable: true,
  });
  pairs.set(`instance-${i}`, { access: token.jwt, refresh: token.refreshToken! });
}
const idle = new RefreshScheduler({
  host,
  logger: quiet,
  setTimer,
  clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
});
const rssBefore = process.memoryUsage().rss;
await idle.recheck();
// The engine wakes only for its timers (no polling), so the wake-ups of the next hour are the timers due in it.
const timers = idle.nextRefreshes().size;
const hourFromNow = Date.now() / 1000 + 3600;
const wakeUpsNextHour = [...idle.nextRefreshes().values()].filter((at) => at <= hourFromNow).length;
const firstDue = Math.min(...idle.nextRefreshes().values()) * 1000 - Date.now();
const rss = process.memoryUsage().rss;
idle.stop();

// The burst: all 1,000 due at once, as after a long sleep: hour-long tokens issued 58 minutes ago.
fake.clock.set(Date.now() - 3480_000);
for (const id of pairs.keys()) {
  const token = fake.issueToken({ username: 'alice', expiresIn: 3600, refreshable: true });
  pairs.set(id, { access: token.jwt, refresh: token.refreshToken! });
}
fake.clock.set(Date.now());
const burst = new RefreshScheduler({
  host,
  logger: quiet,
  setTimer,
  clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
});
const started = process.hrtime.bigint();
await burst.recheck();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
burst.stop();
await fake.stop();

process.stdout.write(
  JSON.stringify({
    tokens: COUNT,
    timersWhileIdle: timers,
    wakeUpsNextHour,
    firstRefreshInMinutes: Math.round(firstDue / 60_000),
    rssMb: Math.round(rss / 1024 / 1024),
    rssGrowthMb: Math.round((rss - rssBefore) / 1024 / 1024),
    burstSeconds: Number(seconds.toFixed(2)),
    burstRefreshes: refreshes,
    maxInFlight,
  }) + '\n',
);
