/**
 * JSON text as people and tools leave it, for the JSON editors' suites (Docker, Podman, the JFrog
 * CLI, Conan): a document is a tree of members whose keys and scalars are raw JSON text, so the
 * generator decides every byte: escapes (`\u0048`, surrogate pairs, `\/`), big integers, floats
 * with exponents, duplicate keys, and whitespace of every legal kind (space, tab, LF, CR, CRLF)
 * between any two tokens.
 */
import fc from 'fast-check';
import { matching } from './text-arbitraries.js';

/** A JSON value whose text is fixed: `{ raw: '12345678901234567890' }`, `{ raw: '"a\\/b"' }`. */
export interface RawValue {
  raw: string;
}
export interface ObjectValue {
  members: [key: string, value: JsonNode][];
}
export interface ArrayValue {
  items: JsonNode[];
}
export type JsonNode = RawValue | ObjectValue | ArrayValue;

/** A member whose key is the JSON string literal `key` as written (escapes and all). */
export const member = (keyLiteral: string, value: JsonNode): [string, JsonNode] => [
  keyLiteral,
  value,
];
export const raw = (text: string): RawValue => ({ raw: text });
export const object = (members: [string, JsonNode][]): ObjectValue => ({ members });
export const array = (items: JsonNode[]): ArrayValue => ({ items });

/** Whitespace between tokens: one of the layouts files have, or any legal mix. */
export interface Layout {
  /** Whitespace before a member or element at `depth` (its line break and indentation). */
  before(depth: number): string;
  /** Whitespace before a closing bracket at `depth`. */
  close(depth: number): string;
  /** Around the colon. */
  colon(): [string, string];
  /** A string literal for the text, spelt one of the ways JSON allows (see `spell`). */
  spell(value: string): string;
}

const WHITESPACE = [' ', '\t', '\n', '\r\n', '\r'];

/** Layouts: Docker's tabs, two or four spaces, one space (Conan), one line, or any legal mix. */
export const layout = (): fc.Arbitrary<Layout> =>
  fc
    .tuple(
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom('\t', '  ', '    ', ' '),
            fc.constantFrom('\n', '\r\n', '\r'),
            fc.constantFrom(': ', ':', ' : '),
          )
          .map(([unit, eol, colon]): Omit<Layout, 'spell'> => ({
            before: (depth) => eol + unit.repeat(depth + 1),
            close: (depth) => eol + unit.repeat(depth),
            colon: () => [colon.startsWith(' ') ? ' ' : '', colon.endsWith(' ') ? ' ' : ''],
          })),
        fc.constant<Omit<Layout, 'spell'>>({
          before: () => '',
          close: () => '',
          colon: () => ['', ''],
        }),
        fc
          .array(fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 4 }), {
            minLength: 1,
            maxLength: 12,
          })
          .map((pool): Omit<Layout, 'spell'> => {
            let i = 0;
            const next = (): string => pool[i++ % pool.length]!.join('');
            return { before: next, close: next, colon: () => [next(), next()] };
          }),
      ),
      fc.array(fc.nat({ max: 14 }), { minLength: 1, maxLength: 16 }),
    )
    .map(([spaces, choices]): Layout => {
      let cursor = 0;
      return {
        ...spaces,
        spell: (value) => spell(value, choices.slice(cursor++ % choices.length).concat(choices)),
      };
    });

/** The text of `node` at `depth`, laid out by `layout`. */
export function render(node: JsonNode, layout: Layout, depth = 0): string {
  if ('raw' in node) return literal(node.raw, layout);
  if ('items' in node) {
    if (node.items.length === 0) return '[]';
    const items = node.items.map((item) => layout.before(depth) + render(item, layout, depth + 1));
    return `[${items.join(',')}${layout.close(depth)}]`;
  }
  if (node.members.length === 0) return '{}';
  const members = node.members.map(([key, value]) => {
    const [before, after] = layout.colon();
    return `${layout.before(depth)}${literal(key, layout)}${before}:${after}${render(value, layout, depth + 1)}`;
  });
  return `{${members.join(',')}${layout.close(depth)}}`;
}

/** Marks a string the layout spells when the file is rendered (see `spelt`). */
const SPELL = '\u0000';

const literal = (text: string, layout: Layout): string =>
  text.startsWith(SPELL) ? layout.spell(text.slice(1)) : text;

