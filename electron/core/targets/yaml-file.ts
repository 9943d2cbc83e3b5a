import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  Parser,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { lineAt } from './text-lines.js';
import { ToolFileError } from './tool-file.js';

/**
 * YAML files other tools own (Yarn Berry's `.yarnrc.yml`, Helm's `repositories.yaml`): one entry
 * set, put back or taken out, every other byte kept.
 *
 * The `yaml` library (eemeli/yaml) parses: it is maintained, strict (duplicate keys, bad
 * indentation and tabs are errors with a line and column) and gives every node its offsets. It
 * does not write: `Document.toString()` re-indents sequences, re-flows long strings, moves comments
 * and normalises quoting and line endings, so an edit is spliced into the original text at the
 * offsets of the nodes it changes, and every edit is parsed back before it is returned.
 */

/**
 * A mapping key, or the item of a sequence of mappings whose `key` holds `is` (Helm's `name`);
 * `reads` gives a plain (unquoted, untagged) value's text as the tool reads it, where that differs
 * from YAML 1.2 (Helm reads `yes` as "true"); without it the value is read as YAML 1.2 reads it.
 */
export type YamlStep = string | { key: string; is: string; reads?: (plain: string) => string };
export type YamlPath = YamlStep[];
export type YamlScalar = string | boolean;

export type YamlEdit =
  /** Gives the entry at `path` this value, creating the mappings and items on the way. */
  | { path: YamlPath; set: YamlScalar }
  /** Writes `raw`, a value as `readYaml` gave it, back at `path` byte for byte. */
  | { path: YamlPath; putBack: string }
  /**
   * Takes out the entry (a pair, or a sequence item) at `path`, then each enclosing entry the
   * removal left empty, outwards, while it is deeper than `keep` steps: pass what
   * `existingDepth` said before Artikey's first write, so what it created goes and what the
   * person wrote stays.
   */
  | { path: YamlPath; remove: true; keep?: number };

export interface YamlValue {
  /** The value as a YAML reader sees it. */
  value: unknown;
  /** The value as the file spells it (quotes included), for `putBack`. */
  raw: string;
  line: number;
  column: number;
  /**
   * An untagged plain scalar on one line: a tool with other implicit types than YAML 1.2's reads
   * `raw` its own way (Helm reads `yes` as "true").
   */
  plain: boolean;
}

/** Where an entry stands in the file, for messages (1-based). */
export interface YamlPlace {
  line: number;
  column: number;
}

type Located = { node: Node | null; pair: Pair<Node, Node | null> | null; parent: Node | null };

export function readYaml(text: string, path: YamlPath, file: string): YamlValue | undefined {
  const doc = parse(text, file);
  const found = walk(doc, text, path, file);
  if (found === null || found.node === null) return undefined;
  return valueOf(doc, text, found.node);
}

function valueOf(doc: Document.Parsed, text: string, node: Node): YamlValue {
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(startWithTag(text, node), end);
  return {
    value: node.toJS(doc),
    raw,
    ...placeAt(text, start),
    plain: isScalar(node) && isPlain(node) && !/[\r\n]/.test(raw),
  };
}

/**
 * The entries `keys` of each item of the list at `path`, in the file's order: a key is missing
 * where the item is no mapping, has no such entry, or holds no value there. An empty array when
 * `path` holds no list.
 */
export function readYamlItems<K extends string>(
  text: string,
  path: YamlPath,
  keys: readonly K[],
  file: string,
): Partial<Record<K, YamlValue>>[] {
  const doc = parse(text, file);
  const list = walk(doc, text, path, file)?.node ?? null;
  if (!isSeq(list)) return [];
  return (list.items as Node[]).map((item) => {
    const entries: Partial<Record<K, YamlValue>> = {};
    for (const key of keys) {
      const value = isMap(item) ? pairOf(item, key)?.value : null;
      if (value) entries[key] = valueOf(doc, text, value);
    }
    return entries;
  });
}

/**
 * Where the entry at `path` starts: its key in a mapping (a key with no value too), the item
 * itself in a list; undefined when the file has no such entry.
 */
export function entryPlace(text: string, path: YamlPath, file: string): YamlPlace | undefined {
  const found = walk(parse(text, file), text, path, file);
  if (found === null) return undefined;
  const start = found.pair ? (found.pair.key as Node).range![0] : found.node?.range?.[0];
  return start === undefined ? undefined : placeAt(text, start);
}

