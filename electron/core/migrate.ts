import type { Environment } from './paths.js';
import type { Cleanup } from './targets/kinds/definition.js';
import { byteOrderMarkOf } from './targets/byte-order-mark.js';
import { adopterOf, cleaningKindOf } from './targets/target-kinds.js';
import type { TargetSpec } from './targets/target-record.js';
import { saveBackup } from './targets/backup-file.js';
import { editToolFile, readForEdit, requireEditable } from './targets/tool-file.js';
import {
  credentialView,
  managementOf,
  type CredentialView,
  type FoundCredential,
  type ManagedPlaces,
} from './scan/scan.js';

/**
 * Replacing plain-text credentials (API keys, long-lived tokens, passwords) with entries Artikey
 * manages: the same file, the same registry, but the instance's short-lived token, rewritten on
 * every refresh. The plan is pure so people (and tests) can read it before anything changes.
 */
export type MigrationStep =
  | { action: 'replace'; credential: CredentialView; target: TargetSpec; cleanup: Cleanup | null }
  | { action: 'skip'; credential: CredentialView; reason: string };

/**
 * What else must go once Artikey's entry is in: the old plain-text copy in another key (npm's
 * other keys of the registry, Docker's `auths`), made and taken out by the kind that adopted it.
 */
export type { Cleanup } from './targets/kinds/definition.js';

export interface MigrationInstance {
  id: string;
  platformUrl: string;
  username: string | null;
}

const WORTH_REPLACING = new Set([
  'api-key',
  'access-token',
  'reference-token',
  'refresh-token',
  'password',
]);

/**
 * `owners`: every instance's recorded targets and current token. Artikey's own entries holding
 * that token need nothing; a stale copy in one of them is rewritten as its target was configured.
 */
export function planMigration(
  found: FoundCredential[],
  instance: MigrationInstance,
  owners: ManagedPlaces[],
  environment: Environment,
): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const planned = new Set<string>();
  for (const credential of found) {
    if (credential.instanceId !== instance.id) continue;
    const management = managementOf(credential, owners);
    if (management.managed) continue;
    const shown = credentialView(credential, management);
    const skip = (reason: string): void =>
      void steps.push({ action: 'skip', credential: shown, reason });
    if (!WORTH_REPLACING.has(credential.kind)) {
      skip(
        credential.kind === 'env-reference'
          ? 'read from an environment variable; set that variable from `artikey token` instead'
          : 'encrypted; Artikey cannot tell what it holds',
      );
      continue;
    }
    const step =
      management.target === null
        ? replacement(credential, instance, environment)
        : { target: management.target, cleanup: null };
    if (typeof step === 'string') {
      skip(step);
      continue;
    }
    const key = `${step.target.kind}\0${step.target.path}\0${JSON.stringify(step.target)}`;
    if (planned.has(key)) continue; // e.g. `_auth` and `_password` of the same registry
    planned.add(key);
    steps.push({ action: 'replace', credential: shown, ...step });
  }
  return steps;
}

function replacement(
  credential: FoundCredential,
  instance: MigrationInstance,
  environment: Environment,
): { target: TargetSpec; cleanup: Cleanup | null } | string {
  return (
    adopterOf(credential.tool)?.adopt?.(credential, {
      platformUrl: instance.platformUrl,
      environment,
    }) ?? `Artikey does not replace ${credential.tool} credentials`
  );
}

/** A file's bytes as they were before migrate changed it (see `backUpBefore`). */
export interface MigrationBackup {
  file: string;
  backup: string;
}

/**
 * Saves the file a step changes, exactly as it is, before the step's first change: a step
 * replaces what the person wrote (and its cleanup takes out the rest of it), so the person must
 * be able to get it back. Once per file and run (`taken`), so later steps on the same file do not
 * save Artikey's own fresh token in a backup; a stale copy of Artikey's own entry is rewritten
 * without one. A file Artikey would refuse to change gets none: the step fails before changing it.
 */
export async function backUpBefore(step: MigrationStep, taken: MigrationBackup[]): Promise<void> {
  if (step.action !== 'replace' || step.credential.stale) return;
  const { path, bytes } = await readForEdit(step.credential.file);
  if (bytes === null || taken.some((t) => t.file === path)) return;
  const { gid } = await requireEditable(path);
  taken.push({ file: path, backup: await saveBackup(path, bytes, gid, Date.now()) });
}

/**
 * Takes out the old plain-text copies once Artikey's entry is written. What it removes is the
 * person's, saved by `backUpBefore` before the step began, so it takes no backup of its own
 * (that one would also hold Artikey's fresh token).
 */
export async function runCleanup(cleanup: Cleanup): Promise<void> {
  const owner = cleaningKindOf(cleanup.kind);
  const remove = owner?.cleanup;
  if (owner === undefined || remove === undefined)
    throw new Error(`No target kind takes out a ${cleanup.kind} cleanup`);
  await editToolFile(cleanup.path, (text) => (text === null ? '' : remove.edit(text, cleanup)), {
    secret: remove.secret,
    byteOrderMark: byteOrderMarkOf(owner.scanTool),
  });
}
