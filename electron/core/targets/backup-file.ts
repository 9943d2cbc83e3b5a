import { chmod, lstat, open, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Backups of tool files: the exact bytes a file held before Artikey took out or replaced
 * something the person wrote, one fresh file per such change, beside the original and named
 * after it: `.npmrc.artikey-backup-20261205T064400Z` (`-2`, `-3`… for more in one second).
 * Older Artikey versions kept one `<file>.artikey-backup`; those are recognised as legacy.
 */
const SUFFIX = '.artikey-backup';
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d+))?$/;

export interface BackupName {
  /** The file this is a backup of, in the same folder. */
  of: string;
  /** Seconds since the epoch the name records; null for a legacy backup (no time in its name). */
  takenAt: number | null;
  /** Written by an Artikey before backups were timestamped. */
  legacy: boolean;
  /** Orders backups of one file taken in the same second. */
  sequence: number;
}

/** `20261205T064400Z`: UTC, sortable, valid in file names on every platform. */
export const backupStamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** What a path's name says about it as a backup, or null when it is not named like one. */
export function parseBackupName(path: string): BackupName | null {
  const name = basename(path);
  const at = name.lastIndexOf(SUFFIX);
  if (at <= 0) return null;
  const of = join(dirname(path), name.slice(0, at));
  const rest = name.slice(at + SUFFIX.length);
  if (rest === '') return { of, takenAt: null, legacy: true, sequence: 0 };
  const match = STAMP.exec(rest.slice(1));
  if (!rest.startsWith('-') || !match) return null;
  const [, y, mo, d, h, mi, s, n] = match.map(Number) as number[];
  const takenAt = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000;
  return Number.isFinite(takenAt) ? { of, takenAt, legacy: false, sequence: n ?? 1 } : null;
}

/** Every backup Artikey (this version or an older one) made of `file`, oldest first. */
export async function backupsOf(file: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  const prefix = `${basename(file)}${SUFFIX}`;
  return names
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({
      path: join(dirname(file), name),
      parsed: parseBackupName(join(dirname(file), name)),
    }))
    .filter(
      (b): b is { path: string; parsed: BackupName } => b.parsed !== null && b.parsed.of === file,
    )
    .sort(
      (a, b) =>
        (a.parsed.takenAt ?? -1) - (b.parsed.takenAt ?? -1) ||
        a.parsed.sequence - b.parsed.sequence,
    )
    .map((b) => b.path);
}

/**
 * Saves `bytes`, the content `file` has before a change, as a new backup and returns its path.
 * The backup is created 0600 (umask can only narrow that) and exclusively, so it is never wider
 * for a moment and never overwrites another; it takes the file's group, as the rewrite does, and
 * is ours like the file (Artikey refuses files another user owns). Bytes identical to the newest
 * backup of the file are not saved twice: that backup is returned instead.
 */
export async function saveBackup(
  file: string,
  bytes: Buffer,
  group: number | undefined,
  now: number,
): Promise<string> {
  const newest = (await backupsOf(file)).filter((path) => !parseBackupName(path)?.legacy).at(-1);
  if (newest !== undefined && (await readFile(newest).catch(() => null))?.equals(bytes))
    return newest;
  const base = `${file}${SUFFIX}-${backupStamp(now)}`;
  for (let sequence = 1; ; sequence++) {
    const path = sequence === 1 ? base : `${base}-${sequence}`;
    let handle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && sequence < 1000) continue;
      throw error;
    }
    try {
      await handle.chmod(0o600);
      if (group !== undefined && (await handle.stat()).gid !== group) await handle.chown(-1, group);
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(path, { force: true }); // half a backup is no backup; the change does not go ahead
      throw error;
    }
    await handle.close();
    return path;
  }
}

/**
 * Makes every backup of `file` readable by its owner only. This version creates them so; an older
 * one copied the file first and narrowed the copy after, so one killed in between (or a person's
 * copy) may have left a backup, secrets and all, readable by others. Returns the paths narrowed.
 */
export async function narrowBackups(file: string): Promise<string[]> {
  const narrowed: string[] = [];
  for (const path of await backupsOf(file)) {
    const info = await lstat(path).catch(() => null);
    if (info === null || !info.isFile() || (info.mode & 0o077) === 0) continue;
    if (info.uid !== process.geteuid?.()) continue; // not ours to change; listed for the person
    await chmod(path, info.mode & 0o700);
    narrowed.push(path);
  }
  return narrowed;
}