/** How many leading steps of `path` the file already has (for `keep` when removing). */
export function existingDepth(text: string | null, path: YamlPath, file: string): number {
  if (text === null) return 0;
  const doc = parse(text, file);
  for (let depth = path.length; depth > 0; depth--)
    if (walk(doc, text, path.slice(0, depth), file) !== null) return depth;
  return 0;
}

export function editYaml(text: string | null, edits: YamlEdit[], file: string): string {
  let edited = text ?? '';
  parse(edited, file);
  for (const edit of edits) {
    if ('set' in edit) edited = write(edited, edit.path, render(edit.set), file);
    else if ('putBack' in edit)
      edited = write(edited, edit.path, requireOneScalar(edit, file), file);
    else edited = remove(edited, edit.path, edit.keep ?? edit.path.length - 1, file);
    const notReadBack = new ToolFileError(
      'tool-file-invalid',
      `Artikey's change to ${file} would not read back as written; Artikey left the file untouched.`,
    );
    // The person's file parsed; a parse error now is Artikey's own, not a fault of the file.
    let doc: Document.Parsed;
    try {
      doc = parse(edited, file);
    } catch {
      throw notReadBack;
    }
    const found = walk(doc, edited, edit.path, file);
    const expected = 'set' in edit ? edit.set : 'putBack' in edit ? scalarOf(edit.putBack) : null;
    const reads = found?.node ? found.node.toJS(doc) : null;
    if ('remove' in edit ? found !== null : reads !== expected) throw notReadBack;
  }
  return edited;
}

/**
 * The document, or an error naming the line and column `yaml` stopped at. A file of several
 * documents is refused: none of the tools Artikey writes for reads more than the first.
 */
function parse(text: string, file: string): Document.Parsed {
  const docs = parseAllDocuments(text, { prettyErrors: true, merge: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      const where = at ? ` at line ${at.line}, column ${at.col}` : '';
      throw new ToolFileError(
        'tool-file-invalid',
        `${file} is not valid YAML${where}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}. Artikey left it untouched.`,
      );
    }
  }
  if (list.length > 1) {
    const start = list[1]!.range[0];
    throw new ToolFileError(
      'tool-file-invalid',
      `${file} holds ${list.length} YAML documents (${where(text, start)} starts another); Artikey edits only single-document files and left it untouched.`,
    );
  }
  return list[0] ?? parseDocument('');
}

/**
 * The node at `path` (null when a step is missing). An alias or an anchored node on the way is
 * refused: the edit would change every place that shares it, or break the sharing.
 */
function walk(doc: Document.Parsed, text: string, path: YamlPath, file: string): Located | null {
  let node: Node | null = doc.contents;
  let pair: Located['pair'] = null;
  let parent: Node | null = null;
  for (const step of path) {
    if (node === null) return null;
    refuseShared(node, text, file);
    parent = node;
    if (typeof step === 'string') {
      if (!isMap(node)) return null;
      pair = pairOf(node, step);
      if (pair === null) return null;
      node = pair.value;
    } else {
      if (!isSeq(node)) return null;
      node = itemOf(node, step) ?? null;
      pair = null;
      if (node === null) return null;
    }
  }
  if (node !== null) refuseShared(node, text, file);
  return { node, pair, parent };
}

function refuseShared(node: Node, text: string, file: string): void {
  if (isAlias(node) || node.anchor)
    throw new ToolFileError(
      'tool-file-conflict',
      `${file} shares the value at ${where(text, node.range![0])} through a YAML ${isAlias(node) ? 'alias' : 'anchor'}; changing it would change every place that uses it, so Artikey left the file untouched. Write that entry out in full, then try again.`,
    );
}

const pairOf = (map: YAMLMap, key: string): Pair<Node, Node | null> | null =>
  (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && nameOf(p.key) === key) ??
  null;

/**
 * A key's name as the tools read it: a plain key is its text (Yarn reads every scalar as a
 * string, so `~:` is the scope "~", never "null", and `TRUE:` is not "true"; no key Artikey
 * looks up for Helm reads as anything but its text). With merges on, `yaml` reads the merge key
 * `<<` as a symbol.
 */
function nameOf(key: Scalar): string {
  if (isPlain(key)) return key.source ?? '';
  const value = key.value;
  return typeof value === 'symbol' ? (value.description ?? '') : String(value);
}

