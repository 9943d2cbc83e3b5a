import { posix, win32 } from 'node:path';
import type { Environment } from '../paths.js';

/**
 * The Go env file (`go env GOENV`) as the go command reads it (Go 1.19 `cfg.initEnvCache`, the
 * same grammar since) and `go env -w` writes it (`envcmd.updateEnvFile`): one setting per line,
 * `KEY=VALUE`, split at the first `=`. The value is the rest of the line as it is: no quotes, no
 * escapes, no trimming (a `\r` before the `\n` is part of it). A line that does not start with a
 * letter A–Z, or holds no `=`, is skipped, which is what makes `# …` a comment. Of two lines with
 * the same key the last wins (the reader overwrites; `go env -w` keeps only the last).
 *
 * Edits change only the line of the key they touch, so every other byte stays as it was; a line
 * added to a file without a final line break is added without one, so taking it out again gives
 * the same bytes back.
 */

interface Line {
  text: string;
  /** `\n`, or '' for a last line without one. */
  end: string;
}

export type GoEnvEdit = { key: string; set: string } | { key: string; remove: true };

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const at = text.indexOf('\n', start);
    if (at < 0) {
      lines.push({ text: text.slice(start), end: '' });
      break;
    }
    lines.push({ text: text.slice(start, at), end: '\n' });
    start = at + 1;
  }
  return lines;
}

/** The key of a setting line, null for a line the go command skips. */
function keyOf(line: string): string | null {
  const at = line.indexOf('=');
  return at < 0 || !/^[A-Z]/.test(line) ? null : line.slice(0, at);
}

/** Every setting line, in order, with its 1-based line number: the scan reads them all. */
export function goEnvSettings(text: string): { key: string; value: string; line: number }[] {
  return splitLines(text).flatMap(({ text: line }, index) => {
    const key = keyOf(line);
    return key === null ? [] : [{ key, value: line.slice(key.length + 1), line: index + 1 }];
  });
}

/** The value the go command uses for `key` (its last line), or undefined when the file sets none. */
export function readGoEnv(text: string, key: string): string | undefined {
  return goEnvSettings(text)
    .filter((setting) => setting.key === key)
    .at(-1)?.value;
}

/** The file (null: none yet) with each setting changed in place, added at the end, or taken out. */
export function editGoEnv(text: string | null, edits: GoEnvEdit[]): string {
  const lines = splitLines(text ?? '');
  for (const edit of edits) {
    const at = lines.findLastIndex((line) => keyOf(line.text) === edit.key);
    if ('remove' in edit) {
      if (at < 0) continue;
      const [removed] = lines.splice(at, 1);
      // A last line without a line break was added after the break ending the one before.
      const before = lines[at - 1];
      if (removed?.end === '' && at === lines.length && before) before.end = '';
      continue;
    }
    const text = `${edit.key}=${edit.set}`;
    if (at >= 0) {
      lines[at] = { text, end: lines[at]!.end === '' ? '' : '\n' };
      continue;
    }
    const last = lines.at(-1);
    if (last && last.end === '') {
      last.end = '\n';
      lines.push({ text, end: '' });
    } else lines.push({ text, end: '\n' });
  }
  return lines.map((line) => line.text + line.end).join('');
}

/**
 * The file with the value of every line of `key` (the ones a later line overrides too) passed
 * through `change`; every other byte as it was.
 */
export function rewriteGoEnvLines(
  text: string,
  key: string,
  change: (value: string) => string,
): string {
  return splitLines(text)
    .map((line) =>
      keyOf(line.text) === key
        ? `${key}=${change(line.text.slice(key.length + 1))}${line.end}`
        : line.text + line.end,
    )
    .join('');
}

/**
 * Where the go command reads its env file (`go env GOENV`; Go's `cfg.EnvFile` and
 * `os.UserConfigDir`): `$GOENV`, else `<user config dir>/go/env`, the config dir being
 * `$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS and
 * `%AppData%` on Windows. Where the go command reads none (`GOENV=off`, no config dir), says why.
 */
export function goEnvPath({
  platform,
  env,
  home,
}: Environment): { path: string } | { none: string } {
  const path = platform === 'win32' ? win32 : posix;
  const set = (name: string): string | null => {
    const value = env[name];
    return value === undefined || value === '' ? null : value;
  };
  const goenv = set('GOENV');
  if (goenv === 'off')
    return { none: 'GOENV=off turns the Go env file off; unset GOENV or pass --file <path>' };
  if (goenv !== null) return { path: path.resolve(home, goenv) };
  if (platform === 'win32') {
    const appData = set('APPDATA') ?? set('AppData');
    return appData === null
      ? { none: '%AppData% is not set, so the go command reads no env file; pass --file <path>' }
      : { path: path.join(appData, 'go', 'env') };
  }
  if (platform === 'darwin')
    return { path: path.join(home, 'Library', 'Application Support', 'go', 'env') };
  const xdg = set('XDG_CONFIG_HOME');
  // Newer go commands refuse a relative XDG_CONFIG_HOME (and then read no env file).
  if (xdg !== null && !path.isAbsolute(xdg))
    return {
      none: `XDG_CONFIG_HOME (${xdg}) is relative, so the go command reads no env file; pass --file <path>`,
    };
  return { path: path.join(xdg ?? path.join(home, '.config'), 'go', 'env') };
}
