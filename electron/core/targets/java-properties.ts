import {
  insertLines,
  joinLines,
  removeLines,
  replaceTail,
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
      lines = insertLines(lines, lastContentLine(lines) + 1, [written]);
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
    lines[first.lines[0]!] = {
      ...line,
      content: `${line.content.slice(0, valueStart(line))}${escape(value, false)}`,
    };
    lines = removeLines(
      lines,
      new Set([...first.lines.slice(1), ...matches.slice(1).flatMap((m) => m.lines)]),
    );
  }
  for (const [key, raw] of Object.entries(change.putBack ?? {})) {
    requireOneProperty(key, raw);
    const first = parse(lines).find((p) => p.key === key);
    if (first)
      lines = replaceTail(
        lines,
        first.lines[0]!,
        first.lines.at(-1)!,
        valueStart(lines[first.lines[0]!]!),
        raw,
      );
    else lines = insertLines(lines, lastContentLine(lines) + 1, [`${escape(key, true)}=${raw}`]);
  }
  if (change.remove?.length) {
    const doomed = parse(lines).filter((p) => change.remove!.includes(p.key));
    lines = removeLines(lines, new Set(doomed.flatMap((p) => p.lines)));
  }
  return joinLines(lines);
}

/** Where the value starts on a property's first line: after the key, its separator and the spaces around it. */
const valueStart = (line: TextLine): number =>
  /^(\s*(?:\\.|[^\\=:\s])*\s*[=:]?\s*)/.exec(line.content)?.[1]?.length ?? 0;

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
    const first = lines[i]!.content.replace(/^[ \t\f]+/, '');
    if (first === '' || first.startsWith('#') || first.startsWith('!')) continue;
    const spanned = [i];
    let logical = first;
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.content.replace(/^[ \t\f]+/, '');
      spanned.push(i);
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, value } = splitKeyValue(logical);
    result.push({ key, value, lines: spanned });
  }
  return result;
}

const endsWithContinuation = (text: string): boolean =>
  (/\\+$/.exec(text)?.[0].length ?? 0) % 2 === 1;

function splitKeyValue(logical: string): { key: string; value: string } {
  let i = 0;
  let rawKey = '';
  while (i < logical.length && !/[=:\s]/.test(logical[i]!)) {
    if (logical[i] === '\\' && i + 1 < logical.length) {
      rawKey += logical.slice(i, i + 2);
      i += 2;
    } else rawKey += logical[i++];
  }
  while (i < logical.length && /[ \t\f]/.test(logical[i]!)) i++;
  if (logical[i] === '=' || logical[i] === ':') i++;
  while (i < logical.length && /[ \t\f]/.test(logical[i]!)) i++;
  return { key: unescape(rawKey), value: unescape(logical.slice(i)) };
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[escaped] ?? escaped;
  });
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

function lastContentLine(lines: TextLine[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.content.trim() !== '') return i;
  return -1;
}
