import { ago, expiryPhrase as phrase, relative } from '../core/time-phrases.js';
import type { InstanceView } from '../core/artikey.js';

export { ago, relative };

export function expiryPhrase(view: InstanceView): string {
  return phrase(view.expiresInSeconds);
}

const COLOURS: Record<string, string> = {
  active: '32',
  'not-revocable': '32',
  expiring: '33',
  unknown: '33',
  expired: '31',
  revoked: '31',
  'refresh-failing': '31',
};

export function paint(status: string, colour: boolean): string {
  const code = COLOURS[status];
  return colour && code ? `\u001b[${code}m${status}\u001b[0m` : status;
}

/** A plain text table: columns padded to their widest cell (colour codes not counted). */
export function table(rows: string[][]): string {
  const visible = (cell: string): number => cell.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell)),
        )
        .join('  '),
    )
    .join('\n');
}

/** Durations as users type them: 90m, 12h, 7d, 3600. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(s|m|min|h|d)?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const seconds = value * ({ s: 1, m: 60, min: 60, h: 3600, d: 86_400 }[unit] ?? 1);
  return seconds > 0 ? seconds : undefined;
}

export function scopeLabel(scope: string): string {
  const groups = /^applied-permissions\/groups:(.+)$/.exec(scope);
  if (groups?.[1]) return `groups: ${groups[1].split(',').join(', ')}`;
  if (scope === 'applied-permissions/user') return 'user permissions';
  if (scope === 'applied-permissions/admin') return 'admin';
  return scope;
}

/** A name as one word of a command the person may copy: quoted when the shell would split it. */
export function shellWord(text: string): string {
  return /^[\w.:@%+,/=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
