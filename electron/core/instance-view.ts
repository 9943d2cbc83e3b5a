import { plainHttpWarning } from './plain-http.js';
import type { InstanceRecord, LoginMethod, Settings, TokenFacts } from './state.js';
import type { TargetRecord } from './targets/target-record.js';
import { lifetimeNote, wantedLifetime } from './token-lifetime.js';
import { tokenStatus, type TokenStatus } from './tokens.js';

/** What the UI, the tray and the CLI show for one instance. No secret in it. */
export interface InstanceView {
  id: string;
  name: string;
  platformUrl: string;
  username: string | null;
  loginMethod: LoginMethod;
  status: TokenStatus;
  token: TokenFacts;
  /** Seconds until expiry; negative once expired; null when it never expires. */
  expiresInSeconds: number | null;
  revocation: InstanceRecord['revocation'];
  refreshError: InstanceRecord['refreshError'];
  tokenLifetimeSeconds: number;
  /** How often a running Artikey replaces the token while the machine is awake (see token-lifetime.ts). */
  rotationIntervalSeconds: number;
  /** Set when the server does not give the lifetime asked (capped it, or ignored it on refresh). */
  lifetimeNote: string | null;
  /** Tool files holding (or pointing at) this instance's credentials. */
  targets: TargetRecord[];
  /** The server's clock minus ours, in seconds (0 when they agree within a few seconds). */
  clockOffsetSeconds: number;
  /** Set when the instance is plain http:// on another machine: its tokens cross the network in clear. */
  plainHttpWarning: string | null;
  /** A logout stopped part-way; logging out again completes it. */
  logoutIncomplete: boolean;
}

export interface ViewContext {
  /** The server could not be reached when this view was made. */
  offline?: boolean;
  /** Why the keychain cannot give the token, found without reading it (see list()). */
  secretProblem?: InstanceRecord['refreshError'];
}

/** The record as people see it, judged at `localSeconds` on our clock. */
export function instanceView(record: InstanceRecord, settings: Settings, localSeconds: number, context: ViewContext = {}): InstanceView {
  // Expiry is the server's clock: judge it by our clock corrected for the difference.
  const now = localSeconds + record.clockOffsetSeconds;
  const refreshError = context.secretProblem ?? record.refreshError;
  return {
    id: record.id,
    name: record.name,
    platformUrl: record.platformUrl,
    username: record.username,
    loginMethod: record.loginMethod,
    status: tokenStatus(
      {
        expiresAt: record.token.expiresAt,
        refreshable: record.token.refreshable,
        revocable: record.token.revocable,
        revocation: record.revocation.status,
        refreshFailing: refreshError !== null,
        offline: context.offline ?? false,
      },
      now,
      settings.expiringThresholdSeconds,
    ),
    token: record.token,
    expiresInSeconds: record.token.expiresAt === null ? null : record.token.expiresAt - now,
    revocation: record.revocation,
    refreshError,
    tokenLifetimeSeconds: wantedLifetime(record, settings),
    rotationIntervalSeconds: settings.rotationIntervalSeconds,
    lifetimeNote: lifetimeNote(record, settings),
    targets: record.targets,
    clockOffsetSeconds: record.clockOffsetSeconds,
    plainHttpWarning: plainHttpWarning(record.platformUrl),
    logoutIncomplete: record.loggingOut !== undefined,
  };
}
