/**
 * Files in `java.util.Properties` syntax (gradle.properties, sbt's .credentials) as people and
 * tools leave them: every separator, escapes in keys and values, continuation lines, comments
 * with `#` and `!`, blank lines of spaces, tabs and form feeds, any mix of line breaks, no final
 * newline, non-ASCII, and the kind's own keys spelled the ways Java reads as the same key.
 *
 * A file is made of entries, each a whole number of physical lines that Properties.load reads on
 * their own (no entry continues into the next), so a property can say which bytes belong to
 * which entry and what a removal should leave.
 */
import fc from 'fast-check';
import { envReference, lineBreaks, lineText, longText, word } from './text-arbitraries.js';

export interface PropertiesEntry {
  /** The physical lines, without their breaks. */
  lines: string[];
  /** The key Java reads when the entry is one of the kind's own keys (spelled any way); null otherwise. */
  own: string | null;
  /** Whether the value holds a `${…}` reference (which Artikey keeps unless told to replace it). */
  reference: boolean;
  /** The value as generated, escapes unresolved (for the kind's own entries: the plain value). */
  value: string;
}

export interface PropertiesFile {
  entries: PropertiesEntry[];
  /** Each entry's text with its line breaks, in order; `text` is their concatenation. */
  chunks: string[];
  text: string;
}

/** Java's whitespace between key and value and before a line: space, tab, form feed (no others). */
const blanks = (): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(' ', '\t', '\f'), { maxLength: 3 }).map((s) => s.join(''));

/** Separators; `withValueMark`: also those whose second `=` or `:` Java reads as the value's first character. */
const separator = (withValueMark = true): fc.Arbitrary<string> =>
  fc.constantFrom(
    '=',
    ':',
    ' ',
    '\t',
    ' = ',
    ' : ',
    '\f',
    '  =\t',
    '\t \t',
    ...(withValueMark ? [' :=', '=='] : []),
  );

/** Escapes Properties.load reads: `\\`, `\t`, separators, `\uXXXX` (BMP and a surrogate pair), a needless `\x`. */
const ESCAPES = [
  '\\\\',
  '\\t',
  '\\n',
  '\\r',
  '\\f',
  '\\=',
  '\\:',
  '\\ ',
  '\\#',
  '\\!',
  '\\u00e9',
  '\\u0041',
  '\\uD83D\\uDE00',
  '\\uFEFF',
  '\\x',
  '\\\\\\\\',
];

/** Text without a backslash: where a backslash goes is the generator's choice, so no `\u` is malformed. */
const plain = (maxLength = 4): fc.Arbitrary<string> => lineText({ maxLength, exclude: /\\/ });

/** A value's pieces: plain text, escapes, `${VAR}` and now and then a very long run. */
const valuePieces = (): fc.Arbitrary<string[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: plain() },
      { weight: 3, arbitrary: fc.constantFrom(...ESCAPES) },
      { weight: 1, arbitrary: envReference() },
      { weight: 1, arbitrary: fc.constant('') },
    ),
    { maxLength: 6 },
  );

/**
 * A key's spellings Java reads as `key`: as is, a letter as `\uXXXX`, a needless backslash before
 * a letter Java does not turn into a control character.
 */
export const spelled = (key: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(key) },
    fc.nat({ max: key.length - 1 }).map((i) => {
      const code = key.charCodeAt(i).toString(16).padStart(4, '0');
      return `${key.slice(0, i)}\\u${code}${key.slice(i + 1)}`;
    }),
    fc.nat({ max: key.length - 1 }).map((i) => {
      if ('tnrfu'.includes(key[i]!)) return key;
      return `${key.slice(0, i)}\\${key.slice(i)}`;
    }),
  );

/** Keys of other entries: words, words with escaped separators and spaces, `\u` escapes. */
const otherKey = (lookalikes: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: word() },
    { weight: 3, arbitrary: fc.constantFrom(...lookalikes) },
    fc
      .tuple(word(), fc.constantFrom('\\=', '\\:', '\\ ', '\\u00e9', '\\\\', '\\#'), word())
      .map(([a, escape, b]) => `${a}${escape}${b}`),
    fc.tuple(fc.constantFrom('#', '!'), word()).map(([mark, w]) => `\\${mark}${w}`),
  );

/**
 * The physical lines of one property: its first line (leading blanks, key, separator, value)
 * and, when continued, more lines each after an odd number of backslashes, with leading blanks
 * Java skips. A value ending in an even number of backslashes is not continued.
 */
