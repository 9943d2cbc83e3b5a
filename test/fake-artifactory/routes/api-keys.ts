import { artifactoryError, sendJson, type Router } from '../http.js';
import * as ids from '../ids.js';
import { requireAdmin, requireCaller } from './guards.js';

const API_KEY = /^\/artifactory\/api\/security\/apiKey$/;

/**
 * The end-of-life API key endpoints, still needed to find and replace old keys: GET answers
 * `{"apiKey":…}` or `{}`, POST creates (201), PUT regenerates (200), DELETE revokes
 * (jfrog-client-go `artifactory/services/security.go` and its tests; REST "Create API Key",
 * "Get API Key", "Revoke API Key", "Revoke User API Key"). The messages are guesses. With API keys
 * switched off (FakeConfig.apiKeysEnabled; "API Key Deprecation Process": creation blocked from
 * 7.98, usage switchable from 7.84 self-hosted and 7.107.1 cloud) requests carrying a key fail in
 * auth.ts, and creating one answers 400 here (the status is a guess).
 */
export function apiKeyRoutes(router: Router): void {
  router.on('GET', API_KEY, (ex) => {
    const caller = requireCaller(ex, 'artifactory');
    if (!caller) return;
    sendJson(ex, 200, caller.user.apiKey ? { apiKey: caller.user.apiKey } : {});
  });

  router.on('POST', API_KEY, (ex) => {
    const caller = requireCaller(ex, 'artifactory');
    if (!caller) return;
    if (!ex.state.config.apiKeysEnabled) return artifactoryError(ex, 400, 'API Key creation is disabled: API keys are deprecated, use access tokens');
    if (caller.user.apiKey) return artifactoryError(ex, 400, `Api key already exists for user: ${caller.user.name}`);
    caller.user.apiKey = ids.apiKey();
    sendJson(ex, 201, { apiKey: caller.user.apiKey });
  });

  router.on('PUT', API_KEY, (ex) => {
    const caller = requireCaller(ex, 'artifactory');
    if (!caller) return;
    if (!ex.state.config.apiKeysEnabled) return artifactoryError(ex, 400, 'API Key creation is disabled: API keys are deprecated, use access tokens');
    caller.user.apiKey = ids.apiKey();
    sendJson(ex, 200, { apiKey: caller.user.apiKey });
  });

  router.on('DELETE', API_KEY, (ex) => {
    const caller = requireCaller(ex, 'artifactory');
    if (!caller) return;
    delete caller.user.apiKey;
    sendJson(ex, 200, { info: 'Api key for current user was successfully revoked' });
  });

  router.on('DELETE', /^\/artifactory\/api\/security\/apiKey\/([^/]+)$/, (ex) => {
    if (!requireAdmin(ex, 'artifactory')) return;
    const user = ex.state.directory.user(ex.params[0] ?? '');
    if (!user) return artifactoryError(ex, 404, `User ${ex.params[0] ?? ''} not found`);
    delete user.apiKey;
    sendJson(ex, 200, { info: `Api key for user: ${user.name} was successfully revoked` });
  });
}
