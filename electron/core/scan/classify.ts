import { createHash } from 'node:crypto';
import { matchesRegistry, registryHostOf } from '../docker-hosts.js';
import { classifySecret, decodeAccessToken, referenceTokenExpiry } from '../tokens.js';
import type { CredentialKind, FoundCredential, ScanInstance, ScanTool } from './credential.js';

/** Every JFrog JWT starts with its header `{"ver":"2",…`: a strong signal, unlike any JWT. */
const JFROG_JWT_PREFIX = 'eyJ2ZXIiOiIy';
/** `${NPM_TOKEN}`, `${env.ARTIFACTORY_PASSWORD}`: the tool reads the value from the environment. */
const ENV_REFERENCE = /\$\{[^}\s]+\}/;
/** Maven's `{COQLCE6DU6GtcS5P=}` (and Maven 4's `{[name=master,…]…}`), possibly with a comment around it. */
const MAVEN_ENCRYPTED = /\{[^\s{}]{8,}\}/;
const ARTIFACTORY_PATH = /(^|\/)artifactory(\/|$)|\/api\/(npm|pypi|docker)\//i;
const SAAS_HOST = /(^|\.)jfrog\.io(:\d+)?$/;

export const fingerprintOf = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex').slice(0, 12);

/** A JFrog access token, reference token or API key, judged by its shape alone. */
export function isJfrogShape(secret: string): boolean {
  const shape = classifySecret(secret);
  if (shape === 'access-token') return secret.trim().startsWith(JFROG_JWT_PREFIX);
  return shape === 'reference-token' || shape === 'api-key';
}

export const isEnvReference = (value: string): boolean => ENV_REFERENCE.test(value);

export const isMavenEncrypted = (value: string): boolean =>
  !isEnvReference(value) && MAVEN_ENCRYPTED.test(value);

/** Lower-case host[:port] of a URL, also of npm's scheme-less `//host/path/`; null when it is none. */
export function hostOfUrl(url: string): string | null {
  try {
    const parsed = new URL(url.startsWith('//') ? `https:${url}` : url);
    return parsed.host === '' ? null : parsed.host.toLowerCase();
  } catch {
    return null;
  }
}

/** The URL without a user or password in it, so it can be shown. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url.startsWith('//') ? `https:${url}` : url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    // As URL parsers split it: the host part ends at `/`, `?` or `#`, the user at its last `@`.
    return url.replace(/\/\/[^/?#\s]*@/, '//');
  }
}

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * The credential written into a URL (`https://user:password@host/…`, percent-encoded), with the
 * URL as it reads without it. A token alone in the user part (`https://<token>@host/`, as some
 * guides write it) counts when it looks like one; a user name alone does not. Null: no credential
 * there, or not a URL.
 */
