import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendJson, sendText, type Router } from '../http.js';
import { repositoryCaller } from './guards.js';

/**
 * A Go module proxy under `<artifactory>/api/go/<repo>`, the GOPROXY that `jf setup go` and
 * Artifactory's "Set Me Up" write (jfrog-cli-artifactory `setup.go`; artifactory-api.md §7). The
 * endpoints and their bodies are the GOPROXY protocol (`go help goproxy`, "GOPROXY protocol" in
 * the Go modules reference): `<module>/@v/list`, `/@v/<version>.info|.mod|.zip` and `/@latest`;
 * an unknown module or version is a 404, which the go command reports as "not found". The go
 * command sends `.netrc` credentials up front; without them this answers 401 like every other
 * repository, since anonymous access is off by default.
 */
export function goRoutes(router: Router): void {
  router.on(
    'GET',
    /^\/artifactory\/api\/go\/([^/]+)\/(.+?)\/@(v\/list|v\/[^/]+\.(?:info|mod|zip)|latest)$/,
    (ex) => {
      const [repo = '', module = '', file = ''] = ex.params;
      if (!repositoryCaller(ex, repo, ['go'], 'read')) return;
      const { go } = fixtures();
      const info = { Version: go.version, Time: '2026-01-01T00:00:00Z' };
      if (module !== go.module) return artifactoryError(ex, 404, `Could not find module ${module}`);
      if (file === 'v/list') return sendText(ex, 200, `${go.version}\n`);
      if (file === 'latest' || file === `v/${go.version}.info`) return sendJson(ex, 200, info);
      if (file === `v/${go.version}.mod`) return sendText(ex, 200, go.mod.toString());
      if (file === `v/${go.version}.zip`) return send(ex, 200, go.zip, 'application/zip');
      artifactoryError(ex, 404, `Could not find ${module}@${file}`);
    },
  );
}
