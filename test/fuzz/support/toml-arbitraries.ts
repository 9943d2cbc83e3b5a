/**
 * TOML documents for the TOML editor's fuzzing (test/fuzz/toml.suite.ts): a tree of tables with
 * unique names, each table written in one of TOML's spellings (a `[header]`, a super-table only
 * its sub-tables' headers define, dotted keys, an inline table, `[[array]]` elements), keys bare
 * or quoted, every kind of value, and comments, blank lines, tabs and padding wherever TOML allows
 * them. Files are valid TOML 1.0 by construction (tomllib says so in the properties); the refused
 * generator breaks one on purpose.
 */
import fc from 'fast-check';
import { lineText, matching, word } from './text-arbitraries.js';

export type Form = 'header' | 'implicit' | 'dotted' | 'inline';

export type TomlNode =
  | { t: 'value'; text: string }
  | { t: 'table'; form: Form; table: TomlTree }
  | { t: 'aot'; elements: TomlTree[] };

export interface Trivia {
  /** Lines before the entry: blank, whitespace only, or comments. */
  before: string[];
  indent: string;
  /** Between key and value: ` = `, `=`, tabs. */
  eq: string;
  /** After the value or header: a comment, trailing blanks, or nothing. */
  after: string;
  /** Inside a header's brackets, around its key. */
  pad: string;
  /** Between the segments of a dotted key ending in this entry. */
  dot: string;
}

export type Spelling = 'bare' | 'basic' | 'literal' | 'escaped';

export interface TomlEntry {
  name: string;
  spell: Spelling;
  trivia: Trivia;
  node: TomlNode;
}

export interface TomlTree {
  entries: TomlEntry[];
}

/** Characters TOML refuses raw in strings and comments (tab is allowed). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const commentText = (): fc.Arbitrary<string> =>
  lineText({ maxLength: 4, exclude: CONTROL }).map((text) => `#${text}`);

const blankLine = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\t', ' \t ') },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('', ' ', '\t'), commentText())
        .map(([indent, comment]) => indent + comment),
    },
  );

export const trivia = (): fc.Arbitrary<Trivia> =>
  fc.record({
    before: fc.oneof(
      { weight: 3, arbitrary: fc.constant<string[]>([]) },
      { weight: 2, arbitrary: fc.array(blankLine(), { maxLength: 3 }) },
    ),
    indent: fc.constantFrom('', '', '', ' ', '\t', '    '),
    eq: fc.constantFrom(' = ', ' = ', ' = ', '=', '\t=\t', ' =   ', '= '),
    after: fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom(' ', '\t') },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom(' ', '  ', '\t', ''), commentText())
          .map(([space, comment]) => space + comment),
      },
    ),
    pad: fc.constantFrom('', '', '', ' ', '\t'),
    dot: fc.constantFrom('.', '.', '.', ' . ', '\t.'),
  });

// ---- Strings ----------------------------------------------------------------------------------

const hex = (code: number, width: number): string =>
  code.toString(16).toUpperCase().padStart(width, '0');

/** A Unicode scalar value (no surrogate), which `\u` or `\U` may spell. */
const scalar = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: 0, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  );

