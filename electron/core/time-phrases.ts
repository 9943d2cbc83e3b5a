/** "in 3 h", "5 min ago", "never": how the CLI, the tray and the window speak of time left. */
export function relative(seconds: number | null): string {
  if (seconds === null) return 'never';
  const span = Math.abs(seconds);
  const amount =
    span < 60
      ? `${span} s`
      : span < 3600
        ? `${Math.floor(span / 60)} min`
        : span < 86_400
          ? `${Math.floor(span / 3600)} h`
          : `${Math.floor(span / 86_400)} d`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** "expires in 3 h", "expired 5 min ago", "never expires". */
export function expiryPhrase(expiresInSeconds: number | null): string {
  if (expiresInSeconds === null) return 'never expires';
  return expiresInSeconds > 0
    ? `expires ${relative(expiresInSeconds)}`
    : `expired ${relative(expiresInSeconds)}`;
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
