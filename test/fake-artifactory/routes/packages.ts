import { createHash, randomBytes } from 'node:crypto';
import { artifactoryMessage, type Caller } from '../auth.js';
import type { Action } from '../directory.js';
import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendHtml, sendJson, type Exchange, type Router } from '../http.js';

/** Docker registry, npm, Maven and PyPI, the way Artifactory serves them. */
export function packageRoutes(router: Router): void {
  dockerRoutes(router);
  npmRoutes(router);
  mavenRoutes(router);
  pypiRoutes(router);
}

// ---------------------------------------------------------------- Docker (registry v2 token auth)

const DOCKER_API = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

function registryError(ex: Exchange, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(ex, status, { errors: [{ code, message, detail: null }] }, { ...DOCKER_API, ...headers });
}

/** The Bearer challenge that sends clients to the token endpoint (with the realm of the path form used). */
function challenge(ex: Exchange, repoPath: string | null, scope?: string): Record<string, string> {
  const realm = repoPath === null ? `${ex.state.baseUrl()}/v2/token` : `${ex.state.baseUrl()}/artifactory/api/docker/${repoPath}/v2/token`;
  return { 'WWW-Authenticate': `Bearer realm="${realm}",service="${ex.state.host()}"${scope ? `,scope="${scope}"` : ''}` };
}

function dockerRoutes(router: Router): void {
  const base = (ex: Exchange, repoPath: string | null): void => {
    const auth = ex.auth();
    if (auth.ok && auth.caller) return sendJson(ex, 200, {}, DOCKER_API);
    registryError(ex, 401, 'UNAUTHORIZED', auth.ok ? 'authentication required' : artifactoryMessage(auth.failure), challenge(ex, repoPath));
  };
  router.on('GET', /^\/v2\/?$/, (ex) => base(ex, null));
  router.on('GET', /^\/artifactory\/api\/docker\/([^/]+)\/v2\/?$/, (ex) => base(ex, ex.params[0] ?? ''));

  const token = (ex: Exchange): void => {
    const auth = ex.auth();
    if (!auth.ok || !auth.caller) {
      return registryError(ex, 401, 'UNAUTHORIZED', auth.ok ? 'authentication required' : artifactoryMessage(auth.failure));
    }
    const value = randomBytes(32).toString('base64url');
    const now = ex.state.clock.seconds();
    const lifetime = ex.state.config.registryTokenSeconds;
    ex.state.registryTokens.set(value, { username: auth.caller.user.name, scope: auth.caller.scope, expiresAt: now + lifetime });
    sendJson(ex, 200, { token: value, access_token: value, expires_in: lifetime, issued_at: new Date(now * 1000).toISOString() });
  };
  router.on('GET', /^\/v2\/token$/, token);
  router.on('GET', /^\/artifactory\/api\/docker\/[^/]+\/v2\/token$/, token);

  router.on('GET', /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/, (ex) => {
    const [name = '', kind = '', reference = ''] = ex.params;
    const [repo = '', ...image] = name.split('/');
    dockerContent(ex, null, repo, image.join('/'), kind, reference);
  });
  router.on('GET', /^\/artifactory\/api\/docker\/([^/]+)\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/, (ex) => {
    const [repo = '', image = '', kind = '', reference = ''] = ex.params;
    dockerContent(ex, repo, repo, image, kind, reference);
  });
}

