import { lineAndColumn } from './text-lines.js';
import { ToolFileError } from './tool-file.js';

/**
 * Where each member of a JSON object sits in the text, so an editor can splice one member in or
 * out and leave every other byte as it was: re-serialising would expand one-line objects, drop
 * duplicate keys, round big numbers (12345678901234567890), shorten 1.50 and decode escapes.
 *
 * A scanner of positions, not a parser: call it only on text JSON.parse accepted, which also
 * gives the values and the error message for text it did not. (jsonc-parser's `modify` would do
 * this too, but it is not among our dependencies, and this is the small part of it we need.)
 */
export interface JsonObject {
  /** Offset of `{`. */
  start: number;
  /** Offset just after `}`. */
  end: number;
  members: JsonMember[];
}

export interface JsonMember {
  /** The decoded key. */
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  /** Offset of the value's first character. */
  valueStart: number;
  /** Offset just after the value. */
  end: number;
  /** The value's members when it is an object. */
  object: JsonObject | null;
  /** The value's elements when it is an array. */
  array: JsonArray | null;
}

export interface JsonArray {
  /** Offset of `[`. */
  start: number;
  /** Offset just after `]`. */
  end: number;
  elements: JsonElement[];
}

export interface JsonElement {
  start: number;
  end: number;
  /** The element's members when it is an object. */
  object: JsonObject | null;
}

/**
 * Where `text` stops being JSON, for an error message: ` at line L, column C (reason)`, or
 * nothing when it is JSON. V8's messages give no position for some errors ("Unexpected token
 * '}', "{…}" is not valid JSON", "Unexpected end of JSON input") and quote the text around
 * others, which may be a credential, so the place is found here and nothing of the text is quoted.
 * Lines end at LF, CRLF or a lone CR, as editors show them.
 */
export function jsonErrorPlace(text: string, error?: unknown): string {
  const found = jsonSyntaxError(text);
  if (found !== null) return ` at ${lineAndColumn(text, found.offset)} (${found.reason})`;
  // JSON.parse refused what the grammar allows (a limit of its own): its position, if it gave one.
  const positioned = / in JSON at position (\d+)/.exec(error instanceof Error ? error.message : '');
  return positioned ? ` at ${lineAndColumn(text, Number(positioned[1]))}` : '';
}

/** The first place `text` breaks JSON's grammar (RFC 8259), and why; null for JSON. */
export function jsonSyntaxError(text: string): { offset: number; reason: string } | null {
  let at = 0;
  const fail = (reason: string): never => {
    throw new SyntaxAt(at, reason);
  };
  const space = (): void => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  };
  const expect = (char: string, what: string): void => {
    if (text[at] !== char)
      fail(at >= text.length ? `the text ends where ${what} should be` : `${what} expected`);
    at++;
  };
  const string = (): void => {
    expect('"', 'a double-quoted string');
    for (;;) {
      if (at >= text.length) fail('the text ends inside a string');
      const char = text[at]!;
      if (char === '"') break;
      if (char.charCodeAt(0) < 0x20) fail('a control character inside a string must be escaped');
      if (char === '\\') {
        const next = text[at + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') at += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else fail('a backslash starts no escape JSON knows');
        continue;
      }
      at++;
    }
    at++;
  };
  const number = (): void => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at, at + 400));
    if (match === null || match[0] === '' || match[0] === '-') fail('a value expected');
    at += match![0].length;
    if (/^[0-9.eE+-]/.test(text[at] ?? '')) fail('a malformed number');
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail('nested too deeply');
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        space();
        string();
        space();
        expect(':', "':' after a property name");
        value(depth + 1);
        space();
        if (text[at] === ',') {
          at++;
          space();
          if (text[at] !== '"') fail('a double-quoted property name expected after a comma');
          continue;
        }
        expect('}', "',' or '}' after a property value");
        return;
      }
    }
    if (char === '[') {
      at++;
      space();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect(']', "',' or ']' after an element");
        return;
      }
    }
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null'])
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    if (at >= text.length) fail('the text ends where a value should be');
    if (char === '-' || /[0-9]/.test(char ?? '')) return number();
    fail('a value expected');
  };
  try {
    value(0);
    space();
    if (at < text.length) fail('text after the end of the JSON value');
    return null;
  } catch (error) {
    if (error instanceof SyntaxAt) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}

class SyntaxAt extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The top-level object of `text`, which must be valid JSON whose value is an object. */
export function scanJsonObject(text: string): JsonObject {
  const scanner = new Scanner(text);
  scanner.skipSpace();
  return scanner.object();
}

class Scanner {
  #at = 0;
  constructor(private readonly text: string) {}

