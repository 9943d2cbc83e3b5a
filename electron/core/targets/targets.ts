import type { Environment } from '../paths.js';
import type { Edit } from './kinds/definition.js';
import { requireSafeValues } from './safe-values.js';
import { definitionFor, definitionOf, holdsToken } from './target-kinds.js';
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
    beforeWrite?: (file: { path: string; created: boolean; restore: Record<string, string> }) => Promise<void>;
  } = {},
): Promise<{ edit: ToolFileEdit; restore: Record<string, string> }> {
  const restore = { ...(options.previous?.restore ?? {}) };
  const beforeWrite = options.beforeWrite;
  const edit = await editToolFile(
    spec.path,
    writer(
      spec,
      credentials,
      options.previous ? null : restore,
      options.replaceReferences ?? false,
    ),
    // A first write may overwrite what the person had at the entry's keys (a plain-text token, a
    // `${VAR}` taken over with --replace-references, their own registry=): that is backed up.
    // A rewrite changes only Artikey's own entry, and a plain addition takes nothing away.
    {
      secret: holdsToken(spec),
      ...(options.previous ? {} : { backup: 'if-replacing' as const }),
      ...(beforeWrite ? { beforeWrite: (file: { path: string; created: boolean }) => beforeWrite({ ...file, restore }) } : {}),
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
  const restore = { ...(options.previous?.restore ?? {}) };
  return writer(
    spec,
    credentials,
    options.previous ? null : restore,
    options.replaceReferences ?? false,
  )(text);
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
