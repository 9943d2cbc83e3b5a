import { accessMessage, artifactoryMessage, type Caller } from '../auth.js';
import type { Action, RepositoryType } from '../directory.js';
import { accessError, artifactoryError, type Exchange } from '../http.js';

/**
 * The authenticated caller, or undefined after answering 401 in the service's own error
 * shape: Artifactory's `{"errors":[{"status":401,"message":…}]}` (jfrog/jfrog-cli#1616) or
 * Access's `{"errors":[{"code":"UNAUTHORIZED",…}]}` (jfrog/jfrog-cli#2490 for the shape; the
 * UNAUTHORIZED code itself is a guess by analogy with NOT_FOUND). The messages are in auth.ts.
 * Anonymous callers are refused too.
 */
export function requireCaller(exchange: Exchange, service: 'access' | 'artifactory'): Caller | undefined {
  const result = exchange.auth();
  if (result.ok && result.caller) return result.caller;
  if (service === 'access') {
    accessError(exchange, 401, 'UNAUTHORIZED', result.ok ? 'Unauthorized' : accessMessage(result.failure));
  } else {
    artifactoryError(exchange, 401, result.ok ? 'Unauthorized' : artifactoryMessage(result.failure));
  }
  return undefined;
}

/**
 * Like requireCaller, but anonymous is allowed (returns null); bad credentials still fail. For
 * the endpoints that serve anonymous callers with anonymous access on; that a wrong credential
 * is refused rather than treated as anonymous is a guess.
 */
export function optionalCaller(exchange: Exchange, service: 'access' | 'artifactory'): Caller | null | undefined {
  const result = exchange.auth();
  if (result.ok) return result.caller;
  return requireCaller(exchange, service);
}

/**
 * Admin-only endpoints (service id, root certificate since 7.12: REST "Get Service ID", "Get Root
 * Certificate"). Which token scopes count as admin here is a guess: an admin user's own
 * user-scoped token is let through, as the REST pages speak of admin users, not scopes; a
 * non-admin gets 403.
 */
export function requireAdmin(exchange: Exchange, service: 'access' | 'artifactory'): Caller | undefined {
  const caller = requireCaller(exchange, service);
  if (!caller) return undefined;
  if (caller.user.admin && /applied-permissions\/admin|api:\*|applied-permissions\/user/.test(caller.scope)) return caller;
  if (service === 'access') accessError(exchange, 403, 'FORBIDDEN', 'Forbidden');
  else artifactoryError(exchange, 403, 'Forbidden');
  return undefined;
}

/**
 * The caller when they may `action` in a repository of `type`; otherwise answers and returns
 * undefined. The statuses are Artifactory's (401 with `WWW-Authenticate: Basic realm="Artifactory
 * Realm"`: semantic-release/semantic-release#300; 403, 404); the message texts are guesses that no
 * client shows, so no knob.
 */
export function repositoryCaller(
  ex: Exchange,
  repo: string,
  types: RepositoryType[],
  action: Action,
): Caller | undefined {
  const repository = ex.state.directory.repository(repo);
  if (!repository || !types.includes(repository.type)) {
    artifactoryError(ex, 404, `Repository ${repo} does not exist or is not of the right type`);
    return undefined;
  }
  const auth = ex.auth();
  if (!auth.ok || !auth.caller) {
    // Maven and Gradle send credentials only after this challenge (artifactoryError adds it).
    artifactoryError(
      ex,
      401,
      auth.ok ? 'Authentication is required' : artifactoryMessage(auth.failure),
    );
    return undefined;
  }
  if (!ex.state.directory.allows(auth.caller.user, auth.caller.scope, repo, action)) {
    artifactoryError(
      ex,
      403,
      `User ${auth.caller.user.name} is not permitted to ${action} in '${repo}'`,
    );
    return undefined;
  }
  return auth.caller;
}
