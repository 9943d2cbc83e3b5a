import type { KeyObject } from 'node:crypto';
import type { FakeClock } from './clock.js';
import type { FakeConfig } from './config.js';
import { refreshGrace } from './versions.js';
import * as ids from './ids.js';
import { signJwt, verifyJwt } from './jwt.js';

/**
 * What Access keeps about the tokens it issues. Sources: REST "Create Token" (fields, defaults,
 * `force_revocable`), "Get Token by ID" / "Get Tokens" (the info object), "Refresh Token"; the
 * server-side thresholds are knobs in config.ts, which cites them.
 */
export type TokenKind = 'access' | 'legacy';

/** Everything the server knows about one issued access token. */
export interface TokenRecord {
  id: string;
  kind: TokenKind;
  username: string;
  subject: string;
  issuer: string;
  scope: string;
  audience: string | string[];
  issuedAt: number;
  /** Seconds since the epoch; null for a non-expiring token. */
  expiresAt: number | null;
  /** The lifetime asked for (seconds; 0 = non-expiring): a refresh asks for it again. */
  requestedExpiresIn: number;
  refreshable: boolean;
  /** The refresh token that can still be spent, if any. */
  refreshToken: string | undefined;
  revocable: boolean;
  /** Whether the server keeps the token (get-by-id, list). Short-lived tokens are not kept. */
  persisted: boolean;
  revoked: boolean;
  description: string | undefined;
  projectKey: string | undefined;
  referenceToken: string | undefined;
  jwt: string;
  lastUsed: number | undefined;
}

export interface IssueRequest {
  kind?: TokenKind;
  username: string;
  scope?: string;
  audience?: string | string[];
  /** Seconds; 0 = non-expiring. */
  expiresIn: number;
  refreshable?: boolean;
  description?: string;
  projectKey?: string;
  includeReferenceToken?: boolean;
  forceRevocable?: boolean;
  /**
   * Written as the JWT's `exp` instead of the NumericDate, as a broken or hostile issuer might
   * (real Access writes a number, or no `exp` for a non-expiring token). The server itself still
   * honours `expiresIn`.
   */
  expClaim?: string;
}

export type TokenLookup =
  | { ok: true; token: TokenRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'revoked' };

export type RefreshOutcome =
  | { ok: true; previous: TokenRecord; token: TokenRecord }
  | { ok: false; reason: 'not-found' | 'grace-expired' };

