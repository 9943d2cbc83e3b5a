/**
 * The server-side knobs of access.config.yml and friends that change what a client sees. Every
 * behaviour the API notes mark UNCONFIRMED is a knob here, so the client can be tested against
 * each plausible variant.
 */
export interface FakeConfig {
  artifactoryVersion: string;
  /** token.default-expiry: lifetime when a create request names none (seconds). */
  defaultExpirySeconds: number;
  /** token.max-expiry: 0 = unlimited; above 0 forbids longer and non-expiring tokens for non-admins. */
  maxExpirySeconds: number;
  /** token.allow-refreshable */
  allowRefreshable: boolean;
  /** token.refresh-expiry: grace after expiry during which a refresh token still works. */
  refreshGraceSeconds: number;
  /** Tokens shorter than this are not revocable unless force_revocable. */
  revocableThresholdSeconds: number;
  /** Tokens shorter than this are not stored: get-by-id answers 404 for them. */
  persistencyThresholdSeconds: number;
  /** Whether a refresh revokes the access token it replaces (jfrog-cli assumes it does). */
  revokeAccessTokenOnRefresh: boolean;
  /** Whether an expired access token is accepted as the bearer of its own refresh. */
  acceptExpiredBearerOnRefresh: boolean;
  /**
   * Permissive knob, off as on a real server: an Access refresh carrying no credentials at all
   * (the refresh token alone). The Access "Refresh Token" REST doc says the refresh "requires
   * authentication using credentials or an access token", and jfrog-client-go
   * (`access/services/accesstoken.go` `RefreshAccessToken`) always sends the current access token
   * as Bearer. Only the deprecated Artifactory endpoint takes the pair alone (legacy-tokens.ts).
   */
  allowUnauthenticatedRefresh: boolean;
  /**
   * Permissive knob, off as on a real server: "Enable Token Generation via API", letting Basic
   * user:password create tokens. An admin must enable it (7.63.2+, internal users only, never
   * with MFA) [REST "Create Token"; JFrog KB "unsupported authentication method basic error when
   * creating an access token"]. Basic authentication is off by default wherever LDAP is
   * configured (JFrog "LDAP": "Enabling LDAP disables internal password authentication by
   * default"; "Disable Basic Authentication Method"); the 7.104 from which this holds is from our
   * API notes, not a JFrog page we could check. Tests of the password
   * login opt in; the others log in through the browser (server.ts `approveBrowserLoginsAs`).
   */
  allowBasicAuthTokenCreation: boolean;
  /** Since 7.12 the root certificate needs an admin bearer token. */
  rootCertificateRequiresAdmin: boolean;
  /** API keys are end-of-life; turning this off makes the server refuse them entirely. */
  apiKeysEnabled: boolean;
  /** Whether Docker/npm/Maven Basic auth with a token needs the token's own username. */
  basicUsernameMustMatchToken: boolean;
  /** Lifetime of a browser-login session before it is dropped. */
  webLoginSessionSeconds: number;
  /** Minimum Artifactory version for browser login is 7.64.0; off imitates an older server. */
  webLoginEnabled: boolean;
  /** Lifetime of Docker registry bearer tokens (seconds). */
  registryTokenSeconds: number;
  /** Largest request body the fake reads (bytes). */
  maxRequestBodyBytes: number;
  /**
   * Misbehaviour, not a setting of the real server: when a number, every token issued (created
   * or refreshed) expires this many seconds after it is issued, whatever was asked for; 0 or less
   * hands out tokens already expired. Such a server once drove a client into a refresh loop.
   */
  issuedTokensExpireAfterSeconds: number | null;
  /**
   * Fault knob, not a real default: answer a refresh without `refresh_token` while still spending
   * the old one. Real Access rotates and returns a new refresh token on every refresh (jfrog-client-go
   * `tests/accesstokens_test.go` asserts it differs); a proxy rewriting the body or a broken server
   * could drop it.
   */
  refreshReplyWithoutRefreshToken: boolean;
  /**
   * Fault knob, not a real default: what `access_token` holds in a refresh reply. Real Access puts
   * the JWT there and a reference token only in `reference_token` when asked (REST "Create Token");
   * `reference` answers with the reference token itself (a form Bearer auth accepts, per
   * "What is a Reference Token?"), `opaque` with a string that is no JFrog token at all.
   */
  refreshReplyAccessToken: 'jwt' | 'reference' | 'opaque';
}

export const defaultConfig = (): FakeConfig => ({
  artifactoryVersion: '7.104.5',
  defaultExpirySeconds: 31_536_000,
  maxExpirySeconds: 0,
  allowRefreshable: true,
  refreshGraceSeconds: 86_400,
  revocableThresholdSeconds: 21_600,
  persistencyThresholdSeconds: 10_800,
  revokeAccessTokenOnRefresh: true,
  acceptExpiredBearerOnRefresh: true,
  allowUnauthenticatedRefresh: false,
  allowBasicAuthTokenCreation: false,
  rootCertificateRequiresAdmin: true,
  apiKeysEnabled: true,
  basicUsernameMustMatchToken: true,
  webLoginSessionSeconds: 600,
  webLoginEnabled: true,
  registryTokenSeconds: 3600,
  maxRequestBodyBytes: 1024 * 1024,
  issuedTokensExpireAfterSeconds: null,
  refreshReplyWithoutRefreshToken: false,
  refreshReplyAccessToken: 'jwt',
});
