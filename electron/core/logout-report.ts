import type { TargetFailure } from './targets/registry.js';
import type { TargetRecord } from './targets/target-record.js';
import { describeTarget } from './targets/tool-request.js';

/**
 * What happened to the server token during a logout. `revoked-before` / `kept-before`: an earlier
 * logout that did not finish dealt with it, so this one did not need the secret again.
 */
export type LogoutTokenOutcome =
  | 'revoked'
  | 'already-invalid'
  | 'not-revocable'
  | 'no-secret'
  | 'kept'
  | 'revoked-before'
  | 'kept-before';

/** Every step of a logout, done or not, so the person knows exactly where things stand. */
export interface LogoutOutcome {
  instance: { id: string; name: string };
  token: { outcome: LogoutTokenOutcome; expiresAt: number | null };
  /** True when the token is now dead on the server (kept for callers that only ask this). */
  revoked: boolean;
  targetsRemoved: TargetRecord[];
  targetsFailed: TargetFailure[];
  secretsForgotten: boolean;
  secretsFailure: { code: string; message: string } | null;
  instanceForgotten: boolean;
  /** Every step done; otherwise the instance stays listed as "logout incomplete". */
  complete: boolean;
}

/**
 * The report as sentences: `done` for what happened, `problems` for what still needs doing.
 * `again` says how to finish, in the words of where the person is (a command, a button).
 */
export function describeLogout(
  outcome: LogoutOutcome,
  again: string,
): { done: string[]; problems: string[] } {
  const until = validUntil(outcome.token.expiresAt);
  const done = [tokenSentence(outcome.token.outcome, until)];
  const problems: string[] = [];
  for (const target of outcome.targetsRemoved) done.push(`Removed ${describeTarget(target)}.`);
  for (const failure of outcome.targetsFailed)
    problems.push(`could not clean ${failure.target.path}: ${failure.message} [${failure.code}]`);
  if (outcome.secretsForgotten) done.push('Forgot the secrets in the keychain.');
  else if (outcome.secretsFailure)
    problems.push(
      `could not delete the secrets from the keychain: ${outcome.secretsFailure.message} [${outcome.secretsFailure.code}]`,
    );
  if (outcome.complete) done.push(`Logged out of ${outcome.instance.name}.`);
  else
    problems.push(
      `Logout incomplete: ${again} once the problem above is fixed; ${outcome.instance.name} stays listed until then.`,
    );
  return { done, problems };
}

function tokenSentence(outcome: LogoutTokenOutcome, until: string): string {
  switch (outcome) {
    case 'revoked':
      return 'Revoked the token on the server.';
    case 'already-invalid':
      return 'The server no longer accepts the token; nothing to revoke.';
    case 'not-revocable':
      return `The server cannot revoke this token: it stays valid ${until}.`;
    case 'no-secret':
      return `The keychain held no token to revoke with: it stays valid ${until}.`;
    case 'kept':
      return `Kept the token on the server, as asked: it stays valid ${until}.`;
    case 'revoked-before':
      return 'The token was revoked by an earlier logout.';
    case 'kept-before':
      return `An earlier logout kept the token on the server: it stays valid ${until}.`;
  }
}

const validUntil = (expiresAt: number | null): string =>
  expiresAt === null
    ? 'until someone revokes it (it has no expiry)'
    : `until ${new Date(expiresAt * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One line for the activity log. */
export function logoutSummary(outcome: LogoutOutcome): string {
  const token = {
    revoked: ' and revoked the token',
    'revoked-before': ' (the token was revoked by an earlier attempt)',
    'already-invalid': '; the server no longer accepted the token',
    'not-revocable': '; the token stays valid on the server',
    'no-secret': '; the token stays valid on the server',
    kept: '; the token stays valid on the server, as asked',
    'kept-before': '; the token stays valid on the server, as asked',
  }[outcome.token.outcome];
  const removed = outcome.targetsRemoved.length;
  const failed = outcome.targetsFailed.length;
  return `${outcome.complete ? 'Logged out' : 'Logout incomplete'}${token}; removed ${removed} tool entr${removed === 1 ? 'y' : 'ies'}${failed ? `, ${failed} could not be removed` : ''}${outcome.secretsFailure ? '; the keychain entry could not be deleted' : ''}`;
}
