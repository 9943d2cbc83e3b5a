import { createHash } from 'node:crypto';
import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendHtml, sendJson, sendText, type Router } from '../http.js';
import { cargoRoutes } from './cargo.js';
import { dockerRoutes } from './docker.js';
import { goRoutes } from './go.js';
import { repositoryCaller } from './guards.js';
import { helmRoutes } from './helm.js';
import { nugetRoutes, nugetV2Routes } from './nuget.js';
import { terraformRoutes } from './terraform.js';

/**
 * Docker registry, npm, Maven, PyPI, Go, Cargo, Helm, NuGet and Terraform modules, the way Artifactory serves them: the URL forms are JFrog's
 * ("Docker Repository URL Formats"; npm `<artifactory>/api/npm/<repo>/`, PyPI
 * `<artifactory>/api/pypi/<repo>/simple`, Maven `<artifactory>/<repo>/`: jfrog-cli-artifactory
 * `setup.go`, jfrog-cli-core `npmcmdutils.go`). What only the clients' side is known of (what
 * npm, Maven, pip send and accept) is in /work/shared/real-clients.md.
 */
export function packageRoutes(router: Router): void {
  dockerRoutes(router);
  npmRoutes(router);
  mavenRoutes(router);
  pypiRoutes(router);
  pypiUploadRoute(router);
  goRoutes(router);
  cargoRoutes(router);
  helmRoutes(router);
  nugetRoutes(router);
  nugetV2Routes(router);
  terraformRoutes(router);
}

// ---------------------------------------------------------------- npm

function npmRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/api\/npm\/([^/]+)\/(.+)$/, (ex) => {
    const [repo = '', rest = ''] = ex.params;
    const caller = repositoryCaller(ex, repo, ['npm'], 'read');
    if (!caller) return;
    const { npm } = fixtures();
    const registry = `${ex.state.baseUrl()}/artifactory/api/npm/${repo}/`;
    // The npm registry's conventions (`npm whoami` reads `{"username":…}`, ping answers `{}`);
    // whether Artifactory answers exactly so is unconfirmed (artifactory-api.md §7): a guess.
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
            dist: {
              tarball: `${registry}artikey-demo/-/artikey-demo-1.0.0.tgz`,
              shasum: npm.shasum,
              integrity: npm.integrity,
            },
          },
        },
        time: {
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          '1.0.0': '2026-01-01T00:00:00.000Z',
        },
        maintainers: [{ name: 'alice', email: 'alice@example.invalid' }],
      });
    }
    if (rest === 'artikey-demo/-/artikey-demo-1.0.0.tgz') {
      return send(ex, 200, npm.tarball, 'application/octet-stream');
    }
    // CouchDB's shape, which Artifactory keeps for npm (npm/npm#11634); npm prints `error`.
    sendJson(ex, 404, { error: 'not_found', reason: 'document not found' });
  });
}

// ---------------------------------------------------------------- Maven (and any file in a generic repo)
// Files under `/artifactory/<repo>/<path>` (jfrog-cli-core `settingsxml.go` mirror URL); the
// checksum siblings are Maven's repository layout, which Artifactory serves for every file.

function mavenRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/(?!api\/)([^/]+)\/(.+)$/, (ex) => {
    const [repo = '', path = ''] = ex.params;
    if (!repositoryCaller(ex, repo, ['maven', 'gradle', 'generic', 'sbt'], 'read')) return;
    const file = mavenFiles().get(path);
    if (file) return send(ex, 200, file.data, file.type);
    artifactoryError(ex, 404, `Could not find resource: ${path}`);
  });
}

interface MavenFile {
  data: Buffer | string;
  type: string;
}

let mavenFileCache: Map<string, MavenFile> | undefined;
const mavenFiles = (): Map<string, MavenFile> => (mavenFileCache ??= buildMavenFiles());

