import { lineAndColumn } from './text-lines.js';
import { ToolFileError } from './tool-file.js';

/**
 * A small XML reader that keeps every node's position in the original text, so editors can
 * splice changes into the file instead of re-serialising it (which would reformat comments,
 * attributes and whitespace). It checks well-formedness and never expands entities beyond the
 * five predefined ones and character references.
 */
export interface XmlElement {
  kind: 'element';
  /** Qualified name as written (`s:server`). */
  name: string;
  /** Name without a namespace prefix. */
  local: string;
  start: number;
  /** Just after the `>` of the start tag (or of the self-closing tag). */
  openEnd: number;
  /** Start of the `</…>` end tag; equals openEnd for a self-closing element. */
  closeStart: number;
  end: number;
  selfClosing: boolean;
  children: XmlNode[];
}

export type XmlNode =
  | XmlElement
  | { kind: 'text' | 'cdata' | 'comment' | 'pi'; start: number; end: number; value: string };

export interface XmlDocument {
  text: string;
  root: XmlElement;
}

/** `parseXml`, refusing a document whose root element is not `root` (`<settings>`, `<configuration>`). */
export function parseXmlWithRoot(text: string, what: string, root: string): XmlDocument {
  const document = parseXml(text, what);
  if (document.root.local !== root)
    throw new ToolFileError(
      'tool-file-invalid',
      `${what} has <${document.root.name}> at ${lineAndColumn(text, document.root.start)} where <${root}> should be; Artikey left it untouched.`,
    );
  return document;
}

/** Line breaks as XML parsers count them: CRLF, LF, a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/;

const NAME = /[A-Za-z_][\w.\-:]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(text: string, what: string): XmlDocument {
  const fail = (at: number, message: string): never => {
    throw new ToolFileError(
      'tool-file-invalid',
      `${what} is not well-formed XML at ${lineAndColumn(text, at)}: ${message}. Artikey left it untouched.`,
    );
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const add = (node: XmlNode): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (node.kind === 'element') {
      if (root) fail(node.start, 'a second root element');
      root = node;
    } else if (node.kind === 'text' && node.value.trim() !== '')
      fail(node.start, 'text outside the root element');
    else if (node.kind === 'cdata') fail(node.start, 'CDATA outside the root element');
  };
  const until = (marker: string, from: number, label: string): number => {
    const at = text.indexOf(marker, from);
    if (at < 0) fail(i, `unterminated ${label}`);
    return at;
  };
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const close = until('-->', i + 4, 'comment');
      add({ kind: 'comment', start: i, end: close + 3, value: text.slice(i + 4, close) });
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = until(']]>', i + 9, 'CDATA section');
      add({ kind: 'cdata', start: i, end: close + 3, value: text.slice(i + 9, close) });
      i = close + 3;
    } else if (text.startsWith('<?', i)) {
      const close = until('?>', i + 2, 'processing instruction');
      add({ kind: 'pi', start: i, end: close + 2, value: text.slice(i + 2, close) });
      i = close + 2;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length > 0) fail(i, 'a DOCTYPE after the root element started');
      const subset = text.indexOf('[', i);
      const close =
        subset >= 0 && subset < text.indexOf('>', i)
          ? until('>', until(']', subset, 'DOCTYPE'), 'DOCTYPE')
          : until('>', i, 'DOCTYPE');
      if (/<!ENTITY/.test(text.slice(i, close)))
        fail(i, 'it declares entities, which Artikey does not expand (and Maven does not need)');
      i = close + 1;
    } else if (text.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const name = NAME.exec(text)?.[0];
      if (!name) fail(i, 'an end tag without a name');
      const close = /\s*>/y;
      close.lastIndex = i + 2 + name!.length;
      if (!close.exec(text)) fail(i, `a malformed end tag </${name}`);
      const open = stack.pop();
      if (!open) fail(i, `</${name}> closes nothing`);
      if (open!.name !== name) fail(i, `</${name}> must close <${open!.name}>`);
      open!.closeStart = i;
      open!.end = close.lastIndex;
      i = close.lastIndex;
    } else if (text[i] === '<') {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(text)?.[0];
      if (!name) fail(i, "a '<' that starts no tag");
      let j = i + 1 + name!.length;
      const seen = new Set<string>();
      for (;;) {
        const space = /\s*/y;
        space.lastIndex = j;
        space.exec(text);
        const gap = space.lastIndex > j;
        j = space.lastIndex;
        if (text.startsWith('/>', j) || text[j] === '>') break;
        if (!gap) fail(j, `attributes of <${name}> need spaces between them`);
        NAME.lastIndex = j;
        const attribute = NAME.exec(text)?.[0];
        if (!attribute) fail(j, `a malformed attribute in <${name}>`);
        if (seen.has(attribute!)) fail(j, `attribute ${attribute} appears twice`);
        seen.add(attribute!);
        const equals = /\s*=\s*(["'])/y;
        equals.lastIndex = j + attribute!.length;
        const quote = equals.exec(text)?.[1];
        if (!quote) fail(j, `attribute ${attribute} needs a quoted value`);
        const valueStart = equals.lastIndex;
        const valueEnd = until(quote!, valueStart, 'attribute value');
        const value = text.slice(valueStart, valueEnd);
        if (value.includes('<')) fail(valueStart, `'<' inside the value of ${attribute}`);
        checkReferences(value, valueStart, fail);
        j = valueEnd + 1;
      }
      const selfClosing = text.startsWith('/>', j);
      const openEnd = j + (selfClosing ? 2 : 1);
      const element: XmlElement = {
        kind: 'element',
        name: name!,
        local: name!.replace(/^.*:/, ''),
        start: i,
        openEnd,
        closeStart: openEnd,
        end: openEnd,
        selfClosing,
        children: [],
      };
      add(element);
      if (!selfClosing) stack.push(element);
      i = openEnd;
    } else {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      const raw = text.slice(i, end);
      checkReferences(raw, i, fail);
      add({ kind: 'text', start: i, end, value: decode(raw) });
      i = end;
    }
  }
  const open = stack.pop();
  if (open) fail(text.length, `<${open.name}> is never closed`);
  if (!root) fail(text.length, 'there is no root element');
  return { text, root: root! };
}

