import { decode as npmDecode } from 'ini';
import { requireSafeValues } from './safe-values.js';
import {
  insertLines,
  joinLines,
  removeLines,
  replaceTail,
  splitLines,
  tailText,
  type TextLine,
} from './text-lines.js';
import { ToolFileError } from './tool-file.js';

/**
 * `.npmrc` (npm's ini) and `pip.conf` and `.pypirc` (Python's configparser): read, and change
 * single keys in place. npm keys are case-sensitive and may sit before any section (in .npmrc they
 * all do); configparser keys are case-insensitive, `:` also separates, indented lines continue a
 * value, and every key needs a section. pip alone reads `index_url` as `index-url`; twine asks
 * configparser for `index-servers` as spelt.
 */
export type IniDialect = 'npmrc' | 'pip' | 'pypirc';

const FILE_NAMES: Record<IniDialect, string> = {
  npmrc: '.npmrc',
  pip: 'pip.conf',
  pypirc: '.pypirc',
};

export interface IniChange {
  /** null = the top level before any [section] (all of .npmrc); 'global' etc. for pip.conf. */
  section: string | null;
  set?: Record<string, string>;
  /** Values as `IniEntry.raw` gave them, written back byte for byte (quotes, spacing included). */
  putBack?: Record<string, string>;
  remove?: string[];
  /** Remove the section header too if the section is left with no keys and no comments. */
  dropEmptySection?: boolean;
  /** Overwrite a value that refers to an environment variable (`${NPM_TOKEN}`). */
  replaceReferences?: boolean;
}

export interface IniEntry {
  section: string | null;
  key: string;
  value: string;
  /** The value as the file spells it: quotes, trailing spaces and continuation lines included. */
  raw: string;
  line: number;
}

type Parsed =
  | { kind: 'blank' | 'comment' }
  | { kind: 'section'; name: string }
  | {
      kind: 'entry';
      section: string | null;
      key: string;
      value: string;
      valueStart: number;
      /** npm reads a line without `=` as `key=true`: a value written there needs the `=`. */
      separated: boolean;
    }
  | { kind: 'continuation'; of: number };

export function readIni(text: string, dialect: IniDialect): IniEntry[] {
  const lines = splitLines(text);
  const parsed = parse(lines, dialect);
  const entries: IniEntry[] = [];
  parsed.forEach((p, index) => {
    if (p.kind === 'entry')
      entries.push({
        section: p.section,
        key: p.key,
        value: unquote(p.value, dialect),
        raw: rawValue(lines, parsed, index),
        line: index + 1,
      });
    else if (p.kind === 'continuation') {
      const entry = entries[entries.length - 1];
      if (entry) entry.value += `\n${lines[index]!.content.trim()}`;
    }
  });
  return entries;
}

/** The entry an edit of `key` replaces in place: the first in the section, spelt as the dialect allows. */
export function findIniEntry(
  text: string,
  dialect: IniDialect,
  section: string | null,
  key: string,
): IniEntry | undefined {
  const wanted = normalKey(key, dialect);
  return readIni(text, dialect).find(
    (e) => e.section === section && normalKey(e.key, dialect) === wanted,
  );
}

