/**
 * Times as people read them at a glance: "3 h 12 min", "in 5 min", "2 days ago". Pure, so the
 * countdown, the rows and the tests share one wording.
 */
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** A duration in the two largest units that matter: "2 days 4 h", "3 h 12 min", "45 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) {
    const minutes = Math.floor(s / MINUTE);
    const rest = s % MINUTE;
    return minutes < 10 && rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  if (s < DAY) {
    const hours = Math.floor(s / HOUR);
    const minutes = Math.floor((s % HOUR) / MINUTE);
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(s / DAY);
  const hours = Math.floor((s % DAY) / HOUR);
  const unit = days === 1 ? 'day' : 'days';
  return hours > 0 ? `${days} ${unit} ${hours} h` : `${days} ${unit}`;
}

/** "expires in 3 h 12 min", "expired 5 min ago", "never expires". */
export function expiryPhrase(remainingSeconds: number | null): string {
  if (remainingSeconds === null) return 'never expires';
  if (remainingSeconds <= 0) {
    return remainingSeconds > -MINUTE
      ? 'expired just now'
      : `expired ${duration(-remainingSeconds)} ago`;
  }
  return `expires in ${duration(remainingSeconds)}`;
}

/** "in 5 min", "5 min ago", "just now" for a moment relative to now (both in seconds). */
export function relative(at: number, nowSeconds: number): string {
  const delta = at - nowSeconds;
  if (Math.abs(delta) < 30) return 'just now';
  return delta > 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
}

const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A moment in the person's own locale and time zone. */
export const absolute = (atSeconds: number): string => absoluteFormat.format(atSeconds * 1000);

/** ISO 8601 for `<time datetime>`, so assistive tech and tooltips get the exact value. */
export const isoTime = (atSeconds: number): string => new Date(atSeconds * 1000).toISOString();

/**
 * Seconds left on a token, on the server's clock: the token's expiry is the server's time, and
 * `clockOffsetSeconds` is the server's clock minus ours.
 */
export function remainingSeconds(
  expiresAt: number | null,
  clockOffsetSeconds: number,
  nowMs: number,
): number | null {
  if (expiresAt === null) return null;
  return Math.floor(expiresAt - (nowMs / 1000 + clockOffsetSeconds));
}

/** Lifetimes offered in the login form and settings, shortest first. */
export const LIFETIMES: readonly { seconds: number; label: string }[] = [
  { seconds: HOUR, label: '1 hour' },
  { seconds: 4 * HOUR, label: '4 hours' },
  { seconds: 12 * HOUR, label: '12 hours' },
  { seconds: DAY, label: '1 day' },
  { seconds: 4 * DAY, label: '4 days' },
  { seconds: 7 * DAY, label: '7 days' },
  { seconds: 30 * DAY, label: '30 days' },
];
