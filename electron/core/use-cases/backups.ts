import { BackupKeeper, type DeletedBackups } from '../backups/keeper.js';
import type { BackupView } from '../backups/liveness.js';
import type { Environment } from '../paths.js';
import type { Settings } from '../state.js';
import { credentialWorks } from './credential-check.js';
import type { Services } from './services.js';

/**
 * The backups Artikey saved of tool files (see core/backups): listing them with what they hold,
 * deleting them on request, and, once the person agreed, by itself when Artikey has just
 * retired every secret one holds.
 */
export class Backups {
  readonly #keeper: BackupKeeper;

  constructor(private readonly s: Services) {
    this.#keeper = new BackupKeeper({
      state: () => s.state.load(),
      accessToken: async (instance) => (await s.vault.read(instance.id).catch(() => null))?.accessToken ?? null,
      stillWorks: (instance, credential) => credentialWorks(s, instance, credential),
      seconds: () => s.seconds(),
      log: s.log,
    });
    s.onSecretsRetired((secrets) => this.#keeper.afterRetiring(s.environment, secrets));
  }

  /** The backups beside every tool file Artikey knows, with the credentials each holds (never a secret). */
  list(environment: Environment, options: { check?: boolean } = {}): Promise<BackupView[]> {
    return this.#keeper.list(environment, options);
  }

  /** Deletes backups `list()` lists; any other path is refused before anything is deleted. */
  delete(environment: Environment, paths: string[]): Promise<DeletedBackups> {
    return this.#keeper.delete(environment, paths);
  }

  /** Whether Artikey deletes backups by itself once every secret in them is dead (the person's once-given yes). */
  async setDeleteDead(on: boolean): Promise<Settings> {
    return (await this.s.state.update((state) => void (state.settings.deleteDeadBackups = on))).settings;
  }
}
