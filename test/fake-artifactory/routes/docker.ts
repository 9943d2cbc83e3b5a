import { randomBytes } from 'node:crypto';
import { artifactoryMessage, type AuthResult } from '../auth.js';
import { fixtures } from '../fixtures.js';
import { send, sendJson, type Exchange, type Router } from '../http.js';

/**
 * The images every Docker repository holds, each the same empty image: `app` is the one the
 * README's examples and the demo's banner pull (`docker-local/app:1.0`), `hello` the tests' own.
 */
export const IMAGES: readonly string[] = ['app', 'hello'];
export const TAGS: readonly string[] = ['1.0', 'latest'];

/** Sent on every registry answer (earthly/earthly#1017, containerd/containerd#6339 header dumps). */
const DOCKER_API = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

/**
 * Errors in the Docker registry shape `{"errors":[{code,message,detail}]}` (distribution spec).
 * A guess for Artifactory, whose own registry errors seen in the wild read
 * `{"errors":[{"status":400,"message":…}]}` (jfrog/charts#455); the clients Artikey serves act on
 * the status and the challenge header only, so no knob.
 */
function registryError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    ex,
    status,
    { errors: [{ code, message, detail: null }] },
    { ...DOCKER_API, ...headers },
  );
}

/** 401 for anonymous callers and bad credentials alike; the message tells them apart. */
function unauthorized(ex: Exchange, auth: AuthResult, headers: Record<string, string> = {}): void {
  const message = auth.ok ? 'authentication required' : artifactoryMessage(auth.failure);
  registryError(ex, 401, 'UNAUTHORIZED', message, headers);
}

/**
 * The Bearer challenge (Docker "Token Authentication Specification": realm, service, scope).
 *
 * A repository's challenge, whichever path form was asked, points at that repository's token
 * endpoint and scopes the image alone, without the repository key. Real answers to the repository
 * path form `/v2/docker-local/someproduct/someimage/blobs/…` (Artifactory 7.9.1, earthly/earthly#1017):
 * `Bearer realm="https://artifactory/artifactory/api/docker/docker-local/v2/token",service="artifactory",scope="repository:someproduct/someimage:pull"`;
 * to the subdomain form `docker-hub.artifactory.local/v2/node/manifests/…` (7.12.8, containerd/containerd#6339):
 * `realm="https://artifactory.local:443/artifactory/api/docker/docker-hub/v2/token",service="artifactory.local:443",scope="repository:node:pull"`.
 * So the realm and service name the base URL's host, not the host the client asked (the
 * subdomain and port forms cannot be told apart from here, as all run on 127.0.0.1:PORT).
 *
 * `/v2/` itself names no repository, so its challenge has no scope and its realm is the root
 * `/v2/token`. That is inferred, not seen: JFrog's Helm chart routes exactly that path for the
 * repository path method (jfrog/charts `stable/artifactory/values.yaml`: `rewrite ^/(v2)/token
 * /artifactory/api/docker/null/v2/token`), and JFrog KB "How to troubleshoot Docker problems"
 * shows `GET /api/docker/docker/v2/` (401) followed by `GET /api/docker/docker/v2/token` for the
 * internal form, which the realm of `/artifactory/api/docker/<repo>/v2/` follows.
 */
function challenge(ex: Exchange, repo: string | null, image?: string): Record<string, string> {
  const base = ex.state.baseUrl();
  const realm =
    repo === null ? `${base}/v2/token` : `${base}/artifactory/api/docker/${repo}/v2/token`;
  const scope = image === undefined ? '' : `,scope="repository:${image}:pull"`;
  return { 'WWW-Authenticate': `Bearer realm="${realm}",service="${ex.state.host()}"${scope}` };
}

