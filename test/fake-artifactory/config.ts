/**
 * The server-side knobs of access.config.yml and friends that change what a client sees. Every
 * behaviour the API notes mark UNCONFIRMED is a knob here, so the client can be tested against
 * each plausible variant.
 */
export interface FakeConfig {
  /**
   * The release the fake plays. Parts of the API newer than it are absent, as on that server
   * (versions.ts lists each with its source); browser login, for one, exists from 7.64.0.
   */
  artifactoryVersion: string;
  /** token.default-expiry: lifetime when a create request names none (seconds). */
  defaultExpirySeconds: number;
  /** token.max-expiry: 0 = unlimited; above 0 forbids longer and non-expiring tokens for non-admins. */
  maxExpirySeconds: number;
  /** token.allow-refreshable */
  allowRefreshable: boolean;
  /**
   * token.refresh-expiry (7.59.5+): grace after expiry during which a refresh token still works.
   * JFrog's pages disagree on its default: the REST doc "Refresh Token" says "it is possible to
   * enable a grace period ... To enable it, set the refresh-expiry parameter" (off unless set),
   * while the admin page "Access Tokens › Grace Period for Extending an Expired Token" says "The
   * default setting for this parameter is 24 hours". The fake takes the stricter reading, 0, so
   * nothing in Artikey may depend on a grace; tests of the 24-hour reading set 86 400. Outside the
   * grace the refresh token is answered as an unknown one (404 NOT_FOUND, "Token matching the
   * provided refresh token was not found.", the message jfrog-cli#2490 quotes for a spent one): a
   * guess, as is whether an expired bearer gets 401 first (`acceptExpiredBearerOnRefresh`).
   */
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
   * Permissive knob, off as on a real server: "Enable Token Generation via API" (admin doc of that
   * name, 7.63.2+), letting Basic user:password (or user:apikey) create tokens, for internal users
   * without MFA [REST "Create Token"]. Off, the server answers 401 "Unsupported authentication
   * method Basic" (JFrog KB 000006692; see routes/access-tokens.ts). Only on 7.63.2 and later
   * whatever this says. Basic authentication is off by default wherever LDAP is configured (JFrog
   * "LDAP": "Enabling LDAP disables internal password authentication by default"; "Disable Basic
   * Authentication Method"); the 7.104 from which this holds is from our API notes, not a JFrog
   * page we could check. Tests of the password login opt in; the others log in through the
   * browser (server.ts `approveBrowserLoginsAs`).
   */
  allowBasicAuthTokenCreation: boolean;
  /** Since 7.12 the root certificate needs an admin bearer token. */
  rootCertificateRequiresAdmin: boolean;
  /**
   * API keys are end-of-life; off makes the server refuse them entirely, as "Disable API Key
   * Usage" does (cloud checkbox from 7.107.1) or `security.authentication.disable-api-key-authentication`
   * (self-hosted, from 7.84) (JFrog "API Key Deprecation Process").
   */
  apiKeysEnabled: boolean;
  /** Whether Docker/npm/Maven Basic auth with a token needs the token's own username. */
  basicUsernameMustMatchToken: boolean;
  /** Lifetime of a browser-login session before it is dropped. */
  webLoginSessionSeconds: number;
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
  /**
   * The claims of the JWTs this server signs, in the shapes seen in the wild (see TokenShape).
   * The default is the Access token of REST "Create Token" with `ext` as JFrog's own fixtures carry it.
   */
  tokenShape: TokenShape;
  /**
   * "Allow Anonymous Access", off as on a default-configured server (JFrog Platform Administration
   * "Allow Anonymous Access": "from JFrog Artifactory release 6.12, anonymous access is disabled by
   * default"). Off, `/artifactory/api/system/version` answers an anonymous caller 401, as 7.90.8
   * did ("requires user authentication on everything except ping", jfrog/vault-plugin-secrets-artifactory#217).
   */
  anonymousAccess: boolean;
  /**
   * A guess either way: whether a request authenticated by an API key (X-JFrog-Art-Api, or Basic
   * user:key) may create an Access token. JFrog documents Bearer and Basic user:password for
   * Create Token and says nothing of API keys; its own CLI refuses to create tokens without an
   * access token (jfrog/jfrog-cli#2547). Off: the key still works for other requests, and the
   * token endpoint answers it 403.
   */
  apiKeyTokenCreation: boolean;
  /**
   * The lifetime of a refreshed token, which JFrog does not document. `asked`: the `expires_in` a
   * refresh carries is applied as on create (REST doc "Refresh Token": "For all other parameters,
   * see Create Token"), and without one the old token's lifetime is kept, as the deprecated
   * Artifactory refresh documents ("Refresh Token (Deprecated)": the new token inherits the old
   * one's settings) and jfrog-cli-core relies on (`utils/config/tokenrefresh.go` refreshes with no
   * `expires_in`). `original`: `expires_in` ignored, the old lifetime kept. `server-default`:
   * `expires_in` ignored, token.default-expiry applied (a year by default) — the case Artikey warns
   * about. `asked` is a guess from the docs; the other two cover the alternatives.
   */
  refreshLifetime: 'asked' | 'original' | 'server-default';
  /**
   * What a non-admin request for more than token.max-expiry gets. `refuse`: 403, as the REST doc
   * "Create Token" lists among its errors (an expiry above the admin's limit); `cap`: a token limited to max-expiry,
   * as "Recommended Configurations" words it ("the user's token expiry will be limited to the
   * max-expiry value"). The pages disagree; `refuse` is the default as the stricter one.
   */
  maxExpiryExceeded: 'refuse' | 'cap';
  /**
   * Not a default: `GET /api/repositories` answered 403 whoever asks. JFrog documents the listing
   * as open to any user ("Requires a privileged user (can be anonymous)", REST "Get Repositories")
   * and a default server lists the repositories the caller may read, `[]` when none; a 403 comes
   * from what stands in front of or around it (a proxy rule, a token whose scope or audience
   * leaves the listing out), which this knob plays.
   */
  repositoryListForbidden: boolean;
}

/**
 * Which variant of each claim the fake writes. Each is a shape JFrog's servers issue; none is
 * documented as a contract, so the core must read them all.
 */
export interface TokenShape {
  /**
   * `ext` (a JSON string, `{"revocable":"true"}`) is written: it is in the Access tokens of
   * jfrog/vault-plugin-secrets-artifactory `test_utils.go`, and absent from all three tokens of
   * jfrog-client-go `auth/authutils_test.go` (a legacy `jfrt@` token, a `jffe@000` one and an
   * Access token with an OIDC-style subject).
   */
  ext: boolean;
  /**
   * `iss`: `access` is the Access service id `jfac@<id>` (REST "Get Token by ID" sample; vault
   * plugin fixtures); `frontend` is the platform UI's `jffe@000` (jfrog-client-go
   * `auth/authutils_test.go` token4), which signs tokens the UI hands out.
   */
  issuer: 'access' | 'frontend';
  /**
   * The prefix of `sub` before `/users/<name>`: `access` is `jfac@<id>`, `frontend` is `jffe@000`
   * (token4 above). `issuer: 'frontend'` with `subject: 'access'` is the mixed form issue 15 reports
   * (`iss` jffe@…, `sub` jfac@…), not seen in a public fixture: a guess this knob covers.
   */
  subject: 'access' | 'frontend';
  /**
   * `aud` when the request names none: `string` is the documented default `*@*` (REST "Create
   * Token": audience defaults to `*@*`); `array` is the list of token4 above,
   * `["jfrt@*","jfmd@*","jfevt@*","jfac@*"]`. A requested audience is written as given.
   */
  audience: 'string' | 'array';
}

export const defaultConfig = (): FakeConfig => ({
  artifactoryVersion: '7.104.5',
  defaultExpirySeconds: 31_536_000,
  maxExpirySeconds: 0,
  allowRefreshable: true,
  refreshGraceSeconds: 0,
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
  registryTokenSeconds: 3600,
  maxRequestBodyBytes: 1024 * 1024,
  issuedTokensExpireAfterSeconds: null,
  refreshReplyWithoutRefreshToken: false,
  refreshReplyAccessToken: 'jwt',
  tokenShape: { ext: true, issuer: 'access', subject: 'access', audience: 'string' },
  anonymousAccess: false,
  apiKeyTokenCreation: true,
  refreshLifetime: 'asked',
  maxExpiryExceeded: 'refuse',
  repositoryListForbidden: false,
});
