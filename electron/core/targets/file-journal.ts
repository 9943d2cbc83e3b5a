import { createHash } from 'node:crypto';
import { readdir, rm, rmdir, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { backupsOf } from './backup-file.js';
import { readForEdit, ToolFileError } from './tool-file.js';

/** What a file held before a change of several files began; `bytes` null: it did not exist. */
interface Kept {
  path: string;
  bytes: Buffer | null;
  mode: number;
  gid: number;
  /** Milliseconds since the epoch, with what the file system keeps below. */
  atimeMs: number;
  mtimeMs: number;
  /** Its backups before the change: any other is one the change took. */
  backups: string[];
  /** Folders above a file that did not exist, which a write would create (deepest first). */
  missingFolders: string[];
}

/** What putting the files back did. */
export interface PutBack {
  /** The files that were changed and now hold their prior bytes again (or are gone again). */
  restored: string[];
  failed: { path: string; message: string }[];
}

/** A fingerprint of a file's bytes (null: no file), to tell whether it changed since it was read. */
export const fingerprint = (bytes: Buffer | null): string =>
  bytes === null ? 'absent' : createHash('sha256').update(bytes).digest('hex');

/**
 * The files a multi-file change (`artikey setup`) touches, kept as they were before its first
 * write of each, so that a failure halfway puts every one back: the exact bytes, mode, group and
 * times of a file that existed; a file (and the folders) the change created removed; a backup
 * the change took deleted, since it would claim a change that no longer exists. Files are kept by
 * their real path (symbolic links followed, as the writers do).
 */
export class FileJournal {
  readonly #kept: Kept[] = [];

  /**
   * `previewed`: each file's `fingerprint` when the person saw its preview, by real path. A file
   * that no longer holds it was changed by someone else since, and writing would apply an edit
   * nobody reviewed.
   */
  constructor(private readonly previewed: ReadonlyMap<string, string> = new Map()) {}

  /** Keeps the file as it is now, the first time it is named (refusing one changed since its preview); returns its real path. */
  async keep(path: string): Promise<string> {
    const { path: real, bytes } = await readForEdit(path);
    if (this.#kept.some((k) => k.path === real)) return real;
    const expected = this.previewed.get(real);
    if (expected !== undefined && fingerprint(bytes) !== expected)
      throw new ToolFileError(
        'tool-file-conflict',
        `${real} changed after the preview (another program wrote it); Artikey did not write over a change you have not reviewed.`,
      );
    const info = bytes === null ? null : await stat(real);
    this.#kept.push({
      path: real,
      bytes,
      mode: (info?.mode ?? 0o600) & 0o777,
      gid: info?.gid ?? -1,
      atimeMs: info?.atimeMs ?? 0,
      mtimeMs: info?.mtimeMs ?? 0,
      backups: await backupsOf(real),
      missingFolders: bytes === null ? await missingFolders(dirname(real)) : [],
    });
    return real;
  }

  /** Puts every kept file back as it was, the last kept first; a file nobody changed is left alone. */
  async putBack(): Promise<PutBack> {
    const result: PutBack = { restored: [], failed: [] };
    for (const kept of [...this.#kept].reverse()) {
      try {
        if (await this.#restore(kept)) result.restored.push(kept.path);
      } catch (error) {
        result.failed.push({ path: kept.path, message: (error as Error).message });
      }
    }
    return result;
  }

  async #restore(kept: Kept): Promise<boolean> {
    let changed = false;
    for (const backup of await backupsOf(kept.path)) {
      if (kept.backups.includes(backup)) continue;
      await rm(backup, { force: true });
      changed = true;
    }
    const now = await stat(kept.path).catch(() => null);
    if (kept.bytes === null) {
      if (now !== null) {
        await rm(kept.path, { force: true });
        changed = true;
      }
      for (const folder of kept.missingFolders) {
        if ((await readdir(folder).catch(() => null))?.length !== 0) break;
        await rmdir(folder);
      }
      return changed;
    }
    const { bytes } = await readForEdit(kept.path);
    const same =
      now !== null &&
      bytes?.equals(kept.bytes) === true &&
      (now.mode & 0o777) === kept.mode &&
      now.mtimeMs === kept.mtimeMs;
    if (same) return changed;
    await writeFileAtomic(kept.path, kept.bytes, kept.mode, kept.gid);
    await utimes(kept.path, kept.atimeMs / 1000, kept.mtimeMs / 1000);
    return true;
  }
}

/** The folders above `folder` that do not exist yet, `folder` first. */
async function missingFolders(folder: string): Promise<string[]> {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    if ((await stat(current).catch(() => null)) !== null || dirname(current) === current)
      return missing;
    missing.push(current);
  }
}