/**
 * A string literal for `value` with each character spelt one of the ways JSON allows: itself,
 * `\uXXXX` (either case of hex), `\/` for a slash, the short escapes, surrogate pairs for astral
 * characters. `choices` picks the spelling per character (from fc.array of integers).
 */
export function spell(value: string, choices: number[]): string {
  let out = '"';
  let i = 0;
  for (const char of value) {
    const choice = choices[i++ % Math.max(choices.length, 1)] ?? 0;
    const code = char.codePointAt(0)!;
    const hex = (unit: number): string => {
      const digits = unit.toString(16).padStart(4, '0');
      return `\\u${choice % 4 === 1 ? digits.toUpperCase() : digits}`;
    };
    const units = char.length === 2 ? [char.charCodeAt(0), char.charCodeAt(1)] : [code];
    const mustEscape = char === '"' || char === '\\' || code < 0x20;
    const short: Record<string, string> = {
      '"': '\\"',
      '\\': '\\\\',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
      '\b': '\\b',
      '\f': '\\f',
    };
    if (char === '/' && choice % 3 === 0) out += '\\/';
    else if (choice % 5 === 1 || (mustEscape && short[char] === undefined))
      out += units.map(hex).join('');
    else if (mustEscape) out += short[char]!;
    else out += char;
  }
  return `${out}"`;
}

/**
 * A string literal for `value`, spelt in any of the legal ways: a key or a raw value's text that
 * `render` spells with the layout's choices (cheaper than an arbitrary per string).
 */
export const spelt = (value: string): fc.Arbitrary<string> => fc.constant(SPELL + value);

/** `spelt` without the arbitrary. */
export const spelling = (value: string): string => SPELL + value;

/** Text a string holds: ASCII, escapes' favourites, astral characters and lone-free unicode. */
export const stringText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    fc.constantFrom('a/b', 'https://x.example/', '😀', 'é', '\t', '\n', '"q"', '\\', '\u2028', ''),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );

/** Numbers whose text re-serialising would change: big integers, exponents, trailing zeros. */
export const numberText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '12345678901234567890',
      '9007199254740993',
      '-9223372036854775809',
      '1.50',
      '1e400',
      '-0',
      '0.1e-7',
      '2E+3',
      '1.0',
      '5e-324',
    ),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  );

/** A scalar value of any kind. */
export const scalar = (): fc.Arbitrary<RawValue> =>
  fc.oneof(
    stringText().map(spelling).map(raw),
    numberText().map(raw),
    fc.constantFrom('true', 'false', 'null').map(raw),
  );

/** Any JSON value, nested a few levels: what an unknown field of a newer version may hold. */
export const anyValue = (): fc.Arbitrary<JsonNode> =>
  fc.letrec<{ value: JsonNode }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar(),
      fc.array(tie('value'), { maxLength: 3 }).map(array),
      fc
        .array(fc.tuple(stringText().map(spelling), tie('value')), { maxLength: 3 })
        .map((members) => object(members)),
    ),
  })).value;

/** A key nobody reads, spelt any way, that no Go struct field matches (not even folded). */
export const junkKey = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      matching(/^x-[a-z0-9_]{0,8}$/),
      fc.constantFrom('x-😀', 'x-\u2028', 'x-"', 'x-\\', 'x-/'),
    )
    .map(spelling);

/** Whitespace a file may start or end with, the final line break included or not. */
export const edgeSpace = (): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 3 }).map((parts) => parts.join(''));

/** Go's encoding/json key matching: a key fills a field whose name equals it after folding. */
export const goFold = (key: string): string =>
  key
    .replace(/\u017f/g, 's')
    .replace(/\u212a/g, 'k')
    .toLowerCase();

/** Spellings of `name` that Go folds to it but that are not it: `Auths`, `AUTHS`, `auth\u017f`. */
export const foldedVariant = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }), fc.nat())
    .map(([upper, pick]) => {
      let variant = [...name]
        .map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase()))
        .join('');
      if (pick % 3 === 0 && /s/i.test(name)) variant = variant.replace(/s/i, '\u017f');
      if (pick % 3 === 1 && /k/i.test(name)) variant = variant.replace(/k/i, '\u212a');
      if (variant === name) variant = name[0]!.toUpperCase() + name.slice(1);
      if (variant === name) variant = name.toUpperCase();
      return variant;
    })
    .map(spelling);
