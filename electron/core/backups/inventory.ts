import { lstat, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ScanTool } from '../scan/credential.js';
import type { CredentialFile } from '../scan/locations.js';
import { backupsOf, narrowBackups, parseBackupName } from '../targets/backup-file.js';

/** One backup file Artikey made (or an older Artikey's `<file>.artikey-backup`) of a tool file. */
export interface BackupFile {
  path: string;
  /** The tool file it is a backup of. */
  of: string;
  tool: ScanTool;
  /** Seconds since the epoch: from its name, or when it was last written for a legacy backup. */
  takenAt: number;
  size: number;
  legacy: boolean;
}

/**
 * The backups lying beside `files` (the recorded targets and the scan's locations): a backup is
 * written beside the real file, so a file that is a symbolic link is looked up at its target too.
 * Only regular files count: a link named like a backup is none of Artikey's.
 */
export async function findBackups(files: CredentialFile[]): Promise<BackupFile[]> {
  const found = new Map<string, BackupFile>();
  for (const { tool, path } of files) {
    const real = await realpath(path).catch(() => resolve(path));
    for (const file of new Set([resolve(path), real])) {
      await narrowBackups(file).catch(() => []); // a backup that stays wide is still listed
      for (const backup of await backupsOf(file)) {
        if (found.has(backup)) continue;
        const name = parseBackupName(backup);
        const info = await lstat(backup).catch(() => null);
        if (name === null || info === null || !info.isFile()) continue;
        found.set(backup, {
          path: backup,
          of: name.of,
          tool,
          takenAt: name.takenAt ?? Math.floor(info.mtimeMs / 1000),
          size: info.size,
          legacy: name.legacy,
        });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.of.localeCompare(b.of) || a.takenAt - b.takenAt);
}