const isPlain = (scalar: Scalar): boolean =>
  scalar.type === 'PLAIN' && !scalar.tag && scalar.source !== undefined;

const itemOf = (seq: YAMLSeq, step: Exclude<YamlStep, string>): Node | undefined =>
  (seq.items as Node[]).find((item) => {
    if (!isMap(item)) return false;
    const value = pairOf(item, step.key)?.value;
    if (!isScalar(value)) return false;
    const name =
      step.reads && isPlain(value) ? step.reads(value.source ?? '') : String(value.value);
    return name === step.is;
  });

/** Writes `value` (a scalar's text) at `path`, in place or as new lines/flow text where it is missing. */
function write(text: string, path: YamlPath, value: string, file: string): string {
  const doc = parse(text, file);
  const style = new Style(text, doc);
  let node: Node | null = doc.contents;
  if (node === null || (isScalar(node) && isEmpty(node)))
    return appendAt(text, documentEnd(text), style, blockLines(path, value, 0, style));
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const rest = path.slice(i + 1);
    refuseShared(node!, text, file);
    if (typeof step === 'string') {
      if (!isMap(node)) throw notA(text, node!, 'mapping', path.slice(0, i), file);
      const pair = pairOf(node, step);
      if (pair === null) {
        if (pairOf(node, '<<'))
          throw new ToolFileError(
            'tool-file-conflict',
            `The mapping at ${where(text, node.range![0])} of ${file} merges another (<<), which may already hold ${step}; Artikey left the file untouched. Write ${step} out in that mapping, then try again.`,
          );
        return insertInto(text, node, path.slice(i), value, style, file);
      }
      const next = pair.value;
      if (rest.length === 0) {
        if (next !== null && !isScalar(next)) throw notA(text, next, 'single value', path, file);
        if (next !== null) refuseShared(next, text, file);
        if (next !== null && next.range![0] < next.range![1]) {
          // A block scalar's text (`|`, `>`) runs to the end of its last line, ending included.
          const old = text.slice(next.range![0], next.range![1]);
          const ending = /(?:\r?\n[ \t]*)*$/.exec(old)![0];
          // No value (`key:`, put back as it was): the space written before the value goes too.
          const from =
            value === ''
              ? text.indexOf(':', endOf(pair.key as Node)) + 1
              : startWithTag(text, next);
          return splice(text, from, next.range![1], value + ending);
        }
        const colon = text.indexOf(':', endOf(pair.key as Node)) + 1;
        return splice(text, colon, colon, ` ${value}`);
      }
      if (isEmpty(next) && !isMap(next) && !isSeq(next)) {
        const column = columnOf(text, (pair.key as Node).range![0]);
        const inner = typeof rest[0] === 'string' ? column + style.unit : column;
        return appendAt(text, lineAfter(text, endOf(pair.key as Node)), style, [
          ...(typeof rest[0] === 'string'
            ? blockLines(rest, value, inner, style)
            : itemLines(rest, value, inner, style)),
        ]);
      }
      node = next;
    } else {
      if (!isSeq(node)) throw notA(text, node!, 'list', path.slice(0, i), file);
      const item = itemOf(node, step);
      if (item === undefined) return insertInto(text, node, path.slice(i), value, style, file);
      node = item;
    }
  }
  return text;
}

/**
 * Where lines added to an empty document go: before its end marker (`...`, at a line start),
 * when it has one; lines after the marker would start a second document.
 */
function documentEnd(text: string): number {
  for (const token of new Parser().parse(text)) if (token.type === 'doc-end') return token.offset;
  return text.length;
}