export function dockerRoutes(router: Router): void {
  const base = (ex: Exchange, repoPath: string | null): void => {
    const auth = ex.auth();
    if (auth.ok && auth.caller) return sendJson(ex, 200, {}, DOCKER_API);
    unauthorized(ex, auth, challenge(ex, repoPath));
  };
  router.on('GET', /^\/v2\/?$/, (ex) => base(ex, null));
  router.on('GET', /^\/artifactory\/api\/docker\/([^/]+)\/v2\/?$/, (ex) =>
    base(ex, ex.params[0] ?? ''),
  );

  /**
   * `{"token":…,"expires_in":3600}` is what JFrog KB "How to troubleshoot Docker problems" shows for
   * `curl -u… …/api/docker/docker/v2/token`; `access_token` and `issued_at` are the optional fields
   * of Docker's token specification (a guess for Artifactory; clients read `token` first). The
   * lifetime is the knob registryTokenSeconds. Any repository's endpoint, and the root one, mint the
   * same token: the realm only has to exist (see challenge).
   */
  const token = (ex: Exchange): void => {
    const auth = ex.auth();
    // The repositories need authentication, so an anonymous token request is refused too (a guess:
    // with anonymous access on, Artifactory hands anonymous callers a token; no knob yet).
    if (!auth.ok || !auth.caller) return unauthorized(ex, auth);
    const value = randomBytes(32).toString('base64url');
    const now = ex.state.clock.seconds();
    const lifetime = ex.state.config.registryTokenSeconds;
    ex.state.registryTokens.set(value, {
      username: auth.caller.user.name,
      scope: auth.caller.scope,
      expiresAt: now + lifetime,
    });
    sendJson(ex, 200, {
      token: value,
      access_token: value,
      expires_in: lifetime,
      issued_at: new Date(now * 1000).toISOString(),
    });
  };
  // The root realm of `/v2/`'s challenge, which JFrog's chart routes to the `null` repository's.
  router.on('GET', /^\/v2\/token$/, token);
  router.on('GET', /^\/artifactory\/api\/docker\/[^/]+\/v2\/token$/, token);

  router.on('GET', /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/, (ex) => {
    const [name = '', kind = '', reference = ''] = ex.params;
    const [repo = '', ...image] = name.split('/');
    dockerContent(ex, repo, image.join('/'), kind, reference);
  });
  router.on(
    'GET',
    /^\/artifactory\/api\/docker\/([^/]+)\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/,
    (ex) => {
      const [repo = '', image = '', kind = '', reference = ''] = ex.params;
      dockerContent(ex, repo, image, kind, reference);
    },
  );
}

function dockerContent(
  ex: Exchange,
  repo: string,
  image: string,
  kind: string,
  reference: string,
): void {
  const auth = ex.auth();
  if (!auth.ok || !auth.caller) return unauthorized(ex, auth, challenge(ex, repo, image));
  if (ex.state.directory.repository(repo)?.type !== 'docker') {
    return registryError(ex, 404, 'NAME_UNKNOWN', `repository ${repo} not found`);
  }
  if (!ex.state.directory.allows(auth.caller.user, auth.caller.scope, repo, 'read')) {
    return registryError(ex, 403, 'DENIED', `${auth.caller.user.name} may not pull from ${repo}`);
  }
  const { docker } = fixtures();
  if (!IMAGES.includes(image)) {
    return registryError(
      ex,
      404,
      'NAME_UNKNOWN',
      `repository name not known to registry: ${image}`,
    );
  }
  if (kind === 'tags' && reference === 'list') {
    return sendJson(ex, 200, { name: image, tags: [...TAGS] }, DOCKER_API);
  }
  if (kind === 'manifests' && [...TAGS, docker.manifestDigest].includes(reference)) {
    return send(ex, 200, docker.manifest, 'application/vnd.docker.distribution.manifest.v2+json', {
      ...DOCKER_API,
      'Docker-Content-Digest': docker.manifestDigest,
    });
  }
  if (kind === 'blobs' && reference === docker.configDigest) {
    return send(ex, 200, docker.config, 'application/octet-stream', {
      ...DOCKER_API,
      'Docker-Content-Digest': docker.configDigest,
    });
  }
  registryError(
    ex,
    404,
    kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN',
    `${kind === 'blobs' ? 'blob' : 'manifest'} unknown: ${reference}`,
  );
}
