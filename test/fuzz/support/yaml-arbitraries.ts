/**
 * YAML files as people and tools write them, for the YAML editor's suite (test/fuzz/yaml.suite.ts):
 * a small tree of mappings, sequences and scalars rendered in every style YAML allows (block and
 * flow, plain, quoted, literal and folded scalars, tags, anchors and aliases, merge keys, comments
 * wherever one may stand, 2 or 4 spaces, sequences indented or not, `---` and `...`), with the
 * entries Artikey writes (or look-alikes of them) among them.
 */
import fc from 'fast-check';
import { lineText, word } from './text-arbitraries.js';

/** `value` one time in `inN`, else null. */
export const rarely = <T>(value: fc.Arbitrary<T>, inN: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: inN - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

export type Style = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface Scalar {
  t: 'scalar';
  text: string;
  style: Style;
  /** `!!str` before it. */
  tag: boolean;
}
export interface Alias {
  t: 'alias';
  name: string;
}
export interface Entry {
  key: string;
  keyStyle: 'plain' | 'single' | 'double';
  value: Node | null;
  /** Comment lines before the entry, each with its own indentation. */
  comments: { indent: number; text: string }[];
  blankBefore: boolean;
  /** A comment after the value (or after the colon of a nested collection). */
  trailing: string | null;
  anchor: string | null;
}
export interface YMap {
  t: 'map';
  entries: Entry[];
  flow: boolean;
}
export interface YSeq {
  t: 'seq';
  items: Node[];
  flow: boolean;
  /** Items that are mappings start on the dash's line (`- a: 1`) or on the next one. */
  compact: boolean;
}
export type Node = Scalar | Alias | YMap | YSeq;

export interface Layout {
  unit: 2 | 4;
  /** `key:\n  - item` rather than `key:\n- item`. */
  indentSequences: boolean;
  documentStart: string | null;
  documentEnd: string | null;
  header: string[];
  footer: string[];
}

/** Characters YAML 1.1 readers (PyYAML, Go's yaml.v2) take as line breaks and YAML 1.2 ones do not. */
const BREAKS_1_1 = /[\u0085\u2028\u2029]/;

/** Text for comments and quoted scalars: anything printable on one line. */
export const yamlText = (): fc.Arbitrary<string> => lineText({ exclude: BREAKS_1_1 });

/** Plain scalars every reader takes the same way in block and flow context (and ones that read as numbers, booleans, null). */
const plainText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: word() },
    { weight: 2, arbitrary: fc.tuple(word(), word()).map(([a, b]) => `${a} ${b}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('https://', 'http://', '//'),
          word(),
          fc.constantFrom('/', '/a/b', ':8443/x/'),
        )
        .map((parts) => parts.join('')),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '123',
        '0o17',
        '017',
        '0x1F',
        '1.5',
        '1e3',
        'yes',
        'No',
        'on',
        'y',
        'true',
        'False',
        'null',
        '~',
        '2001-12-14',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom('é', '中文', '😀', 'a\u0301') },
  );

/** A scalar for inside a flow collection or a key (no block styles). */
export const flowScalar = (): fc.Arbitrary<Scalar> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('scalar' as const),
        text: plainText(),
        style: fc.constant<Style>('plain'),
        tag: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('scalar' as const),
        text: yamlText(),
        style: fc.constantFrom<Style>('single', 'double'),
        tag: fc.boolean(),
      }),
    },
  );

/** Any scalar, literal and folded too. */
export const scalar = (): fc.Arbitrary<Scalar> =>
  fc.oneof(
    { weight: 4, arbitrary: flowScalar() },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('scalar' as const),
        text: fc
          .array(
            fc.oneof(
              word(),
              yamlText().map((t) => t.replace(/^[\s\ufeff]+/, '')),
            ),
            { minLength: 1, maxLength: 3 },
          )
          .map((lines) => lines.join('\n')),
        style: fc.constantFrom<Style>('literal', 'folded'),
        tag: fc.boolean(),
      }),
    },
  );

const comment = (): fc.Arbitrary<{ indent: number; text: string }> =>
  fc.record({ indent: fc.constantFrom(0, 2, 4, 1), text: yamlText() });

/** An entry of a mapping with the given key and value, decorated at random. */
export const entry = (
  key: fc.Arbitrary<string>,
  value: fc.Arbitrary<Node | null>,
  anchors = false,
): fc.Arbitrary<Entry> =>
  fc.record({
    key,
    keyStyle: fc.constantFrom<Entry['keyStyle']>('plain', 'plain', 'single', 'double'),
    value,
    comments: fc.array(comment(), { maxLength: 2 }),
    blankBefore: fc.boolean(),
    trailing: rarely(yamlText(), 3),
    anchor: anchors
      ? rarely(
          word().map((w) => `a${w.replace(/[^A-Za-z0-9]/g, '')}`),
          5,
        )
      : fc.constant(null),
  });

export const map = (entries: fc.Arbitrary<Entry[]>): fc.Arbitrary<YMap> =>
  fc.record({
    t: fc.constant('map' as const),
    entries,
    flow: fc.oneof(
      { weight: 4, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  });

export const seq = (items: fc.Arbitrary<Node[]>): fc.Arbitrary<YSeq> =>
  fc.record({
    t: fc.constant('seq' as const),
    items,
    flow: fc.oneof(
      { weight: 4, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    compact: fc.boolean(),
  });

/** Someone else's settings: nested mappings and lists of scalars, in any style. */
export const otherValue = (depth = 1): fc.Arbitrary<Node | null> => {
  const leaf = fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 6, arbitrary: scalar() as fc.Arbitrary<Node> },
  );
  if (depth === 0) return leaf;
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: map(
        fc.uniqueArray(entry(word(), otherValue(depth - 1)), {
          maxLength: 3,
          selector: (e) => e.key,
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: seq(
        fc.array(
          fc.oneof(
            scalar() as fc.Arbitrary<Node>,
            map(
              fc.uniqueArray(entry(word(), otherValue(0)), {
                minLength: 1,
                maxLength: 2,
                selector: (e) => e.key,
              }),
            ),
          ),
          { maxLength: 3 },
        ),
      ),
    },
  );
};

export const layout = (): fc.Arbitrary<Layout> =>
  fc.record({
    unit: fc.constantFrom<2 | 4>(2, 4),
    indentSequences: fc.boolean(),
    documentStart: fc.option(fc.constantFrom('---', '--- # settings', '---  '), { nil: null }),
    documentEnd: rarely(fc.constantFrom('...', '... # end'), 5),
    header: fc.array(
      yamlText().map((t) => `# ${t}`),
      { maxLength: 2 },
    ),
    footer: fc.array(
      yamlText().map((t) => `# ${t}`),
      { maxLength: 2 },
    ),
  });

