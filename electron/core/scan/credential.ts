/**
 * What the scan reports: one plain-text credential, where it lies and what it is. The secret
 * travels with it (migrate and the online check need it) but never leaves through `publicView`.
 */
export type ScanTool =
  'docker' | 'npm' | 'maven' | 'pip' | 'netrc' | 'gradle' | 'jfrog-cli' | 'podman' | 'pypirc' | 'poetry' | 'yarn' | 'cargo' | 'helm' | 'go' | 'bun' | 'uv' | 'nuget' | 'conan' | 'terraform' | 'sbt';

export type CredentialKind =
  | 'api-key'
  | 'reference-token'
  | 'access-token'
  | 'refresh-token'
  | 'password'
  | 'env-reference'
  | 'encrypted';

export interface FoundCredential {
  tool: ScanTool;
  /** Absolute path. */
  file: string;
  /**
   * Where in the file, for people: `auths["acme.jfrog.io"]`,
   * `//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken`,
   * `servers/server[id=central]/password`, `[global] index-url`, `machine acme.jfrog.io`,
   * `artifactory_password`, `servers[serverId=acme] accessToken`.
   */
  location: string;
  line: number | null;
  /**
   * The URL or host the credential is for, as the file says (null when it does not say, e.g. a
   * Maven server whose mirror/repository URL is not in settings.xml). Never with a password in it.
   */
  url: string | null;
  /** Lower-case host[:port]. */
  host: string | null;
  username: string | null;
  kind: CredentialKind;
  /** Seconds since the epoch for access tokens with exp / reference tokens with an embedded expiry; null otherwise. */
  expiresAt: number | null;
  /** First 12 hex chars of sha256(secret): lets people tell entries apart, reveals nothing. */
  fingerprint: string;
  /** Id of the Artikey instance this belongs to (by host, incl. Docker subdomain forms), or null. */
  instanceId: string | null;
  /** The secret itself — needed by migrate and the online check; NEVER put it in logs, errors or the public view. */
  secret: string;
}

export type PublicCredential = Omit<FoundCredential, 'secret'>;

/** The credential without its secret: what the CLI, the UI and logs may show. */
export const publicView = (found: FoundCredential): PublicCredential => {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { secret, ...shown } = found;
  return shown;
};

/** Unreadable / invalid / too large / credsStore note; never a secret. */
export interface ScanProblem {
  file: string;
  message: string;
}

export interface ScanReport {
  found: FoundCredential[];
  problems: ScanProblem[];
  /** Every file looked at, found or not. */
  searched: string[];
}

export interface ScanInstance {
  id: string;
  platformUrl: string;
  registryHost: string;
}
