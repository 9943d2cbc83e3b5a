import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendJson, type Exchange, type Router } from '../http.js';
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

/**
 * The NuGet v2 (OData) feed of the same repository, `<artifactory>/api/nuget/<repo>`
 * (artifactory-api.md §7), which is all Debian's nuget 2.8.7 speaks: it treats a v3 index.json
 * URL as a v2 feed root. It asks for the service document, then `Packages(Id='…',Version='…')`
 * (an Atom entry whose `content src` is the download), then the download; each request first
 * without credentials and again with Basic after the 401. The shapes are OData v2's Atom format
 * as NuGet's V2 feed serves it ("NuGet API v2" protocol notes); the `Download/<id>/<version>` path
 * is a guess at Artifactory's.
 */
export function nugetV2Routes(router: Router): void {
  router.on(
    'GET',
    /^\/artifactory\/api\/nuget\/([^/]+)(\/?|\/Packages\(.*\)|\/Download\/[^/]+\/[^/]+)$/,
    (ex) => {
      const [repo = '', rest = ''] = ex.params;
      if (!repositoryCaller(ex, repo, ['nuget'], 'read')) return;
      const { nuget } = fixtures();
      const base = `${ex.state.baseUrl()}/artifactory/api/nuget/${repo}/`;
      if (rest === '' || rest === '/') return sendAtom(ex, serviceDocument(base));
      const wanted = /^\/Packages\(Id='([^']*)',Version='([^']*)'\)$/.exec(rest);
      if (
        wanted &&
        wanted[1]?.toLowerCase() === nuget.id.toLowerCase() &&
        wanted[2] === nuget.version
      ) {
        return sendAtom(ex, packageEntry(base, nuget.id, nuget.version));
      }
      if (rest.toLowerCase() === `/download/${nuget.id.toLowerCase()}/${nuget.version}`) {
        return send(ex, 200, nuget.nupkg, 'application/zip');
      }
      artifactoryError(ex, 404, `Could not find resource: ${rest}`);
    },
  );
}

const sendAtom = (ex: Exchange, xml: string): void =>
  send(
    ex,
    200,
    `<?xml version="1.0" encoding="utf-8"?>${xml}`,
    'application/atom+xml;charset=utf-8',
  );

const serviceDocument = (base: string): string =>
  `<service xml:base="${base}" xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom">` +
  '<workspace><atom:title>Default</atom:title><collection href="Packages"><atom:title>Packages</atom:title></collection></workspace></service>';

const packageEntry = (base: string, id: string, version: string): string =>
  `<entry xml:base="${base}" xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" ` +
  'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">' +
  `<id>${base}Packages(Id='${id}',Version='${version}')</id><title type="text">${id}</title>` +
  '<updated>2026-01-01T00:00:00Z</updated><author><name>artikey</name></author>' +
  `<content type="application/zip" src="${base}Download/${id}/${version}" />` +
  `<m:properties><d:Id>${id}</d:Id><d:Version>${version}</d:Version>` +
  '<d:IsLatestVersion m:type="Edm.Boolean">true</d:IsLatestVersion></m:properties></entry>';
