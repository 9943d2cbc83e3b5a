import {
  insertLines,
  joinLines,
  removeLines,
  splitLines,
  tailText,
  type TextLine,
} from './text-lines.js';
import { requireSafeValues } from './safe-values.js';
import { ToolFileError } from './tool-file.js';

/**
 * `gradle.properties` as `java.util.Properties.load` reads it: `#`/`!` comments, `=`, `:` or
 * whitespace between key and value, backslash escapes and line continuations. Gradle reads the
 * file as ISO-8859-1, so anything beyond ASCII is written as `\uXXXX`.
 */
export interface PropertiesChange {
  set?: Record<string, string>;
  /** Values as `PropertyEntry.raw` gave them, written back byte for byte (escapes included). */
  putBack?: Record<string, string>;
  remove?: string[];
  replaceReferences?: boolean;
}

export interface PropertyEntry {
  key: string;
  value: string;
  /** The value as the file spells it: escapes, trailing spaces and continuation lines included. */
  raw: string;
  line: number;
}

interface Logical {
  key: string;
  value: string;
  /** Physical line indexes this property spans. */
  lines: number[];
}

export function readProperties(text: string): PropertyEntry[] {
  const lines = splitLines(text);
  return parse(lines).map((p) => ({
    key: p.key,
    value: p.value,
    raw: tailText(lines, p.lines[0]!, p.lines.at(-1)!, valueStart(lines[p.lines[0]!]!)),
    line: p.lines[0]! + 1,
  }));
}

export function editProperties(text: string | null, change: PropertiesChange): string {
  let lines = splitLines(text ?? '');
  for (const [key, value] of Object.entries(change.set ?? {})) {
    // escape() makes separators, backslashes and non-ASCII read back exactly; a control
    // character would still come back as one (a line break inside a credential).
    requireSafeValues('gradle.properties', [
      ['property name', key],
      [`value of ${key}`, value],
    ]);
    const matches = parse(lines).filter((p) => p.key === key);
    const written = `${escape(key, true)}=${escape(value, false)}`;
    const first = matches[0];
    if (!first) {
      lines = insertLines(lines, appendAt(lines), [written]);
      continue;
    }
    if (first.value === value && matches.length === 1) continue;
    if (/\$\{[^}]*\}/.test(first.value) && !change.replaceReferences) {
      throw new ToolFileError(
        'tool-file-conflict',
        `${key} (line ${first.lines[0]! + 1}) holds a \${...} placeholder; Artikey left it alone. Remove that line, or allow replacing it (--replace-references).`,
      );
    }
    const line = lines[first.lines[0]!]!;
    lines = [...lines];
    // One line now, ending as the property did: with its last line's break.
    lines[first.lines[0]!] = {
      content: `${line.content.slice(0, valueStart(line))}${escape(value, false)}`,
      eol: lines[first.lines.at(-1)!]!.eol,
    };
    lines = removeLines(
      lines,
      new Set([...first.lines.slice(1), ...matches.slice(1).flatMap((m) => m.lines)]),
    );
  }
  // Removals first: a value put back may end in a continuation that would take in a later line.
  if (change.remove?.length) {
    const doomed = parse(lines).filter((p) => change.remove!.includes(p.key));
    lines = removeLines(lines, new Set(doomed.flatMap((p) => p.lines)));
  }
  for (const [key, raw] of Object.entries(change.putBack ?? {})) {
    requireOneProperty(key, raw);
    const first = parse(lines).find((p) => p.key === key);
    const at = first ? first.lines.at(-1)! + 1 : appendAt(lines);
    // A backslash that ended the file continued into nothing; before another line it would
    // take that line in, so it goes (Java reads the same value either way).
    const value = at < lines.length ? withoutDanglingContinuation(raw) : raw;
    if (first) lines = replaceValue(lines, first, value);
    else lines = insertLines(lines, at, [`${escape(key, true)}=${value}`]);
  }
  return joinLines(lines);
}

/**
 * `raw` without the continuation it ends in at the end of the file, and without the lines that
 * only continued into it ("…\\<CR>\\"): Java reads the same value, and no later line is taken in.
 */
function withoutDanglingContinuation(raw: string): string {
  let value = raw;
  while (endsWithContinuation(value)) {
    value = value.slice(0, -1);
    const broken = /(\r\n|\r|\n)[ \t\f]*$/.exec(value);
    if (broken === null || !endsWithContinuation(value.slice(0, broken.index))) break;
    value = value.slice(0, broken.index);
  }
  return value;
}

/**
 * The property's value replaced by `raw` as `readProperties` gave it. A value continued onto an
 * empty line (which ends it) ends in a line break: that empty line is part of it, or the next
 * property would become part of the value.
 */
function replaceValue(lines: TextLine[], property: Logical, raw: string): TextLine[] {
  const first = property.lines[0]!;
  const last = property.lines.at(-1)!;
  const replaced = splitLines(lines[first]!.content.slice(0, valueStart(lines[first]!)) + raw);
  if (replaced.length === 0 || /[\r\n]$/.test(raw)) replaced.push({ content: '', eol: '' });
  // After a value ending in a lone CR, an LF would join that CR into one CRLF and drop the line.
  const eol = lines[last]!.eol;
  const joins = raw.endsWith('\r') && eol.startsWith('\n');
  replaced[replaced.length - 1] = { ...replaced.at(-1)!, eol: joins ? `\r${eol}` : eol };
  return [...lines.slice(0, first), ...replaced, ...lines.slice(last + 1)];
}