/** Adds the entry `path` (first step missing) to an existing mapping or list. */
function insertInto(
  text: string,
  collection: YAMLMap | YAMLSeq,
  path: YamlPath,
  value: string,
  style: Style,
  file: string,
): string {
  const items = collection.items as (Pair<Node, Node | null> | Node)[];
  if (collection.flow) {
    const entry = isMap(collection) ? flowPair(path, value) : flowValue(path, value);
    const last = items.at(-1);
    if (last === undefined) {
      const open = collection.range![0] + 1;
      return splice(text, open, open, entry);
    }
    const end = isPair(last) ? endOf(last.value ?? (last.key as Node)) : endOf(last);
    return splice(text, end, end, `, ${entry}`);
  }
  const first = items[0]!;
  const firstStart = isPair(first) ? (first.key as Node).range![0] : dashOf(text, first);
  const column = columnOf(text, firstStart);
  const last = items.at(-1)!;
  // Where the last entry's own text ends: its range, a block collection's, may run on over a
  // comment line into the next entry of an outer mapping.
  const lastEnd = endOfEntry(last);
  const lines = isMap(collection)
    ? blockLines(path, value, column, style)
    : itemLines(path, value, column, style);
  const after = lineAfter(text, lastEnd);
  // Lines added after a `|` or `>` value ending the file without a line break would give that
  // value the break (`a` would read `a\n`): the new entry goes before the first one instead, or,
  // when the first shares its line with its `- `, right after the first.
  if (after === text.length && style.blockScalarAtEnd) {
    const lineStart = text.lastIndexOf('\n', firstStart - 1) + 1;
    if (/^[ \t]*$/.test(text.slice(lineStart, firstStart)))
      return splice(text, lineStart, lineStart, lines.join(style.eol) + style.eol);
    if (items.length > 1) return appendAt(text, lineAfter(text, endOfEntry(first)), style, lines);
    throw new ToolFileError(
      'tool-file-conflict',
      `The entry at ${where(text, firstStart)} of ${file} ends the file with a | or > value and no line break after it; anything Artikey added would change that value. End the file with a line break, then try again. Artikey left the file untouched.`,
    );
  }
  return appendAt(text, after, style, lines);
}

/** Takes out the entry at `path` and the entries left empty above it, down to depth `keep`. */
function remove(text: string, path: YamlPath, keep: number, file: string): string {
  let edited = text;
  for (let depth = path.length; depth > keep; depth--) {
    const doc = parse(edited, file);
    const found = walk(doc, edited, path.slice(0, depth), file);
    if (found === null) continue;
    if (depth < path.length && !isEmpty(found.node)) break;
    const parent = found.parent as YAMLMap | YAMLSeq;
    const items = parent.items as (Pair<Node, Node | null> | Node)[];
    const entry = found.pair ?? found.node!;
    const index = items.indexOf(entry as Node);
    edited = parent.flow
      ? removeFlowItem(edited, items, index)
      : removeLinesOf(edited, startOfEntry(edited, entry), endOfLinesOf(edited, entry));
  }
  return edited;
}

/** An entry whose removal left nothing: `key:` alone, `{}` or `[]`. */
const isEmpty = (node: Node | null): boolean =>
  node === null ||
  ((isMap(node) || isSeq(node)) && node.items.length === 0) ||
  (isScalar(node) && node.range![0] === node.range![1]);

function removeFlowItem(
  text: string,
  items: (Pair<Node, Node | null> | Node)[],
  index: number,
): string {
  const startOf = (item: Pair<Node, Node | null> | Node): number =>
    isPair(item) ? (item.key as Node).range![0] : item.range![0];
  const item = items[index]!;
  if (items.length === 1) return splice(text, startOf(item), endOfEntry(item), '');
  if (index === 0) return splice(text, startOf(item), startOf(items[1]!), '');
  return splice(text, endOfEntry(items[index - 1]!), endOfEntry(item), '');
}

/** Where a block entry's text starts: its line's start, or just after `- ` when it shares the line. */
function startOfEntry(text: string, entry: Pair<Node, Node | null> | Node): number {
  const start = isPair(entry) ? (entry.key as Node).range![0] : dashOf(text, entry);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, start)) ? lineStart : start;
}

/**
 * Where removing `entry` ends: after its last line; for an entry after its item's dash
 * (`- password: x`), after the next line's indentation too when that line goes on the same
 * mapping, so the next entry takes its place after the dash (`- name: a`) instead of leaving the
 * rest of the mapping under a bare `-`.
 */
function endOfLinesOf(text: string, entry: Pair<Node, Node | null> | Node): number {
  const from = startOfEntry(text, entry);
  const to = lineAfter(text, endOfEntry(entry));
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  if (from === lineStart) return to;
  const indent = /^[ \t]*/.exec(text.slice(to))![0].length;
  const next = text[to + indent];
  const sameMapping = indent === from - lineStart && next !== undefined && !'\r\n'.includes(next);
  return sameMapping ? to + indent : to;
}

const endOfEntry = (entry: Pair<Node, Node | null> | Node): number =>
  isPair(entry) ? endOfContent(entry.value ?? (entry.key as Node)) : endOfContent(entry);

