import { accessError, readFields, fieldString, sendEmpty, sendHtml, sendJson, type Router } from '../http.js';
import { webLoginSessionPattern } from '../ids.js';
import type { FakeState, WebLoginSession } from '../state.js';
import { tokenResponse } from './access-tokens.js';

const BASE = '/access/api/v2/authentication/jfrog_client_login';

/**
 * The browser-login ("web login") flow: the client registers a session id, the person approves it
 * in the browser, and the client's poll gets the tokens exactly once (jfrog-client-go
 * `access/services/login.go`, jfrog-cli-core `artifactory/utils/weblogin.go`: a 400 poll means
 * "not yet"). Servers before 7.64.0 have none of it: server.ts answers those paths 404 (versions.ts).
 */
export function webLoginRoutes(router: Router): void {
  router.on('POST', new RegExp(`^${BASE}/request$`), async (ex) => {
    const fields = await readFields(ex, { json: true, form: false }, (message, status) =>
      accessError(ex, status, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message),
    );
    if (!fields) return;
    const session = fieldString(fields, 'session');
    if (!session || !webLoginSessionPattern.test(session)) {
      return accessError(ex, 400, 'BAD_REQUEST', 'session must be a lower-case UUID v4');
    }
    if (ex.state.webLoginSessions.has(session)) return accessError(ex, 400, 'BAD_REQUEST', 'Session already exists');
    ex.state.webLoginSessions.set(session, { state: 'pending', createdAt: ex.state.clock.seconds(), clientName: null });
    if (ex.state.browserLoginApprover !== null) approveWebLogin(ex.state, session, ex.state.browserLoginApprover);
    sendEmpty(ex, 200);
  });

  router.on('GET', new RegExp(`^${BASE}/token/([^/]+)$`), (ex) => {
    const id = ex.params[0] ?? '';
    const session = liveSession(ex.state, id);
    if (!session || session.state === 'consumed') return accessError(ex, 404, 'NOT_FOUND', 'Session not found');
    if (session.state === 'pending') return accessError(ex, 400, 'BAD_REQUEST', 'Session is not authenticated yet');
    ex.state.webLoginSessions.set(id, { state: 'consumed', createdAt: session.createdAt, clientName: session.clientName, username: session.username });
    ex.record.user = session.username;
    sendJson(ex, 200, session.response);
  });

  router.on('GET', /^\/ui\/login\/?$/, (ex) => {
    const id = ex.url.searchParams.get('jfClientSession');
    if (!id) return sendHtml(ex, 200, page('JFrog Platform', '<p>Sign in to the JFrog Platform.</p>'));
    const session = liveSession(ex.state, id);
    const clientName = ex.url.searchParams.get('jfClientName');
    if (session?.state === 'pending' && clientName) session.clientName = clientName.slice(0, 64);
    sendHtml(ex, 200, loginForm(id, session, ''));
  });

  router.on('POST', /^\/ui\/login\/?$/, async (ex) => {
    const fields = await readFields(ex, { json: false, form: true }, (message, status) => sendHtml(ex, status, page('Error', `<p>${escape(message)}</p>`)));
    if (!fields) return;
    const id = fieldString(fields, 'session') ?? '';
    const session = liveSession(ex.state, id);
    const rerender = (message: string): void => sendHtml(ex, 400, loginForm(id, session, message));
    if (!session || session.state !== 'pending') return rerender('This login request has expired or was already used. Start the login again.');
    const user = ex.state.directory.user(fieldString(fields, 'username') ?? '');
    if (!user || user.password !== fieldString(fields, 'password') || user.disabled) return rerender('Incorrect username or password.');
    if ((fieldString(fields, 'code') ?? '').trim().toLowerCase() !== id.slice(-4)) return rerender('The verification code does not match.');
    approveWebLogin(ex.state, id, user.name);
    sendHtml(ex, 200, page('Signed in', `<h1>You are signed in</h1><p>Return to ${escape(session.clientName ?? 'your application')}; it has received your credentials.</p>`));
  });
}

/** What the person's approval in the browser does: mint the tokens the poll will collect. */
export function approveWebLogin(state: FakeState, id: string, username: string): void {
  const session = liveSession(state, id);
  if (!session || session.state !== 'pending') throw new Error(`no pending browser-login session ${id}`);
  if (!state.directory.user(username)) throw new Error(`no such user: ${username}`);
  const token = state.tokens.issue({
    username,
    scope: 'applied-permissions/user',
    expiresIn: state.config.defaultExpirySeconds,
    refreshable: state.config.allowRefreshable,
  });
  state.webLoginSessions.set(id, {
    state: 'approved',
    createdAt: session.createdAt,
    clientName: session.clientName,
    username,
    response: tokenResponse(token),
  });
}

function liveSession(state: FakeState, id: string): WebLoginSession | undefined {
  const session = state.webLoginSessions.get(id);
  if (session && state.clock.seconds() - session.createdAt > state.config.webLoginSessionSeconds) {
    state.webLoginSessions.delete(id);
    return undefined;
  }
  return session;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}input{display:block;width:100%;padding:.4rem}</style>
</head><body>${body}</body></html>`;
}

function loginForm(id: string, session: WebLoginSession | undefined, error: string): string {
  if (!session) return page('Login expired', '<h1>Login request not found</h1><p>It expired or was already used. Start the login again from your application.</p>');
  const client = escape(session.clientName ?? 'an application');
  return page(
    'Sign in - JFrog Platform (fake)',
    `<h1>Sign in to authorize ${client}</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/ui/login">
<input type="hidden" name="session" value="${escape(id)}">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>Verification code shown by ${client} <input name="code" inputmode="text" maxlength="4" required></label>
<button type="submit">Sign in</button>
</form>`,
  );
}
