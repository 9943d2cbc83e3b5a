import type { Artikey, BrowserLoginPrompt, LoginOutcome } from '../core/artikey.js';
import { ArtikeyError } from '../core/errors.js';
import { parsePlatformAddress } from '../core/instances.js';
import { isAllowedExternalUrl } from './web-policy.js';

export interface BrowserLoginRequest {
  url: string;
  name?: string | undefined;
  lifetimeSeconds?: number | undefined;
  replaceUser?: boolean | undefined;
}

/**
 * The browser login as the app runs it: the login page opens in the system browser (where the
 * person's SSO session lives), the window shows the code to compare, and a new login replaces
 * one still waiting. Started from the window, the tray or a notification alike.
 */
export class BrowserLogins {
  #current: AbortController | null = null;

  constructor(
    private readonly artikey: Artikey,
    private readonly openInBrowser: (url: string, instanceUrls: string[]) => Promise<void>,
    private readonly showPrompt: (prompt: BrowserLoginPrompt) => void,
  ) {}

  async start(request: BrowserLoginRequest): Promise<LoginOutcome> {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    const parsed = parsePlatformAddress(request.url);
    if (!parsed.ok) throw new ArtikeyError('invalid-address', parsed.problem.message);
    try {
      return await this.artikey.loginWithBrowser({
        url: request.url,
        ...(request.name === undefined ? {} : { name: request.name }),
        ...(request.lifetimeSeconds === undefined
          ? {}
          : { lifetimeSeconds: request.lifetimeSeconds }),
        ...(request.replaceUser === true ? { replaceUser: true } : {}),
        signal: controller.signal,
        onPrompt: async (prompt) => {
          // The page to open comes from the server's answer path; open it only on the same host.
          if (!isAllowedExternalUrl(prompt.url, [parsed.address.platformUrl]))
            throw new ArtikeyError(
              'invalid-address',
              `The login page ${new URL(prompt.url).host} is not on ${parsed.address.registryHost}; not opening it.`,
            );
          this.showPrompt({ code: prompt.code, url: prompt.url });
          await this.openInBrowser(prompt.url, [parsed.address.platformUrl]);
        },
      });
    } finally {
      if (this.#current === controller) this.#current = null;
    }
  }

  /** Stops the login waiting for approval, if any. */
  cancel(): boolean {
    const current = this.#current;
    current?.abort();
    this.#current = null;
    return current !== null;
  }
}