const escape = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('\\b', '\\t', '\\n', '\\f', '\\r', '\\"', '\\\\'),
    scalar().map((code) => (code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`)),
    scalar().map((code) => `\\U${hex(code, 8)}`),
  );

const basicString = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        {
          weight: 3,
          arbitrary: lineText({ maxLength: 3, exclude: /[\\"\u0000-\u0008\u000a-\u001f\u007f]/ }),
        },
        { weight: 1, arbitrary: escape() },
      ),
      { maxLength: 5 },
    )
    .map((parts) => `"${parts.join('')}"`);

const literalString = (): fc.Arbitrary<string> =>
  lineText({ maxLength: 4, exclude: /['\u0000-\u0008\u000a-\u001f\u007f]/ }).map((t) => `'${t}'`);

/** `"""…"""` over several lines, some ending in a backslash that joins them. */
const multilineBasic = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.boolean(),
      fc.array(
        fc.tuple(
          fc.array(
            fc.oneof(
              {
                weight: 3,
                arbitrary: lineText({
                  maxLength: 3,
                  exclude: /[\\"\u0000-\u0008\u000a-\u001f\u007f]/,
                }),
              },
              { weight: 1, arbitrary: escape() },
            ),
            { maxLength: 3 },
          ),
          fc.constantFrom('', '', '\\', '\\ ', '\\\t'),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([firstBreak, lines]) => {
      // A line-ending backslash joins a line to the next: the last line has none.
      const body = lines
        .map(([parts, end], i) => parts.join('') + (i === lines.length - 1 ? '' : end))
        .join('\n');
      return `"""${firstBreak ? '\n' : ''}${body}"""`;
    });

const multilineLiteral = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.boolean(),
      fc.array(lineText({ maxLength: 3, exclude: /['\u0000-\u0008\u000a-\u001f\u007f]/ }), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([firstBreak, lines]) => `'''${firstBreak ? '\n' : ''}${lines.join('\n')}'''`);

/** A string value, single-line unless `multiline`. */
export const tomlString = (multiline = true): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: basicString() },
    { weight: 2, arbitrary: literalString() },
    ...(multiline
      ? [
          { weight: 1, arbitrary: multilineBasic() },
          { weight: 1, arbitrary: multilineLiteral() },
        ]
      : []),
  );

/** A TOML basic string holding exactly `text` (escaping what must be). */
export const basicQuoted = (text: string): string =>
  `"${[...text]
    .map((char) => {
      if (char === '"' || char === '\\') return `\\${char}`;
      const code = char.codePointAt(0)!;
      return code < 0x20 || code === 0x7f ? `\\u${hex(code, 4)}` : char;
    })
    .join('')}"`;

// ---- Numbers, dates, booleans -----------------------------------------------------------------

const underscored = (digits: string, cuts: number[]): string => {
  let out = '';
  [...digits].forEach((d, i) => {
    if (i > 0 && cuts.includes(i)) out += '_';
    out += d;
  });
  return out;
};

const integer = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .tuple(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 3 }),
      )
      .map(([n, plus, cuts]) => {
        const sign = n < 0n ? '-' : plus ? '+' : '';
        return sign + underscored((n < 0n ? -n : n).toString(), cuts);
      }),
    fc.integer({ min: -9, max: 9 }).map(String),
    fc
      .tuple(
        fc.bigInt({ min: 0n, max: 2n ** 70n }),
        fc.constantFrom(['0x', 16], ['0o', 8], ['0b', 2]),
      )
      .map(([n, [prefix, radix]]) => `${prefix as string}${n.toString(radix as number)}`),
    fc.constantFrom('0xDEADbeef', '0xdead_beef', '0o755', '0b1101_0110', '+0', '-0', '1_000'),
  );

const float = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '3.1415',
      '-0.01',
      '5e+22',
      '1e06',
      '-2E-2',
      '6.626e-34',
      '224_617.445_991_228',
      'inf',
      '+inf',
      '-inf',
      'nan',
      '+nan',
      '-nan',
      '-0.0',
      '+0.0',
    ),
    fc
      .tuple(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        matching(/^[0-9]{1,12}$/),
        fc.option(fc.integer({ min: -400, max: 400 })),
      )
      .map(
        ([whole, fraction, exponent]) =>
          `${whole}.${fraction}${exponent === null ? '' : `e${exponent}`}`,
      ),
  );

const two = (n: number): string => String(n).padStart(2, '0');

const date = (): fc.Arbitrary<string> =>
  fc
    .record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.option(matching(/^[0-9]{1,6}$/)),
      shape: fc.constantFrom('offset', 'local-datetime', 'date', 'time'),
      separator: fc.constantFrom('T', ' '),
      offset: fc.constantFrom('Z', '+00:00', '-07:00', '+05:30'),
    })
    .map((d) => {
      const day = `${String(d.year).padStart(4, '0')}-${two(d.month)}-${two(d.day)}`;
      const time = `${two(d.hour)}:${two(d.minute)}:${two(d.second)}${d.fraction === null ? '' : `.${d.fraction}`}`;
      if (d.shape === 'date') return day;
      if (d.shape === 'time') return time;
      return `${day}${d.separator}${time}${d.shape === 'offset' ? d.offset : ''}`;
    });

export const scalarValue = (multiline = true): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: tomlString(multiline) },
    { weight: 2, arbitrary: integer() },
    { weight: 1, arbitrary: float() },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false') },
    { weight: 1, arbitrary: date() },
  );

// ---- Arrays, inline tables, the tree ----------------------------------------------------------

