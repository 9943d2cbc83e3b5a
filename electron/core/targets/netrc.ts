import { lineAndColumn } from './text-lines.js';
import { NETRC_UNSAFE, requireSafeValues } from './safe-values.js';
import { ToolFileError } from './tool-file.js';

/**
 * `~/.netrc` (pip, curl, git and others): whitespace-separated tokens, entries started by
 * `machine <host>` or `default`, `macdef` bodies running to the next empty line, `#` comments.
 * Edits splice tokens in place, so every other byte stays.
 */
export type NetrcChange =
  { machine: string; login: string; password: string } | { machine: string; remove: true };

export interface NetrcEntry {
  machine: string | null;
  login: string | null;
  password: string | null;
  account: string | null;
  line: number;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

interface Entry {
  machine: string | null;
  start: number;
  /** Where the next entry (or the end of the file) begins. */
  end: number;
  /** Where the entry's last token ends: comments on the lines after it are not the entry's. */
  contentEnd: number;
  /** Each field's value tokens in file order; Python's netrc reads the last (see `onlyEntryOf`). */
  fields: Map<string, Token[]>;
  /** The token after which a missing field is inserted. */
  anchor: Token;
  line: number;
}

export function readNetrc(text: string): NetrcEntry[] {
  return parse(text).map((e) => ({
    machine: e.machine,
    login: e.fields.get('login')?.at(-1)?.text ?? null,
    password: e.fields.get('password')?.at(-1)?.text ?? null,
    account: e.fields.get('account')?.at(-1)?.text ?? null,
    line: e.line,
  }));
}

export function editNetrc(text: string | null, change: NetrcChange): string {
  const source = text ?? '';
  const entries = parse(source);
  const entry = onlyEntryOf(source, entries, change.machine);
  if ('remove' in change) return entry ? removeEntry(source, entry) : source;
  requireSafeValues('.netrc', [
    ['machine', change.machine, NETRC_UNSAFE],
    ['login', change.login, NETRC_UNSAFE],
    ['password', change.password, NETRC_UNSAFE],
  ]);
  if (change.machine === '' || change.login === '' || change.password === '')
    throw new ToolFileError(
      'tool-file-invalid',
      'A netrc machine, login or password cannot be empty; Artikey left the file untouched.',
    );
  if (!entry) {
    const block = `machine ${change.machine}\n  login ${change.login}\n  password ${change.password}\n`;
    const fallback = entries.find((e) => e.machine === null);
    if (fallback)
      return (
        source.slice(0, lineStart(source, fallback.start)) +
        block +
        source.slice(lineStart(source, fallback.start))
      );
    if (source === '') return block;
    if (/[\r\n]$/.test(source)) return source + block;
    // Python's netrc lexes a comment's text after a blank line: a last backslash or open quote there reads
    // as nothing at the end of the file but would swallow a line break after it, so the entry goes
    // before a last comment line, which stays the last line.
    const lastLine = lineStart(source, source.length);
    if (/^[ \t]*#/.test(source.slice(lastLine)))
      return source.slice(0, lastLine) + block + source.slice(lastLine);
    // A file without a final newline keeps lacking one: the new entry becomes its last line.
    return `${source}\n${block.slice(0, -1)}`;
  }
  // Replace from the end of the file backwards so earlier positions stay valid.
  const splices: { at: number; remove: number; insert: string }[] = [];
  const missing: string[] = [];
  for (const [field, value] of [
    ['login', change.login],
    ['password', change.password],
  ] as const) {
    const token = entry.fields.get(field)?.[0];
    if (token) splices.push({ at: token.start, remove: token.end - token.start, insert: value });
    else missing.push(`${field} ${value}`);
  }
  if (missing.length > 0)
    splices.push({ at: entry.anchor.end, remove: 0, insert: ` ${missing.join(' ')}` });
  let result = source;
  for (const splice of splices.sort((a, b) => b.at - a.at))
    result = result.slice(0, splice.at) + splice.insert + result.slice(splice.at + splice.remove);
  return result;
}

/**
 * The one entry for `machine`, or none. Two entries for it (in any case), or one naming its login
 * or password twice, are refused: the tools disagree on which copy they use (checked: Python's
 * netrc, which pip and twine use, takes the last entry and the last password; curl 7.88 the first
 * entry and the first password), so an edit of one copy would leave some tool sending the other.
 */
function onlyEntryOf(text: string, entries: Entry[], machine: string): Entry | undefined {
  const matching = entries.filter(
    (e) => e.machine !== null && e.machine.toLowerCase() === machine.toLowerCase(),
  );
  if (matching.length > 1)
    throw new ToolFileError(
      'tool-file-conflict',
      `The netrc file has ${matching.length} entries for machine ${machine} (${placesOf(text, matching)}): Python's netrc (pip, twine) reads the last, curl the first, so Artikey left the file untouched. Remove all but one of them, then try again.`,
    );
  const entry = matching[0];
  for (const field of ['login', 'password']) {
    const values = entry?.fields.get(field) ?? [];
    if (values.length > 1)
      throw new ToolFileError(
        'tool-file-conflict',
        `The netrc entry for machine ${machine} names its ${field} ${values.length} times (${placesOf(text, values)}): the tools do not agree on which one they send (Python's netrc, for pip and twine, takes the last; curl takes the first password), so Artikey left the file untouched. Remove all but one, then try again.`,
      );
  }
  return entry;
}

const placesOf = (text: string, found: { start: number }[]): string =>
  found.map(({ start }) => lineAndColumn(text, start)).join('; ');

function removeEntry(text: string, entry: Entry): string {
  const start = onlySpaceBefore(text, entry.start) ? lineStart(text, entry.start) : entry.start;
  const ownLinesEnd = lineEnd(text, entry.contentEnd);
  let end = Math.min(entry.end, ownLinesEnd);
  if (end === entry.end && end < text.length && onlySpaceBefore(text, end))
    end = lineStart(text, end);
  let before = text.slice(0, start);
  const removed = text.slice(start, end);
  // The entry was the last line of a file without a final newline: the line before loses its newline.
  if (end === text.length && !/[\r\n]$/.test(removed)) before = before.replace(/(\r\n|\n|\r)$/, '');
  return before + text.slice(end);
}

function parse(text: string): Entry[] {
  const tokens = tokenize(text);
  const entries: Entry[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const current = entries[entries.length - 1];
    if (token.text === 'machine' || token.text === 'default') {
      if (current) current.end = token.start;
      const name = token.text === 'machine' ? tokens[++i] : undefined;
      if (token.text === 'machine' && !name)
        throw new ToolFileError(
          'tool-file-invalid',
          `The netrc file ends after "machine" (${lineAndColumn(text, token.start)}) with no host name; Artikey left it untouched.`,
        );
      entries.push({
        machine: name?.text ?? null,
        start: token.start,
        end: text.length,
        contentEnd: (name ?? token).end,
        fields: new Map(),
        anchor: name ?? token,
        line: lineOf(text, token.start),
      });
    } else if (['login', 'password', 'account'].includes(token.text)) {
      const value = tokens[++i];
      if (!value)
        throw new ToolFileError(
          'tool-file-invalid',
          `The netrc file ends after "${token.text}" (${lineAndColumn(text, token.start)}) with no value; Artikey left it untouched.`,
        );
      current?.fields.set(token.text, [...(current.fields.get(token.text) ?? []), value]);
      if (current) current.contentEnd = value.end;
    } else if (token.text === 'macdef') {
      if (current) current.end = token.start;
      entries.push({
        machine: '\0macdef',
        start: token.start,
        end: text.length,
        contentEnd: token.end,
        fields: new Map(),
        anchor: token,
        line: lineOf(text, token.start),
      });
      i++; // the macro name; its body was skipped by the tokenizer
    }
  }
  return entries.filter((e) => e.machine !== '\0macdef');
}

/** The characters Python's netrc lexer separates tokens with (not every Unicode space). */
const SEPARATORS = ' \t\r\n';

/**
 * Tokens with their positions, read as Python's netrc lexer (3.11) reads them: a token in double
 * quotes may hold spaces (curl 7.84 and later reads those alike), and a backslash takes the next
 * character as it is; `text` is the value so read, `start`/`end` the bytes it spans. Comments and
 * macro bodies are skipped.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let macroNameNext = false;
  let at = 0;
  while (at < text.length) {
    if (SEPARATORS.includes(text[at]!)) {
      at++;
      continue;
    }
    if (text[at] === '#') {
      const newline = /[\r\n]/.exec(text.slice(at));
      at = newline === null ? text.length : at + newline.index;
      continue;
    }
    const start = at;
    let value = '';
    const quoted = text[at] === '"';
    if (quoted) at++;
    while (at < text.length && (quoted ? text[at] !== '"' : !SEPARATORS.includes(text[at]!))) {
      if (text[at] === '\\') at++;
      value += text[at] ?? '';
      at++;
    }
    if (quoted && at >= text.length)
      throw new ToolFileError(
        'tool-file-invalid',
        `The quote that opens a netrc value at ${lineAndColumn(text, start)} is never closed, so the value would run to the end of the file; Artikey left it untouched. Close the quote, then try again.`,
      );
    if (quoted) at++;
    tokens.push({ text: value, start, end: at });
    if (macroNameNext) {
      // A macro body runs to the first empty line, truly empty as Python's netrc wants it (a
      // line of spaces is body); lines end in CRLF, LF or a lone CR (universal newlines).
      const blank = /(?:\r\n|\n|\r(?!\n))(?:\r\n|\n|\r)/.exec(text.slice(at));
      if (blank === null)
        throw new ToolFileError(
          'tool-file-invalid',
          `The macro "${value}" (${lineAndColumn(text, start)}) runs to the end of the netrc file: a macro ends at an empty line, and Python's netrc refuses the file without one. Artikey left it untouched; add an empty line after the macro.`,
        );
      at += blank.index + blank[0].length;
      macroNameNext = false;
    } else if (value === 'macdef') macroNameNext = true;
  }
  return tokens;
}

/** Lines end in LF, CRLF or a lone CR (old Mac files; Python reads them with universal newlines). */
const lineStart = (text: string, at: number): number =>
  Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
/** Just after the line break ending the line `at` is on, or the end of the file. */
function lineEnd(text: string, at: number): number {
  const next = /\r\n|\n|\r/g;
  next.lastIndex = at;
  const found = next.exec(text);
  return found ? found.index + found[0].length : text.length;
}
const onlySpaceBefore = (text: string, at: number): boolean =>
  /^[ \t]*$/.test(text.slice(lineStart(text, at), at));
const lineOf = (text: string, at: number): number => text.slice(0, at).split(/\r\n|\n|\r/).length;
