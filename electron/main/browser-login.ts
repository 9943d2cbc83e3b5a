import type { Artikey, BrowserLoginPrompt, BrowserLoginRequest as CoreBrowserLoginRequest, LoginOutcome, MigrationLogin } from '../core/artikey.js';
import { ArtikeyError } from '../core/errors.js';
import { parsePlatformAddress } from '../core/instances.js';
import type { Environment } from '../core/paths.js';
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

  start(request: BrowserLoginRequest): Promise<LoginOutcome> {
    return this.#run(request, (core) => this.artikey.loginWithBrowser(core));
  }

  /**
   * Logs in to a server whose credentials the files hold, to migrate them: with the API key found
   * there, or through the browser (this same prompt) when the server refuses the key.
   */
  startForMigration(request: BrowserLoginRequest, environment: Environment): Promise<MigrationLogin> {
    return this.#run(request, (core) => this.artikey.loginToMigrate(core, environment));
  }

  async #run<T>(request: BrowserLoginRequest, login: (core: CoreBrowserLoginRequest) => Promise<T>): Promise<T> {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    const parsed = parsePlatformAddress(request.url);
    if (!parsed.ok) throw new ArtikeyError('invalid-address', parsed.problem.message);
    try {
      return await login({
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