/** An array value: on one line, or (when `multiline`) one element a line, comments between. */
const array = (depth: number, multiline: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(
        fc.tuple(
          depth > 0
            ? fc.oneof(
                { weight: 4, arbitrary: scalarValue(multiline) },
                { weight: 1, arbitrary: value(depth - 1, multiline) },
              )
            : scalarValue(multiline),
          fc.array(blankLine(), { maxLength: 2 }),
          fc.oneof(
            fc.constant(''),
            commentText().map((c) => ` ${c}`),
          ),
        ),
        { maxLength: 4 },
      ),
      fc.boolean(),
      multiline ? fc.boolean() : fc.constant(false),
      fc.constantFrom(', ', ',', ' ,\t'),
    )
    .map(([elements, trailingComma, lines, comma]) => {
      if (!lines || elements.length === 0)
        return `[${elements.map(([v]) => v).join(comma)}${trailingComma && elements.length > 0 ? ',' : ''}]`;
      const body = elements.map(([v, before, comment], i) => {
        const last = i === elements.length - 1;
        const sep = last && !trailingComma ? '' : ',';
        return [...before, `  ${v}${sep}${comment}`].join('\n');
      });
      return `[\n${body.join('\n')}\n]`;
    });

/** Any value; inline tables only hold single-line values (TOML 1.0 keeps them on one line). */
const values = new Map<string, fc.Arbitrary<string>>();

export function value(depth: number, multiline: boolean): fc.Arbitrary<string> {
  // Built once per shape: the generators of a case are made while it is generated.
  const key = `${depth}:${multiline}`;
  let made = values.get(key);
  if (made === undefined) {
    made = makeValue(depth, multiline);
    values.set(key, made);
  }
  return made;
}

function makeValue(depth: number, multiline: boolean): fc.Arbitrary<string> {
  if (depth <= 0) return scalarValue(multiline);
  return fc.oneof(
    { weight: 6, arbitrary: scalarValue(multiline) },
    { weight: 2, arbitrary: array(depth - 1, multiline) },
    {
      weight: 1,
      arbitrary: tree({ depth: depth - 1, sealed: true, names: fc.constantFrom('a', 'b') }).map(
        (t) => inlineText(t),
      ),
    },
  );
}

const spelling = (): fc.Arbitrary<Spelling> =>
  fc.constantFrom<Spelling>('bare', 'bare', 'bare', 'basic', 'literal', 'escaped');

/** Names for keys: ordinary words, names with characters only quotes can hold, the empty name. */
export const keyName = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: word() },
    { weight: 1, arbitrary: lineText({ maxLength: 3, exclude: CONTROL }) },
    { weight: 1, arbitrary: fc.constant('') },
  );

export interface TreeOptions {
  depth: number;
  /** Inside an inline table or a dotted key: no headers, no `[[arrays]]`, single-line values. */
  sealed: boolean;
  names: fc.Arbitrary<string>;
  maxEntries?: number;
}

export function tree(options: TreeOptions): fc.Arbitrary<TomlTree> {
  const { depth, sealed, names } = options;
  const node: fc.Arbitrary<TomlNode> =
    depth <= 0
      ? value(0, !sealed).map((text) => ({ t: 'value', text }))
      : fc.oneof(
          {
            weight: 6,
            arbitrary: value(depth - 1, !sealed).map((text): TomlNode => ({ t: 'value', text })),
          },
          ...(sealed
            ? (['dotted', 'inline'] as const)
            : (['header', 'implicit', 'dotted', 'inline'] as const)
          ).map((form) => ({
            weight: form === 'header' ? 2 : 1,
            arbitrary: tree({
              ...options,
              depth: depth - 1,
              sealed: sealed || form === 'dotted' || form === 'inline',
            }).map((table): TomlNode => ({ t: 'table', form, table })),
          })),
          ...(sealed
            ? []
            : [
                {
                  weight: 1,
                  arbitrary: fc
                    .array(tree({ ...options, depth: depth - 1 }), { minLength: 1, maxLength: 3 })
                    .map((elements): TomlNode => ({ t: 'aot', elements })),
                },
              ]),
        );
  return fc
    .uniqueArray(fc.record({ name: names, spell: spelling(), trivia: trivia(), node }), {
      selector: (entry) => entry.name,
      maxLength: options.maxEntries ?? 4,
    })
    .map((entries) => ({ entries }));
}

// ---- Rendering --------------------------------------------------------------------------------

const BARE = /^[A-Za-z0-9_-]+$/;

export function keyText(name: string, spell: Spelling): string {
  if (spell === 'bare' && BARE.test(name)) return name;
  if (spell === 'literal' && !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(name)) return `'${name}'`;
  if (spell === 'escaped' && name !== '') {
    const first = name.codePointAt(0)!;
    const rest = [...name].slice(1).join('');
    return `"${first > 0xffff ? `\\U${hex(first, 8)}` : `\\u${hex(first, 4)}`}${basicQuoted(rest).slice(1)}`;
  }
  return basicQuoted(name);
}

const key = (entry: TomlEntry): string => keyText(entry.name, entry.spell);