export function editIni(text: string | null, change: IniChange, dialect: IniDialect): string {
  let lines = splitLines(text ?? '');
  if (dialect === 'npmrc') requireNpmReadable(lines);
  const same = (a: string, b: string): boolean => normalKey(a, dialect) === normalKey(b, dialect);
  for (const [key, value] of Object.entries(change.set ?? {})) {
    requireSafeValues(FILE_NAMES[dialect], [
      ['setting name', key],
      [`value of ${key}`, value],
    ]);
    const parsed = parse(lines, dialect);
    const matches = entriesOf(parsed, change.section, (k) => same(k, key));
    const first = matches[0];
    if (first === undefined) {
      lines = append(
        lines,
        parsed,
        change.section,
        `${key}${dialect === 'npmrc' ? '=' : ' = '}${value}`,
      );
      continue;
    }
    const entry = parsed[first] as Extract<Parsed, { kind: 'entry' }>;
    const again = matches[1];
    if (dialect !== 'npmrc' && again !== undefined) {
      // pip reads index_url and index-url alike, the last one winning: which one is the person's?
      const spelt = (parsed[again] as Extract<Parsed, { kind: 'entry' }>).key;
      throw new ToolFileError(
        'tool-file-invalid',
        `Line ${again + 1}, column ${indentOf(lines[again]!.content) + 1} of ${FILE_NAMES[dialect]} sets ${key} again (as ${spelt}); Artikey left the file untouched. Keep one of them.`,
      );
    }
    if (
      unquote(entry.value, dialect) === value &&
      matches.length === 1 &&
      continuationsOf(parsed, first).length === 0
    )
      continue;
    if (/\$\{[^}]*\}/.test(entry.value) && !change.replaceReferences) {
      throw new ToolFileError(
        'tool-file-conflict',
        `${key} (line ${first + 1}) takes its value from an environment variable; Artikey left it alone. Remove that line, or allow replacing it (--replace-references).`,
      );
    }
    const line = lines[first]!;
    lines = [...lines];
    const separator = entry.separated ? '' : '=';
    lines[first] = {
      ...line,
      content: line.content.slice(0, entry.valueStart) + separator + value,
    };
    const drop = new Set([
      ...continuationsOf(parsed, first),
      ...matches.slice(1).flatMap((i) => [i, ...continuationsOf(parsed, i)]),
    ]);
    lines = removeLines(lines, drop);
  }
  for (const [key, raw] of Object.entries(change.putBack ?? {})) {
    const parsed = parse(lines, dialect);
    const first = entriesOf(parsed, change.section, (k) => same(k, key))[0];
    requireOneSetting(key, raw, dialect, first === undefined ? 0 : indentOf(lines[first]!.content));
    if (first === undefined) {
      const separator = dialect === 'npmrc' ? '=' : ' = ';
      lines = append(lines, parsed, change.section, `${key}${separator}${raw}`);
      continue;
    }
    const entry = parsed[first] as Extract<Parsed, { kind: 'entry' }>;
    const last = continuationsOf(parsed, first).at(-1) ?? first;
    lines = replaceTail(lines, first, last, entry.valueStart, raw);
  }
  if (change.remove?.length) {
    const parsed = parse(lines, dialect);
    const doomed = entriesOf(parsed, change.section, (k) => change.remove!.some((r) => same(k, r)));
    lines = removeLines(lines, new Set(doomed.flatMap((i) => [i, ...continuationsOf(parsed, i)])));
    if (change.dropEmptySection && change.section !== null) {
      const after = parse(lines, dialect);
      const header = after.findIndex((p) => p.kind === 'section' && p.name === change.section);
      if (header >= 0) {
        const body = after.slice(header + 1, nextSection(after, header + 1));
        if (body.every((p) => p.kind === 'blank')) lines = removeLines(lines, new Set([header]));
      }
    }
  }
  return joinLines(lines);
}

/**
 * The restore note that the section was the person's before Artikey's first write: removal then
 * keeps its header even when Artikey's keys were all it held.
 */
export const sectionNote = (section: string): string => `[${section}]`;

export function hasIniSection(text: string, dialect: IniDialect, section: string): boolean {
  return parse(splitLines(text), dialect).some((p) => p.kind === 'section' && p.name === section);
}

/** npm's per-registry key: `//host[:port]/path/:<field>`, matching the registry URL exactly as npm does. */
export function npmRegistryKey(
  registryUrl: string,
  field: '_authToken' | '_auth' | 'username' | '_password' | 'email',
): string {
  const url = new URL(registryUrl);
  return `//${url.host}${url.pathname.replace(/\/+$/, '')}/:${field}`;
}

function rawValue(lines: TextLine[], parsed: Parsed[], entry: number): string {
  const { valueStart } = parsed[entry] as Extract<Parsed, { kind: 'entry' }>;
  const last = continuationsOf(parsed, entry).at(-1) ?? entry;
  return tailText(lines, entry, last, valueStart);
}

