/**
 * A generated XML file as a small tree, rendered with the file's layout: so a suite can make the
 * same file with and without one entry (what unconfigure after migrate must give back) and find
 * the places a refused-file generator breaks.
 */
import type { Layout } from './xml-arbitraries.js';

export type XmlPart =
  /** A comment, a PI or an element written out already (a leaf `<id>…</id>`). */
  | { kind: 'raw'; text: string; tag?: string }
  | {
      kind: 'element';
      name: string;
      /** Attributes as written, each with its leading white space. */
      attributes: string;
      children: XmlPart[];
      /** How an element without children is written: `<a/>`, `<a></a>`, `<a>⏎</a>`. */
      empty: 'self' | 'pair' | 'broken';
      /** Children on the same line as the tags, no breaks at all. */
      inline: boolean;
      tag?: string;
    };

export const raw = (text: string, tag?: string): XmlPart => ({
  kind: 'raw',
  text,
  ...(tag === undefined ? {} : { tag }),
});

export const element = (
  name: string,
  children: XmlPart[],
  options: {
    attributes?: string;
    empty?: 'self' | 'pair' | 'broken';
    inline?: boolean;
    tag?: string;
  } = {},
): XmlPart & { kind: 'element' } => ({
  kind: 'element',
  name,
  attributes: options.attributes ?? '',
  children,
  empty: options.empty ?? 'pair',
  inline: options.inline ?? false,
  ...(options.tag === undefined ? {} : { tag: options.tag }),
});

export function renderPart(part: XmlPart, depth: number, layout: Layout): string {
  if (part.kind === 'raw') return part.text;
  const open = `<${part.name}${part.attributes}`;
  if (part.children.length === 0) {
    if (part.empty === 'self') return `${open}/>`;
    if (part.empty === 'pair') return `${open}></${part.name}>`;
    return `${open}>${layout.eol()}${layout.unit.repeat(depth)}</${part.name}>`;
  }
  if (part.inline)
    return `${open}>${part.children.map((c) => renderPart(c, depth + 1, layout)).join('')}</${part.name}>`;
  const inner = part.children
    .map(
      (c) => `${layout.eol()}${layout.unit.repeat(depth + 1)}${renderPart(c, depth + 1, layout)}`,
    )
    .join('');
  return `${open}>${inner}${layout.eol()}${layout.unit.repeat(depth)}</${part.name}>`;
}

/** The tree without the parts tagged `tag` (and without a container left with only comments or nothing, when `dropEmpty` says so). */
export function without(
  part: XmlPart,
  tag: string,
  dropEmpty: (parent: XmlPart & { kind: 'element' }) => boolean = () => false,
): XmlPart | null {
  if (part.tag === tag) return null;
  if (part.kind === 'raw') return part;
  const children = part.children
    .map((c) => without(c, tag, dropEmpty))
    .filter((c): c is XmlPart => c !== null);
  const next = { ...part, children };
  if (children.length !== part.children.length && dropEmpty(next)) return null;
  return next;
}
