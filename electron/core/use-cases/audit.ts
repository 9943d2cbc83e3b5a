import { registryHostOf } from '../docker-hosts.js';
import { errorCode } from '../errors.js';
import { findInstance } from '../instances.js';
import { backUpBefore, planMigration, runCleanup, type MigrationBackup, type MigrationStep } from '../migrate.js';
import type { Environment } from '../paths.js';
import { credentialView, managementOf, scanCredentials, type CredentialView, type ManagedPlaces, type ScanProblem } from '../scan/scan.js';
import type { StateData } from '../state.js';
import { credentialWorks } from './credential-check.js';
import type { Services } from './services.js';
import type { Tools } from './tools.js';

/** A credential the scan found, and whether its server still accepts it (null: not checked). */
export type ScannedCredential = CredentialView & { works: 'yes' | 'no' | 'unknown' | null };

export interface MigrationOutcome {
  steps: MigrationStep[];
  applied: MigrationStep[];
  failed: { step: MigrationStep; code: string; message: string }[];
  /** The backups this migration saved, each of the file as it was before its first change. */
  backups: MigrationBackup[];
}

/** Finding plain-text Artifactory credentials on the machine, and moving them under Artikey. */
export class Audit {
  constructor(
    private readonly s: Services,
    private readonly tools: Tools,
  ) {}

  /**
   * Plain-text Artifactory credentials in the usual places (Docker, npm, Maven, pip, netrc,
   * Gradle, JFrog CLI), each tied to an instance where one matches. Never returns a secret.
   */
  async scan(environment: Environment, options: { check?: boolean } = {}): Promise<{ found: ScannedCredential[]; problems: ScanProblem[]; searched: string[] }> {
    const state = await this.s.state.load();
    const report = await scanCredentials({ environment, instances: instancesToMatch(state) });
    const owners = await this.#managedPlaces(state, report.problems);
    const found: ScannedCredential[] = [];
    for (const credential of report.found) {
      const instance = state.instances.find((i) => i.id === credential.instanceId);
      // Only ever to the instance the credential belongs to: a secret never goes to a host Artikey did not log in to.
      const works = options.check && instance ? await credentialWorks(this.s, instance, credential) : null;
      found.push({ ...credentialView(credential, managementOf(credential, owners)), works });
    }
    return { found, problems: report.problems, searched: report.searched };
  }

  /**
   * Replaces the instance's plain-text credentials found by the scan with Artikey-managed entries.
   * Without `apply` it only returns the plan. Each file is backed up, as it is, before its first change.
   */
  async migrate(reference: string, environment: Environment, apply: boolean): Promise<MigrationOutcome> {
    const state = await this.s.state.load();
    const record = findInstance(state, reference);
    const report = await scanCredentials({ environment, instances: instancesToMatch(state) });
    const steps = planMigration(report.found, record, await this.#managedPlaces(state, []), environment);
    const applied: MigrationStep[] = [];
    const failed: MigrationOutcome['failed'] = [];
    const backups: MigrationBackup[] = [];
    if (!apply) return { steps, applied, failed, backups };
    for (const step of steps) {
      if (step.action !== 'replace') continue;
      try {
        await backUpBefore(step, backups);
        await this.tools.configure(record.id, step.target, { replaceReferences: false });
        if (step.cleanup) await runCleanup(step.cleanup);
        applied.push(step);
        this.s.log.info(`migrated ${step.credential.kind} in ${step.credential.file} (${step.credential.location}) to Artikey`);
      } catch (error) {
        failed.push({ step, code: errorCode(error), message: (error as Error).message });
      }
    }
    return { steps, applied, failed, backups };
  }

  /**
   * What the files hold for a server Artikey is not logged in to (by its registry host): how many
   * credentials, and the API keys among them, each once. For logging in before a migration.
   */
  async foundForUnknownServer(host: string, environment: Environment): Promise<{ found: number; apiKeys: string[] }> {
    const state = await this.s.state.load();
    const report = await scanCredentials({ environment, instances: instancesToMatch(state) });
    const found = report.found.filter((c) => c.instanceId === null && c.host === host && c.kind !== 'env-reference' && c.kind !== 'encrypted');
    return { found: found.length, apiKeys: [...new Set(found.filter((c) => c.kind === 'api-key').map((c) => c.secret))] };
  }

  /**
   * Every instance's recorded targets with its current token, so the scan can tell Artikey's own
   * entries from plain-text ones. An instance whose token cannot be read leaves its entries
   * unjudged (shown as not managed), with a problem saying why.
   */
  async #managedPlaces(state: StateData, problems: ScanProblem[]): Promise<ManagedPlaces[]> {
    const owners: ManagedPlaces[] = [];
    for (const instance of state.instances) {
      const targets = instance.targets;
      if (targets.length === 0) continue;
      try {
        owners.push({ instanceId: instance.id, targets, accessToken: (await this.s.vault.read(instance.id))?.accessToken ?? null });
      } catch (error) {
        for (const file of new Set(targets.map((t) => t.path)))
          problems.push({ file, message: `Could not read ${instance.name}'s token from the keychain (${errorCode(error)}); whether Artikey's entries here hold it was not checked.` });
      }
    }
    return owners;
  }

}

const instancesToMatch = (state: StateData): { id: string; platformUrl: string; registryHost: string }[] =>
  state.instances.map((i) => ({ id: i.id, platformUrl: i.platformUrl, registryHost: registryHostOf(i.platformUrl) }));
