import { randomBytes } from 'node:crypto';
import { artifactoryMessage, type AuthResult } from '../auth.js';
import { fixtures } from '../fixtures.js';
import { send, sendJson, type Exchange, type Router } from '../http.js';

const DOCKER_API = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

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

/** The Bearer challenge that sends clients to the token endpoint (with the realm of the path form used). */
function challenge(ex: Exchange, repoPath: string | null, scope?: string): Record<string, string> {
  const realm =
    repoPath === null
      ? `${ex.state.baseUrl()}/v2/token`
      : `${ex.state.baseUrl()}/artifactory/api/docker/${repoPath}/v2/token`;
  return {
    'WWW-Authenticate': `Bearer realm="${realm}",service="${ex.state.host()}"${scope ? `,scope="${scope}"` : ''}`,
  };
}

/**
 * A Docker registry with v2 token auth, as Artifactory serves it: on the host root by the
 * "repository path" method (`/v2/<repo>/<image>`) and internally at `/artifactory/api/docker/<repo>/v2/`.
 */
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

  const token = (ex: Exchange): void => {
    const auth = ex.auth();
    // The repositories need authentication, so an anonymous token request is refused too.
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
  router.on('GET', /^\/v2\/token$/, token);
  router.on('GET', /^\/artifactory\/api\/docker\/[^/]+\/v2\/token$/, token);

  router.on('GET', /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/, (ex) => {
    const [name = '', kind = '', reference = ''] = ex.params;
    const [repo = '', ...image] = name.split('/');
    dockerContent(ex, null, repo, image.join('/'), kind, reference);
  });
  router.on(
    'GET',
    /^\/artifactory\/api\/docker\/([^/]+)\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/,
    (ex) => {
      const [repo = '', image = '', kind = '', reference = ''] = ex.params;
      dockerContent(ex, repo, repo, image, kind, reference);
    },
  );
}

function dockerContent(
  ex: Exchange,
  repoPath: string | null,
  repo: string,
  image: string,
  kind: string,
  reference: string,
): void {
  const scope = `repository:${repoPath === null ? `${repo}/${image}` : image}:pull`;
  const auth = ex.auth();
  if (!auth.ok || !auth.caller) return unauthorized(ex, auth, challenge(ex, repoPath, scope));
  if (ex.state.directory.repository(repo)?.type !== 'docker') {
    return registryError(ex, 404, 'NAME_UNKNOWN', `repository ${repo} not found`);
  }
  if (!ex.state.directory.allows(auth.caller.user, auth.caller.scope, repo, 'read')) {
    return registryError(ex, 403, 'DENIED', `${auth.caller.user.name} may not pull from ${repo}`);
  }
  const { docker } = fixtures();
  if (image !== 'hello') {
    return registryError(
      ex,
      404,
      'NAME_UNKNOWN',
      `repository name not known to registry: ${image}`,
    );
  }
  if (kind === 'tags' && reference === 'list') {
    return sendJson(ex, 200, { name: image, tags: ['1.0', 'latest'] }, DOCKER_API);
  }
  if (kind === 'manifests' && ['1.0', 'latest', docker.manifestDigest].includes(reference)) {
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