/** What Python's str.strip() takes off the start of a value (str.isspace()). */
const PYTHON_SPACE =
  /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const indentOf = (content: string): number => content.length - content.trimStart().length;

/**
 * A value put back comes from the state file, not from the person: it must read back as the one
 * setting it was, never as more. In pip.conf and .pypirc its further lines are continuations,
 * indented deeper than the key (blank and comment lines may sit between them, as configparser
 * allows), and the last of them is one.
 */
function requireOneSetting(key: string, raw: string, dialect: IniDialect, keyIndent: number): void {
  const [, ...more] = splitLines(raw);
  const continuation = (content: string): boolean =>
    indentOf(content) > keyIndent && !/^[#;]/.test(content.trim()) && content.trim() !== '';
  const skipped = (content: string): boolean =>
    content.trim() === '' || /^[#;]/.test(content.trim());
  const continued =
    dialect !== 'npmrc' &&
    more.every((l) => continuation(l.content) || skipped(l.content)) &&
    (more.length === 0 || continuation(more.at(-1)!.content));
  if (more.length > 0 && !continued)
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back for ${key} is not one setting; Artikey left the file untouched.`,
    );
}

/**
 * npm reads .npmrc with the `ini` package (npm 11 bundles ini 6), whose merge of dotted sections
 * fails outright on one that lies under a key set to null (`a=null`, then `[a.b]`: "Cannot set
 * properties of null"), and npm then refuses to start at all. Asked of that reader itself rather
 * than modelled: its merge is the whole story. The first header from which on the file fails is
 * the one named (a later `[a]` header would mend it, so each prefix through a header is asked).
 */
function requireNpmReadable(lines: TextLine[]): void {
  const readable = (upTo: number): boolean => {
    try {
      npmDecode(joinLines(lines.slice(0, upTo)));
      return true;
    } catch {
      return false;
    }
  };
  if (readable(lines.length)) return;
  const parsed = parse(lines, 'npmrc');
  const header = parsed.findIndex((p, index) => p.kind === 'section' && !readable(index + 1));
  const at = header < 0 ? lines.length - 1 : header;
  throw new ToolFileError(
    'tool-file-invalid',
    `Line ${at + 1}, column 1 of .npmrc: npm cannot read the file from this section on (its reader stops on a dotted section under a setting that is null), so npm itself refuses to start; Artikey left the file untouched. Rename the section, or give that setting another value.`,
  );
}

/**
 * The lines as the dialect's own reader sees them. npm's ini (`ini.decode`): a header is a whole
 * line `[name]` from its first column, every other line up to its first `=` is a key. Python's
 * configparser (`RawConfigParser._read`): a line indented deeper than the last key or header
 * continues that key's value, blank and comment lines in between included; a header is the
 * stripped line from `[` to its last `]`, the name as written between them.
 */
function parse(lines: TextLine[], dialect: IniDialect): Parsed[] {
  const parsed: Parsed[] = [];
  let section: string | null = null;
  let lastEntry = -1;
  let indentLevel = 0;
  const configparser = dialect !== 'npmrc';
  const fileName = dialect === 'pip' ? 'the pip configuration' : '.pypirc';
  // configparser (strict, as pip and twine use it) refuses a repeated section or key.
  const seen = new Set<string>();
  const refuseRepeat = (index: number, column: number, what: string): never => {
    throw new ToolFileError(
      'tool-file-invalid',
      `Line ${index + 1}, column ${column} of ${fileName} repeats ${what}, which ${dialect === 'pip' ? 'pip' : 'twine'} refuses to read; Artikey left the file untouched. Keep one of them.`,
    );
  };
  lines.forEach(({ content }, index) => {
    const trimmed = content.trim();
    if (trimmed === '') return void parsed.push({ kind: 'blank' });
    if (/^[#;]/.test(trimmed)) return void parsed.push({ kind: 'comment' });
    const indent = indentOf(content);
    if (configparser && lastEntry >= 0 && indent > indentLevel) {
      parsed.push({ kind: 'continuation', of: lastEntry });
      return;
    }
    indentLevel = indent;
    const header = configparser ? /^\[(.+)\]/.exec(trimmed) : /^\[([^\]]*)\]\s*$/.exec(content);
    if (header) {
      section = configparser ? header[1]! : header[1]!.trim();
      if (configparser && seen.has(`[${section}]`))
        refuseRepeat(index, indent + 1, `the section [${section}]`);
      seen.add(`[${section}]`);
      lastEntry = -1;
      return void parsed.push({ kind: 'section', name: section });
    }
    const separator = configparser ? /[=:]/.exec(content) : /=/.exec(content);
    const at = separator?.index ?? content.length;
    const key = content.slice(0, at).trim();
    if (configparser && (separator === null || section === null || key === '')) {
      throw new ToolFileError(
        'tool-file-invalid',
        `Line ${index + 1}, column ${indent + 1} of ${fileName} is not "key = value" inside a [section]; Artikey left the file untouched.`,
      );
    }
    if (configparser) {
      const option = `[${section}]\0${key.toLowerCase()}`;
      if (seen.has(option)) refuseRepeat(index, indent + 1, `${key} of [${section}]`);
      seen.add(option);
    }
    const rest = separator ? content.slice(at + 1) : '';
    // configparser strips Python's whitespace, which (unlike JavaScript's) has no U+FEFF.
    const lead = configparser
      ? (PYTHON_SPACE.exec(rest)?.[0].length ?? 0)
      : rest.length - rest.trimStart().length;
    const valueStart = separator ? at + 1 + lead : content.length;
    lastEntry = index;
    parsed.push({
      kind: 'entry',
      section,
      key,
      value: separator ? rest.trim() : 'true',
      valueStart,
      separated: separator !== null,
    });
  });
  return parsed;
}

function entriesOf(
  parsed: Parsed[],
  section: string | null,
  match: (key: string) => boolean,
): number[] {
  const found: number[] = [];
  parsed.forEach((p, i) => {
    if (p.kind === 'entry' && p.section === section && match(p.key)) found.push(i);
  });
  return found;
}

const continuationsOf = (parsed: Parsed[], entry: number): number[] =>
  parsed.flatMap((p, i) => (p.kind === 'continuation' && p.of === entry ? [i] : []));

function nextSection(parsed: Parsed[], from: number): number {
  const next = parsed.findIndex((p, i) => i >= from && p.kind === 'section');
  return next < 0 ? parsed.length : next;
}

/** Adds a line at the end of the section (after its last non-blank line), creating the section if needed. */
function append(
  lines: TextLine[],
  parsed: Parsed[],
  section: string | null,
  content: string,
): TextLine[] {
  if (section === null) {
    const end = nextSection(parsed, 0);
    return insertLines(lines, lastContentLine(parsed, 0, end, -1) + 1, [content]);
  }
  const header = parsed.findIndex((p) => p.kind === 'section' && p.name === section);
  if (header < 0) return insertLines(lines, lines.length, [`[${section}]`, content]);
  return insertLines(
    lines,
    lastContentLine(parsed, header + 1, nextSection(parsed, header + 1), header) + 1,
    [content],
  );
}

function lastContentLine(parsed: Parsed[], from: number, to: number, fallback: number): number {
  for (let i = to - 1; i >= from; i--) if (parsed[i]!.kind !== 'blank') return i;
  return fallback;
}

function normalKey(key: string, dialect: IniDialect): string {
  if (dialect === 'pip') return key.toLowerCase().replace(/_/g, '-');
  return dialect === 'pypirc' ? key.toLowerCase() : key;
}

function unquote(value: string, dialect: IniDialect): string {
  if (dialect !== 'npmrc') return value;
  if (/^".*"$/.test(value)) {
    try {
      return String(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return /^'.*'$/.test(value) ? value.slice(1, -1) : value;
}