const pad = (n: number): string => ' '.repeat(n);

function quoteKey(key: string, style: Entry['keyStyle']): string {
  if (style === 'double' || !isPlainSafe(key)) return JSON.stringify(key);
  if (style === 'single') return `'${key.replace(/'/g, "''")}'`;
  return key;
}

/** Whether a text can stand as a plain scalar (key or value) in block and flow context alike. */
function isPlainSafe(text: string): boolean {
  return (
    text !== '' &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`<=]/.test(text) &&
    !/[\s]$/.test(text) &&
    !/: |:$| #|[,[\]{}\t]/.test(text) &&
    !/[\r\n\ufeff]/.test(text) &&
    !text.startsWith('---') &&
    !text.startsWith('...')
  );
}

/** A scalar on one line: plain when it can be, else double-quoted. */
function inline(node: Scalar): string {
  const tag = node.tag ? '!!str ' : '';
  if (node.style === 'plain' && isPlainSafe(node.text)) return tag + node.text;
  if (node.style === 'single' && !/\n/.test(node.text))
    return `${tag}'${node.text.replace(/'/g, "''")}'`;
  return tag + JSON.stringify(node.text);
}

function flow(node: Node | null): string {
  // No value in flow style: an empty string (where Artikey needs a mapping, a refusal).
  if (node === null) return "''";
  switch (node.t) {
    case 'scalar':
      return inline(node);
    case 'alias':
      return `*${node.name}`;
    case 'map':
      return `{${node.entries.map((e) => `${quoteKey(e.key, e.keyStyle)}: ${flow(e.value)}`).join(', ')}}`;
    case 'seq':
      return `[${node.items.map(flow).join(', ')}]`;
  }
}

const trailing = (text: string | null): string => (text === null ? '' : ` # ${text}`);

