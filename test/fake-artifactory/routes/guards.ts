import { accessMessage, artifactoryMessage, type Caller } from '../auth.js';
import { accessError, artifactoryError, type Exchange } from '../http.js';

/**
 * The authenticated caller, or undefined after answering 401 in the service's own error
 * shape. Anonymous callers are refused too.
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

/** Like requireCaller, but anonymous is allowed (returns null); bad credentials still fail. */
export function optionalCaller(exchange: Exchange, service: 'access' | 'artifactory'): Caller | null | undefined {
  const result = exchange.auth();
  if (result.ok) return result.caller;
  return requireCaller(exchange, service);
}

export function requireAdmin(exchange: Exchange, service: 'access' | 'artifactory'): Caller | undefined {
  const caller = requireCaller(exchange, service);
  if (!caller) return undefined;
  if (caller.user.admin && /applied-permissions\/admin|api:\*|applied-permissions\/user/.test(caller.scope)) return caller;
  if (service === 'access') accessError(exchange, 403, 'FORBIDDEN', 'Forbidden');
  else artifactoryError(exchange, 403, 'Forbidden');
  return undefined;
}
