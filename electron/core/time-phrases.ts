/**
 * A span in one unit, rounded to the nearest: a 12-hour token a second old "expires in 12 h", not
 * "in 11 h" as cutting off would say. Nearest, not up: a countdown read at a glance is then off by
 * at most half a unit, and a tie goes to the smaller, so it never promises more than half a unit
 * beyond what is left (rounding up would say "in 2 h" with 61 minutes to go). A value that rounds
 * to a whole next unit is said in that unit ("in 1 h", not "in 60 min").
 */
function amount(span: number): string {
  const nearest = (units: number): number => Math.ceil(units - 0.5);
  if (span < 59.5) return `${nearest(span)} s`;
  const minutes = nearest(span / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = nearest(span / 3600);
  if (hours < 24) return `${hours} h`;
  return `${nearest(span / 86_400)} d`;
}

/** "in 3 h", "5 min ago", "now", "never": how the CLI, the tray and the window speak of time left. */
export function relative(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (Math.abs(seconds) < 0.5) return 'now';
  return seconds > 0 ? `in ${amount(seconds)}` : `${amount(-seconds)} ago`;
}

/** "just now" for less than a minute ago (or a moment ahead, by a clock a little off), else "5 min ago". */
export function ago(secondsAgo: number): string {
  return secondsAgo < 60 ? 'just now' : `${amount(secondsAgo)} ago`;
}

/** "expires in 3 h", "expired 5 min ago", "expired just now", "never expires". */
export function expiryPhrase(expiresInSeconds: number | null): string {
  if (expiresInSeconds === null) return 'never expires';
  return expiresInSeconds > 0
    ? `expires in ${amount(expiresInSeconds)}`
    : `expired ${ago(-expiresInSeconds)}`;
}

/** "2025-01-31 14:00 UTC": a moment as the activity log and error messages name it. */
export const utcMinute = (seconds: number): string =>
  `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** ", valid until 2025-01-31 14:00 UTC" for the activity log; nothing when it never expires. */
export const validUntilPhrase = (expiresAt: number | null): string =>
  expiresAt === null ? '' : `, valid until ${utcMinute(expiresAt)}`;

/** "4 days", "12 hours", "90 minutes": a length of time, in the largest unit that says it exactly. */
export function duration(seconds: number): string {
  const unit = (n: number, name: string): string => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (seconds >= 86_400 && seconds % 86_400 === 0) return unit(seconds / 86_400, 'day');
  if (seconds >= 3600 && seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds >= 60 && seconds % 60 === 0) return unit(seconds / 60, 'minute');
  if (seconds >= 86_400) return unit(Math.round(seconds / 3600), 'hour');
  return unit(Math.round(seconds), 'second');
}