export function credentialsInUrl(
  written: string,
): { url: string; username: string | null; secret: string } | null {
  let url: URL;
  try {
    url = new URL(written.trim());
  } catch {
    return null;
  }
  const user = decoded(url.username);
  const password = decoded(url.password);
  const tokenOnly = password === '' && (isJfrogShape(user) || /\$\{/.test(user));
  if (password === '' && !tokenOnly) return null;
  url.username = '';
  url.password = '';
  return {
    url: url.href,
    username: tokenOnly || user === '' ? null : user,
    secret: tokenOnly ? user : password,
  };
}

/** The path of a URL (or of npm's `//host/path/`) says Artifactory; SaaS hosts always are. */
export function looksLikeArtifactory(url: string | null, host: string | null): boolean {
  if (host !== null && SAAS_HOST.test(host)) return true;
  if (url === null) return false;
  try {
    return ARTIFACTORY_PATH.test(new URL(url.startsWith('//') ? `https:${url}` : url).pathname);
  } catch {
    return ARTIFACTORY_PATH.test(url);
  }
}

const withoutPort = (host: string): string => host.replace(/:\d+$/, '');

/**
 * The instance a host belongs to: its platform or registry host exactly (port included); for
 * Docker also the subdomain forms; for netrc and sbt, whose hosts have no port (Ivy matches the
 * host name alone), any port of the host.
 */
export function instanceFor(
  instances: ScanInstance[],
  host: string | null,
  tool: ScanTool,
): string | null {
  if (host === null) return null;
  const owned = instances.map((instance) => ({
    id: instance.id,
    registryHost: instance.registryHost,
    hosts: [hostOfUrl(instance.platformUrl), registryHostOf(instance.registryHost)].filter(
      (h): h is string => h !== null && h !== '',
    ),
  }));
  const exact = owned.find((instance) => instance.hosts.includes(host));
  if (exact) return exact.id;
  if (tool === 'docker') {
    return owned.find((instance) => matchesRegistry(instance.registryHost, host))?.id ?? null;
  }
  if ((tool === 'netrc' || tool === 'sbt') && withoutPort(host) === host) {
    return (
      owned.find((instance) => instance.hosts.some((own) => withoutPort(own) === host))?.id ?? null
    );
  }
  return null;
}

export function kindOf(secret: string, encrypted: boolean, refresh = false): CredentialKind {
  if (encrypted) return 'encrypted';
  if (isEnvReference(secret)) return 'env-reference';
  // An opaque refresh token looks like any password; only the field it sits in tells.
  if (refresh) return 'refresh-token';
  const shape = classifySecret(secret);
  return shape === 'unknown' ? 'password' : shape;
}

function tokenFacts(
  secret: string,
  kind: CredentialKind,
): { expiresAt: number | null; username: string | null } {
  if (kind === 'reference-token')
    return { expiresAt: referenceTokenExpiry(secret.trim())?.expiresAt ?? null, username: null };
  if (kind !== 'access-token') return { expiresAt: null, username: null };
  try {
    const claims = decodeAccessToken(secret.trim());
    return { expiresAt: claims.expiresAt, username: claims.username };
  } catch {
    return { expiresAt: null, username: null };
  }
}

/** One entry as a format module reads it from its file, before it is judged. */
export interface Candidate {
  location: string;
  line: number | null;
  url: string | null;
  host: string | null;
  username: string | null;
  secret: string;
  /** The file marks the value as encrypted (Maven `{…}`, JFrog CLI `"enc": true` without a key). */
  encrypted?: boolean;
  /** The file itself says it is for Artifactory (JFrog CLI's config, an `artifactory_*` property). */
  artifactory?: boolean;
  /** The file's field says it is a refresh token (JFrog CLI's `refreshToken`). */
  refreshToken?: boolean;
  /** The tool expands no `${VAR}` there (Helm): a value of that shape is itself the password. */
  literal?: boolean;
  /** The tool reads the value from the environment in a spelling other than `${VAR}` (Bun's `$VAR`). */
  envReference?: boolean;
}

export interface FindContext {
  tool: ScanTool;
  file: string;
  instances: ScanInstance[];
}

/**
 * The credential to report, or null when it is none of Artikey's business: only entries for a
 * known instance, an Artifactory-looking URL or host, or with a JFrog-shaped secret.
 */
export function credentialFrom(context: FindContext, candidate: Candidate): FoundCredential | null {
  const { secret } = candidate;
  if (secret.trim() === '') return null;
  const kind =
    candidate.literal === true && isEnvReference(secret)
      ? 'password'
      : candidate.envReference === true
        ? 'env-reference'
        : kindOf(secret, candidate.encrypted ?? false, candidate.refreshToken ?? false);
  const instanceId = instanceFor(context.instances, candidate.host, context.tool);
  const relevant =
    instanceId !== null ||
    candidate.artifactory === true ||
    looksLikeArtifactory(candidate.url, candidate.host) ||
    (kind !== 'encrypted' && isJfrogShape(secret));
  if (!relevant) return null;
  const facts = tokenFacts(secret, kind);
  return {
    tool: context.tool,
    file: context.file,
    location: candidate.location,
    line: candidate.line,
    url: candidate.url === null ? null : withoutCredentials(candidate.url),
    host: candidate.host,
    username: candidate.username ?? facts.username,
    kind,
    expiresAt: facts.expiresAt,
    fingerprint: fingerprintOf(secret),
    instanceId,
    secret,
  };
}

/** `user:secret` from base64, as Docker's `auth` and npm's `_auth` hold it; null when it is not that. */
export function decodeBasic(value: string): { username: string; secret: string } | null {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.includes('\uFFFD')) return null;
  return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function decodeBase64(value: string): string | null {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  return decoded.includes('\uFFFD') ? null : decoded;
}
