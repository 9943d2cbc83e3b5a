import type { FakeConfig } from './config.js';

/**
 * The Artifactory release each part of the API first appeared in, so the fake can play an older
 * server from `artifactoryVersion` alone: what a version lacks answers as an old server answers.
 */
export const SINCE = {
  /** `/access/api/v1/tokens` (create, list, get, revoke): REST "Create Token", "Get Tokens", "Get Token by ID", "Revoke Token by ID" ("Since: 7.21.1"). */
  tokensApi: '7.21.1',
  /** `grant_type=refresh_token` on the same endpoint: REST "Refresh Token" ("Since: 7.37.9"). */
  refresh: '7.37.9',
  /** `/access/api/v1/tokens/me`: REST "Get Token by ID" and "Revoke Token by ID" ("From Artifactory release 7.53.1, … me"). */
  currentToken: '7.53.1',
  /** `refresh-expiry`, refreshing an expired token: REST "Refresh Token" ("Starting from Artifactory version 7.59.5"). */
  refreshGrace: '7.59.5',
  /** Basic user:password on Create Token: docs.jfrog.com "Create Token" ("From Artifactory 7.63.2, users with basic credentials can create tokens"). */
  basicTokenCreation: '7.63.2',
  /**
   * Browser login (`/access/api/v2/authentication/jfrog_client_login/…`): jfrog-cli-core
   * `artifactory/utils/weblogin.go` ("only supported for Artifactory version 7.64.0 and above").
   */
  browserLogin: '7.64.0',
} as const;

export type VersionedFeature = keyof typeof SINCE;

/** `7.104.5` → [7, 104, 5]; anything unreadable counts as the newest (no gate applies). */
function parts(version: string): number[] {
  const found = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return found ? [Number(found[1]), Number(found[2]), Number(found[3] ?? 0)] : [Infinity, 0, 0];
}

export function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export const supports = (config: FakeConfig, feature: VersionedFeature): boolean => atLeast(config.artifactoryVersion, SINCE[feature]);

/** The grace after expiry a refresh still works in: none before the release that added it. */
export const refreshGrace = (config: FakeConfig): number => (supports(config, 'refreshGrace') ? config.refreshGraceSeconds : 0);

/**
 * Whether a path belongs to an API the configured version does not have yet, so it answers as any
 * unknown path does (the CLI's web-login failure and the vault plugin's "we get 404 codes if we try
 * to generate a user token" before 7.21, jfrog/vault-plugin-secrets-artifactory PR #44, are both a 404).
 */
export function absentInVersion(config: FakeConfig, path: string): boolean {
  if (/^\/access\/api\/v1\/tokens(\/|$)/.test(path)) return !supports(config, 'tokensApi');
  if (path.startsWith('/access/api/v2/authentication/jfrog_client_login/')) return !supports(config, 'browserLogin');
  return false;
}
