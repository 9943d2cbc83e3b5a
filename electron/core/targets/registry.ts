import { ArtikeyError, errorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { InstanceRecord } from '../state.js';
import type { TargetCredentials, TargetRecord, TargetSpec } from './target-record.js';
import { definitionFor, holdsToken, sameTarget } from './target-kinds.js';
import { previewTarget, type TargetPreview } from './preview.js';
import { removeTarget, writeTarget, type WriteOptions } from './targets.js';
import { octal, type ToolFileEdit } from './tool-file.js';

export interface TargetOutcome {
  target: TargetRecord;
  changed: boolean;
  /** The file's mode ("0644") before Artikey narrowed it to 0600 because it now holds a token. */
  narrowedFrom?: string;
}

export interface TargetFailure {
  target: TargetRecord;
  code: string;
  message: string;
}

/**
 * Keeps an instance's list of tool files in step with the files themselves: every write and
 * removal goes through here, so a refresh can rewrite each copy and a logout remove them all.
 * Each method changes the files and then the `record` it was given, which the caller takes from
 * a state transaction (see StateStore): the files and the record describing them change under
 * the same lock, and are saved together.
 */
export class TargetRegistry {
  constructor(
    private readonly seconds: () => number,
    private readonly log: Logger,
  ) {}

  /**
   * Writes one target and records it in `record` (replacing an earlier record of the same entry).
   * With `checkpoint`, the record is saved before the file changes, marked `write-interrupted`
   * until the write is done: a process killed in between leaves a record the next refresh
   * completes, never a token in a file the state does not know of.
   */
  async configure(
    record: InstanceRecord,
    spec: TargetSpec,
    credentials: TargetCredentials,
    options: Pick<WriteOptions, 'replaceReferences'> = {},
    checkpoint?: () => Promise<void>,
  ): Promise<TargetOutcome> {
    checkBelongs(record, spec);
    const companion = definitionFor(spec).companion?.(spec);
    if (companion === undefined) return this.#write(record, spec, credentials, options, checkpoint);
    // The companion entry first, so the token never sits in a file the tool cannot use yet; if the
    // token's entry then fails, a companion this call added goes again.
    checkBelongs(record, companion);
    const added = !record.targets.some((t) => sameTarget(t, companion));
    await this.#write(record, companion, credentials, options, checkpoint);
    try {
      return await this.#write(record, spec, credentials, options, checkpoint);
    } catch (error) {
      if (added) {
        await this.remove(record, (t) => sameTarget(t, companion), checkpoint);
        // The caller's transaction is abandoned with the error: only a checkpoint is saved.
        await checkpoint?.();
      }
      throw error;
    }
  }

  async #write(
    record: InstanceRecord,
    spec: TargetSpec,
    credentials: TargetCredentials,
    options: Pick<WriteOptions, 'replaceReferences'>,
    checkpoint?: () => Promise<void>,
  ): Promise<TargetOutcome> {
    const previous = record.targets.find((t) => sameTarget(t, spec));
    const before = record.targets;
    const intent = async (file: { path: string; created: boolean; restore: Record<string, string> }): Promise<void> => {
      const pending: TargetRecord = {
        ...spec,
        path: file.path,
        createdFile: previous?.createdFile ?? file.created,
        restore: file.restore,
        writtenAt: this.seconds(),
        error: { code: WRITE_INTERRUPTED, message: 'Artikey was stopped while writing this entry; the next refresh writes it again.', at: this.seconds() },
      };
      record.targets = [...before.filter((t) => !sameTarget(t, pending)), pending];
      await checkpoint?.();
    };
    let written;
    try {
      written = await writeTarget(spec, credentials, {
        ...options,
        ...(previous ? { previous } : {}),
        ...(checkpoint ? { beforeWrite: intent } : {}),
      });
    } catch (error) {
      if (record.targets !== before) {
        record.targets = before;
        await checkpoint?.();
      }
      throw error;
    }
    const { edit, restore } = written;
    const target: TargetRecord = {
      ...spec,
      path: edit.path,
      createdFile: previous?.createdFile ?? edit.created,
      restore,
      writtenAt: this.seconds(),
      error: null,
    };
    record.targets = [...record.targets.filter((t) => !sameTarget(t, target)), target];
    this.log.info(
      `${edit.changed ? 'wrote' : 'checked'} ${spec.kind} credentials of ${record.id} in ${edit.path}${narrowing(edit)}`,
    );
    return {
      target,
      changed: edit.changed,
      ...(edit.narrowedFrom === undefined ? {} : { narrowedFrom: octal(edit.narrowedFrom) }),
    };
  }

  /**
   * What `configure` with the same arguments would change in the file, without writing it or
   * recording anything (see preview.ts); refuses exactly what `configure` refuses.
   */
  async preview(
    record: InstanceRecord,
    spec: TargetSpec,
    credentials: TargetCredentials,
    options: Pick<WriteOptions, 'replaceReferences'> = {},
  ): Promise<TargetPreview> {
    checkBelongs(record, spec);
    const previous = record.targets.find((t) => sameTarget(t, spec));
    return previewTarget(spec, credentials, { ...options, ...(previous ? { previous } : {}) });
  }

  /**
   * Removes the targets that `select` picks, file by file, and forgets those removed; failures
   * are reported, not thrown, and stay recorded. With `checkpoint`, the chosen records are first
   * saved marked `removal-interrupted`: a process killed halfway leaves them for the next
   * unconfigure, logout, refresh or re-login to finish; none writes them back.
   */
  async remove(
    record: InstanceRecord,
    select: (target: TargetRecord) => boolean,
    checkpoint?: () => Promise<void>,
  ): Promise<{ removed: TargetOutcome[]; failed: TargetFailure[] }> {
    const removed: TargetOutcome[] = [];
    const failed: TargetFailure[] = [];
    const picked = record.targets.filter(select);
    // An entry and its companion are one setting for the person: taking out either takes out both.
    const chosen = record.targets.filter(
      (t) => picked.includes(t) || picked.some((p) => companions(p, t) || companions(t, p)),
    );
    if (checkpoint && chosen.length > 0) {
      const error = { code: REMOVAL_INTERRUPTED, message: 'Artikey was stopped while taking this entry out; run unconfigure or logout again to finish.', at: this.seconds() };
      record.targets = record.targets.map((t) => (chosen.includes(t) ? { ...t, error } : t));
      await checkpoint();
    }
    for (const target of chosen) {
      try {
        const edit = await removeTarget(target);
        removed.push({ target, changed: edit.changed });
      } catch (error) {
        failed.push({ target, code: errorCode(error), message: (error as Error).message });
        this.#markFailed(record, target, { code: errorCode(error), message: (error as Error).message });
        this.log.warn(
          `could not remove ${target.kind} credentials of ${record.id} from ${target.path}: ${(error as Error).message}`,
        );
      }
    }
    record.targets = record.targets.filter((t) => !removed.some((r) => sameTarget(r.target, t)));
    return { removed, failed };
  }

  /** After a refresh or a new login: every file holding the old token gets the new one, in `record` too. */
  async rewriteAll(
    record: InstanceRecord,
    credentials: TargetCredentials,
  ): Promise<TargetFailure[]> {
    const failed: TargetFailure[] = [];
    // An entry whose removal a killed process began is taken out now rather than written back (that
    // would undo the unconfigure) or left as it is (holding a token this change makes dead).
    const interrupted = record.targets.filter((t) => t.error?.code === REMOVAL_INTERRUPTED);
    if (interrupted.length > 0) failed.push(...(await this.remove(record, (t) => interrupted.includes(t))).failed);
    const results = new Map<TargetRecord, TargetRecord['error']>();
    for (const target of record.targets.filter(holdsToken)) {
      try {
        if (!credentials.username && needsUsername(target))
          throw new ArtikeyError(
            'username-required',
            'Artikey does not know the user name; log in again with --user.',
          );
        const { edit } = await writeTarget(target, credentials, {
          previous: target,
          replaceReferences: true,
        });
        if (edit.narrowedFrom !== undefined)
          this.log.info(`rewrote ${target.kind} credentials in ${edit.path}${narrowing(edit)}`);
        results.set(target, null);
      } catch (error) {
        const failure = { target, code: errorCode(error), message: (error as Error).message };
        failed.push(failure);
        results.set(target, { code: failure.code, message: failure.message, at: this.seconds() });
        this.log.warn(
          `could not update ${target.kind} credentials of ${record.id} in ${target.path}: ${failure.message}`,
        );
      }
    }
    record.targets = record.targets.map((t) => {
      const match = [...results].find(([written]) => sameTarget(written, t));
      if (!match) return t;
      return match[1] === null
        ? { ...t, writtenAt: this.seconds(), error: null }
        : { ...t, error: match[1] };
    });
    return failed;
  }

  /** A removal that failed stays recorded, saying why (and no longer as interrupted). */
  #markFailed(record: InstanceRecord, target: TargetRecord, failure: { code: string; message: string }): void {
    record.targets = record.targets.map((t) => (sameTarget(t, target) ? { ...t, error: { ...failure, at: this.seconds() } } : t));
  }
}