function checkReferences(
  raw: string,
  offset: number,
  fail: (at: number, message: string) => never,
): void {
  const pattern = /&([^;\s&<]*);?/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(raw)) !== null) {
    const name = match[1] ?? '';
    if (!match[0].endsWith(';') || !(name in ENTITIES || /^#(\d+|x[0-9a-fA-F]+)$/.test(name)))
      fail(offset + match.index, `"&${name}" is not an entity XML defines`);
  }
}

export function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

export const escapeXml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export const childElements = (element: XmlElement): XmlElement[] =>
  element.children.filter((c): c is XmlElement => c.kind === 'element');

export const child = (element: XmlElement, local: string): XmlElement | undefined =>
  childElements(element).find((c) => c.local === local);

/** The text of an element: its text and CDATA children, decoded. */
export function textOf(element: XmlElement): string {
  return element.children
    .map((c) => (c.kind === 'text' || c.kind === 'cdata' ? c.value : ''))
    .join('');
}

export function lineAt(text: string, at: number): number {
  return text.slice(0, at).split(LINE_BREAK).length;
}

/** One attribute of a start tag, and where its value lies in the text (between the quotes). */
export interface XmlAttribute {
  name: string;
  /** Decoded. */
  value: string;
  /** From the white space before the name to the closing quote. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/** The attributes of an element's start tag, in their order (`parseXml` has checked the tag). */
export function attributesOf(text: string, element: XmlElement): XmlAttribute[] {
  const pattern = /\s+([A-Za-z_][\w.\-:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
  pattern.lastIndex = element.start + 1 + element.name.length;
  const found: XmlAttribute[] = [];
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const raw = match[2] ?? match[3] ?? '';
    const end = pattern.lastIndex;
    found.push({
      name: match[1]!,
      value: decode(raw),
      start: match.index,
      end,
      valueStart: end - 1 - raw.length,
      valueEnd: end - 1,
    });
  }
  return found;
}

/** Removes an element with its own line: the whitespace before it back to (and with) the line break. */
export function cut(text: string, element: XmlElement): string {
  const before = text.slice(0, element.start);
  const space = /[ \t]*(\r\n|\r|\n)?[ \t]*$/.exec(before);
  const start = space?.[1] !== undefined ? element.start - space[0].length : element.start;
  return text.slice(0, start) + text.slice(element.end);
}

/** Puts `block` on a line of its own after the parent's last child (opening a self-closing parent). */
export function appendChild(
  text: string,
  parent: XmlElement,
  block: string,
  indent: string,
  eol: string,
): string {
  const parentIndent = indentOf(text, parent);
  if (parent.selfClosing) {
    const open = text.slice(parent.start, parent.end).replace(/\s*\/>$/, '>');
    return `${text.slice(0, parent.start)}${open}${eol}${indent}${block}${eol}${parentIndent}</${parent.name}>${text.slice(parent.end)}`;
  }
  const content = parent.children.filter((c) => !(c.kind === 'text' && c.value.trim() === ''));
  const last = content[content.length - 1];
  if (!last)
    return `${text.slice(0, parent.openEnd)}${eol}${indent}${block}${eol}${parentIndent}${text.slice(parent.closeStart)}`;
  return `${text.slice(0, last.end)}${eol}${indent}${block}${text.slice(last.end)}`;
}

/** The whitespace before an element on its line ('' when it shares the line with other content). */
export function indentOf(text: string, element: XmlElement): string {
  const lineStart = text.lastIndexOf('\n', element.start - 1) + 1;
  const prefix = text.slice(lineStart, element.start);
  return /^[ \t]*$/.test(prefix) ? prefix : '';
}

/** The file's indentation step: how much deeper the root's children sit than the root. */
export function indentUnit(text: string, root: XmlElement): string {
  for (const element of childElements(root)) {
    const indent = indentOf(text, element);
    const rootIndent = indentOf(text, root);
    if (indent.length > rootIndent.length && indent.startsWith(rootIndent))
      return indent.slice(rootIndent.length);
  }
  return '  ';
}
