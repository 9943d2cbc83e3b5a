import type { CredentialKind, FoundCredential } from '../../../electron/ipc/contract.js';

export const KIND_LABEL: Record<CredentialKind, string> = {
  'api-key': 'API key',
  'reference-token': 'reference token',
  'access-token': 'access token',
  'refresh-token': 'refresh token',
  password: 'password',
  'env-reference': 'environment variable',
  encrypted: 'encrypted password',
};

export interface Risk {
  level: 'high' | 'medium' | 'low' | 'none' | 'managed';
  label: string;
  why: string;
}

/** How worried to be about a plain-text credential, in words a reviewer would use. */
export function risk(
  c: Pick<FoundCredential, 'kind' | 'expiresAt' | 'works' | 'managed' | 'stale'>,
): Risk {
  if (c.managed)
    return {
      level: 'managed',
      label: 'Managed by Artikey',
      why: 'Artikey wrote it and rewrites it with every new token.',
    };
  if (c.stale)
    return {
      level: 'medium',
      label: 'Stale copy',
      why: 'Artikey’s entry, but not holding the current token; migrating rewrites it.',
    };
  if (c.works === 'no')
    return { level: 'low', label: 'Low', why: 'The server no longer accepts it; remove it.' };
  switch (c.kind) {
    case 'api-key':
      return {
        level: 'high',
        label: 'High',
        why: 'End-of-life API key: never expires, full account access.',
      };
    case 'password':
      return { level: 'high', label: 'High', why: 'Your password in plain text.' };
    case 'access-token':
    case 'reference-token':
      return c.expiresAt === null
        ? { level: 'high', label: 'High', why: 'A token that never expires.' }
        : {
            level: 'medium',
            label: 'Medium',
            why: 'A token in plain text, not renewed automatically.',
          };
    case 'refresh-token':
      return {
        level: 'high',
        label: 'High',
        why: 'A refresh token in plain text: it yields new access tokens.',
      };
    case 'encrypted':
      return {
        level: 'low',
        label: 'Low',
        why: 'Encrypted by the tool; still a long-lived secret.',
      };
    case 'env-reference':
      return {
        level: 'none',
        label: 'None',
        why: 'Read from an environment variable at run time.',
      };
  }
}

/** Whether migrating would change the entry: everything but Artikey's own current entries. */
export const toMigrate = (c: Pick<FoundCredential, 'instanceId' | 'managed'>): boolean =>
  c.instanceId !== null && !c.managed;