/** The parent POM and its metadata, each with the checksum files Maven verifies downloads against. */
function buildMavenFiles(): Map<string, MavenFile> {
  const metadata = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>com.example</groupId>\n  <artifactId>fake-parent</artifactId>\n' +
      '  <versioning>\n    <latest>1.0</latest>\n    <release>1.0</release>\n    <versions><version>1.0</version></versions>\n' +
      '    <lastUpdated>20260101000000</lastUpdated>\n  </versioning>\n</metadata>\n',
  );
  const files = new Map<string, MavenFile>();
  for (const [path, data, type] of [
    [
      'com/example/fake-parent/1.0/fake-parent-1.0.pom',
      fixtures().maven.pom,
      'application/x-maven-pom+xml',
    ],
    ['com/example/fake-parent/maven-metadata.xml', metadata, 'application/xml'],
  ] as const) {
    files.set(path, { data, type });
    for (const algorithm of ['sha1', 'md5'])
      files.set(`${path}.${algorithm}`, {
        data: createHashHex(algorithm, data),
        type: 'text/plain',
      });
  }
  return files;
}

// ---------------------------------------------------------------- PyPI simple index
// PEP 503 HTML under `/artifactory/api/pypi/<repo>/simple/` (jfrog-cli-artifactory `setup.go`);
// the relative `../../packages/` link is the fake's own layout, a guess at Artifactory's.

function pypiRoutes(router: Router): void {
  router.on(
    'GET',
    /^\/artifactory\/api\/pypi\/([^/]+)\/(simple\/?|simple\/[^/]+\/?|packages\/[^/]+)$/,
    (ex) => {
      const [repo = '', rest = ''] = ex.params;
      if (!repositoryCaller(ex, repo, ['pypi'], 'read')) return;
      const { pypi } = fixtures();
      if (/^simple\/?$/.test(rest)) {
        const index = '<!DOCTYPE html><html><body><a href="fakepkg/">fakepkg</a></body></html>\n';
        return sendHtml(ex, 200, index);
      }
      if (/^simple\/fakepkg\/?$/.test(rest)) {
        return sendHtml(
          ex,
          200,
          `<!DOCTYPE html><html><body><a href="../../packages/${pypi.wheelName}#sha256=${pypi.sha256}">${pypi.wheelName}</a></body></html>\n`,
        );
      }
      if (rest === `packages/${pypi.wheelName}`) {
        return send(ex, 200, pypi.wheel, 'application/octet-stream');
      }
      artifactoryError(ex, 404, `Could not find resource: ${rest}`);
    },
  );
}

// ---------------------------------------------------------------- PyPI upload (twine, poetry publish)
// Twine and Poetry post to the repository URL itself, `<artifactory>/api/pypi/<repo>` (Artifactory
// "Publish to a PyPI Repository": `.pypirc` `repository: https://…/api/pypi/<repo>`), a multipart
// form in the legacy upload API's shape (warehouse "Upload API": `:action=file_upload`, the file in
// `content`). Success is a bare 200, which is all twine reads. Twine and Poetry send Basic up front.

function pypiUploadRoute(router: Router): void {
  router.on('POST', /^\/artifactory\/api\/pypi\/([^/]+)\/?$/, async (ex) => {
    const [repo = ''] = ex.params;
    if (!repositoryCaller(ex, repo, ['pypi'], 'write')) return;
    const form = multipartFields(ex.req.headers['content-type'] ?? '', await ex.body());
    if (form.get(':action') !== 'file_upload' || !form.has('content')) {
      return artifactoryError(ex, 400, 'Expected a file_upload form with a content file');
    }
    sendText(ex, 200, '');
  });
}

/** The names of a multipart/form-data body's parts and, for plain fields, their values. */
function multipartFields(contentType: string, body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return fields;
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.set(name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return fields;
}

const createHashHex = (algorithm: string, data: Buffer): string =>
  createHash(algorithm).update(data).digest('hex');