/** Where the value starts on a property's first line: after the key, its separator and the spaces around it. */
const valueStart = (line: TextLine): number =>
  /^([ \t\f]*(?:\\.|[^\\=: \t\f])*[ \t\f]*[=:]?[ \t\f]*)/.exec(line.content)?.[1]?.length ?? 0;

/**
 * A value put back comes from the state file, not from the person: every line of it but the
 * last must end in a continuation, so it reads back as the one property it was.
 */
function requireOneProperty(key: string, raw: string): void {
  const lines = splitLines(raw);
  if (lines.slice(0, -1).some((l) => !endsWithContinuation(l.content)))
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back for ${key} is not one property; Artikey left the file untouched.`,
    );
}

function parse(lines: TextLine[]): Logical[] {
  const result: Logical[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!.content.replace(LEADING_BLANKS, '');
    if (first === '' || first.startsWith('#') || first.startsWith('!')) continue;
    const spanned = [i];
    let logical = first;
    // Where each physical line's text starts in the logical line, for a refusal's line and column.
    const places: Place[] = [{ from: 0, line: i, column: lines[i]!.content.length - first.length }];
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      const next = lines[++i]!.content;
      const continued = next.replace(LEADING_BLANKS, '');
      logical = logical.slice(0, -1);
      places.push({ from: logical.length, line: i, column: next.length - continued.length });
      logical += continued;
      spanned.push(i);
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, value } = splitKeyValue(logical, places);
    result.push({ key, value, lines: spanned });
  }
  return result;
}

/** Java's blanks before a line and around a separator: space, tab and form feed, nothing else. */
const LEADING_BLANKS = /^[ \t\f]+/;
const BLANK = /[ \t\f]/;

/** A physical line's part of a logical line: from which offset, and where it stands in the file (0-based). */
interface Place {
  from: number;
  line: number;
  column: number;
}

/** The 1-based line and column in the file of an offset in the logical line. */
function placeOf(places: Place[], offset: number): string {
  const place = places.findLast((p) => p.from <= offset)!;
  return `line ${place.line + 1}, column ${place.column + offset - place.from + 1}`;
}

const endsWithContinuation = (text: string): boolean =>
  (/\\+$/.exec(text)?.[0].length ?? 0) % 2 === 1;

function splitKeyValue(logical: string, places: Place[]): { key: string; value: string } {
  let i = 0;
  while (i < logical.length && logical[i] !== '=' && logical[i] !== ':' && !BLANK.test(logical[i]!))
    i += logical[i] === '\\' && i + 1 < logical.length ? 2 : 1;
  const keyEnd = i;
  while (i < logical.length && BLANK.test(logical[i]!)) i++;
  if (logical[i] === '=' || logical[i] === ':') i++;
  while (i < logical.length && BLANK.test(logical[i]!)) i++;
  return {
    key: unescape(logical, 0, keyEnd, places),
    value: unescape(logical, i, logical.length, places),
  };
}

/**
 * The text between `from` and `to` as Properties.load converts it. A `\u` without four hex digits
 * makes Java throw (IllegalArgumentException: Malformed \uxxxx encoding) and Gradle and sbt fail
 * to load the file, so it is refused with its place instead of being read some other way.
 */
function unescape(logical: string, from: number, to: number, places: Place[]): string {
  let out = '';
  for (let i = from; i < to; i++) {
    // Runs without a backslash are copied whole (values of base64 run to thousands of characters).
    const backslash = logical.indexOf('\\', i);
    const plainEnd = backslash < 0 || backslash >= to - 1 ? to : backslash;
    out += logical.slice(i, plainEnd);
    i = plainEnd;
    if (i >= to) break;
    const escaped = logical[++i]!;
    if (escaped === 'u') {
      const digits = logical.slice(i + 1, i + 5);
      if (i + 5 > to || !/^[0-9a-fA-F]{4}$/.test(digits)) {
        throw new ToolFileError(
          'tool-file-invalid',
          `The properties file has a malformed \\u escape (\\u needs four hex digits) at ${placeOf(places, i - 1)}, which Java cannot load; Artikey left the file untouched. Fix or remove that escape.`,
        );
      }
      out += String.fromCharCode(parseInt(digits, 16));
      i += 4;
    } else out += { t: '\t', n: '\n', r: '\r', f: '\f' }[escaped] ?? escaped;
  }
  return out;
}

function escape(text: string, isKey: boolean): string {
  let out = '';
  for (const [index, char] of [...text].entries()) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\f') out += '\\f';
    else if (
      (isKey && (char === '=' || char === ':' || char === ' ')) ||
      (index === 0 && (char === ' ' || char === '#' || char === '!'))
    )
      out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e)
      out += [...char].map((unit) => unicodeEscapes(unit)).join('');
    else out += char;
  }
  return out;
}

const unicodeEscapes = (char: string): string =>
  Array.from(
    { length: char.length },
    (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
  ).join('');

/**
 * Where added properties go: after the last line with content and after the lines a continuation
 * there takes in (a blank line ends it). A continuation still open at the end of the file would
 * take in the added line too, so they go before that property instead.
 */
function appendAt(lines: TextLine[]): number {
  let last = -1;
  for (let i = lines.length - 1; i >= 0 && last < 0; i--)
    if (/[^ \t\f]/.test(lines[i]!.content)) last = i;
  const holding = parse(lines).find((p) => p.lines.includes(last));
  if (holding === undefined) return last + 1;
  const end = holding.lines.at(-1)!;
  const open = end === lines.length - 1 && endsWithContinuation(lines[end]!.content);
  return open ? holding.lines[0]! : end + 1;
}