function dockerContent(ex: Exchange, repoPath: string | null, repo: string, image: string, kind: string, reference: string): void {
  const scope = `repository:${repoPath === null ? `${repo}/${image}` : image}:pull`;
  const auth = ex.auth();
  if (!auth.ok || !auth.caller) {
    return registryError(ex, 401, 'UNAUTHORIZED', auth.ok ? 'authentication required' : artifactoryMessage(auth.failure), challenge(ex, repoPath, scope));
  }
  const repository = ex.state.directory.repository(repo);
  if (repository?.type !== 'docker') return registryError(ex, 404, 'NAME_UNKNOWN', `repository ${repo} not found`);
  if (!ex.state.directory.allows(auth.caller.user, auth.caller.scope, repo, 'read')) {
    return registryError(ex, 403, 'DENIED', `${auth.caller.user.name} may not pull from ${repo}`);
  }
  const { docker } = fixtures();
  if (image !== 'hello') return registryError(ex, 404, 'NAME_UNKNOWN', `repository name not known to registry: ${image}`);
  if (kind === 'tags') return sendJson(ex, 200, { name: image, tags: ['1.0', 'latest'] }, DOCKER_API);
  if (kind === 'manifests' && ['1.0', 'latest', docker.manifestDigest].includes(reference)) {
    return send(ex, 200, docker.manifest, 'application/vnd.docker.distribution.manifest.v2+json', { ...DOCKER_API, 'Docker-Content-Digest': docker.manifestDigest });
  }
  if (kind === 'blobs' && reference === docker.configDigest) {
    return send(ex, 200, docker.config, 'application/octet-stream', { ...DOCKER_API, 'Docker-Content-Digest': docker.configDigest });
  }
  registryError(ex, 404, kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', `${kind === 'blobs' ? 'blob' : 'manifest'} unknown: ${reference}`);
}

// ---------------------------------------------------------------- shared: repository access the Artifactory way

/** The caller when they may `action` in a repository of `type`; otherwise answers and returns undefined. */
function repositoryCaller(ex: Exchange, repo: string, types: string[], action: Action): Caller | undefined {
  const repository = ex.state.directory.repository(repo);
  if (!repository || !types.includes(repository.type)) {
    artifactoryError(ex, 404, `Repository ${repo} does not exist or is not of the right type`);
    return undefined;
  }
  const auth = ex.auth();
  if (!auth.ok || !auth.caller) {
    // Maven and Gradle send credentials only after this challenge (artifactoryError adds it).
    artifactoryError(ex, 401, auth.ok ? 'Authentication is required' : artifactoryMessage(auth.failure));
    return undefined;
  }
  if (!ex.state.directory.allows(auth.caller.user, auth.caller.scope, repo, action)) {
    artifactoryError(ex, 403, `User ${auth.caller.user.name} is not permitted to ${action} in '${repo}'`);
    return undefined;
  }
  return auth.caller;
}

// ---------------------------------------------------------------- npm

function npmRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/api\/npm\/([^/]+)\/(.+)$/, (ex) => {
    const [repo = '', rest = ''] = ex.params;
    const caller = repositoryCaller(ex, repo, ['npm'], 'read');
    if (!caller) return;
    const { npm } = fixtures();
    const registry = `${ex.state.baseUrl()}/artifactory/api/npm/${repo}/`;
    if (rest === '-/whoami') return sendJson(ex, 200, { username: caller.user.name });
    if (rest === '-/ping') return sendJson(ex, 200, {});
    if (rest === 'artikey-demo') {
      return sendJson(ex, 200, {
        _id: 'artikey-demo',
        name: 'artikey-demo',
        description: 'A package only the fake Artifactory serves',
        'dist-tags': { latest: '1.0.0' },
        versions: {
          '1.0.0': {
            name: 'artikey-demo',
            version: '1.0.0',
            main: 'index.js',
            dist: { tarball: `${registry}artikey-demo/-/artikey-demo-1.0.0.tgz`, shasum: npm.shasum, integrity: npm.integrity },
          },
        },
        time: { created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', '1.0.0': '2026-01-01T00:00:00.000Z' },
        maintainers: [{ name: 'alice', email: 'alice@example.invalid' }],
      });
    }
    if (rest === 'artikey-demo/-/artikey-demo-1.0.0.tgz') return send(ex, 200, npm.tarball, 'application/octet-stream');
    sendJson(ex, 404, { error: 'Not found' });
  });
}

// ---------------------------------------------------------------- Maven (and any file in a generic repo)

function mavenRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/(?!api\/)([^/]+)\/(.+)$/, (ex) => {
    const [repo = '', path = ''] = ex.params;
    if (!repositoryCaller(ex, repo, ['maven', 'generic'], 'read')) return;
    const { pom } = fixtures().maven;
    const base = 'com/example/fake-parent/1.0/fake-parent-1.0.pom';
    if (path === base) return send(ex, 200, pom, 'application/x-maven-pom+xml');
    if (path === `${base}.sha1`) return send(ex, 200, createHashHex('sha1', pom), 'text/plain');
    if (path === `${base}.md5`) return send(ex, 200, createHashHex('md5', pom), 'text/plain');
    artifactoryError(ex, 404, `Could not find resource: ${path}`);
  });
}

// ---------------------------------------------------------------- PyPI simple index

function pypiRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/api\/pypi\/([^/]+)\/(simple\/?|simple\/[^/]+\/?|packages\/[^/]+)$/, (ex) => {
    const [repo = '', rest = ''] = ex.params;
    if (!repositoryCaller(ex, repo, ['pypi'], 'read')) return;
    const { pypi } = fixtures();
    if (/^simple\/?$/.test(rest)) return sendHtml(ex, 200, '<!DOCTYPE html><html><body><a href="fakepkg/">fakepkg</a></body></html>\n');
    if (/^simple\/fakepkg\/?$/.test(rest)) {
      return sendHtml(ex, 200, `<!DOCTYPE html><html><body><a href="../../packages/${pypi.wheelName}#sha256=${pypi.sha256}">${pypi.wheelName}</a></body></html>\n`);
    }
    if (rest === `packages/${pypi.wheelName}`) return send(ex, 200, pypi.wheel, 'application/octet-stream');
    artifactoryError(ex, 404, `Could not find resource: ${rest}`);
  });
}

const createHashHex = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('hex');
