import { fixtures } from '../fixtures.js';
import { artifactoryError, send, type Router } from '../http.js';
import { repositoryCaller } from './guards.js';

/**
 * A classic Helm chart repository under `<artifactory>/api/helm/<repo>` (Artifactory "Helm Chart
 * Repositories": `helm repo add <name> https://…/artifactory/api/helm/<repo> --username …
 * --password …`). `index.yaml` is Helm's repository index ("The Chart Repository Guide"), with
 * chart URLs relative to the repository as Artifactory writes them. helm sends Basic up front
 * (real-clients.md, helm section).
 */
export function helmRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/api\/helm\/([^/]+)\/(index\.yaml|[^/]+\.tgz)$/, (ex) => {
    const [repo = '', file = ''] = ex.params;
    if (!repositoryCaller(ex, repo, ['helm'], 'read')) return;
    const { helm } = fixtures();
    const chartFile = `${helm.name}-${helm.version}.tgz`;
    if (file === 'index.yaml') {
      const index = [
        'apiVersion: v1',
        'entries:',
        `  ${helm.name}:`,
        '  - apiVersion: v2',
        `    name: ${helm.name}`,
        `    version: ${helm.version}`,
        '    type: application',
        `    digest: ${helm.sha256}`,
        '    created: "2026-01-01T00:00:00Z"',
        '    urls:',
        `    - ${chartFile}`,
        'generated: "2026-01-01T00:00:00Z"',
        '',
      ].join('\n');
      return send(ex, 200, index, 'application/x-yaml');
    }
    if (file === chartFile) return send(ex, 200, helm.chart, 'application/x-gzip');
    artifactoryError(ex, 404, `Could not find resource: ${file}`);
  });
}
