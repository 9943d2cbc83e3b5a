import { lstat, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArtikeyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Environment } from '../paths.js';
import type { FoundCredential } from '../scan/credential.js';
import type { CredentialFile } from '../scan/locations.js';
import { credentialFiles } from '../scan/readers.js';
import { registryHostOf } from '../docker-hosts.js';
import type { InstanceRecord, StateData } from '../state.js';
import { definitionOf } from '../targets/target-kinds.js';
import { findBackups, type BackupFile } from './inventory.js';
import { inspectBackup, type BackupView, type LivenessFacts } from './liveness.js';

/**
 * The backups of tool files, known and kept in check: listed beside every file Artikey knows
 * (its recorded targets and the scan's locations), judged by the secrets in them, deleted on
 * request, and, when the person agreed to it once (`settings.deleteDeadBackups`), deleted by
 * Artikey itself once every secret in them is dead.
 */
export interface BackupKeeperDeps {
  state: () => Promise<StateData>;
  /** The instance's current access token; null when the keychain has none (or cannot be read). */
  accessToken: (instance: InstanceRecord) => Promise<string | null>;
  stillWorks: (
    instance: InstanceRecord,
    credential: FoundCredential,
  ) => Promise<'yes' | 'no' | 'unknown'>;
  seconds: () => number;
  log: Logger;
}

export interface DeletedBackups {
  deleted: string[];
  failed: { path: string; message: string }[];
}

export class BackupKeeper {
  constructor(private readonly deps: BackupKeeperDeps) {}

  /** Every backup beside the files Artikey knows, with what it holds. `check` asks the servers. */
  async list(
    environment: Environment,
    options: { check?: boolean; retired?: ReadonlySet<string> } = {},
  ): Promise<BackupView[]> {
    const state = await this.deps.state();
    const facts = await this.#facts(state, options.check === true, options.retired ?? new Set());
    const views: BackupView[] = [];
    for (const backup of await findBackups(knownFiles(state, environment)))
      views.push(await inspectBackup(backup, facts));
    return views;
  }

  /**
   * Deletes the named backups. Every path must be one `list` reports: anything else (a tool
   * file, a file named like a backup elsewhere) is refused before anything is deleted.
   */
  async delete(environment: Environment, paths: string[]): Promise<DeletedBackups> {
    const state = await this.deps.state();
    return this.#remove(requireBackups(await findBackups(knownFiles(state, environment)), paths));
  }

  /** Deletes the backups whose every secret is known dead (`check`: asking the servers first). */
  async deleteDead(
    environment: Environment,
    options: { check?: boolean; retired?: ReadonlySet<string> } = {},
  ): Promise<DeletedBackups> {
    return this.#remove((await this.list(environment, options)).filter((b) => b.onlyDeadSecrets));
  }

  /**
   * After Artikey revoked or replaced `secrets`: when the person agreed to it, the backups now
   * holding only dead secrets go. Never fails the operation that called it (the log says why).
   */
  async afterRetiring(
    environment: Environment,
    secrets: (string | null | undefined)[],
  ): Promise<void> {
    try {
      if (!(await this.deps.state()).settings.deleteDeadBackups) return;
      const retired = new Set(secrets.filter((s): s is string => Boolean(s)));
      const { deleted, failed } = await this.deleteDead(environment, { retired });
      for (const path of deleted)
        this.deps.log.info(`deleted the backup ${path}: every secret in it is dead`);
      for (const { path, message } of failed)
        this.deps.log.warn(`could not delete the backup ${path}: ${message}`);
    } catch (error) {
      this.deps.log.warn(
        `could not look for backups holding only dead secrets: ${(error as Error).message}`,
      );
    }
  }

  async #remove(backups: BackupFile[]): Promise<DeletedBackups> {
    const result: DeletedBackups = { deleted: [], failed: [] };
    for (const backup of backups) {
      try {
        // Checked again right before: a backup is a regular file, never a link to something else.
        if (!(await lstat(backup.path)).isFile()) throw new Error('no longer a regular file');
        await rm(backup.path);
        result.deleted.push(backup.path);
      } catch (error) {
        result.failed.push({ path: backup.path, message: (error as Error).message });
      }
    }
    return result;
  }

  async #facts(
    state: StateData,
    check: boolean,
    retired: ReadonlySet<string>,
  ): Promise<LivenessFacts> {
    const current: LivenessFacts['current'] = [];
    for (const instance of state.instances)
      current.push({
        instanceId: instance.id,
        name: instance.name,
        accessToken: await this.deps.accessToken(instance),
        revoked: instance.revocation.status === 'revoked',
      });
    const stillWorks = async (credential: FoundCredential): Promise<'yes' | 'no' | 'unknown'> => {
      // Only ever to the instance the credential belongs to.
      const instance = state.instances.find((i) => i.id === credential.instanceId);
      return instance ? this.deps.stillWorks(instance, credential) : 'unknown';
    };
    return {
      instances: state.instances.map((i) => ({
        id: i.id,
        platformUrl: i.platformUrl,
        registryHost: registryHostOf(i.platformUrl),
      })),
      current,
      retired,
      now: this.deps.seconds(),
      ...(check ? { check: stillWorks } : {}),
    };
  }
}

/** The backups among `known` that `paths` name; refuses the lot if one names anything else. */
export function requireBackups<T extends BackupFile>(known: T[], paths: string[]): T[] {
  return paths.map((path) => {
    const match = known.find((b) => b.path === resolve(path));
    if (!match)
      throw new ArtikeyError(
        'not-a-backup',
        `${resolve(path)} is not a backup Artikey made of a tool file (artikey backups lists them); nothing was deleted.`,
      );
    return match;
  });
}

/** The tool files Artikey knows: every instance's recorded targets and the scan's locations. */
function knownFiles(state: StateData, environment: Environment): CredentialFile[] {
  const recorded = state.instances.flatMap((i) =>
    i.targets.map((t) => ({ tool: definitionOf(t.kind).scanTool, path: t.path })),
  );
  return [...recorded, ...credentialFiles(environment)];
}