/**
 * Where a node's own text ends: a block collection's range runs on over comment lines indented
 * under it, which are the person's and stay when the entry goes; its last item's end does not.
 */
function endOfContent(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = (node.items as (Pair<Node, Node | null> | Node)[]).at(-1);
    if (last !== undefined) return endOfEntry(last);
  }
  return endOf(node);
}

/**
 * Where a value starts, its tag included (`!!str true`): `yaml` leaves the tag out of the node's
 * range, and a value written after a kept `!!str` would read as another type.
 */
function startWithTag(text: string, node: Node): number {
  const start = node.range![0];
  if (!node.tag) return start;
  const tag = /![^\s,[\]{}]*[ \t]+$/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1, start));
  return tag === null ? start : start - tag[0].length;
}

/** The end of a node's value (before a comment after it). */
const endOf = (node: Node): number => node.range![1];

/**
 * The offset of the `-` that starts a block sequence item: on the item's line or above it, the
 * first thing on its line. Comment lines between the dash and the item are skipped: a `-` in a
 * comment is no dash.
 */
function dashOf(text: string, item: Node): number {
  let end = item.range![0];
  while (end > 0) {
    const lineStart = text.lastIndexOf('\n', end - 1) + 1;
    const dash = /^[ \t]*-(?=[ \t\r\n]|$)/.exec(text.slice(lineStart, end));
    if (dash) return lineStart + dash[0].length - 1;
    end = lineStart - 1;
  }
  return 0;
}

/** The start of the line after the one `offset - 1` is on (a block scalar's end is already there). */
function lineAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * Inserts whole lines at `at` (a line start, or the end of the text). After a last line without
 * an ending the new lines go after a line break and the file still ends without one, so removing
 * them gives the same bytes back.
 */
function appendAt(text: string, at: number, style: Style, lines: string[]): string {
  const body = lines.join(style.eol);
  if (at === text.length && text !== '' && !text.endsWith('\n')) return text + style.eol + body;
  return splice(text, at, at, body + style.eol);
}

/** Removes the lines from `from` (a line start) to `to` (the next line's start, or the end). */
function removeLinesOf(text: string, from: number, to: number): string {
  if (to === text.length && !text.endsWith('\n') && from > 0) {
    const eol = text[from - 2] === '\r' ? 2 : 1;
    return text.slice(0, from - eol);
  }
  return text.slice(0, from) + text.slice(to);
}

function blockLines(path: YamlPath, value: string, column: number, style: Style): string[] {
  const [step, ...rest] = path;
  if (typeof step !== 'string') return itemLines(path, value, column, style);
  const head = `${' '.repeat(column)}${key(step)}:`;
  if (rest.length === 0) return [`${head} ${value}`];
  if (typeof rest[0] !== 'string') return [head, ...itemLines(rest, value, column, style)];
  return [head, ...blockLines(rest, value, column + style.unit, style)];
}

/** A new list item `- <key>: <is>` and what `path` puts in it, with the dash at `column`. */
function itemLines(path: YamlPath, value: string, column: number, style: Style): string[] {
  const [step, ...rest] = path as [Exclude<YamlStep, string>, ...YamlPath];
  const first = `${' '.repeat(column)}- ${key(step.key)}: ${render(step.is)}`;
  if (rest.length === 0 || (rest.length === 1 && rest[0] === step.key)) return [first];
  return [first, ...blockLines(rest, value, column + 2, style)];
}

/** `key: value` in a flow mapping; a list item under the key goes in its own `[ ]`. */
function flowPair(path: YamlPath, value: string): string {
  const rest = path.slice(1);
  const inner = flowValue(rest, value);
  return `${key(path[0] as string)}: ${typeof rest[0] === 'object' ? `[${inner}]` : inner}`;
}

function flowValue(path: YamlPath, value: string): string {
  const [step, ...rest] = path;
  if (step === undefined) return value;
  if (typeof step === 'string') return `{${flowPair(path, value)}}`;
  const first = `${key(step.key)}: ${render(step.is)}`;
  if (rest.length === 0 || (rest.length === 1 && rest[0] === step.key)) return `{${first}}`;
  return `{${first}, ${flowPair(rest, value)}}`;
}

