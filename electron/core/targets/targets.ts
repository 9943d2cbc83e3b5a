import type { Environment } from '../paths.js';
import type { Edit } from './kinds/definition.js';
import { requireSafeValues } from './safe-values.js';
import { byteOrderMarkFor, definitionFor, definitionOf, holdsToken } from './target-kinds.js';
import type { TargetCredentials, TargetKind, TargetRecord, TargetSpec } from './target-record.js';
import { editToolFile, readToolFile, type ToolFileEdit } from './tool-file.js';

export interface WriteOptions {
  /** Overwrite a value that refers to an environment variable (`${NPM_TOKEN}`). */
  replaceReferences?: boolean;
  /** The record of an earlier write of the same target: its restore values are kept. */
  previous?: TargetRecord;
}

/** Writes (or rewrites) the credentials into the target's file. */
export async function writeTarget(
  spec: TargetSpec,
  credentials: TargetCredentials,
  options: WriteOptions & {
    /** Sees what will be recorded (the real path, whether the file is new, what is being replaced) just before the file changes. */
    beforeWrite?: (file: {
      path: string;
      created: boolean;
      restore: Record<string, string>;
    }) => Promise<void>;
  } = {},
): Promise<{ edit: ToolFileEdit; restore: Record<string, string> }> {
  const { rewrite, restore, edit: write } = planWrite(spec, credentials, options);
  const beforeWrite = options.beforeWrite;
  const edit = await editToolFile(
    spec.path,
    write,
    // A first write may overwrite what the person had at the entry's keys (a plain-text token, a
    // `${VAR}` taken over with --replace-references, their own registry=): that is backed up.
    // A rewrite changes only Artikey's own entry, and a plain addition takes nothing away.
    {
      secret: holdsToken(spec),
      byteOrderMark: byteOrderMarkFor(spec),
      ...(rewrite ? {} : { backup: 'if-replacing' as const }),
      ...(beforeWrite
        ? {
            beforeWrite: (file: { path: string; created: boolean }) =>
              beforeWrite({ ...file, restore }),
          }
        : {}),
    },
  );
  return { edit, restore };
}

/**
 * The text `writeTarget` would write, from the file's current text (null: no file yet), without
 * touching the disk: the dry run behind a preview. `restore` is not recorded anywhere.
 */
export function renderTarget(
  spec: TargetSpec,
  text: string | null,
  credentials: TargetCredentials,
  options: WriteOptions = {},
): string {
  return renderWrite(spec, text, credentials, options).text;
}

/** `renderTarget` with the restore notes the write would record: a whole write without the disk. */
export function renderWrite(
  spec: TargetSpec,
  text: string | null,
  credentials: TargetCredentials,
  options: WriteOptions = {},
): { text: string; restore: Record<string, string> } {
  const { restore, edit } = planWrite(spec, credentials, options);
  return { text: edit(text), restore };
}

const NOTES = new Set<string>(['createdFile', 'restore', 'writtenAt', 'error']);

/** The spec asks for other settings than the earlier write made (a second configure with other options). */
function changesSettings(spec: TargetSpec, previous: TargetRecord): boolean {
  const keys = new Set(
    [...Object.keys(spec), ...Object.keys(previous)].filter((k) => !NOTES.has(k)),
  );
  const value = (of: object, key: string): string =>
    JSON.stringify((of as Record<string, unknown>)[key] ?? null);
  return [...keys].some((key) => value(spec, key) !== value(previous, key));
}

/**
 * The edit of one write. A refresh (the same settings again) rewrites Artikey's own entry and keeps
 * the first write's restore notes. A first write notes what it replaces. A write with other
 * settings than the earlier one (`--nosumdb` dropped, another scope) first takes the earlier entry
 * out, putting back what it replaced, then writes as a first write: what removal puts back is
 * always the person's own, never a setting an earlier configure wrote.
 */
function planWrite(
  spec: TargetSpec,
  credentials: TargetCredentials,
  options: WriteOptions,
): { rewrite: boolean; restore: Record<string, string>; edit: Edit } {
  const { previous } = options;
  const replaceReferences = options.replaceReferences ?? false;
  if (previous !== undefined && !changesSettings(spec, previous)) {
    return {
      rewrite: true,
      restore: { ...previous.restore },
      edit: writer(spec, credentials, null, replaceReferences),
    };
  }
  const restore: Record<string, string> = {};
  const write = writer(spec, credentials, restore, replaceReferences);
  if (previous === undefined) return { rewrite: false, restore, edit: write };
  const remove = definitionFor(previous).remover(previous);
  return {
    rewrite: false,
    restore,
    edit: (text) => {
      if (text === null) return write(null);
      const without = remove(text);
      return write(previous.createdFile && without.trim() === '' ? null : without);
    },
  };
}

/**
 * Takes out exactly what Artikey wrote for this target, putting back what it replaced: nothing
 * of the person's goes, so no backup is taken.
 */
export async function removeTarget(record: TargetRecord): Promise<ToolFileEdit> {
  const remove = definitionFor(record).remover(record);
  return editToolFile(record.path, (text) => (text === null ? '' : remove(text)), {
    secret: false,
    deleteIfEmpty: record.createdFile,
    byteOrderMark: byteOrderMarkFor(record),
  });
}

/**
 * `restore` receives what each setting held before Artikey's first write of the target (null on a
 * rewrite: the file then holds Artikey's own values, which removal must not put back).
 */
function writer(
  spec: TargetSpec,
  credentials: TargetCredentials,
  restore: Record<string, string> | null,
  replaceReferences: boolean,
): Edit {
  const definition = definitionFor(spec);
  requireSafeValues(...definition.fields(spec, credentials));
  return definition.writer(spec, credentials, restore, replaceReferences);
}

/** Whether the file still exists (for `artikey status` and repairs). */
export async function targetFileExists(record: TargetRecord): Promise<boolean> {
  return (await readToolFile(record.path)) !== null;
}

/** Where each tool reads its user configuration, honouring the tools' own overrides. */
export const defaultTargetPath = (kind: TargetKind, environment: Environment): string =>
  definitionOf(kind).defaultPath(environment);
