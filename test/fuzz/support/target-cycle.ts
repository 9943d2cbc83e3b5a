/**
 * The operations Artikey performs on a target's file, run as the product runs them but without
 * the disk (renderWrite and the kind's remover are what writeTarget and removeTarget apply), so a
 * property can run a hundred thousand cases; `diskCycle` and `expectRefusedUntouched` go through
 * the real files for what only the disk shows (byte-order mark, mtime, deletion).
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { definitionFor } from '../../../electron/core/targets/target-kinds.js';
import type {
  TargetCredentials,
  TargetRecord,
  TargetSpec,
} from '../../../electron/core/targets/target-record.js';
import { removeTarget, renderWrite, writeTarget } from '../../../electron/core/targets/targets.js';
import { ToolFileError } from '../../../electron/core/targets/tool-file.js';

export const USERNAME = 'fuzz.user@example.com';

export const credentials = (token: string, username = USERNAME): TargetCredentials => ({
  username,
  token,
});

export interface Cycle {
  /** After configure (the first write, noting what it replaced). */
  configured: string;
  /** The record the state file would hold. */
  record: TargetRecord;
  /** After a refresh with the second token. */
  refreshed: string;
  /** After unconfigure; null: the file would be deleted (Artikey created it and nothing else is left). */
  removed: string | null;
}

/** The record `TargetRegistry` keeps after a first write of `spec` into `original`. */
export const recordOf = (
  spec: TargetSpec,
  original: string | null,
  restore: Record<string, string>,
): TargetRecord => ({
  ...spec,
  createdFile: original === null,
  restore,
  writtenAt: 1,
  error: null,
});

/** Configure with `first`, refresh with `second`, unconfigure: each step's text. Throws what the product throws. */
export function cycle(
  spec: TargetSpec,
  original: string | null,
  first: string,
  second: string,
  options: { replaceReferences?: boolean } = {},
): Cycle {
  try {
    const { text: configured, restore } = renderWrite(spec, original, credentials(first), options);
    const record = recordOf(spec, original, restore);
    const refreshed = renderWrite(spec, configured, credentials(second), {
      ...options,
      previous: record,
    }).text;
    const removed = removal(record, refreshed);
    return { configured, record, refreshed, removed };
  } catch (error) {
    throw quotingNoSecret(error, [first, second]);
  }
}

/** A URL with a password in it: `scheme://user:password@`. */
const URL_WITH_PASSWORD = /\/\/[^\s/@:]*:[^\s/@]+@/;

/**
 * The error a step threw, checked first: what the CLI prints and the app shows must quote neither
 * a token nor a password that a URL in the file carries (another entry's, or the one replaced).
 */
export function quotingNoSecret(error: unknown, tokens: string[]): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (URL_WITH_PASSWORD.test(message) || tokens.some((token) => message.includes(token)))
    return new Error(`the error quotes a secret: ${message}`);
  return error;
}

/** The file's bytes: its text in UTF-8, after a byte-order mark when `bom`. */
export const fileBytes = (text: string, bom: boolean): Buffer =>
  Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf8');

/** What removeTarget leaves of `text`: null when it deletes the file. */
export function removal(record: TargetRecord, text: string): string | null {
  const left = definitionFor(record).remover(record)(text);
  return record.createdFile && left.trim() === '' ? null : left;
}

/**
 * Configure then unconfigure on a real file holding `bytes` (a byte-order mark included):
 * returns the bytes left, or null when the file was deleted.
 */
export async function diskCycle(
  spec: TargetSpec,
  bytes: Buffer | null,
  token: string,
): Promise<Buffer | null> {
  if (bytes !== null) writeFileSync(spec.path, bytes);
  const { edit, restore } = await writeTarget(spec, credentials(token));
  await removeTarget({
    ...spec,
    path: edit.path,
    createdFile: bytes === null,
    restore,
    writtenAt: 1,
    error: null,
  });
  try {
    return readFileSync(spec.path);
  } catch {
    return null;
  }
}

/**
 * A file the editor refuses: configure (and unconfigure of an entry recorded earlier) throw a
 * `tool-file-invalid` error naming the line and column, and the file keeps its bytes and mtime.
 * Returns the configure error's message.
 */
export async function expectRefusedUntouched(
  spec: TargetSpec,
  bytes: Buffer,
  token: string,
): Promise<string> {
  writeFileSync(spec.path, bytes);
  // An mtime in the past, so a rewrite within the same clock tick would still show.
  utimesSync(spec.path, new Date(1_600_000_000_000), new Date(1_600_000_000_000));
  const before = statSync(spec.path).mtimeMs;
  const messages: string[] = [];
  for (const operation of [
    () => writeTarget(spec, credentials(token)),
    () => removeTarget({ ...spec, createdFile: false, restore: {}, writtenAt: 1, error: null }),
  ]) {
    let refused: unknown = null;
    try {
      await operation();
    } catch (error) {
      refused = error;
    }
    const message = invalidRefusal(refused, token);
    if (!readFileSync(spec.path).equals(bytes)) throw new Error('the refused file changed');
    if (statSync(spec.path).mtimeMs !== before) throw new Error("the refused file's mtime changed");
    messages.push(message);
  }
  return messages[0]!;
}

/**
 * What an operation threw (null: it did not) must be a `tool-file-invalid` refusal naming a line
 * and column, without the token in it; returns its message.
 */
export function invalidRefusal(refused: unknown, token: string): string {
  if (!(refused instanceof ToolFileError) || refused.code !== 'tool-file-invalid')
    throw new Error(
      `expected a tool-file-invalid refusal, got ${refused === null ? 'success' : String(refused)}`,
    );
  if (!/line \d+, column \d+/i.test(refused.message))
    throw new Error(`the refusal names no line and column: ${refused.message}`);
  if (quotingNoSecret(refused, [token]) !== refused)
    throw new Error(`the refusal quotes a secret: ${refused.message}`);
  return refused.message;
}
