import { AccessError } from '../access.js';
import { findInstance } from '../instances.js';
import { readRepositories, repositoriesFor, REPOSITORY_PACKAGE_TYPE, REPOSITORY_KEY, type RepositoryListing } from '../repositories.js';
import { ArtikeyError, errorCode } from '../errors.js';
import { redact } from '../logger.js';
import type { Tool } from '../targets/tool-request.js';
import type { Refreshes } from './refresh.js';
import type { Services } from './services.js';

/** An instance's repositories for a tool, from its server, and the one last chosen there. */
export class RepositoryChoices {
  constructor(
    private readonly s: Services,
    private readonly refreshes: Refreshes,
  ) {}

  /**
   * The repositories of the tool's package type the instance's user may read, virtual first, asked
   * with the instance's token. A server that refuses the listing (403), cannot be reached or
   * answers something else gives `cannot-list` with the reason: the person then types the key. A
   * token Artikey knows is dead fails as everywhere (`login-required`).
   */
  async list(reference: string, tool: Tool): Promise<RepositoryListing> {
    const packageType = packageTypeOf(tool);
    const record = findInstance(await this.s.state.load(), reference);
    const remembered = record.chosenRepositories?.[packageType] ?? null;
    const token = await this.refreshes.accessToken(record.id, 60);
    try {
      const entries = await (await this.s.client(record)).repositories({ kind: 'bearer', token }, packageType);
      return { status: 'listed', packageType, repositories: repositoriesFor(tool, readRepositories(entries, packageType)), remembered };
    } catch (error) {
      const forbidden = error instanceof AccessError && error.code === 'forbidden';
      const detail = redact(error instanceof Error ? error.message : String(error));
      const reason = forbidden
        ? `${record.name} does not let ${record.username ?? 'this user'} list repositories (403)`
        : `The repositories of ${record.name} could not be listed (${detail})`;
      const note = forbidden
        ? `${reason}, so the key is not checked; type it as your admin gave it.`
        : `The repositories of ${record.name} could not be listed, so the key is not checked: ${detail}`;
      this.s.log.info(`${record.id}: repositories not listed (${errorCode(error)})`);
      return { status: 'cannot-list', packageType, reason, note, remembered };
    }
  }

  /** Remembers the repository chosen for the tool's package type on this instance, to offer it first next time. */
  async remember(reference: string, tool: Tool, key: string): Promise<void> {
    const packageType = packageTypeOf(tool);
    // Maven's --mirror may hold a path below a repository: that is written, but not offered as a key.
    if (!REPOSITORY_KEY.test(key)) return;
    await this.s.state.update((state) => {
      const record = findInstance(state, reference);
      record.chosenRepositories = { ...record.chosenRepositories, [packageType]: key };
    });
  }
}

function packageTypeOf(tool: Tool): string {
  const packageType = REPOSITORY_PACKAGE_TYPE[tool];
  if (packageType === null) throw new ArtikeyError('invalid-option', `${tool} is not configured with a repository`);
  return packageType;
}
