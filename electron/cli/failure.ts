import type { CliIo } from './cli-io.js';

/** Exit codes by error code (the README's table); any other failure exits 1, a bug 70. */
const EXIT: Record<string, number> = {
  usage: 2,
  'invalid-option': 2,
  'instance-not-found': 3,
  'login-required': 4,
  'not-refreshable': 4,
  'basic-token-creation-disabled': 5,
  'keychain-unavailable': 6,
  'keychain-locked': 6,
  'keychain-timeout': 6,
  'keychain-corrupt': 6,
  'keychain-failed': 6,
  unreachable: 7,
};

export const exitCode = (code: string): number => EXIT[code] ?? (code === 'internal' ? 70 : 1);

/** A wrong command line: exit 2, and the error says where the help is. */
export class UsageError extends Error {
  readonly code = 'usage';
}

/**
 * A failure, as a person reads it (`artikey: <line>` per line, each ending in its `[code]` where
 * it has one) or, with --json, as the one line a script parses: {"error":{"code","message"}},
 * the message being the lines without those tags. Returns the exit code.
 */
export function reportFailure(
  io: Pick<CliIo, 'stderr'>,
  json: boolean,
  code: string,
  lines: string[],
): number {
  if (json) {
    const message = lines.map((line) => line.replace(/ \[[a-z][a-z-]*\]$/, '')).join(' ');
    io.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  } else for (const line of lines) io.stderr.write(`artikey: ${line}\n`);
  return exitCode(code);
}
