import { randomBytes } from 'node:crypto';
import { diffLines, type LineChange } from './line-diff.js';
import { redactLine, TOKEN_MARK, type SecretFormat } from './secret-redaction.js';
import { byteOrderMarkFor, definitionOf } from './target-kinds.js';
import type { TargetCredentials, TargetKind, TargetSpec } from './target-record.js';
import { renderTarget, type WriteOptions } from './targets.js';
import { readForEdit, requireEditable } from './tool-file.js';
import { splitLines } from './text-lines.js';

/** What writing a target would change in its file, line by line; no secret in it. */
export interface TargetPreview {
  kind: TargetKind;
  /** The file that would be written, symlinks resolved. */
  path: string;
  fileExists: boolean;
  changes: LineChange[];
}

export const secretFormat = (kind: TargetKind): SecretFormat => definitionOf(kind).secretFormat;

/**
 * The dry run of `writeTarget`: reads the file, computes what would be written and compares,
 * writing nothing. Which lines change is decided with the real credentials (a file that already
 * holds the current token shows no change); what is shown comes from a second rendering with a
 * random stand-in for the token, which becomes `<token>`. A file `configure` would refuse to
 * change (read-only, another user's) is refused here as well. Every shown line then passes the
 * redactor, so neither the new token nor any other secret in the file (another registry's
 * token on a changed line) reaches the result.
 */
export async function previewTarget(
  spec: TargetSpec,
  credentials: TargetCredentials,
  options: WriteOptions = {},
): Promise<TargetPreview> {
  const { path, text } = await readForEdit(spec.path, byteOrderMarkFor(spec));
  const real = renderTarget(spec, text, credentials, options);
  if (text !== null && real !== text) await requireEditable(path);
  const standIn = `artikeyPreview${randomBytes(9).toString('hex')}`;
  const shown = renderTarget(spec, text, { ...credentials, token: standIn }, options);
  const format = secretFormat(spec.kind);
  const marks: [string, string][] = [
    [standIn, TOKEN_MARK],
    // Docker's `auth` holds base64("user:token").
    [Buffer.from(`${credentials.username}:${standIn}`).toString('base64'), TOKEN_MARK],
  ];
  const show = (line: string): string =>
    redactLine(
      marks.reduce((l, [from, to]) => l.split(from).join(to), line),
      format,
    );
  return {
    kind: spec.kind,
    path,
    fileExists: text !== null,
    changes: lineChanges(text, real, shown).map((change) => ({
      line: change.line,
      before: change.before === null ? null : redactLine(change.before, format),
      after: change.after === null ? null : show(change.after),
    })),
  };
}

/** The changes from `before` to `real`, with the added lines taken from `shown` at the same place. */
function lineChanges(before: string | null, real: string, shown: string): LineChange[] {
  if (real === (before ?? '')) return [];
  const lines = (text: string | null): string[] =>
    text === null ? [] : splitLines(text).map((l) => l.content);
  const beforeLines = lines(before);
  const realLines = lines(real);
  const shownLines = lines(shown);
  if (realLines.length !== shownLines.length) return diffLines(beforeLines, shownLines);
  return diffLines(beforeLines, realLines).map((change) => ({
    ...change,
    after: change.line === null ? null : (shownLines[change.line - 1] ?? null),
  }));
}