/**
 * A scalar as every YAML reader (YAML 1.1 for Helm's Go reader, 1.2 for Yarn's) reads back the
 * same string: plain when it cannot be mistaken for anything else, double-quoted (JSON's escapes
 * are YAML's) otherwise. Plain stays clear of `,[]{}` so it is safe inside flow collections too.
 */
function render(value: YamlScalar): string {
  if (typeof value === 'boolean') return String(value);
  const plain =
    /^[A-Za-z_/][\w./@+-]*(:[\w./@+-]+)*\/?$/.test(value) &&
    !/^(y|yes|n|no|on|off|true|false|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** Keys plain only when they are simple names: Yarn's registry keys are quoted, as Yarn's docs write them. */
const key = (name: string): string =>
  /^[A-Za-z_][\w.-]*$/.test(name) && render(name) === name ? name : JSON.stringify(name);

/** What the scalar text `raw` reads as. */
function scalarOf(raw: string): unknown {
  const doc = parseAllDocuments(`k: ${raw}`)[0];
  const value = doc && isMap(doc.contents) ? pairOf(doc.contents, 'k')?.value : undefined;
  return isScalar(value) ? value.toJS(doc!) : undefined;
}

/** A value put back comes from the state file, not from the person: it must be one scalar on one line. */
function requireOneScalar(edit: { path: YamlPath; putBack: string }, file: string): string {
  const raw = edit.putBack;
  const docs = parseAllDocuments(`k: ${raw}`);
  const doc = Array.isArray(docs) && docs.length === 1 ? docs[0]! : null;
  const value =
    doc && isMap(doc.contents) && doc.contents.items.length === 1
      ? pairOf(doc.contents, 'k')?.value
      : undefined;
  if (
    /[\r\n]/.test(raw) ||
    doc === null ||
    doc.errors.length > 0 ||
    !isScalar(value) ||
    value.anchor ||
    value.range![1] !== raw.length + 3
  )
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back in ${file} is not one YAML value; Artikey left the file untouched.`,
    );
  return raw;
}

function notA(text: string, node: Node, what: string, path: YamlPath, file: string): ToolFileError {
  const name = path.map((s) => (typeof s === 'string' ? s : `[${s.key}=${s.is}]`)).join('.');
  return new ToolFileError(
    'tool-file-conflict',
    `${name || 'The top level'} (${where(text, node.range![0])}) of ${file} is not a ${what}; Artikey left the file untouched.`,
  );
}

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);

/** How the file writes what Artikey adds: its line ending, and how far in a nested mapping goes. */
class Style {
  readonly eol: string;
  readonly unit: number;
  /** The file ends in a block scalar's last line, without a line break. */
  readonly blockScalarAtEnd: boolean;
  constructor(text: string, doc: Document.Parsed) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.unit = indentStep(text, doc.contents) ?? 2;
    let atEnd = false;
    if (!text.endsWith('\n'))
      visit(doc, {
        Scalar(_key, node) {
          const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
          if (block && node.range?.[1] === text.length) atEnd = true;
        },
      });
    this.blockScalarAtEnd = atEnd;
  }
}

/** The indentation of the first block mapping nested in another: its keys' column less its key's. */
function indentStep(text: string, node: Node | null): number | undefined {
  if (isSeq(node)) {
    for (const item of node.items as Node[]) {
      const step = indentStep(text, item);
      if (step !== undefined) return step;
    }
  }
  if (!isMap(node) || node.flow) return undefined;
  for (const pair of node.items as Pair<Node, Node | null>[]) {
    const value = pair.value;
    const first =
      isMap(value) && !value.flow ? (value.items[0] as Pair<Node> | undefined) : undefined;
    if (first) return columnOf(text, first.key.range![0]) - columnOf(text, pair.key.range![0]);
    const step = indentStep(text, value);
    if (step !== undefined) return step;
  }
  return undefined;
}

/** The line and column of `offset` in `text`, as the messages give them. */
export const placeAt = (text: string, offset: number): YamlPlace => ({
  line: lineAt(text, offset),
  column: columnOf(text, offset) + 1,
});
/** `line L, column C`, as the messages write a place. */
export const placeText = ({ line, column }: YamlPlace): string => `line ${line}, column ${column}`;
const where = (text: string, offset: number): string => placeText(placeAt(text, offset));
/** A node's column; a byte-order mark before the first line is no indentation. */
function columnOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart - (lineStart === 0 && offset > 0 && text.startsWith('\uFEFF') ? 1 : 0);
}
