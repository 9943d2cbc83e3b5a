import { join, sep } from 'node:path';

/** `~/.npmrc` for a file under HOME, as people type it; any other path as it is. */
export function fromHome(path: string, home: string): string {
  if (home === '' || home === sep) return path;
  const base = home.endsWith(sep) ? home.slice(0, -1) : home;
  if (path === base) return '~';
  return path.startsWith(`${base}${sep}`) ? `~${path.slice(base.length)}` : path;
}

/** The path `~/…` stands for, as a shell would expand it; any other path as it is. */
export function underHome(path: string, home: string): string {
  if (path === '~') return home;
  return path.startsWith('~/') || path.startsWith(`~${sep}`) ? join(home, path.slice(2)) : path;
}
