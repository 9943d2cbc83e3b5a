import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, saveBackup } from '../../electron/core/targets/backup-file.js';
import {
  editToolFile,
  MAX_TOOL_FILE_BYTES,
  ToolFileError,
} from '../../electron/core/targets/tool-file.js';

const append = (line: string) => (text: string | null) => `${text ?? ''}${line}\n`;

describe('editToolFile: how Artikey changes another program’s configuration file', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-toolfile-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('creates a missing file (and its folders) with mode 0600 and no backup', async () => {
    const path = join(folder, 'deep', 'er', '.npmrc');
    const edit = await editToolFile(path, append('a=1'), { secret: true });
    expect(edit).toEqual({ path, changed: true, created: true, deleted: false });
    expect(readFileSync(path, 'utf8')).toBe('a=1\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await backupsOf(path)).toEqual([]);
  });

  it('backs up only an edit that takes something away: a fresh 0600 copy of the exact prior bytes each time', async () => {
    const path = join(folder, 'settings');
    const original = Buffer.from('\uFEFFkeep=1\r\n# caf\xe9\r\nold=1\r\n', 'latin1'); // not even UTF-8
    writeFileSync(path, original, { mode: 0o644 });
    const replace = (from: string, to: string) => (text: string | null) =>
      (text ?? '').replace(from, to);
    const first = await editToolFile(path, replace('old=1', 'new=1'), {
      secret: true,
      backup: 'if-replacing',
    });
    expect(first.backup).toMatch(/\/settings\.artikey-backup-\d{8}T\d{6}Z$/);
    expect(readFileSync(first.backup!).equals(original)).toBe(true);
    expect(statSync(first.backup!).mode & 0o777).toBe(0o600);
    expect(
      (await editToolFile(path, append('added'), { secret: true, backup: 'if-replacing' })).backup,
    ).toBeUndefined();
    const second = await editToolFile(path, append('more'), {
      secret: true,
      backup: 'before-change',
    });
    expect(second.backup).not.toBe(first.backup);
    expect(await backupsOf(path)).toEqual([first.backup, second.backup]);
    expect((await editToolFile(path, append('mine'), { secret: true })).backup).toBeUndefined();
  });

  it('names backups taken in the same second apart, and saves the same bytes only once', async () => {
    const path = join(folder, '.npmrc');
    const now = Date.UTC(2026, 11, 5, 6, 44, 0);
    const one = await saveBackup(path, Buffer.from('a\n'), undefined, now);
    const two = await saveBackup(path, Buffer.from('b\n'), undefined, now);
    const again = await saveBackup(path, Buffer.from('b\n'), undefined, now);
    expect([one, two, again]).toEqual([
      `${path}.artikey-backup-20261205T064400Z`,
      `${path}.artikey-backup-20261205T064400Z-2`,
      `${path}.artikey-backup-20261205T064400Z-2`,
    ]);
    expect(readFileSync(one, 'utf8')).toBe('a\n');
  });

  it('tightens a world-readable file to 0600 once it holds a secret, and keeps the mode of edits that do not', async () => {
    const secret = join(folder, 'secret');
    const plain = join(folder, 'plain');
    writeFileSync(secret, 'x\n', { mode: 0o644 });
    writeFileSync(plain, 'x\n');
    chmodSync(plain, 0o640);
    await editToolFile(secret, append('token=1'), { secret: true });
    await editToolFile(plain, append('helper=artikey'), { secret: false });
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(statSync(plain).mode & 0o777).toBe(0o640);
  });

  it('writes nothing, not even a backup, when the edit changes nothing', async () => {
    const path = join(folder, 'same');
    writeFileSync(path, 'same\n');
    const before = statSync(path).mtimeMs;
    expect(await editToolFile(path, (text) => text ?? '', { secret: true })).toMatchObject({
      changed: false,
    });
    expect(statSync(path).mtimeMs).toBe(before);
    expect(readdirSync(folder)).toEqual(['same']);
    expect((await editToolFile(join(folder, 'absent'), () => '', { secret: true })).changed).toBe(
      false,
    );
    expect(existsSync(join(folder, 'absent'))).toBe(false);
  });

  it('follows a symlink to the real file, which it edits, and leaves the link a link', async () => {
    mkdirSync(join(folder, 'dotfiles'));
    const real = join(folder, 'dotfiles', 'npmrc');
    writeFileSync(real, 'a=1\n');
    const link = join(folder, '.npmrc');
    symlinkSync('dotfiles/npmrc', link);
    const edit = await editToolFile(link, () => 'b=2\n', { secret: true, backup: 'if-replacing' });
    expect(edit.path).toBe(real);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('dotfiles/npmrc');
    expect(readFileSync(real, 'utf8')).toBe('b=2\n');
    expect(edit.backup?.startsWith(`${real}.artikey-backup-`)).toBe(true);
    expect(readFileSync(edit.backup!, 'utf8')).toBe('a=1\n');
  });

  it('creates the target of a dangling symlink rather than replacing the link', async () => {
    const link = join(folder, '.netrc');
    symlinkSync(join(folder, 'vault', 'netrc'), link);
    await editToolFile(link, append('machine x'), { secret: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(folder, 'vault', 'netrc'), 'utf8')).toBe('machine x\n');
  });

  it('refuses a symlink loop', async () => {
    symlinkSync(join(folder, 'b'), join(folder, 'a'));
    symlinkSync(join(folder, 'a'), join(folder, 'b'));
    await expect(
      editToolFile(join(folder, 'a'), append('x'), { secret: true }),
    ).rejects.toMatchObject({ code: 'tool-file-invalid' });
  });

  it('keeps a byte-order mark: the editor never sees it, the file keeps it', async () => {
    const path = join(folder, 'bom');
    writeFileSync(path, '\uFEFFa=1\n');
    let seen: string | null = null;
    await editToolFile(
      path,
      (text) => {
        seen = text;
        return `${text ?? ''}b=2\n`;
      },
      { secret: true },
    );
    expect(seen).toBe('a=1\n');
    expect(readFileSync(path, 'utf8')).toBe('\uFEFFa=1\nb=2\n');
  });

  it('refuses a file too large to be configuration, and a folder, leaving both untouched', async () => {
    const huge = join(folder, 'huge');
    writeFileSync(huge, Buffer.alloc(MAX_TOOL_FILE_BYTES + 1, 0x23));
    await expect(editToolFile(huge, append('x'), { secret: true })).rejects.toMatchObject({
      code: 'tool-file-too-large',
    });
    expect(statSync(huge).size).toBe(MAX_TOOL_FILE_BYTES + 1);
    mkdirSync(join(folder, 'dir'));
    await expect(
      editToolFile(join(folder, 'dir'), append('x'), { secret: true }),
    ).rejects.toMatchObject({ code: 'tool-file-invalid' });
    expect(readdirSync(folder).sort()).toEqual(['dir', 'huge']);
  });

  it('writes nothing when the editor refuses the content', async () => {
    const path = join(folder, 'broken');
    writeFileSync(path, '{');
    const refuse = (): string => {
      throw new ToolFileError('tool-file-invalid', 'not JSON');
    };
    await expect(editToolFile(path, refuse, { secret: true })).rejects.toThrow('not JSON');
    expect(readdirSync(folder)).toEqual(['broken']);
  });

  it('deletes a file its edit emptied only when asked to (Artikey created it)', async () => {
    const path = join(folder, 'created');
    writeFileSync(path, 'ours\n');
    expect(
      await editToolFile(path, () => '\n', { secret: false, deleteIfEmpty: true }),
    ).toMatchObject({ changed: true, deleted: true });
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, 'ours\n');
    await editToolFile(path, () => '', { secret: false });
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('reports an unwritable folder with its path and a stable code', async () => {
    if (process.getuid?.() === 0) {
      // root ignores folder permissions; a regular file where the folder should be fails the same way
      writeFileSync(join(folder, 'blocked'), '');
    } else {
      mkdirSync(join(folder, 'blocked'), { mode: 0o500 });
    }
    const error = await editToolFile(join(folder, 'blocked', 'file'), append('x'), {
      secret: true,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'tool-file-unwritable' });
    expect((error as Error).message).toContain(join(folder, 'blocked'));
  });
});
