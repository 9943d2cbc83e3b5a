/**
 * The XML pieces settings.xml and NuGet.Config generators share (test/fuzz/maven-settings.suite.ts,
 * test/fuzz/nuget-config.suite.ts): text and attribute values spelt with entity and character
 * references and CDATA, comments, processing instructions, the XML declaration, DOCTYPEs, and a
 * layout (indent unit, line breaks) a file keeps throughout. Every piece is well-formed XML 1.0
 * on its own; the suites' refused-file generators break whole files on purpose.
 */
import fc from 'fast-check';
import { lineBreaks, lineText } from './text-arbitraries.js';

/** What XML 1.0 cannot hold at all (C0 controls but tab and breaks, lone surrogates, U+FFFE/F). */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const xmlChars = (text: string): string => text.replace(NOT_XML, '');

/** A character reference for `char`, decimal or hex, either case of hex digits. */
const characterReference = (char: string, hex: boolean, upper: boolean): string => {
  const code = char.codePointAt(0)!;
  if (!hex) return `&#${code};`;
  const digits = code.toString(16);
  return `&#x${upper ? digits.toUpperCase() : digits};`;
};

const PREDEFINED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * `text` spelt as XML character data, each character plain (where it may be), as a predefined
 * entity or as a character reference; `]]>` never appears unescaped.
 */
export const spelt = (text: string): fc.Arbitrary<string> => {
  const chars = [...xmlChars(text)];
  return fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: chars.length, maxLength: chars.length })
    .map((choices) =>
      chars
        .map((char, i) => {
          const choice = choices[i]!;
          const mustEscape = char === '&' || char === '<' || char === '>';
          if (choice >= 7 || (mustEscape && choice >= 4))
            return characterReference(char, choice % 2 === 0, choice === 8);
          if (mustEscape || (choice === 6 && char in PREDEFINED)) return PREDEFINED[char] ?? char;
          return char;
        })
        .join(''),
    );
};

/** Element content for `value`: spelt text, CDATA sections, or a mix of both. */
export const content = (value: string): fc.Arbitrary<string> => {
  const clean = xmlChars(value);
  const cdataSafe = !clean.includes(']]>') && !/\r/.test(clean);
  return fc.oneof(
    { weight: 5, arbitrary: spelt(clean) },
    {
      weight: cdataSafe ? 2 : 0,
      arbitrary: fc.constant(`<![CDATA[${clean}]]>`),
    },
    {
      weight: cdataSafe ? 1 : 0,
      arbitrary: fc
        .integer({ min: 0, max: clean.length })
        .chain((cut) =>
          spelt(clean.slice(0, cut)).map((head) => `${head}<![CDATA[${clean.slice(cut)}]]>`),
        ),
    },
  );
};

/** An attribute value for `value` between `quote`s: the quote itself and `<`, `&` always referenced. */
export const attributeValue = (value: string, quote: '"' | "'"): fc.Arbitrary<string> =>
  spelt(value.replace(/[\r\n\t]/g, ' ')).map((raw) =>
    raw.replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&#39;'),
  );

/** `name="value"` with either quote and optional space around `=`. */
export const attribute = (name: string, value: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom<'"' | "'">('"', "'"), fc.constantFrom('=', ' = ', '=\t'))
    .chain(([quote, equals]) =>
      attributeValue(value, quote).map((raw) => `${name}${equals}${quote}${raw}${quote}`),
    );

/** Attributes in any order, each preceded by white space (a break sometimes). */
export const attributes = (pairs: [string, string][]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }),
      fc.array(fc.constantFrom(' ', '  ', '\t', '\n    ', '\r\n  '), {
        minLength: pairs.length,
        maxLength: pairs.length,
      }),
    )
    .chain(([ordered, gaps]) =>
      ordered.length === 0
        ? fc.constant('')
        : fc
            .tuple(...ordered.map(([name, value]) => attribute(name, value)))
            .map((written) => written.map((a, i) => `${gaps[i]}${a}`).join('')),
    );

/**
 * Maven's parser (plexus-utils' MXParser) refuses what XML allows in a comment or a PI: a
 * character beyond U+FFFF (it checks one surrogate at a time) and a `>` in a PI. A Maven file's
 * comments and PIs keep clear of both (`mxparser: true`), or Maven reads nothing at all.
 */
export interface MarkupOptions {
  mxparser?: boolean;
}

const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu;
const markupText = (text: string, options: MarkupOptions): string =>
  options.mxparser === true ? xmlChars(text).replace(ASTRAL, '') : xmlChars(text);

/** A comment: any text without `--`, not ending in `-`. */
export const comment = (options: MarkupOptions = {}): fc.Arbitrary<string> =>
  lineText({ maxLength: 5 }).map(
    (text) => `<!--${markupText(text, options).replace(/-+/g, '-').replace(/-$/, '- ')}-->`,
  );

/** A processing instruction (its target never `xml`). */
export const processingInstruction = (options: MarkupOptions = {}): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('artikey', 'editor', 'x-note', 'pi'), lineText({ maxLength: 3 }))
    .map(([target, data]) => {
      const text = markupText(data, options)
        .replace(options.mxparser === true ? />/g : /\?>/g, '?)')
        .replace(/\?$/, '? ');
      return `<?${target}${text === '' ? '' : ` ${text}`}?>`;
    });

/** The XML declaration in its variants: encoding (UTF-8 spelt either way), standalone, quotes. */
export const xmlDeclaration = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('"', "'"),
      fc.constantFrom(null, 'UTF-8', 'utf-8'),
      fc.constantFrom(null, 'yes', 'no'),
      fc.constantFrom(' ', '  '),
    )
    .map(([q, encoding, standalone, gap]) => {
      const parts = [`version=${q}1.0${q}`];
      if (encoding !== null) parts.push(`encoding=${q}${encoding}${q}`);
      if (standalone !== null) parts.push(`standalone=${q}${standalone}${q}`);
      return `<?xml ${parts.join(gap)}?>`;
    });

/** A DOCTYPE every parser here accepts: no entity declarations, no external subset to fetch. */
export const doctype = (root: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    `<!DOCTYPE ${root}>`,
    `<!DOCTYPE ${root} [ ]>`,
    `<!DOCTYPE ${root} [\n  <!-- settings kept by hand -->\n]>`,
  );

/** How a file is laid out: its indent step and its line breaks (one kind or a mix). */
export interface Layout {
  unit: string;
  eol: () => string;
}

export const layout = (): fc.Arbitrary<Layout> =>
  fc
    .tuple(fc.constantFrom('  ', '    ', '\t', ' '), lineBreaks())
    .map(([unit, eol]) => ({ unit, eol }));

/** Something between elements: a comment or a PI on its own line, or several. */
export const misc = (options: MarkupOptions = {}): fc.Arbitrary<string[]> =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: comment(options) },
      { weight: 1, arbitrary: processingInstruction(options) },
    ),
    { maxLength: 2 },
  );