  object(): JsonObject {
    const start = this.#at;
    this.#at++; // {
    const members: JsonMember[] = [];
    this.skipSpace();
    while (this.text[this.#at] !== '}') {
      const keyStart = this.#at;
      this.skipString();
      const key = JSON.parse(this.text.slice(keyStart, this.#at)) as string;
      this.skipSpace();
      this.#at++; // :
      this.skipSpace();
      const valueStart = this.#at;
      const { object, array } = this.value();
      members.push({ key, start: keyStart, valueStart, end: this.#at, object, array });
      this.skipSpace();
      if (this.text[this.#at] === ',') this.#at++;
      this.skipSpace();
    }
    this.#at++; // }
    return { start, end: this.#at, members };
  }

  /** Passes over one value; returns its members when it is an object, its elements when an array. */
  value(): { object: JsonObject | null; array: JsonArray | null } {
    const first = this.text[this.#at];
    if (first === '{') return { object: this.object(), array: null };
    if (first === '[') return { object: null, array: this.array() };
    if (first === '"') this.skipString();
    else while (this.#at < this.text.length && !/[\s,\]}]/.test(this.text[this.#at]!)) this.#at++;
    return { object: null, array: null };
  }

  array(): JsonArray {
    const start = this.#at;
    this.#at++; // [
    const elements: JsonElement[] = [];
    this.skipSpace();
    while (this.text[this.#at] !== ']') {
      const elementStart = this.#at;
      const { object } = this.value();
      elements.push({ start: elementStart, end: this.#at, object });
      this.skipSpace();
      if (this.text[this.#at] === ',') this.#at++;
      this.skipSpace();
    }
    this.#at++; // ]
    return { start, end: this.#at, elements };
  }

  skipString(): void {
    this.#at++; // "
    while (this.text[this.#at] !== '"') this.#at += this.text[this.#at] === '\\' ? 2 : 1;
    this.#at++; // "
  }

  skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.#at] ?? '')) this.#at++;
  }
}

/** The text of `object` with its member `member` taken out, with the comma that joined it. */
export function removeMember(text: string, object: JsonObject, member: JsonMember): string {
  const index = object.members.indexOf(member);
  if (object.members.length === 1) return splice(text, object.start + 1, object.end - 1, '');
  if (index === 0) {
    // From just after `{` to just after its comma: the next member keeps the space before it.
    const comma = text.indexOf(',', member.end);
    return splice(text, object.start + 1, comma + 1, '');
  }
  // From the comma before it to its end: the space before `}` or the next comma stays.
  const comma = text.lastIndexOf(',', member.start);
  return splice(text, comma, member.end, '');
}

/** The text of `array` with `element` taken out, with the comma that joined it. */
export function removeElement(text: string, array: JsonArray, element: JsonElement): string {
  const index = array.elements.indexOf(element);
  if (array.elements.length === 1) return splice(text, array.start + 1, array.end - 1, '');
  if (index === 0) return splice(text, element.start, array.elements[1]!.start, '');
  return splice(text, array.elements[index - 1]!.end, element.end, '');
}

/**
 * The text with `value` added as the last element of `array`, laid out like the elements before
 * it; removing it with `removeElement` gives the same bytes back.
 */
export function appendElement(text: string, array: JsonArray, value: RenderValue): string {
  const first = array.elements[0];
  const last = array.elements.at(-1);
  if (first === undefined || last === undefined) {
    if (!text.trimEnd().includes('\n'))
      return splice(text, array.start + 1, array.end - 1, value(null));
    const outer = lineIndent(text, array.start);
    const inner = outer + indentUnit(text);
    const eol = lineEnding(text);
    return splice(
      text,
      array.start + 1,
      array.end - 1,
      `${eol}${inner}${value(inner)}${eol}${outer}`,
    );
  }
  const before = text.slice(array.start + 1, first.start);
  const indent = before.includes('\n') ? lineIndent(text, first.start) : null;
  return splice(text, last.end, last.end, `,${before === '' ? ' ' : before}${value(indent)}`);
}

/** A value's text, given the indentation of the line it starts on (null: the object is on one line). */
export type RenderValue = (indent: string | null) => string;

/**
 * The text with members added at the start of `object` (so no existing line gains a comma),
 * laid out like the object's existing members: each on its own line with their indentation, or
 * all on one line.
 */
export function insertMembers(
  text: string,
  object: JsonObject,
  members: [key: string, value: RenderValue][],
): string {
  const eol = lineEnding(text);
  const member = (indent: string | null, [key, value]: [string, RenderValue]): string =>
    `${JSON.stringify(key)}: ${value(indent)}`;
  const first = object.members[0];
  const nested = text.slice(0, object.start).trim() !== '';
  if (first === undefined && nested && !text.trimEnd().includes('\n')) {
    // An empty object inside a file written on one line stays on one line.
    const body = members.map((m) => member(null, m)).join(', ');
    return splice(text, object.start + 1, object.end - 1, body);
  }
  if (first === undefined) {
    const outer = lineIndent(text, object.start);
    const inner = outer + indentUnit(text);
    const body = members.map((m) => `${eol}${inner}${member(inner, m)}`).join(',');
    return splice(text, object.start + 1, object.end - 1, `${body}${eol}${outer}`);
  }
  const before = text.slice(object.start + 1, first.start);
  const indent = before.includes('\n') ? lineIndent(text, first.start) : null;
  const added = members.map((m) => `${before}${member(indent, m)},`).join('');
  return splice(text, object.start + 1, object.start + 1, added);
}

/** The text with the value of `member` (one of `object`'s) replaced. */
export function replaceValue(
  text: string,
  object: JsonObject,
  member: JsonMember,
  value: RenderValue,
): string {
  const onOwnLine = text.slice(object.start + 1, object.members[0]?.start).includes('\n');
  const indent = onOwnLine ? lineIndent(text, member.start) : null;
  return splice(text, member.valueStart, member.end, value(indent));
}

/** An object value whose members sit one indentation step further in than its own line. */
export function objectValue(
  text: string,
  members: [key: string, value: RenderValue][],
): RenderValue {
  return (indent) => {
    if (indent === null)
      return `{${members.map(([key, value]) => `${JSON.stringify(key)}: ${value(null)}`).join(', ')}}`;
    const eol = lineEnding(text);
    const inner = indent + indentUnit(text);
    const lines = members.map(
      ([key, value]) => `${eol}${inner}${JSON.stringify(key)}: ${value(inner)}`,
    );
    return `{${lines.join(',')}${eol}${indent}}`;
  };
}

/** A string value. */
export const stringValue =
  (value: string): RenderValue =>
  () =>
    JSON.stringify(value);

const lineEnding = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

/** The leading spaces or tabs of the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/** One step of the file's indentation: its first indented line's, or a tab as Docker writes. */
const indentUnit = (text: string): string => /^[ \t]+/m.exec(text)?.[0] ?? '\t';

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);

/**
 * A tool's JSON file read as that tool reads it: an object, `{}` for a missing or blank file.
 * Anything else is refused naming `what` and where it stops being JSON (never the text there);
 * `advice` ends the message for invalid JSON.
 */
export function parseJsonObject(
  text: string | null,
  what: string,
  advice = '',
): Record<string, unknown> {
  if (text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolFileError(
      'tool-file-invalid',
      `${what} is not valid JSON${jsonErrorPlace(text, error)}; Artikey left it untouched.${advice}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ToolFileError(
      'tool-file-invalid',
      `${what} is not a JSON object (its value starts at ${lineAndColumn(text, text.length - text.trimStart().length)}); Artikey left it untouched.`,
    );
  return parsed as Record<string, unknown>;
}

/**
 * Whether Go's encoding/json fills the struct field `name` from the key `key`: an exact match, or
 * one ignoring ASCII case in which `ſ` (U+017F) stands for s and the Kelvin sign (U+212A) for k
 * (its fold.go). Docker, Podman and the JFrog CLI read `"Auths"` or `"auth\u017f"` as `auths`.
 */
export function goKeyMatches(key: string, name: string): boolean {
  const keyChars = [...key];
  if (keyChars.length !== name.length) return false;
  return keyChars.every((char, i) => {
    const want = name[i]!.toLowerCase();
    if (char === '\u017f') return want === 's';
    if (char === '\u212a') return want === 'k';
    return char.length === 1 && char.charCodeAt(0) < 0x80 && char.toLowerCase() === want;
  });
}

/**
 * Refuses an object holding a key that a Go tool reads as one of `names` but spelt otherwise
 * (`"CredHelpers"`): the tool merges or overrides it with the member Artikey edits, so Artikey's
 * entry would not be the one read, or a removal would leave another in force.
 */
export function refuseGoSpellings(
  text: string,
  object: JsonObject,
  names: string[],
  what: string,
  tool: string,
): void {
  for (const member of object.members) {
    const name = names.find((n) => member.key !== n && goKeyMatches(member.key, n));
    if (name === undefined) continue;
    throw new ToolFileError(
      'tool-file-invalid',
      `${what} has a key ${JSON.stringify(member.key)} at ${lineAndColumn(text, member.start)}, which ${tool} reads as "${name}" too; Artikey edits only "${name}", so it left the file untouched. Rename that key to "${name}" (merging the two if both are there), then try again.`,
    );
  }
}
