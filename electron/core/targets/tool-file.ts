import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';

/**
 * How Artikey changes another program's configuration file (`.npmrc`, `settings.xml`,
 * `config.json`…): the editors are pure text → text functions; this module owns the disk.
 */
export type ToolFileErrorCode =
  | 'tool-file-invalid'
  | 'tool-file-conflict'
  | 'tool-file-too-large'
  | 'tool-file-unwritable'
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
}

export interface EditOptions {
  /** The file will hold a secret: it is written 0600 whatever its mode was. */
  secret: boolean;
  /** When the edit leaves only whitespace, delete the file instead of writing it empty. */
  deleteIfEmpty?: boolean;
}

/**
 * Reads the file (null when it does not exist), lets `edit` compute the new text, and writes it
 * back atomically: one backup of the original beside it the first time Artikey changes it, a
 * byte-order mark kept as found, symlinks followed so the link stays a link. When `edit` throws,
 * nothing is written.
 */
export async function editToolFile(
  path: string,
  edit: (text: string | null) => string,
  options: EditOptions,
): Promise<ToolFileEdit> {
  const { path: target, text, hasBom } = await readForEdit(path);
  const edited = edit(text);
  const created = text === null;
  if (edited === text || (text === null && edited === ''))
    return { path: target, changed: false, created: false, deleted: false };
  try {
    if (options.deleteIfEmpty && edited.trim() === '') {
      if (created) return { path: target, changed: false, created: false, deleted: false };
      await rm(target, { force: true });
      return { path: target, changed: true, created: false, deleted: true };
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const mode = options.secret || created ? 0o600 : (await stat(target)).mode & 0o777;
    if (!created) await backupOnce(target);
    await writeFileAtomic(target, hasBom ? BOM + edited : edited, mode);
  } catch (error) {
    if (error instanceof ToolFileError) throw error;
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot write ${target}: ${(error as Error).message}`,
    );
  }
  return { path: target, changed: true, created, deleted: false };
}

/**
 * What an edit of `path` starts from: the real file (symlinks followed) and its text without a
 * byte-order mark, null when it does not exist. `editToolFile` writes from here; a preview stops.
 */
export async function readForEdit(
  path: string,
): Promise<{ path: string; text: string | null; hasBom: boolean }> {
  const target = await followLinks(path);
  const before = await readToolFile(target);
  const hasBom = before?.startsWith(BOM) ?? false;
  return { path: target, text: hasBom ? before!.slice(1) : before, hasBom };
}

/** The text of a tool file, or null when it does not exist; refuses files too big to be configuration. */
export async function readToolFile(path: string): Promise<string | null> {
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
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ToolFileError(
      'tool-file-unwritable',
      `Cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

/** The backup path of a tool file: its state before Artikey first changed it. */
export const backupPath = (path: string): string => `${path}.artikey-backup`;

async function backupOnce(path: string): Promise<void> {
  try {
    await copyFile(path, backupPath(path), constants.COPYFILE_EXCL);
    await chmod(backupPath(path), 0o600); // the original may hold other secrets
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
