import { createHash } from 'node:crypto';
import { artifactoryError, sendJson, sendText, type Router } from '../http.js';
import { optionalCaller, requireAdmin, requireCaller } from './guards.js';

export function systemRoutes(router: Router): void {
  // Anonymous allowed whatever the settings (REST "System Health Ping"; jfrog-cli-core
  // `weblogin.go` pings unauthenticated before a browser login).
  router.on('GET', /^\/artifactory\/api\/system\/ping$/, (ex) => sendText(ex, 200, 'OK'));
  router.on('GET', /^\/access\/api\/v1\/system\/ping$/, (ex) => sendText(ex, 200, 'OK'));

  // JSON with version, revision, addons, license (jfrog-client-go `artifactory/services/system.go`;
  // the vault plugin's `artVersion` fixture). Anonymous callers get 401 unless anonymous access is
  // on: 7.90.8 "requires user authentication on everything except ping"
  // (jfrog/vault-plugin-secrets-artifactory#217, where /version answered 401).
  router.on('GET', /^\/artifactory\/api\/system\/version$/, (ex) => {
    const caller = ex.state.config.anonymousAccess ? optionalCaller(ex, 'artifactory') : requireCaller(ex, 'artifactory');
    if (caller === undefined) return;
    const version = ex.state.config.artifactoryVersion;
    sendJson(ex, 200, {
      version,
      revision: version.replaceAll('.', '') + '900',
      addons: ['build', 'docker', 'vagrant', 'replication', 'filestore', 'plugins', 'gems', 'composer', 'npm', 'bower', 'git-lfs', 'nuget', 'debian', 'opkg', 'rpm', 'cocoapods', 'conan', 'vcs', 'pypi', 'release-bundle', 'replicator', 'keys', 'chef', 'cran', 'go', 'helm', 'rest', 'conda', 'license', 'puppet', 'ldap', 'sso', 'layouts', 'properties', 'search', 'filtered-resources', 'p2', 'watch', 'webstart', 'support', 'xray'],
      license: createHash('sha1').update(ex.state.artifactoryServiceId).digest('hex'),
    });
  });

  router.on('GET', /^\/artifactory\/api\/system\/service_id$/, (ex) => {
    if (!requireAdmin(ex, 'artifactory')) return;
    sendText(ex, 200, ex.state.artifactoryServiceId);
  });

  router.on('GET', /^\/jfconnect\/api\/v1\/system\/service_id$/, (ex) => {
    sendText(ex, 200, ex.state.artifactoryServiceId.replace(/^jfrt@/, 'jfcon@'));
  });

  router.on('GET', /^\/access\/api\/v1\/cert\/root$/, (ex) => {
    if (ex.state.config.rootCertificateRequiresAdmin && !requireAdmin(ex, 'access')) return;
    const base64 = ex.state.rootCertificateDer.toString('base64');
    if (ex.url.searchParams.get('formatted') === 'true') {
      const lines = base64.match(/.{1,64}/g) ?? [];
      return sendText(ex, 200, `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`);
    }
    sendText(ex, 200, base64);
  });

  router.on('GET', /^\/artifactory\/?$/, (ex) => {
    if (ex.url.pathname === '/artifactory') {
      ex.res.writeHead(302, { Location: '/artifactory/' });
      ex.res.end();
      return;
    }
    artifactoryError(ex, 404, 'Could not find resource');
  });
}
