import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendJson, type Router } from '../http.js';
import { repositoryCaller } from './guards.js';

/**
 * A NuGet v3 feed under `<artifactory>/api/nuget/v3/<repo>` (the source URL `jf setup nuget`
 * writes, artifactory-api.md §7; Artifactory "NuGet Repositories": `…/api/nuget/v3/<repo>/index.json`).
 * The service index and the package base address are NuGet's "Server API" ("Service index",
 * "Package Content": `{base}/{id}/index.json` lists versions, `{base}/{id}/{version}/{id}.{version}.nupkg`,
 * ids and versions in lower case). Only the package base address is offered: enough for a restore.
 * Where Artifactory puts the base address under the repository is not documented: a guess.
 */
export function nugetRoutes(router: Router): void {
  router.on(
    'GET',
    /^\/artifactory\/api\/nuget\/v3\/([^/]+)\/(index\.json|flatcontainer\/.+)$/,
    (ex) => {
      const [repo = '', rest = ''] = ex.params;
      if (!repositoryCaller(ex, repo, ['nuget'], 'read')) return;
      const { nuget } = fixtures();
      const base = `${ex.state.baseUrl()}/artifactory/api/nuget/v3/${repo}/flatcontainer/`;
      const id = nuget.id.toLowerCase();
      if (rest === 'index.json') {
        return sendJson(ex, 200, {
          version: '3.0.0',
          resources: [{ '@id': base, '@type': 'PackageBaseAddress/3.0.0' }],
        });
      }
      if (rest === `flatcontainer/${id}/index.json`)
        return sendJson(ex, 200, { versions: [nuget.version] });
      if (rest === `flatcontainer/${id}/${nuget.version}/${id}.${nuget.version}.nupkg`) {
        return send(ex, 200, nuget.nupkg, 'application/octet-stream');
      }
      artifactoryError(ex, 404, `Could not find resource: ${rest}`);
    },
  );
}
