/**
 * Errors of the use cases, with stable codes that survive IPC and become CLI exit codes.
 * Lower layers have their own (AccessError, HttpError, VaultError, StateError); every one
 * carries a `code` and a message a user can act on, and none carries a secret.
 */
export type ArtikeyErrorCode =
  | 'invalid-address'
  | 'invalid-name'
  | 'name-taken'
  | 'instance-not-found'
  | 'invalid-token'
  | 'username-required'
  | 'invalid-username'
  | 'not-refreshable'
  | 'login-required'
  | 'login-cancelled'
  | 'login-timeout'
  | 'invalid-target'
  | 'invalid-option'
  | 'user-mismatch'
  | 'token-not-revoked'
  | 'not-a-backup'
  | 'server-too-old';

export class ArtikeyError extends Error {
  constructor(
    readonly code: ArtikeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArtikeyError';
  }
}

/** The stable code of any error Artikey raises, or `internal` for a bug. */
export function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^[a-z][a-z-]+$/.test(error.code)) return error.code;
  return 'internal';
}
