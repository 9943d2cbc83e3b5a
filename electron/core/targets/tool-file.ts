import { lstat, mkdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { narrowBackups, saveBackup } from './backup-file.js';
import { diffLines } from './line-diff.js';

/**
 * How Artikey changes another program's configuration file (`.npmrc`, `settings.xml`,
 * `config.json`…): the editors are pure text → text functions; this module owns the disk.
 */
export type ToolFileErrorCode =
  | 'tool-file-invalid'
  | 'tool-file-conflict'
  | 'tool-file-too-large'
  | 'tool-file-unwritable'
  | 'tool-file-protected'
  | 'tool-file-unsafe-value';

export class ToolFileError extends Error {
  constructor(
    readonly code: ToolFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ToolFileError';
  }
}

/** Configuration files are small; anything bigger is not one Artikey should rewrite. */
export const MAX_TOOL_FILE_BYTES = 4 * 1024 * 1024;

const BOM = '\uFEFF';

export interface ToolFileEdit {
  /** The real file that was (or would have been) written, symlinks resolved. */
  path: string;
  changed: boolean;
  /** The file did not exist before this edit. */
  created: boolean;
  /** The file was removed because the edit left nothing in a file Artikey had created. */
  deleted: boolean;
  /** The mode the file had before it was narrowed to 0600 to hold a token. */
  narrowedFrom?: number;
  /** The backup of the file's prior bytes this edit took (see `EditOptions.backup`). */
  backup?: string;
}

export interface EditOptions {
  /** The file will hold a secret: it is written 0600 whatever its mode was. */
  secret: boolean;
  /**
   * Called once the new text is known and the file is about to change, with the real path and
   * whether the file is new: the moment to record the change before it happens (see
   * TargetRegistry), so a process killed during the write leaves no copy nobody knows of.
   */
  beforeWrite?: (file: { path: string; created: boolean }) => Promise<void>;
  /** When the edit leaves only whitespace, delete the file instead of writing it empty. */
  deleteIfEmpty?: boolean;
  /**
   * When to save the file's exact prior bytes as a fresh backup before writing (never for a file
   * that did not exist, and without this option never at all: edits of Artikey's own entries
   * and removals that put back what it replaced take nothing from the person).
   * `if-replacing`: the edit may replace what the person wrote (a first write of an entry, which
   * overwrites a value already at its key); a backup is taken only when it changes or removes a
   * line of the file. A plain addition needs none: every line the person wrote stays.
   * `before-change`: the edit takes out what the person wrote (migrate's cleanup); any change.
   */
  backup?: 'if-replacing' | 'before-change';
  /** How the tool reads a byte-order mark (see `ByteOrderMark`); `skipped` unless said. */
  byteOrderMark?: ByteOrderMark;
}

/**
 * How a tool reads a UTF-8 byte-order mark. Most skip it, so the editor gets the text after it
 * and the mark is written back in front. Some read it as characters of the first line
 * (byte-order-mark.ts names them): there the editor gets it as text, so a key on line 1 is not
 * taken for the tool's own key.
 */
export type ByteOrderMark = 'skipped' | 'text';

/**
 * Reads the file (null when it does not exist), lets `edit` compute the new text, and writes it
 * back atomically: a backup of the exact prior bytes first when `options.backup` asks, a
 * byte-order mark kept as found, symlinks followed so the link stays a link. When `edit` throws,
 * nothing is written. A file the person protected is refused before anything happens (see
 * `requireEditable`); one that Artikey writes keeps its group, and its mode unless it will hold
 * a token, which makes it 0600.
 */
export async function editToolFile(
  path: string,
  edit: (text: string | null) => string,
  options: EditOptions,
): Promise<ToolFileEdit> {
  const { path: target, text, hasBom, bytes } = await readForEdit(path, options.byteOrderMark);
  const edited = edit(text);
  const created = text === null;
  if (edited === text || (text === null && edited === ''))
    return { path: target, changed: false, created: false, deleted: false };
  const before = created ? null : await requireEditable(target);
  const mode = options.secret || before === null ? 0o600 : before.mode;
  let taken: string | undefined;
  await options.beforeWrite?.({ path: target, created });
  try {
    if (options.deleteIfEmpty && edited.trim() === '') {
      if (created) return { path: target, changed: false, created: false, deleted: false };
      await rm(target, { force: true });
      return { path: target, changed: true, created: false, deleted: true };
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await narrowBackups(target);
    if (bytes !== null && text !== null && needsBackup(text, edited, options.backup))
      taken = await saveBackup(target, bytes, before?.gid, Date.now());
    await writeFileAtomic(target, hasBom ? BOM + edited : edited, mode, before?.gid);
  } catch (error) {
    if (error instanceof ToolFileError) throw error;
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot write ${target}: ${(error as Error).message}`,
    );
  }
  const narrowed = before !== null && before.mode !== mode ? { narrowedFrom: before.mode } : {};
  const backup = taken === undefined ? {} : { backup: taken };
  return { path: target, changed: true, created, deleted: false, ...narrowed, ...backup };
}

/**
 * Whether an edit from `before` to `after` takes something of the file away. A line that only
 * gains a trailing comma (JSON, when a member is added after it) is kept, not replaced.
 */
function needsBackup(before: string, after: string, when: EditOptions['backup']): boolean {
  if (when === undefined) return false;
  if (when === 'before-change') return true;
  const kept = (line: string): string => line.replace(/,?\s*$/, '');
  return diffLines(before.split('\n'), after.split('\n')).some(
    (change) =>
      change.before !== null &&
      (change.after === null || kept(change.after) !== kept(change.before)),
  );
}

/**
 * The protections a person put on a file, which Artikey respects instead of overriding: a file
 * without its owner's write bit (chmod 0400, or a read-only attribute on Windows) was made
 * read-only on purpose; a file another user owns (root's, or the user's own file when Artikey
 * runs under sudo) is not Artikey's to take over, and the rename that makes writes atomic would
 * hand it to us. Root passes every permission check, so these are checked, not left to EACCES.
 * A file whose group the process cannot give back is refused too, rather than changing it.
 * Returns the mode and group the rewritten file keeps.
 */
export async function requireEditable(path: string): Promise<{ mode: number; gid: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot read ${path}: ${(error as Error).message}`,
    );
  }
  const mode = info.mode & 0o777;
  const uid = process.geteuid?.();
  if (uid !== undefined && info.uid !== uid) {
    const owner = info.uid === 0 ? 'root' : `another user (uid ${info.uid})`;
    throw new ToolFileError(
      'tool-file-protected',
      `${path} belongs to ${owner}; Artikey does not change or take over a file someone else owns. Run Artikey as its owner, or, if the file should be yours, make it so (sudo chown "$USER" ${path}) and run the command again.`,
    );
  }
  if ((mode & 0o200) === 0) {
    const fix = process.platform === 'win32' ? `attrib -r "${path}"` : `chmod u+w ${path}`;
    throw new ToolFileError(
      'tool-file-protected',
      `${path} is read-only (mode ${octal(mode)}); Artikey does not override that. Make it writable (${fix}) and run the command again.`,
    );
  }
  const groups =
    uid === undefined || uid === 0 ? null : [process.getegid?.(), ...(process.getgroups?.() ?? [])];
  if (groups !== null && !groups.includes(info.gid)) {
    throw new ToolFileError(
      'tool-file-protected',
      `${path} has group ${info.gid}, which you are not in, so Artikey could not write it back with that group; it left the file untouched. Give it one of your groups (chgrp) and run the command again.`,
    );
  }
  return { mode, gid: info.gid };
}

/** A mode as people write it: 0644. */
export const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * What an edit of `path` starts from: the real file (symlinks followed) and its text without a
 * byte-order mark the tool skips, null when it does not exist. `editToolFile` writes from here; a
 * preview stops.
 */
export async function readForEdit(
  path: string,
  byteOrderMark: ByteOrderMark = 'skipped',
): Promise<{ path: string; text: string | null; hasBom: boolean; bytes: Buffer | null }> {
  const target = await followLinks(path);
  const bytes = await readToolBytes(target);
  const before = bytes?.toString('utf8') ?? null;
  const hasBom = byteOrderMark === 'skipped' && (before?.startsWith(BOM) ?? false);
  return { path: target, text: hasBom ? before!.slice(1) : before, hasBom, bytes };
}

/** The text of a tool file, or null when it does not exist; refuses files too big to be configuration. */
export async function readToolFile(path: string): Promise<string | null> {
  return (await readToolBytes(path))?.toString('utf8') ?? null;
}

/** The bytes of a tool file, as `readToolFile` reads them (and refuses what it refuses). */
export async function readToolBytes(path: string): Promise<Buffer | null> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot read ${path}: ${(error as Error).message}`,
    );
  }
  if (!info.isFile())
    throw new ToolFileError(
      'tool-file-invalid',
      `${path} is not a regular file; Artikey left it untouched.`,
    );
  if (info.size > MAX_TOOL_FILE_BYTES) {
    throw new ToolFileError(
      'tool-file-too-large',
      `${path} is ${Math.round(info.size / 1024 / 1024)} MiB, far larger than a configuration file; Artikey left it untouched.`,
    );
  }
  try {
    return await readFile(path);
  } catch (error) {
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

/** The file a path finally names, following symlinks even when the last one dangles. */
async function followLinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw new ToolFileError(
        'tool-file-unwritable',
        `Cannot read ${current}: ${(error as Error).message}`,
      );
    }
    if (!info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new ToolFileError(
    'tool-file-invalid',
    `${path} is a loop of symbolic links; Artikey left it untouched.`,
  );
}
