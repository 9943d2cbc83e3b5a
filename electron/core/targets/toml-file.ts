import { getStaticTOMLValue, parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { ToolFileError } from './tool-file.js';

/**
 * TOML files other tools own (Cargo's config.toml and credentials.toml, Poetry's config.toml and
 * auth.toml, uv.toml, bunfig.toml): one key set, put back or taken out, a table Artikey created
 * added or removed, every other byte kept.
 *
 * No maintained npm library edits TOML without touching bytes it did not change: toml-patch
 * (`@decimalturn/toml-patch`) re-aligns trailing comments of lines it leaves alone, and the wasm
 * build of Rust's toml_edit (`@rainbowatcher/toml-edit-js`) turns CRLF into LF. So
 * `toml-eslint-parser` (ota-meshi's, behind eslint-plugin-toml) parses: it is strict (duplicate
 * keys, redefined tables, bad escapes are errors with a line and column), reads values, and gives
 * every key, value and table its offsets, at which each edit is spliced; every edit is parsed
 * back before it is returned.
 */

/** A table name, or an element of an array of tables picked by the value of one of its keys (uv's `[[index]]` by `name`). */
export type TomlStep = string | { key: string; is: string };
export type TomlTable = TomlStep[];
export type TomlValue = string | boolean | { [key: string]: string | boolean };

export type TomlEdit =
  /** Gives `key` in `table` this value, creating the table (at the end of the file) if needed. */
  | { table: TomlTable; key: string; set: TomlValue }
  /** Writes `raw`, a value as `readToml` gave it, back at `key` byte for byte. */
  | { table: TomlTable; key: string; putBack: string }
  /** Takes `key` out of `table`; with `dropEmptyTable`, then the table's header if no key is left under it. */
  | { table: TomlTable; key: string; remove: true; dropEmptyTable?: boolean }
  /**
   * Takes out a table (or `[[array]]` element) Artikey created, header and all, when it holds
   * only `ownKeys`; when the person has since added keys of their own, only Artikey's go (the
   * key that picks an array element stays with them).
   */
  | { table: TomlTable; removeTable: true; ownKeys: string[] };

export interface TomlRead {
  value: unknown;
  /** The value as the file spells it (quotes, escapes), for `putBack`. */
  raw: string;
  line: number;
}

type KeyValue = AST.TOMLKeyValue;
type Table = AST.TOMLTable | AST.TOMLTopLevelTable;
/** A key-value and the full path of its key: the table it sits under, then its own (dotted) key. */
type Located = { kv: KeyValue; path: (string | number)[]; owner: Table | AST.TOMLInlineTable };

export function readToml(
  text: string,
  table: TomlTable,
  key: string,
  file: string,
): TomlRead | undefined {
  const ast = parse(text, file);
  const path = resolve(ast, table);
  const found = path && findKey(ast, [...path, key]);
  if (!found) return undefined;
  const [start, end] = found.kv.value.range;
  return {
    value: getStaticTOMLValue(found.kv.value),
    raw: text.slice(start, end),
    line: found.kv.loc.start.line,
  };
}

/** Whether `table` is in the file, as a header, a dotted key or an inline table. */
export function tomlTableExists(text: string | null, table: TomlTable, file: string): boolean {
  if (text === null) return false;
  const ast = parse(text, file);
  const path = resolve(ast, table);
  return path !== null && valueAt(ast, path) !== undefined;
}

/**
 * Noted (in a target's `restore`) by a first write under a table whose `[header]` the person
 * wrote: unconfigure then keeps that header even when nothing is left under it.
 */
export const HEADER_EXISTED = '[table] header existed';

/** Notes, on a first write, whether `table` has a `[header]` in the file. */
export function noteHeader(
  restore: Record<string, string> | null,
  text: string | null,
  table: TomlTable,
  file: string,
): void {
  if (restore === null || text === null) return;
  const path = resolve(parse(text, file), table);
  if (path !== null && headerOf(parse(text, file), path) !== undefined)
    restore[HEADER_EXISTED] ??= 'yes';
}

/** The whole file as a TOML reader sees it. */
export function readTomlDocument(text: string, file: string): Record<string, unknown> {
  return getStaticTOMLValue(parse(text, file)) as Record<string, unknown>;
}

export function editToml(text: string | null, edits: TomlEdit[], file: string): string {
  let edited = text ?? '';
  parse(edited, file);
  for (const edit of edits) {
    edited = apply(edited, edit, file);
    let ast: AST.TOMLProgram;
    try {
      ast = parseSource(edited);
    } catch (error) {
      const at = error instanceof ParseError ? ` (line ${error.lineNumber})` : '';
      throw new ToolFileError(
        'tool-file-conflict',
        `${file} already defines ${describe(edit.table)} in a way Artikey's change would clash with${at}; Artikey left the file untouched.`,
      );
    }
    const path = resolve(ast, edit.table);
    const reads =
      'key' in edit && path ? valueAt(ast, [...path, edit.key]) : path && valueAt(ast, path);
    const expected =
      'set' in edit ? edit.set : 'putBack' in edit ? valueOfRaw(edit.putBack) : undefined;
    const ok =
      'removeTable' in edit
        ? reads === undefined || reads === null || ownKeysGone(reads, edit)
        : 'remove' in edit
          ? reads === undefined || reads === null
          : same(reads, expected);
    if (!ok)
      throw new ToolFileError(
        'tool-file-invalid',
        `Artikey's change to ${file} would not read back as written; Artikey left the file untouched.`,
      );
  }
  return edited;
}

function ownKeysGone(table: unknown, edit: { table: TomlTable; ownKeys: string[] }): boolean {
  const pick = edit.table.at(-1);
  const kept = typeof pick === 'object' ? pick.key : null;
  return edit.ownKeys.every((key) => key === kept || !(key in (table as Record<string, unknown>)));
}

function apply(text: string, edit: TomlEdit, file: string): string {
  const ast = parse(text, file);
  const style = new Style(text);
  const path = resolve(ast, edit.table);
  if ('removeTable' in edit) {
    if (path === null) return text;
    const header = headerOf(ast, path);
    if (header === undefined) return text;
    const pick = edit.table.at(-1);
    const own = (kv: KeyValue): boolean =>
      edit.ownKeys.includes(kv.key.keys.map(keyName).join('.'));
    if (header.body.every(own))
      return removeLines(text, lineStart(text, header.range[0]), lineAfter(text, header.range[1]));
    let edited = text;
    for (const kv of [...header.body].reverse())
      if (own(kv) && !(typeof pick === 'object' && keyName(kv.key.keys[0]!) === pick.key))
        edited = removeLines(
          edited,
          lineStart(edited, kv.range[0]),
          lineAfter(edited, kv.range[1]),
        );
    return edited;
  }
  if ('remove' in edit) {
    if (path === null) return text;
    const found = findKey(ast, [...path, edit.key]);
    let edited = text;
    if (found) {
      edited =
        found.owner.type === 'TOMLInlineTable'
          ? removeInline(text, found.owner, found.kv)
          : removeLines(
              text,
              lineStart(text, found.kv.range[0]),
              lineAfter(text, found.kv.range[1]),
            );
    }
    if (!edit.dropEmptyTable) return edited;
    const after = parse(edited, file);
    const header = headerOf(after, path);
    return header && header.body.length === 0
      ? removeLines(edited, lineStart(edited, header.range[0]), lineAfter(edited, header.range[1]))
      : edited;
  }
  refuseValueOnTablePath(ast, edit, path, file);
  const value =
    'set' in edit
      ? render(edit.set, currentStyle(ast, path, edit.key))
      : requireOneValue(edit, file);
  if (path !== null) {
    const found = findKey(ast, [...path, edit.key]);
    if (!found) refuseTableOfItsOwn(ast, [...path, edit.key], edit, file);
    if (found) {
      // A table Artikey sets replaces the value, and what it replaced goes back over the table it
      // wrote (Bun's `registry = { url, token }`).
      const replacesTable =
        ('set' in edit && typeof edit.set === 'object') ||
        ('putBack' in edit && found.kv.value.type === 'TOMLInlineTable');
      // A one-line list (Cargo's `credential-provider = ["cargo:token"]`) is a value a setting
      // may hold: replaced, and put back as written (a value put back is one line).
      const [from, to] = found.kv.value.range;
      const oneLineList =
        found.kv.value.type === 'TOMLArray' && !/[\r\n]/.test(text.slice(from, to));
      if (found.kv.value.type !== 'TOMLValue' && !replacesTable && !oneLineList)
        throw new ToolFileError(
          'tool-file-conflict',
          `${edit.key} in ${describe(edit.table)} (line ${found.kv.loc.start.line}) of ${file} is a table or a list, not a single value; Artikey left the file untouched.`,
        );
      return splice(text, from, to, value);
    }
    const header = headerOf(ast, path);
    if (header) {
      const last = header.body.at(-1);
      const at = lineAfter(text, last ? last.range[1] : header.key.range[1]);
      return insertLines(text, at, style, [`${bareOrQuoted(edit.key)} = ${value}`]);
    }
    // Inside an inline table (sealed: nothing outside its braces may add to it) with dotted keys.
    for (let depth = path.length; depth > 0; depth--) {
      const inline = inlineTableAt(ast, path.slice(0, depth));
      if (inline === undefined) continue;
      const rest = [...path.slice(depth).map(String), edit.key].map(bareOrQuoted);
      return insertInline(text, inline, `${rest.join('.')} = ${value}`);
    }
    const dotted = dottedOwner(ast, path);
    if (dotted) {
      const rest = path.slice(dotted.prefix.length).map((k) => bareOrQuoted(String(k)));
      const line = `${[...rest, bareOrQuoted(edit.key)].join('.')} = ${value}`;
      return insertLines(text, lineAfter(text, dotted.after), style, [line]);
    }
  }
  const entry = `${bareOrQuoted(edit.key)} = ${value}`;
  if (edit.table.length === 0) {
    // Top-level keys go before the first table header, where TOML reads them as top-level.
    const first = ast.body[0].body.find((item) => item.type === 'TOMLTable');
    return insertLines(text, first ? lineStart(text, first.range[0]) : text.length, style, [entry]);
  }
  // A new table: an element of an array of tables starts with the key that picks it.
  const steps = edit.table;
  const last = steps.at(-1);
  const names = steps.flatMap((s) => (typeof s === 'string' ? [bareOrQuoted(s)] : []));
  const lines =
    typeof last === 'object'
      ? [
          `[[${names.join('.')}]]`,
          `${bareOrQuoted(last.key)} = ${render(last.is)}`,
          ...(edit.key === last.key ? [] : [entry]),
        ]
      : [`[${names.join('.')}]`, entry];
  if (steps.slice(0, -1).some((s) => typeof s === 'object'))
    throw new ToolFileError(
      'tool-file-conflict',
      `${file} has no ${describe(edit.table)} for Artikey to add to; Artikey left the file untouched.`,
    );
  return insertLines(text, text.length, style, lines);
}

/**
 * A name on the way to the table Artikey writes in that the file gives another kind of value
 * (`u = ""` under `[registries]`, where Artikey writes `[registries.u]`; `index = ""` where uv's
 * `[[index]]` goes): the two would define it twice, which every TOML reader refuses. Refused before
 * any edit, naming that value's line; the edit itself used to fail to parse back, blamed on a line
 * of Artikey's own text.
 */
function refuseValueOnTablePath(
  ast: AST.TOMLProgram,
  edit: { table: TomlTable },
  resolved: (string | number)[] | null,
  file: string,
): void {
  const names: (string | number)[] = [];
  for (const [i, step] of edit.table.entries()) {
    if (typeof step !== 'string') {
      // The element a key's value picks: missing, the list itself was the last name checked.
      if (resolved === null) return;
      names.push(resolved[i]!);
      continue;
    }
    names.push(step);
    const value = valueAt(ast, names);
    const list = typeof edit.table[i + 1] === 'object';
    const table = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (value === undefined || (list ? Array.isArray(value) : table)) continue;
    const line =
      findKey(ast, names)?.kv.loc.start.line ??
      ast.body[0].body.find(
        (item) =>
          item.type === 'TOMLTable' && samePath(item.resolvedKey.slice(0, names.length), names),
      )?.loc.start.line;
    const owner = i > 0 ? ` of ${describe(edit.table.slice(0, i))}` : '';
    const is = Array.isArray(value) ? 'a list' : table ? 'a table' : 'a single value';
    throw new ToolFileError(
      'tool-file-conflict',
      `${bareOrQuoted(step)}${owner} is ${is}, not ${list ? 'a list of tables' : 'a table'}, in ${file}${line === undefined ? '' : ` (line ${line})`}, where Artikey writes ${describe(edit.table)}; Artikey left the file untouched. Remove or rename it, then configure again.`,
    );
  }
}

/**
 * A key the file makes a table of its own, by a `[header]` of it or of a table under it, or by
 * dotted keys (`[install.registry]`, `registry.url = …`), where Artikey writes one setting
 * (`registry = { url, token }`): the two would define it twice, which every TOML reader refuses.
 * Refused before any edit, naming the line that makes it a table.
 */
function refuseTableOfItsOwn(
  ast: AST.TOMLProgram,
  path: (string | number)[],
  edit: { table: TomlTable; key: string },
  file: string,
): void {
  if (valueAt(ast, path) === undefined) return;
  const within = (p: (string | number)[]): boolean =>
    p.length >= path.length && samePath(p.slice(0, path.length), path);
  const places = [
    ...keyValues(ast)
      .filter((l) => within(l.path))
      .map((l) => l.kv.loc.start.line),
    ...ast.body[0].body.flatMap((item) =>
      item.type === 'TOMLTable' && within(item.resolvedKey) ? [item.loc.start.line] : [],
    ),
  ];
  if (places.length === 0) return;
  throw new ToolFileError(
    'tool-file-conflict',
    `${describe([...edit.table, edit.key])} is a table of its own in ${file} (line ${Math.min(...places)}), where Artikey writes ${bareOrQuoted(edit.key)} as one setting of ${describe(edit.table)}; Artikey left the file untouched. Write it as ${bareOrQuoted(edit.key)} = … under ${describe(edit.table)}, or remove it, then configure again.`,
  );
}

/**
 * The file's own spelling of where `table` lives: its names, with each array-of-tables step
 * replaced by the index of the element it picks. Null when an array element is missing.
 */
function resolve(ast: AST.TOMLProgram, table: TomlTable): (string | number)[] | null {
  const path: (string | number)[] = [];
  for (const step of table) {
    if (typeof step === 'string') {
      path.push(step);
      continue;
    }
    const list = valueAt(ast, path);
    const elements = Array.isArray(list) ? (list as unknown[]) : [];
    const index = elements.findIndex(
      (e) =>
        typeof e === 'object' && e !== null && (e as Record<string, unknown>)[step.key] === step.is,
    );
    if (index < 0) return null;
    path.push(index);
  }
  return path;
}

/** The value at `path` of the whole document, as a reader sees it. */
function valueAt(ast: AST.TOMLProgram, path: (string | number)[]): unknown {
  let value: unknown = getStaticTOMLValue(ast);
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/** Every key-value of the file with its full path, inline tables included. */
function keyValues(ast: AST.TOMLProgram): Located[] {
  const found: Located[] = [];
  const visit = (
    owner: Table | AST.TOMLInlineTable,
    prefix: (string | number)[],
    body: KeyValue[],
  ): void => {
    for (const kv of body) {
      const path = [...prefix, ...kv.key.keys.map(keyName)];
      found.push({ kv, path, owner });
      if (kv.value.type === 'TOMLInlineTable') visit(kv.value, path, kv.value.body);
    }
  };
  const top = ast.body[0];
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') visit(top, [], [item]);
    else visit(item, item.resolvedKey, item.body);
  }
  return found;
}

const keyName = (key: AST.TOMLBare | AST.TOMLQuoted): string =>
  key.type === 'TOMLBare' ? key.name : key.value;

const samePath = (a: (string | number)[], b: (string | number)[]): boolean =>
  a.length === b.length && a.every((step, i) => step === b[i]);

const findKey = (ast: AST.TOMLProgram, path: (string | number)[]): Located | undefined =>
  keyValues(ast).find((l) => samePath(l.path, path));

/** The `[table]` or `[[table]]` header that defines exactly this table. */
const headerOf = (ast: AST.TOMLProgram, path: (string | number)[]): AST.TOMLTable | undefined =>
  ast.body[0].body.find(
    (item): item is AST.TOMLTable => item.type === 'TOMLTable' && samePath(item.resolvedKey, path),
  );

/** The inline table `key = { … }` that defines this table. */
function inlineTableAt(
  ast: AST.TOMLProgram,
  path: (string | number)[],
): AST.TOMLInlineTable | undefined {
  const found = findKey(ast, path);
  return found?.kv.value.type === 'TOMLInlineTable' ? found.kv.value : undefined;
}

/**
 * A table made by dotted keys (`acme.index = …` under `[registries]`): the table whose header
 * owns those keys (its path) and the end of its last such key, after which another may go.
 */
function dottedOwner(
  ast: AST.TOMLProgram,
  path: (string | number)[],
): { prefix: (string | number)[]; after: number } | undefined {
  const within = keyValues(ast).filter(
    (l) =>
      l.owner.type !== 'TOMLInlineTable' &&
      l.path.length > path.length &&
      samePath(l.path.slice(0, path.length), path),
  );
  const last = within.at(-1);
  if (last === undefined) return undefined;
  const prefix = last.owner.type === 'TOMLTable' ? last.owner.resolvedKey : [];
  if (prefix.length >= path.length) return undefined;
  return { prefix, after: last.kv.range[1] };
}

function insertInline(text: string, table: AST.TOMLInlineTable, entry: string): string {
  const last = table.body.at(-1);
  if (last === undefined) {
    const inner = text.slice(table.range[0] + 1, table.range[1] - 1);
    const at = table.range[0] + 1 + (inner.length - inner.trimStart().length);
    return splice(text, at, at, entry);
  }
  return splice(text, last.range[1], last.range[1], `, ${entry}`);
}

function removeInline(text: string, table: AST.TOMLInlineTable, kv: KeyValue): string {
  const index = table.body.indexOf(kv);
  if (table.body.length === 1) return splice(text, kv.range[0], kv.range[1], '');
  if (index === 0) return splice(text, kv.range[0], table.body[1]!.range[0], '');
  return splice(text, table.body[index - 1]!.range[1], kv.range[1], '');
}

/** The style of the value being replaced, so a literal string stays literal when it can. */
function currentStyle(
  ast: AST.TOMLProgram,
  path: (string | number)[] | null,
  key: string,
): 'basic' | 'literal' {
  const value = path && findKey(ast, [...path, key])?.kv.value;
  return value?.type === 'TOMLValue' &&
    value.kind === 'string' &&
    value.style === 'literal' &&
    !value.multiline
    ? 'literal'
    : 'basic';
}

/**
 * A value every TOML reader reads back the same: a basic string with TOML's escapes (a control
 * character as \uXXXX), or a literal one where the file had one and the value needs no escape.
 */
function render(value: TomlValue, style: 'basic' | 'literal' = 'basic'): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object')
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${bareOrQuoted(k)} = ${render(v)}`)
      .join(', ')} }`;
  if (style === 'literal' && !/['\u0000-\u001f\u007f]/.test(value)) return `'${value}'`;
  return `"${[...value]
    .map((char) => {
      if (char === '"' || char === '\\') return `\\${char}`;
      const code = char.codePointAt(0)!;
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
    })
    .join('')}"`;
}

const bareOrQuoted = (key: string): string => (/^[A-Za-z0-9_-]+$/.test(key) ? key : render(key));

/** What the value text `raw` reads as. */
function valueOfRaw(raw: string): unknown {
  try {
    return (getStaticTOMLValue(parseTOML(`k = ${raw}`)) as Record<string, unknown>)['k'];
  } catch {
    return undefined;
  }
}

/** A value put back comes from the state file, not from the person: it must be one value on one line. */
function requireOneValue(edit: { key: string; putBack: string }, file: string): string {
  const raw = edit.putBack;
  let ok = false;
  try {
    const ast = parseTOML(`k = ${raw}`);
    const only = ast.body[0].body;
    ok =
      only.length === 1 && only[0]!.type === 'TOMLKeyValue' && only[0]!.range[1] === raw.length + 4;
  } catch {
    ok = false;
  }
  if (!ok || /[\r\n]/.test(raw))
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back for ${edit.key} in ${file} is not one TOML value; Artikey left the file untouched.`,
    );
  return raw;
}

/** Deep equality of TOML values; `nan` is a value like any other (NaN === NaN is false). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return Object.is(a, b);
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** A byte-order mark is no TOML; read as a space it keeps every offset where it was. */
const parseSource = (text: string): AST.TOMLProgram =>
  parseTOML(text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text);

/** The file, or an error naming the line and column the parser stopped at. */
function parse(text: string, file: string): AST.TOMLProgram {
  refuseLoneCarriageReturn(text, file);
  try {
    return parseSource(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new ToolFileError(
      'tool-file-invalid',
      `${file} is not valid TOML at line ${error.lineNumber}, column ${error.column + 1}: ${error.message}. Artikey left it untouched.`,
    );
  }
}

/**
 * TOML's line breaks are LF and CRLF; toml-eslint-parser lets a CR alone pass in places (ending
 * the last line, ending a comment), where tomllib and Cargo refuse the whole file.
 */
function refuseLoneCarriageReturn(text: string, file: string): void {
  const at = text.search(/\r(?!\n)/);
  if (at < 0) return;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  throw new ToolFileError(
    'tool-file-invalid',
    `${file} is not valid TOML at line ${line}, column ${column}: a carriage return alone is no line break in TOML (save the file with LF or CRLF line endings). Artikey left it untouched.`,
  );
}

/** `value` as a TOML basic string, escaped where it must be. */
export const tomlString = (value: string): string => render(value);

const describe = (table: TomlTable): string =>
  `[${table.map((s) => (typeof s === 'string' ? s : `${s.key} = ${JSON.stringify(s.is)}`)).join('.')}]`;

/** How the file writes what Artikey adds: its line ending. */
class Style {
  readonly eol: string;
  constructor(text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }
}

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

/** The start of the line after the one `offset - 1` is on. */
function lineAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * Inserts whole lines at `at` (a line start, or the end). After a last line without an ending
 * the new lines go after a line break and the file still ends without one, so removing them
 * gives the same bytes back.
 */
function insertLines(text: string, at: number, style: Style, lines: string[]): string {
  const body = lines.join(style.eol);
  if (at === text.length && text !== '' && !text.endsWith('\n')) return text + style.eol + body;
  return splice(text, at, at, body + style.eol);
}

/** Removes the lines from `from` (a line start) to `to` (the next line's start, or the end). */
function removeLines(text: string, from: number, to: number): string {
  if (to === text.length && !text.endsWith('\n') && from > 0)
    return text.slice(0, from - (text[from - 2] === '\r' ? 2 : 1));
  return text.slice(0, from) + text.slice(to);
}

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);
