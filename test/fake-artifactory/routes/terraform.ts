import { createHmac, randomBytes } from 'node:crypto';
import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendEmpty, sendJson, type Router } from '../http.js';
import { repositoryCaller } from './guards.js';

/**
 * Terraform's module registry protocol as Artifactory serves it. Terraform finds the registry
 * through `https://<host>/.well-known/terraform.json` (Terraform "Remote Service Discovery",
 * HTTPS only), which Artifactory answers at the host's root with `modules.v1` and `providers.v1`
 * under `/artifactory/api/terraform/v1/`; the module's namespace carries the repository as
 * `<repo>__<namespace>` (Artifactory "Terraform Registry: Connect your Terraform/OpenTofu Client",
 * source `<host>/<repo>__<namespace>/<name>/<provider>`). The two calls are the "Module Registry
 * Protocol"'s: `…/versions` answers `{"modules":[{"versions":[{"version":…}]}]}`, `…/<version>/download`
 * answers 204 with the archive's address in `X-Terraform-Get`, relative to the download URL. The
 * archive is the module zip Artifactory stores (`namespace/module-name/provider/version.zip`). The
 * discovery document is public; the versions and download calls need the caller's token, which
 * Terraform sends as `Authorization: Bearer` from its `credentials "<host>"` block. Terraform fetches
 * the archive itself without credentials (seen with Terraform 1.11: HEAD and GET with no
 * Authorization), so the address it is given carries a signature instead, as Terraform Cloud's
 * pre-signed archive URLs do; that Artifactory signs its archive links the same way is a guess.
 */
const SIGNING_KEY = randomBytes(32);
const signature = (path: string): string =>
  createHmac('sha256', SIGNING_KEY).update(path).digest('hex');

export function terraformRoutes(router: Router): void {
  router.on('GET', /^\/\.well-known\/terraform\.json$/, (ex) =>
    sendJson(ex, 200, {
      'modules.v1': '/artifactory/api/terraform/v1/modules/',
      'providers.v1': '/artifactory/api/terraform/v1/providers/',
    }),
  );
  router.on(
    'GET',
    /^\/artifactory\/api\/terraform\/v1\/modules\/([^/_]+)__([^/]+)\/([^/]+)\/([^/]+)\/(versions|[^/]+\/download|[^/]+\/module\.zip)$/,
    (ex) => {
      const [repo = '', namespace, name, provider, rest = ''] = ex.params;
      const { terraform } = fixtures();
      if (rest === `${terraform.version}/module.zip`) {
        if (ex.url.searchParams.get('signature') !== signature(ex.url.pathname))
          return artifactoryError(ex, 401, 'The archive link is not signed');
        return send(ex, 200, terraform.zip, 'application/zip');
      }
      if (!repositoryCaller(ex, repo, ['terraform'], 'read')) return;
      const known =
        namespace === terraform.namespace &&
        name === terraform.name &&
        provider === terraform.provider;
      if (known && rest === 'versions')
        return sendJson(ex, 200, { modules: [{ versions: [{ version: terraform.version }] }] });
      if (known && rest === `${terraform.version}/download`) {
        const archive = ex.url.pathname.replace(/download$/, 'module.zip');
        ex.res.setHeader('X-Terraform-Get', `./module.zip?signature=${signature(archive)}`);
        return sendEmpty(ex, 204);
      }
      artifactoryError(ex, 404, `Could not find resource: ${rest}`);
    },
  );
}