/** The entries of a table as `key = value` lines (dotted tables flattened into dotted keys). */
function bodyLines(table: TomlTree, prefix: TomlEntry[] = []): string[] {
  const lines: string[] = [];
  for (const entry of table.entries) {
    const node = entry.node;
    const path = [...prefix, entry];
    const keyPath = path
      .map((e, i) => (i === 0 ? key(e) : `${path[i - 1]!.trivia.dot}${key(e)}`))
      .join('');
    const line = (text: string): string[] => [
      ...entry.trivia.before,
      `${entry.trivia.indent}${keyPath}${entry.trivia.eq}${text}${entry.trivia.after}`,
    ];
    if (node.t === 'value') lines.push(...line(node.text));
    else if (node.t === 'table' && node.form === 'inline')
      lines.push(...line(inlineText(node.table)));
    else if (node.t === 'table' && node.form === 'dotted') {
      if (node.table.entries.length === 0) lines.push(...line('{}'));
      else {
        lines.push(...entry.trivia.before);
        lines.push(...bodyLines(node.table, path));
      }
    }
  }
  return lines;
}

/** `{ a = 1, b.c = "x" }`: dotted tables flattened, inline ones nested. */
export function inlineText(table: TomlTree): string {
  const parts: string[] = [];
  const visit = (t: TomlTree, prefix: TomlEntry[]): void => {
    for (const entry of t.entries) {
      const node = entry.node;
      const path = [...prefix, entry];
      const keyPath = path
        .map((e, i) => (i === 0 ? key(e) : `${path[i - 1]!.trivia.dot}${key(e)}`))
        .join('');
      if (node.t === 'table' && node.form === 'dotted' && node.table.entries.length > 0)
        visit(node.table, path);
      else {
        const text =
          node.t === 'value' ? node.text : node.t === 'table' ? inlineText(node.table) : '[]';
        parts.push(`${keyPath}${entry.trivia.eq}${text}`);
      }
    }
  };
  visit(table, []);
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

const onlySections = (table: TomlTree): boolean =>
  table.entries.length > 0 &&
  table.entries.every(
    (e) =>
      e.node.t === 'aot' ||
      (e.node.t === 'table' && (e.node.form === 'header' || e.node.form === 'implicit')),
  );

/** The `[header]` and `[[array]]` sections under `path`, each followed by its body. */
function sections(table: TomlTree, path: TomlEntry[]): string[] {
  const lines: string[] = [];
  const headerKey = (entries: TomlEntry[]): string =>
    entries.map((e, i) => (i === 0 ? key(e) : `${entries[i - 1]!.trivia.dot}${key(e)}`)).join('');
  for (const entry of table.entries) {
    const node = entry.node;
    const here = [...path, entry];
    const { before, indent, pad, after } = entry.trivia;
    if (node.t === 'table' && (node.form === 'header' || node.form === 'implicit')) {
      if (node.form === 'header' || !onlySections(node.table))
        lines.push(
          ...before,
          `${indent}[${pad}${headerKey(here)}${pad}]${after}`,
          ...bodyLines(node.table),
        );
      lines.push(...sections(node.table, here));
    } else if (node.t === 'aot') {
      for (const element of node.elements)
        lines.push(
          ...before,
          `${indent}[[${pad}${headerKey(here)}${pad}]]${after}`,
          ...bodyLines(element),
          ...sections(element, here),
        );
    }
  }
  return lines;
}

export interface Layout {
  /** The file's line breaks in turn (LF, CRLF, or a mix: TOML has no lone CR). */
  eol: () => string;
  finalNewline: boolean;
  /** Lines at the very top (comments, blanks) before anything else. */
  head: string[];
}

export const layout = (): fc.Arbitrary<Layout> =>
  fc.record({
    eol: fc.oneof(
      fc.constantFrom('\n', '\r\n').map((eol) => () => eol),
      fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 6 }).map((mix) => {
        let i = 0;
        return () => mix[i++ % mix.length]!;
      }),
    ),
    finalNewline: fc.boolean(),
    head: fc.array(blankLine(), { maxLength: 2 }),
  });

/** The file: the root's key-values, then its sections; each `\n` becomes the file's next line break. */
export function renderToml(root: TomlTree, style: Layout): string {
  const lines = [...style.head, ...bodyLines(root), ...sections(root, [])];
  if (lines.length === 0) return '';
  const text = lines.join('\n') + (style.finalNewline ? '\n' : '');
  return text.replace(/\n/g, () => style.eol());
}

/** A readable dump of what a case generated, for a failure's report. */
export const describeTree = (root: TomlTree): string => JSON.stringify(root);
