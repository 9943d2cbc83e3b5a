import type { Artikey, LoginOutcome } from '../../electron/core/artikey.js';
import type { LoginRequest } from '../../electron/core/use-cases/login.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';

/**
 * Logs `artikey` in to the fake as `username` the way a strict server allows (the fake refuses to
 * trade a password for a token by default, as a real one does): through the browser login, with
 * the person approving the session as soon as the prompt shows it, and no pause between polls.
 * A session the fake approved already (`approveBrowserLoginsAs`) is left as it is.
 */
export function logInAs(artikey: Artikey, fake: FakeArtifactory, username: string, request: Partial<LoginRequest> = {}): Promise<LoginOutcome> {
  return artikey.loginWithBrowser({
    url: fake.url,
    ...request,
    pollIntervalMs: 0,
    onPrompt: ({ url }) => {
      const session = new URL(url).searchParams.get('jfClientSession') ?? '';
      if (fake.pendingLogins().includes(session)) fake.approveLogin(session, username);
    },
  });
}
