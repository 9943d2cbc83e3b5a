/**
 * Building blocks every format's generator shares: the line breaks, characters and look-alike
 * hosts that broke hand-written splicers before. A format's own generator (test/fuzz/*.suite.ts)
 * assembles files from these with its own syntax, so most files it makes are ones the format
 * accepts (and so exercise the edit), while its refused-file generator breaks them on purpose.
 */
import fc from 'fast-check';

/** LF, CRLF and a lone CR (which Python's universal newlines and npm's ini both take as a break). */
export const lineBreak = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant('\n') },
    { weight: 3, arbitrary: fc.constant('\r\n') },
    { weight: 1, arbitrary: fc.constant('\r') },
  );

/** One break used throughout a file, or a mix: files edited on two systems have both. */
export const lineBreaks = (): fc.Arbitrary<() => string> =>
  fc.oneof(
    lineBreak().map((eol) => () => eol),
    fc.array(lineBreak(), { minLength: 1, maxLength: 8 }).map((mix) => {
      let i = 0;
      return () => mix[i++ % mix.length]!;
    }),
  );

/** Characters that are not line breaks and that trip parsers: astral, combining, zero-width, RTL, NUL-free control. */
const NASTY = [
  '\t',
  '\u00a0',
  'é',
  'e\u0301',
  '\u200b',
  '\u200f',
  '\ufeff',
  '😀',
  '\u{10ffff}',
  '中文',
  '\u0085',
  '\u2028',
  '\\',
  '"',
  "'",
  '$',
  '${HOME}',
  '%',
  '&amp;',
  '<',
  '>',
  '=',
  ':',
  '#',
  ';',
  '[',
  ']',
  '{',
  '}',
  ',',
  '/',
];

/** Text for inside a line: printable ASCII, unicode (astral and combining) and the nasty characters. */
export const lineText = (
  options: { maxLength?: number; exclude?: RegExp } = {},
): fc.Arbitrary<string> => {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  );
  const exclude = options.exclude;
  return fc
    .array(piece, { maxLength: options.maxLength ?? 6 })
    .map((parts) => parts.join('').replace(/[\r\n]/g, ''))
    .map((text) =>
      exclude
        ? text.replace(new RegExp(exclude.source, `${exclude.flags.replace('g', '')}g`), '')
        : text,
    );
};

const matchingArbitraries = new Map<string, fc.Arbitrary<string>>();

/**
 * `fc.stringMatching`, built once per pattern: building one costs milliseconds (fast-check
 * tokenizes the pattern and precomputes its biased slices), which a generator that makes one per
 * generated value inside a `chain` pays on every case.
 */
export const matching = (pattern: RegExp): fc.Arbitrary<string> => {
  const key = `${pattern.source}/${pattern.flags}`;
  let arbitrary = matchingArbitraries.get(key);
  if (!arbitrary) {
    arbitrary = fc.stringMatching(pattern);
    matchingArbitraries.set(key, arbitrary);
  }
  return arbitrary;
};

/** A word usable as a key or name: letters, digits and the separators keys use. */
export const word = (): fc.Arbitrary<string> => matching(/^[A-Za-z][A-Za-z0-9_.-]{0,11}$/);

/** A very long line's worth of text (configuration files hold base64 blobs and certificates). */
export const longText = (): fc.Arbitrary<string> =>
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n));

/** `${VAR}`-style references, which npm, Maven and Gradle expand and Artikey must keep. */
export const envReference = (): fc.Arbitrary<string> =>
  matching(/^[A-Z_][A-Z0-9_]{0,10}$/).map((name) => `\${${name}}`);

/**
 * Hosts that look like the instance's but are not it: a sub-domain, a longer name with it as
 * prefix or suffix, another port, another scheme, a trailing dot or slash. An editor that matches
 * them as the instance's entry would overwrite or remove someone else's credentials.
 */
export const lookalikeHost = (host: string, port: number | null): fc.Arbitrary<string> => {
  const hostPort = port === null ? host : `${host}:${port}`;
  return fc.constantFrom(
    `sub.${host}`,
    `${host}.example.org`,
    `my${host}`,
    `${host}x`,
    `${host}:${(port ?? 443) + 1}`,
    port === null ? `${host}:443` : host,
    `${hostPort}.`,
    hostPort.toUpperCase(),
    `${hostPort}/other`,
  );
};

/** A token as Artifactory issues them (a JWT access token or a reference token): long and unique. */
export const token = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .tuple(
        fc.base64String({ minLength: 40, maxLength: 80 }),
        fc.base64String({ minLength: 120, maxLength: 400 }),
        fc.base64String({ minLength: 40, maxLength: 88 }),
      )
      .map(([h, p, s]) => `eyJ${url64(h)}.eyJ${url64(p)}.${url64(s)}`),
    fc.base64String({ minLength: 64, maxLength: 64 }).map((r) => `cmVmdGtuOjAxOj${url64(r)}`),
  );

const url64 = (text: string): string =>
  text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Whether the file starts with a byte-order mark (the tool-file layer keeps it as found). */
export const withBom = (): fc.Arbitrary<boolean> => fc.boolean();

/** How many times `needle` occurs in `text`. */
export const occurrences = (text: string, needle: string): number =>
  needle === '' ? 0 : text.split(needle).length - 1;
