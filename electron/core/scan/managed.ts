import { resolve } from 'node:path';
import { definitionFor } from '../targets/target-kinds.js';
import type { TargetRecord, TargetSpec } from '../targets/target-record.js';
import { publicView, type FoundCredential, type PublicCredential } from './credential.js';

/**
 * Telling Artikey's own entries (what `configure` wrote and the state records as targets) from
 * the plain-text credentials people left in the same files. An entry is managed only when it
 * sits where a recorded target writes AND holds the instance's current token: the place alone
 * would also claim a stale copy (a crash between a refresh and the file's rewrite, a hand edit),
 * which Artikey no longer keeps current.
 */
export interface ManagedPlaces {
  instanceId: string;
  targets: TargetRecord[];
  /** The instance's current access token; null when the keychain holds none. */
  accessToken: string | null;
}

export interface Management {
  /** Artikey wrote this entry and it holds the instance's current token: refreshed with it. */
  managed: boolean;
  /** Artikey's entry, holding another secret than the instance's current token. */
  stale: boolean;
  /** The recorded target that owns the entry's place, if any. */
  target: TargetSpec | null;
}

/** What the CLI, the window and migration plans show of an entry: never its secret. */
export type CredentialView = PublicCredential & Pick<Management, 'managed' | 'stale'>;

export const credentialView = (
  credential: FoundCredential,
  management: Management,
): CredentialView => ({
  ...publicView(credential),
  managed: management.managed,
  stale: management.stale,
});

const UNMANAGED: Management = { managed: false, stale: false, target: null };

export function managementOf(credential: FoundCredential, owners: ManagedPlaces[]): Management {
  for (const owner of owners) {
    const target = owner.targets.find((t) => ownsPlace(t, credential));
    if (target === undefined) continue;
    const current = owner.accessToken !== null && credential.secret === owner.accessToken;
    return { managed: current, stale: !current, target: specOf(target) };
  }
  return UNMANAGED;
}

/** The entry as it was configured, without the record's notes about its writes. */
function specOf(record: TargetRecord): TargetSpec {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { createdFile, restore, writtenAt, error, ...spec } = record;
  return spec;
}

/** The entry lies in the target's file, at the key the target's writer sets the token. */
function ownsPlace(target: TargetSpec, credential: FoundCredential): boolean {
  if (resolve(target.path) !== resolve(credential.file)) return false;
  const definition = definitionFor(target);
  return credential.tool === definition.scanTool && definition.ownsEntry(target, credential);
}