/** The lines of a block mapping whose keys stand at column `at`. */
export function blockMap(node: YMap, at: number, layout: Layout): string[] {
  const lines: string[] = [];
  for (const e of node.entries) {
    for (const c of e.comments) lines.push(`${pad(c.indent)}# ${c.text}`);
    if (e.blankBefore) lines.push('');
    const head = `${pad(at)}${quoteKey(e.key, e.keyStyle)}:${e.anchor === null ? '' : ` &${e.anchor}`}`;
    lines.push(...valueLines(head, e.value, e.trailing, at, layout));
  }
  return lines;
}

/** `head` (`key:` or `-`) followed by the value, inline or on the lines below. */
function valueLines(
  head: string,
  value: Node | null,
  comment: string | null,
  at: number,
  layout: Layout,
): string[] {
  if (value === null) return [`${head}${trailing(comment)}`];
  if (value.t === 'alias') return [`${head} *${value.name}${trailing(comment)}`];
  if (value.t === 'scalar') {
    if (value.style === 'literal' || value.style === 'folded') {
      const indicator = value.style === 'literal' ? '|' : '>';
      const body = value.text
        .split('\n')
        .map((l) => (l === '' ? '' : `${pad(at + layout.unit)}${l}`));
      return [`${head} ${value.tag ? '!!str ' : ''}${indicator}${trailing(comment)}`, ...body];
    }
    return [`${head} ${inline(value)}${trailing(comment)}`];
  }
  const empty = value.t === 'map' ? value.entries.length === 0 : value.items.length === 0;
  if (value.flow || empty) return [`${head} ${flow(value)}${trailing(comment)}`];
  if (value.t === 'map')
    return [`${head}${trailing(comment)}`, ...blockMap(value, at + layout.unit, layout)];
  const dash = layout.indentSequences ? at + layout.unit : at;
  return [`${head}${trailing(comment)}`, ...blockSeq(value, dash, layout)];
}

/** The lines of a block sequence whose dashes stand at column `at`. */
export function blockSeq(node: YSeq, at: number, layout: Layout): string[] {
  const lines: string[] = [];
  for (const item of node.items) {
    if (item.t === 'map' && !item.flow && item.entries.length > 0) {
      if (node.compact) {
        // `- key: value` and the other keys under the first, two columns in.
        const inner = blockMap(
          {
            ...item,
            entries: item.entries.map((e, i) =>
              i === 0 ? { ...e, comments: [], blankBefore: false } : e,
            ),
          },
          at + 2,
          layout,
        );
        const first = inner.findIndex(
          (l) => l.startsWith(pad(at + 2)) && !l.trimStart().startsWith('#') && l.trim() !== '',
        );
        inner[first] = `${pad(at)}- ${inner[first]!.slice(at + 2)}`;
        lines.push(...inner);
      } else lines.push(`${pad(at)}-`, ...blockMap(item, at + 2, layout));
      continue;
    }
    lines.push(...valueLines(`${pad(at)}-`, item, null, at, layout));
  }
  return lines;
}

/** A whole document: header comments, `---`, the root mapping, `...`, footer comments. */
export function render(root: YMap, layout: Layout): string[] {
  const body = root.flow ? [flow(root)] : blockMap(root, 0, layout);
  return [
    ...layout.header,
    ...(layout.documentStart === null ? [] : [layout.documentStart]),
    ...body,
    ...(layout.documentEnd === null ? [] : [layout.documentEnd]),
    ...(layout.documentEnd === null ? [] : layout.footer),
  ];
}

/** Joins lines with the file's breaks, a final one or not. */
export const joinLines = (lines: string[], eol: () => string, finalBreak: boolean): string =>
  lines.map((l, i) => (i < lines.length - 1 || finalBreak ? l + eol() : l)).join('');

/**
 * Self-contained top-level entries with anchors, aliases, merge keys and tags: what a shared
 * `.yarnrc.yml` or a generated `repositories.yaml` may hold beside Artikey's entries.
 */
export const sharingSnippet = (unit: number): fc.Arbitrary<string[]> =>
  fc.tuple(word(), word(), flowScalar()).map(([rawA, b, s]) => {
    // Anchor names: YAML 1.1 readers (PyYAML, yaml.v2) take letters, digits, `-` and `_` only.
    const a = rawA.replace(/[^A-Za-z0-9]/g, '');
    const p = pad(unit);
    return [
      `shared_x${a}: &base${a}`,
      `${p}timeout: 60`,
      `${p}label: ${inline(s)}`,
      `shared_y${b}:`,
      `${p}<<: *base${a}`,
      `${p}extra: !!str 1`,
      `shared_z${b}: *base${a}`,
    ];
  });
