/**
 * The places an instance's credentials were written to, kept in the state file (never with the
 * secret) so that a refresh rewrites every copy and a logout takes every one out again.
 */
export type TargetSpec =
  | { kind: 'docker-helper'; path: string; hosts: string[] }
  | { kind: 'docker-auths'; path: string; hosts: string[] }
  | { kind: 'npm'; path: string; registryUrl: string; scope: string | null; setRegistry: boolean }
  | {
      kind: 'maven';
      path: string;
      serverId: string;
      mirror: { url: string; mirrorOf: string } | null;
    }
  | { kind: 'pip'; path: string; indexUrl: string }
  | { kind: 'netrc'; path: string; machine: string }
  | { kind: 'gradle'; path: string; prefix: string; contextUrl: string };

export type TargetKind = TargetSpec['kind'];

export const TARGET_KINDS: readonly TargetKind[] = [
  'docker-helper',
  'docker-auths',
  'npm',
  'maven',
  'pip',
  'netrc',
  'gradle',
];

export type TargetRecord = TargetSpec & {
  /** Artikey created the file, so removing its last entry removes the file. */
  createdFile: boolean;
  /**
   * What Artikey's first write replaced, as the file spelt it (quotes, escapes, spacing), put back
   * byte for byte on removal: non-secret settings (npm `registry=`, pip `index-url`), `${VAR}`
   * references, another Docker credential helper, a Maven server or mirror the user wrote. Never a
   * secret (see targets.ts `rememberPrevious`).
   */
  restore: Record<string, string>;
  /** Seconds since the epoch of the last successful write. */
  writtenAt: number | null;
  /** The last write that failed (a refresh could not update this copy). */
  error: { code: string; message: string; at: number } | null;
};

export interface TargetCredentials {
  username: string;
  token: string;
}

/** Whether the file holds a copy of the token (and so must be rewritten on every refresh). */
export const holdsToken = (target: TargetSpec): boolean => target.kind !== 'docker-helper';

/** Two specs name the same entry of the same file. */
export function sameTarget(a: TargetSpec, b: TargetSpec): boolean {
  if (a.kind !== b.kind || a.path !== b.path) return false;
  switch (a.kind) {
    case 'npm':
      return b.kind === 'npm' && a.registryUrl === b.registryUrl;
    case 'maven':
      return b.kind === 'maven' && a.serverId === b.serverId;
    case 'netrc':
      return b.kind === 'netrc' && a.machine === b.machine;
    case 'gradle':
      return b.kind === 'gradle' && a.prefix === b.prefix;
    default:
      return true; // one Docker entry set and one pip index per file
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const strings = (value: unknown): boolean => Array.isArray(value) && value.every(isString);

/** A target as read back from the state file: checked field by field, never trusted. */
export function isTargetRecord(value: unknown): value is TargetRecord {
  if (!isObject(value) || !isString(value['path']) || typeof value['createdFile'] !== 'boolean')
    return false;
  if (!isObject(value['restore']) || !Object.values(value['restore']).every(isString)) return false;
  if (!(value['writtenAt'] === null || typeof value['writtenAt'] === 'number')) return false;
  if (!(value['error'] === null || isObject(value['error']))) return false;
  switch (value['kind']) {
    case 'docker-helper':
    case 'docker-auths':
      return strings(value['hosts']);
    case 'npm':
      return (
        isString(value['registryUrl']) &&
        (value['scope'] === null || isString(value['scope'])) &&
        typeof value['setRegistry'] === 'boolean'
      );
    case 'maven': {
      const mirror = value['mirror'];
      return (
        isString(value['serverId']) &&
        (mirror === null ||
          (isObject(mirror) && isString(mirror['url']) && isString(mirror['mirrorOf'])))
      );
    }
    case 'pip':
      return isString(value['indexUrl']);
    case 'netrc':
      return isString(value['machine']);
    case 'gradle':
      return isString(value['prefix']) && isString(value['contextUrl']);
    default:
      return false;
  }
}
