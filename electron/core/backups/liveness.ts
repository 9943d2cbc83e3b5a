import type { FoundCredential, PublicCredential, ScanInstance } from '../scan/credential.js';
import { publicView } from '../scan/credential.js';
import { findInText } from '../scan/scan.js';
import { readToolFile } from '../targets/tool-file.js';
import type { BackupFile } from './inventory.js';

/**
 * What a backup holds and whether it still matters: each credential in it (read with the scan's
 * parsers, never returned with its secret) judged live, dead or unknown from what Artikey knows.
 */
export type Liveness = 'live' | 'dead' | 'unknown';

export type BackupCredential = PublicCredential & {
  live: Liveness;
  /** Why, in words: "the current token of acme", "expired", "the server refuses it"… */
  why: string;
};

export interface BackupView extends BackupFile {
  credentials: BackupCredential[];
  /** Why the backup could not be read or parsed (its credentials are then unknown); never its content. */
  problem: string | null;
  /** Holds a secret that is live or may be: worth deleting once nothing needs it. */
  holdsLiveSecret: boolean;
  /** Holds secrets, every one known dead (revoked, replaced or expired): safe to delete. */
  onlyDeadSecrets: boolean;
}

export interface LivenessFacts {
  instances: ScanInstance[];
  /** Each instance's current access token (null when the keychain has none) and whether the server revoked it. */
  current: { instanceId: string; name: string; accessToken: string | null; revoked: boolean }[];
  /** Secrets Artikey has just revoked or replaced; kept in memory only, never stored. */
  retired: ReadonlySet<string>;
  /** Seconds since the epoch. */
  now: number;
  /** Asks the credential's own instance whether it still works (`scan --check`); absent: no network. */
  check?: (credential: FoundCredential) => Promise<'yes' | 'no' | 'unknown'>;
}

export async function inspectBackup(backup: BackupFile, facts: LivenessFacts): Promise<BackupView> {
  let found: FoundCredential[];
  try {
    const text = await readToolFile(backup.path);
    found = text === null ? [] : findInText(backup.tool, backup.path, text, facts.instances);
  } catch {
    // Unknown content may hold anything: only an explicit delete removes it.
    return {
      ...backup,
      credentials: [],
      problem: 'Could not be read or parsed; what it holds is unknown.',
      holdsLiveSecret: true,
      onlyDeadSecrets: false,
    };
  }
  const credentials: BackupCredential[] = [];
  // A `${VAR}` reference holds no secret.
  for (const credential of found.filter((c) => c.kind !== 'env-reference'))
    credentials.push({ ...publicView(credential), ...(await judge(credential, facts)) });
  return {
    ...backup,
    credentials,
    problem: null,
    holdsLiveSecret: credentials.some((c) => c.live !== 'dead'),
    onlyDeadSecrets: credentials.length > 0 && credentials.every((c) => c.live === 'dead'),
  };
}

async function judge(
  credential: FoundCredential,
  facts: LivenessFacts,
): Promise<{ live: Liveness; why: string }> {
  if (credential.kind === 'encrypted')
    return { live: 'unknown', why: 'encrypted; Artikey cannot tell what it holds' };
  if (facts.retired.has(credential.secret))
    return { live: 'dead', why: 'revoked or replaced by Artikey' };
  if (credential.expiresAt !== null && credential.expiresAt <= facts.now)
    return { live: 'dead', why: 'expired' };
  const owner = facts.current.find(
    (c) => c.accessToken !== null && c.accessToken === credential.secret,
  );
  if (owner)
    return owner.revoked
      ? { live: 'dead', why: `revoked (the token of ${owner.name})` }
      : { live: 'live', why: `the current token of ${owner.name}` };
  if (facts.check && credential.instanceId !== null) {
    const works = await facts.check(credential);
    if (works === 'yes') return { live: 'live', why: 'the server accepts it' };
    if (works === 'no') return { live: 'dead', why: 'the server refuses it' };
    return { live: 'unknown', why: 'the server could not tell' };
  }
  return {
    live: 'unknown',
    why:
      credential.instanceId === null
        ? 'not checked: no instance it belongs to is logged in'
        : 'not checked (artikey backups --check asks the server)',
  };
}