const propertyLines = (
  key: fc.Arbitrary<string>,
  value: fc.Arbitrary<string[]>,
  separators = separator(),
) =>
  fc
    .record({
      indent: blanks(),
      key,
      separator: separators,
      pieces: value,
      breaks: fc.array(fc.nat(), { maxLength: 3 }),
      continuationIndents: fc.array(blanks(), { minLength: 3, maxLength: 3 }),
      trailing: fc.constantFrom('', '', ' ', '\t'),
    })
    .map(({ indent, key: k, separator: sep, pieces, breaks, continuationIndents, trailing }) => {
      // An empty key with a blank separator would read the value as the key: give it one.
      const first = `${indent}${k}${k === '' ? '=' : sep}`;
      const cuts = [...new Set(breaks.map((b) => b % (pieces.length + 1)))].sort((a, b) => a - b);
      const lines: string[] = [];
      let from = 0;
      for (const [i, cut] of cuts.entries()) {
        lines.push(
          `${i === 0 ? first : continuationIndents[i - 1]}${pieces.slice(from, cut).join('')}\\`,
        );
        from = cut;
      }
      const last = `${pieces.slice(from).join('')}${trailing}`;
      lines.push(
        cuts.length === 0 ? `${first}${last}` : `${continuationIndents[cuts.length - 1]}${last}`,
      );
      return { lines, reference: /\$\{[^}]*\}/.test(pieces.join('')), value: pieces.join('') };
    });

const otherEntry = (lookalikes: string[]): fc.Arbitrary<PropertiesEntry> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: blanks().map((b) => ({ lines: [b], own: null, reference: false, value: '' })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(blanks(), fc.constantFrom('#', '!'), lineText())
        .map(([b, mark, text]) => ({
          lines: [`${b}${mark}${text}`],
          own: null,
          reference: false,
          value: '',
        })),
    },
    {
      weight: 6,
      arbitrary: propertyLines(otherKey(lookalikes), valuePieces()).map((p) => ({
        ...p,
        own: null,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(word(), separator(), longText()).map(([k, sep, long]) => ({
        lines: [`${k}${sep}${long}`],
        own: null,
        reference: false,
        value: '',
      })),
    },
    // A line of anything (no backslash) is a property too: its first run is the key.
    {
      weight: 2,
      arbitrary: fc
        .tuple(blanks(), plain(6))
        .filter(([, text]) => !/^[#!]/.test(text))
        .map(([b, text]) => ({ lines: [`${b}${text}`], own: null, reference: false, value: '' })),
    },
  );

/** One of the kind's keys, spelled any way Java reads as it, with a value from `values`. */
export const ownEntry = (
  key: string,
  values: fc.Arbitrary<string[]>,
): fc.Arbitrary<PropertiesEntry> =>
  propertyLines(spelled(key), values, separator(false)).map((p) => ({ ...p, own: key }));

/** Pieces of a value made of one plain piece: a secret, a user name, a URL. */
export const single = (values: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  values.map((v) => [v]);

export const referenceValue = (): fc.Arbitrary<string[]> => envReference().map((r) => [r]);

/**
 * A whole file: other entries with the kind's own entries (each 0 to `maxOwn` times) among them,
 * any line breaks, a final newline or not. `lastContinues`: the last line may end in a lone
 * backslash (Java drops it at the end of the file).
 */
export const propertiesFile = (options: {
  own: fc.Arbitrary<PropertiesEntry>[];
  lookalikes: string[];
  maxOwn?: number;
}): fc.Arbitrary<PropertiesFile> =>
  fc
    .record({
      others: fc.array(otherEntry(options.lookalikes), { maxLength: 12 }),
      own: fc.tuple(...options.own.map((own) => fc.array(own, { maxLength: options.maxOwn ?? 1 }))),
      order: fc.array(fc.nat(), { maxLength: 40 }),
      eol: lineBreaks(),
      finalNewline: fc.boolean(),
      lastContinues: fc.nat({ max: 9 }).map((n) => n === 0),
    })
    .map(({ others, own, order, eol, finalNewline, lastContinues }) => {
      const entries = [...others];
      for (const [i, entry] of own.flat().entries())
        entries.splice((order[i] ?? 0) % (entries.length + 1), 0, entry);
      if (lastContinues && entries.length > 0) {
        const last = entries.at(-1)!;
        entries[entries.length - 1] = {
          ...last,
          lines: [...last.lines.slice(0, -1), `${last.lines.at(-1)!}\\`],
        };
      }
      // A lone CR, an empty line and an LF would read as one CRLF: the empty line's break is
      // then a CR too, so each generated line stays a line.
      let previous = '';
      const breakAfter = (line: string): string => {
        const chosen = eol();
        previous = previous === '\r' && line === '' && chosen.startsWith('\n') ? '\r' : chosen;
        return previous;
      };
      const chunks = entries.map((entry, index) =>
        entry.lines
          .map((line, i) =>
            index === entries.length - 1 && i === entry.lines.length - 1 && !finalNewline
              ? line
              : `${line}${breakAfter(line)}`,
          )
          .join(''),
      );
      return { entries, chunks, text: chunks.join('') };
    });

/** The file's text as bytes in UTF-8, as Artikey writes it (Java reads them as ISO-8859-1). */
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
