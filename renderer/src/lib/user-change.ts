/**
 * The two users of a `user-mismatch` refusal, read from its message ("… is logged in as alice,
 * and this login is bob: …"): the page asks the person before retrying with `replaceUser`.
 * Null when the message does not say (the question then names no one).
 */
export function userChange(message: string): { from: string; to: string } | null {
  const match = /is logged in as (\S+), and this login is (\S+):/.exec(message);
  return match?.[1] && match[2] ? { from: match[1], to: match[2] } : null;
}