export class TokenStore {
  readonly #all = new Map<string, TokenRecord>();
  readonly #byJwt = new Map<string, TokenRecord>();
  readonly #byReference = new Map<string, TokenRecord>();
  readonly #byRefresh = new Map<string, TokenRecord>();
  /** Each spent refresh token and the token issued for it, so a test can follow a session's chain. */
  readonly #successors = new Map<string, TokenRecord>();
  /** How many refresh requests succeeded: the race tests count these. */
  refreshCount = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly config: FakeConfig,
    private readonly signing: { privateKey: KeyObject; publicKey: KeyObject; kid: string },
    readonly accessServiceId: string,
    readonly artifactoryServiceId: string,
  ) {}

  issue(request: IssueRequest): TokenRecord {
    const kind = request.kind ?? 'access';
    const now = this.clock.seconds();
    const forced = this.config.issuedTokensExpireAfterSeconds;
    const expiresAt =
      forced !== null ? now + forced : request.expiresIn === 0 ? null : now + request.expiresIn;
    // Below `revocable-expiry-threshold` a token is not revocable unless `force_revocable` (REST
    // "Create Token", 7.50.3+); below the persistency threshold it is not stored either, so get
    // by id answers 404 (terraform-provider-artifactory's scoped-token warnings). Whether a
    // forced-revocable short token is stored is not said: a guess that it is.
    const shortLived = expiresAt !== null && request.expiresIn < this.config.revocableThresholdSeconds;
    const revocable = !shortLived || request.forceRevocable === true;
    const persisted = revocable || request.expiresIn >= this.config.persistencyThresholdSeconds;
    const id = ids.tokenId();
    const claims = this.#shapedClaims(kind, request.username);
    const audience = request.audience ?? claims.audience;
    // Defaults: `applied-permissions/user` (REST "Create Token"); the legacy API adds `api:*` to
    // what was asked (jfrog-client-go `auth/authutils_test.go` token1: `member-of-groups:readers api:*`).
    const scope = request.scope ?? (kind === 'access' ? 'applied-permissions/user' : 'member-of-groups:readers api:*');
    const jwt = signJwt(
      {
        ...(this.config.tokenShape.ext ? { ext: JSON.stringify({ revocable: String(revocable) }) } : {}),
        sub: claims.subject,
        scp: scope,
        aud: audience,
        iss: claims.issuer,
        ...(request.expClaim !== undefined ? { exp: request.expClaim } : expiresAt === null ? {} : { exp: expiresAt }),
        iat: now,
        jti: id,
      },
      this.signing.privateKey,
      this.signing.kid,
    );
    const record: TokenRecord = {
      id,
      kind,
      username: request.username,
      subject: claims.subject,
      issuer: claims.issuer,
      scope,
      audience,
      issuedAt: now,
      expiresAt,
      requestedExpiresIn: request.expiresIn,
      refreshable: request.refreshable === true,
      refreshToken: request.refreshable ? ids.refreshToken() : undefined,
      revocable,
      persisted,
      revoked: false,
      description: request.description,
      projectKey: request.projectKey,
      referenceToken: request.includeReferenceToken ? ids.referenceToken(expiresAt) : undefined,
      jwt,
      lastUsed: undefined,
    };
    this.#all.set(id, record);
    this.#byJwt.set(jwt, record);
    if (record.referenceToken) this.#byReference.set(record.referenceToken, record);
    if (record.refreshToken) this.#byRefresh.set(record.refreshToken, record);
    return record;
  }

  /**
   * `sub`, `iss` and the default `aud` of a new token, per the knob tokenShape (config.ts cites each
   * shape). Legacy Artifactory tokens are `jfrt@<id>` throughout (jfrog-client-go
   * `auth/authutils_test.go` token1); Access tokens `jfac@<id>/users/<name>`, `jfac@<id>` and `*@*`
   * (vault-plugin-secrets-artifactory `test_utils.go`) unless the knob says otherwise.
   */
  #shapedClaims(kind: TokenKind, username: string): { subject: string; issuer: string; audience: string | string[] } {
    if (kind === 'legacy') {
      const id = this.artifactoryServiceId;
      return { subject: `${id}/users/${username}`, issuer: id, audience: id };
    }
    const shape = this.config.tokenShape;
    const frontend = 'jffe@000';
    return {
      subject: `${shape.subject === 'frontend' ? frontend : this.accessServiceId}/users/${username}`,
      issuer: shape.issuer === 'frontend' ? frontend : this.accessServiceId,
      audience: shape.audience === 'array' ? ['jfrt@*', 'jfmd@*', 'jfevt@*', 'jfac@*'] : '*@*',
    };
  }

  /**
   * Spends a refresh token once: it rotates (jfrog-client-go `tests/accesstokens_test.go` asserts
   * the new one differs; a spent one is 404 "Token matching the provided refresh token was not
   * found", jfrog/jfrog-cli#2490). The new token keeping the old one's settings is documented for
   * the deprecated API only ("Refresh Token (Deprecated)"); for Access it is a guess.
   */
  refresh(refreshToken: string, overrides: Partial<Pick<IssueRequest, 'scope' | 'expiresIn' | 'description' | 'includeReferenceToken'>> = {}): RefreshOutcome {
    const previous = this.#byRefresh.get(refreshToken);
    if (!previous) return { ok: false, reason: 'not-found' };
    const now = this.clock.seconds();
    if (previous.expiresAt !== null && now > previous.expiresAt + refreshGrace(this.config)) {
      return { ok: false, reason: 'grace-expired' };
    }
    this.#byRefresh.delete(refreshToken);
    previous.refreshToken = undefined;
    if (this.config.revokeAccessTokenOnRefresh && previous.revocable) previous.revoked = true;
    const token = this.issue({
      kind: previous.kind,
      username: previous.username,
      scope: overrides.scope ?? previous.scope,
      audience: previous.audience,
      expiresIn: overrides.expiresIn ?? previous.requestedExpiresIn,
      refreshable: true,
      description: overrides.description ?? previous.description,
      ...(previous.projectKey === undefined ? {} : { projectKey: previous.projectKey }),
      includeReferenceToken: overrides.includeReferenceToken ?? previous.referenceToken !== undefined,
      forceRevocable: previous.revocable,
    });
    this.#successors.set(refreshToken, token);
    this.refreshCount++;
    return { ok: true, previous, token };
  }

  /**
   * Resolves a bearer value (JWT or reference token, `cmVmd` + 59 alphanumerics: "Understanding
   * Identity Tokens") to a live token, or says why not. `last_used` is recorded on every use, where
   * a real server records it only from 7.108.3 with `access_token_last_used_enabled`, lagging by up
   * to 2 h, and never for tokens under 6 h ("Get Token by ID"): a simplification, no knob.
   */
  lookup(value: string): TokenLookup {
    let token: TokenRecord | undefined;
    if (/^cmVmd[A-Za-z0-9]{59}$/.test(value)) {
      token = this.#byReference.get(value);
      if (!token) return { ok: false, reason: 'unknown' };
    } else {
      const check = verifyJwt(value, this.signing.publicKey);
      if (!check.ok) return { ok: false, reason: check.reason === 'malformed' ? 'malformed' : 'unknown' };
      token = this.#byJwt.get(value);
      if (!token) return { ok: false, reason: 'unknown' };
    }
    if (token.revoked) return { ok: false, reason: 'revoked' };
    if (token.expiresAt !== null && this.clock.seconds() >= token.expiresAt) return { ok: false, reason: 'expired' };
    token.lastUsed = this.clock.seconds();
    return { ok: true, token };
  }

  /** Finds a token by value regardless of state, as revoke-by-value does (REST "Revoke Token by Value"). */
  find(value: string): TokenRecord | undefined {
    return this.#byJwt.get(value) ?? this.#byReference.get(value);
  }

  /** Only tokens the server keeps are visible by id. */
  byId(id: string): TokenRecord | undefined {
    const token = this.#all.get(id);
    return token?.persisted ? token : undefined;
  }

  /** Persisted tokens that are neither revoked nor expired (REST "Get Tokens"). */
  listed(): TokenRecord[] {
    const now = this.clock.seconds();
    return [...this.#all.values()].filter(
      (t) => t.persisted && !t.revoked && (t.expiresAt === null || t.expiresAt > now),
    );
  }

  /** The token a refresh issued in exchange for `refreshToken`; undefined while it is unspent (or unknown). */
  successorOf(refreshToken: string): TokenRecord | undefined {
    return this.#successors.get(refreshToken);
  }

  /** Whether a refresh issued `token` (rather than a create request). */
  issuedByRefresh(token: TokenRecord): boolean {
    return [...this.#successors.values()].includes(token);
  }

  /** Whether `refreshToken` can still be spent. */
  refreshable(refreshToken: string): boolean {
    return this.#byRefresh.has(refreshToken);
  }

  /** Every token ever issued, for assertions. */
  all(): TokenRecord[] {
    return [...this.#all.values()];
  }

  revoke(token: TokenRecord): void {
    token.revoked = true;
    if (token.refreshToken) this.#byRefresh.delete(token.refreshToken);
    token.refreshToken = undefined;
  }
}

/**
 * The token info object of REST "Get Token by ID" / "Get Tokens": `expiry`, `description` and
 * `last_used` only when set. No `scope` field: none is documented.
 */
export function tokenInfo(token: TokenRecord): Record<string, unknown> {
  return {
    token_id: token.id,
    subject: token.subject,
    ...(token.expiresAt === null ? {} : { expiry: token.expiresAt }),
    issued_at: token.issuedAt,
    issuer: token.issuer,
    ...(token.description === undefined ? {} : { description: token.description }),
    refreshable: token.refreshable,
    ...(token.lastUsed === undefined ? {} : { last_used: token.lastUsed }),
  };
}