/** A record saved before its file was written, until the write is done (see `configure`). */
export const WRITE_INTERRUPTED = 'write-interrupted';
/** A record whose entry was being taken out, until that is done (see `remove`). */
export const REMOVAL_INTERRUPTED = 'removal-interrupted';

/** What the log says when a write narrowed a file's mode, so a person can tell why it changed. */
const narrowing = (edit: ToolFileEdit): string =>
  edit.narrowedFrom === undefined
    ? ''
    : ` (mode ${octal(edit.narrowedFrom)} to 0600: the file now holds a token)`;

/** `companion` is the entry `target` writes beside itself. */
function companions(target: TargetSpec, companion: TargetSpec): boolean {
  const own = definitionFor(target).companion?.(target);
  return own !== undefined && sameTarget(own, companion);
}

/** npm sends the token as a Bearer token; the other tools send Basic user:token. */
export const needsUsername = (target: TargetSpec): boolean =>
  definitionFor(target).needsUsername;

/** Why the instance cannot have this entry (Go over plain HTTP, another host's URL); null when it can. */
export function refusalFor(record: InstanceRecord, spec: TargetSpec): string | null {
  try {
    checkBelongs(record, spec);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A token only ever goes to its own server: every URL and host in the spec must be the instance's. */
function checkBelongs(record: InstanceRecord, spec: TargetSpec): void {
  const platform = new URL(record.platformUrl);
  const refuse = (what: string): never => {
    throw new ArtikeyError(
      'invalid-target',
      `${what} is not on ${record.name} (${platform.host}); Artikey only writes a token for its own server.`,
    );
  };
  const sameHost = (url: string): void => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse(`"${url}"`);
    }
    if (parsed.host !== platform.host || parsed.protocol !== platform.protocol) refuse(url);
  };
  definitionFor(spec).checkBelongs(spec, { instanceName: record.name, platform, refuse, sameHost });
}
