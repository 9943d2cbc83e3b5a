/**
 * Terraform CLI configuration files (.terraformrc, terraform.rc) in HCL's native syntax as people
 * write them: `#`, `//` and `/* *\/` comments, blank lines, attributes with strings (escapes,
 * `${…}` templates), numbers, lists and heredocs, and the blocks Terraform reads (credentials of
 * other hosts that look like the instance's, credentials_helper, provider_installation with
 * nested blocks, host with services), LF or CRLF, a final newline or not.
 *
 * A file is made of items, each whole lines; the instance's own `credentials` block, when there
 * is one, is one of a few shapes whose outcome the property knows.
 */
import fc from 'fast-check';
import { lineText, lookalikeHost, word } from './text-arbitraries.js';

/** The instance's credentials block as the person had it, and what Artikey does with it. */
export type OwnShape =
  /** Multi-line, with a plain token: configure replaces it, unconfigure takes the token line out. */
  | 'token'
  /** Multi-line, without a token: configure adds one before `}`, unconfigure takes it out again. */
  | 'no-token'
  /** One line with a token: configure replaces it, unconfigure takes the whole line out. */
  | 'one-line'
  /**
   * Refused (tool-file-conflict): a templated token, a one-line block without one, two blocks,
   * credentials HCL v1 reads as an object or nested without a label.
   */
  | 'conflict';

export interface HclItem {
  /** The item's lines, without their breaks. */
  lines: string[];
  /** Index in `lines` of the person's token line of the instance's block ('token' shape). */
  tokenLine?: number;
}

export interface HclFile {
  items: HclItem[];
  own: OwnShape | null;
  /** Each item's text with its line breaks; `text` is their concatenation. */
  chunks: string[];
  text: string;
  eol: string;
  /** The person's old token in the instance's block, when it has one. */
  oldToken: string | null;
}

/** Hosts as Terraform compares them (svchost.ForComparison): case folded, the default port 443 dropped. */
export const sameHost = (a: string, b: string): boolean =>
  a.toLowerCase().replace(/:443$/, '') === b.toLowerCase().replace(/:443$/, '');

const indent = (): fc.Arbitrary<string> => fc.constantFrom('', '  ', '    ', '\t', ' ');
const spaces = (): fc.Arbitrary<string> => fc.constantFrom(' ', '  ', '\t', '');

/** Text for a comment: no line break, and no `*\/` that would end a block comment early. */
const commentText = (): fc.Arbitrary<string> =>
  lineText({ maxLength: 5 }).map((t) => t.replace(/\*\//g, '*'));

const comment = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('#', '//', '/*'), commentText())
    .map(([mark, text]) => (mark === '/*' ? `/* ${text} */` : `${mark}${text}`));

/** Inside a quoted string: plain text, the escapes HCL reads, `${…}` templates and `$${` / `%{`. */
const stringText = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: lineText({ maxLength: 3, exclude: /["\\$%{}]/ }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom('\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\\U0001F600', '\\r'),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '${var.x}',
            '${"in"}',
            '$${HOME}',
            '%{if true}y%{endif}',
            '$HOME',
          ),
        },
      ),
      { maxLength: 5 },
    )
    .map((parts) => parts.join(''));

const quoted = (): fc.Arbitrary<string> => stringText().map((t) => `"${t}"`);

/** An attribute's value on one line, or a heredoc or a list over several. */
const value = (): fc.Arbitrary<string[]> =>
  fc.oneof(
    { weight: 5, arbitrary: quoted().map((q) => [q]) },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', '42', '1.5').map((v) => [v]) },
    {
      weight: 1,
      arbitrary: fc.array(quoted(), { maxLength: 3 }).map((items) => [`[${items.join(', ')}]`]),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(quoted(), { minLength: 1, maxLength: 3 }), comment())
        .map(([items, c]) => [
          '[',
          ...items.map((i) => `  ${i}, ${c.startsWith('/*') ? '' : c}`),
          ']',
        ]),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('EOF', 'EOT', 'END_OF_TEXT', 'EOF2', '1', 'Ω'),
          fc.boolean(),
          fc.array(lineText({ maxLength: 4 }), { maxLength: 3 }),
          // HCL v1 lets the closing marker be indented (with <<- it must be).
          fc.constantFrom('', '', ' ', '  ', '\t'),
        )
        .map(([marker, dash, body, indent]) => [
          `<<${dash ? '-' : ''}${marker}`,
          ...body.filter((l) => l.trim() !== marker),
          `${dash && indent === '' ? '  ' : indent}${marker}`,
        ]),
    },
  );

const attribute = (
  name: fc.Arbitrary<string>,
  values: fc.Arbitrary<string[]> = value(),
): fc.Arbitrary<string[]> =>
  fc
    .tuple(name, spaces(), values, fc.option(comment(), { freq: 3 }))
    .map(([n, sp, [first, ...rest], c]) => {
      const lines = [`${n}${sp}=${sp === '' ? '' : ' '}${first!}`, ...rest];
      // A trailing comment goes after the value's last line, unless that ends a heredoc.
      if (c !== null && rest.length === 0) lines[0] = `${lines[0]} ${c}`;
      return lines;
    });

/** Top-level settings: Terraform's own with the types it decodes, and unknown ones of any value. */
const topAttribute = (): fc.Arbitrary<string[]> =>
  fc.oneof(
    attribute(
      fc.constantFrom('disable_checkpoint', 'disable_checkpoint_signature'),
      fc.constantFrom('true', 'false').map((v) => [v]),
    ),
    attribute(
      fc.constant('plugin_cache_dir'),
      quoted().map((q) => [q]),
    ),
    attribute(word().map((w) => w.replace(/[.]/g, '_'))),
  );

/** A block's body, indented: attributes, comments, blank lines, each a group of whole lines. */
const bodyGroups = (names: fc.Arbitrary<string>): fc.Arbitrary<string[][]> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.tuple(indent(), attribute(names)) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            indent(),
            comment().map((c) => [c]),
          ),
        },
        { weight: 1, arbitrary: fc.constant(['', ['']] as [string, string[]]) },
      ),
      { maxLength: 4 },
    )
    .map((parts) =>
      parts.map(([pad, lines]) =>
        lines.map((l, i) => (i === 0 || !lines[0]!.includes('<<') ? `${pad}${l}` : l)),
      ),
    );

const body = (names: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  bodyGroups(names).map((groups) => groups.flat());

const block = (head: string, inner: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> =>
  fc
    .tuple(inner, fc.constantFrom(' ', '  ', '\t'), fc.option(comment(), { freq: 4 }))
    .map(([lines, sp, c]) => [`${head}${sp}{${c === null ? '' : ` ${c}`}`, ...lines, '}']);

/** Blocks Terraform reads beside credentials: a helper, provider installation (nested), host services. */
const otherBlock = (host: string, port: number | null): fc.Arbitrary<string[]> =>
  fc.oneof(
    lookalikeHost(host, port)
      // Terraform's svchost takes these as the instance's own host: not look-alikes.
      .filter((other) => sameHost(other, port === null ? host : `${host}:${port}`) === false)
      .chain((other) =>
        fc.oneof(
          block(`credentials "${other}"`, body(fc.constantFrom('token', 'token', 'other'))),
          fc
            .tuple(quoted(), spaces())
            .map(([t, sp]) => [`credentials "${other}"${sp}{ token = ${t} }`]),
        ),
      ),
    block(
      `credentials_helper "${'artifactory'}"`,
      fc.array(quoted(), { maxLength: 3 }).map((args) => [`  args = [${args.join(', ')}]`]),
    ),
    fc
      .tuple(body(fc.constantFrom('url', 'include', 'exclude')), fc.boolean())
      .map(([inner, direct]) => [
        'provider_installation {',
        '  network_mirror {',
        '    url = "https://mirror.example/providers/"',
        ...inner.map((l) => `  ${l}`),
        '  }',
        ...(direct
          ? ['  direct {', '    exclude = ["registry.terraform.io/hashicorp/*"]', '  }']
          : []),
        '}',
      ]),
    fc
      .tuple(fc.constantFrom('example.com', host.toUpperCase(), `sub.${host}`), quoted())
      .map(([h, url]) => [
        `host "${h}" {`,
        '  services = {',
        `    "modules.v1" = ${url},`,
        '  }',
        '}',
      ]),
  );

const otherItem = (host: string, port: number | null): fc.Arbitrary<HclItem> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t').map((b) => ({ lines: [b] })) },
    { weight: 2, arbitrary: comment().map((c) => ({ lines: [c] })) },
    {
      weight: 1,
      arbitrary: fc
        .array(commentText(), { minLength: 1, maxLength: 3 })
        .map((texts) => ({ lines: ['/*', ...texts.map((t) => ` * ${t}`), ' */'] })),
    },
    { weight: 3, arbitrary: topAttribute().map((lines) => ({ lines })) },
    { weight: 3, arbitrary: otherBlock(host, port).map((lines) => ({ lines })) },
  );

/** The instance's block in one of the known shapes, with the person's old token where it has one. */
const ownItems = (
  label: fc.Arbitrary<string>,
  old: string,
): fc.Arbitrary<{ shape: OwnShape; items: HclItem[] }> =>
  fc.oneof(
    fc
      .tuple(
        label,
        bodyGroups(fc.constantFrom('other', 'note')),
        fc.nat(),
        indent(),
        fc.option(comment()),
      )
      .map(([l, groups, at, pad, c]) => {
        const token = `${pad === '' ? '  ' : pad}token = "${old}"${c === null || c.startsWith('/*') ? '' : ` ${c}`}`;
        // Between whole settings of the body, never inside a list or heredoc.
        const cut = at % (groups.length + 1);
        const before = groups.slice(0, cut).flat();
        const lines = [`credentials "${l}" {`, ...before, token, ...groups.slice(cut).flat(), '}'];
        return { shape: 'token' as const, items: [{ lines, tokenLine: before.length + 1 }] };
      }),
    fc
      .tuple(label, body(fc.constantFrom('other', 'note')))
      .filter(([, inner]) => inner.length > 0)
      .map(([l, inner]) => ({
        shape: 'no-token' as const,
        items: [{ lines: [`credentials "${l}" {`, ...inner, '}'] }],
      })),
    fc.tuple(label, spaces()).map(([l, sp]) => ({
      shape: 'one-line' as const,
      items: [{ lines: [`credentials "${l}"${sp}{ token = "${old}" }`] }],
    })),
    fc
      .tuple(label, fc.constantFrom('{}', '{ other = 1 }', '{\n  token = "${env.TOKEN}"\n}'))
      .map(([l, rest]) => ({
        shape: 'conflict' as const,
        items: [{ lines: `credentials "${l}" ${rest}`.split('\n') }],
      })),
    // Spellings HCL v1 reads as the same block: a bare label, a quoted block type.
    fc
      .tuple(label, fc.constantFrom('credentials {0} {', '"credentials" "{0}" {'))
      .map(([l, head]) => ({
        shape: 'token' as const,
        items: [{ lines: [head.replace('{0}', l), `  token = "${old}"`, '}'], tokenLine: 1 }],
      })),
    fc
      .tuple(
        label,
        fc.constantFrom(
          (l: string) => ['credentials {', `  "${l}" {`, `    token = "${old}"`, '  }', '}'],
          (l: string) => [`credentials = { "${l}" = { token = "${old}" } }`],
        ),
      )
      .map(([l, spelling]) => ({ shape: 'conflict' as const, items: [{ lines: spelling(l) }] })),
    fc.tuple(label, label).map(([a, b]) => ({
      shape: 'conflict' as const,
      items: [
        { lines: [`credentials "${a}" {`, `  token = "${old}"`, '}'] },
        { lines: [`credentials "${b}" {`, '  token = "x"', '}'] },
      ],
    })),
  );

export const hclFile = (options: {
  host: string;
  port: number | null;
  old: string;
}): fc.Arbitrary<HclFile> => {
  const hostPort = options.port === null ? options.host : `${options.host}:${options.port}`;
  // Spellings Terraform reads as the instance's host: capitals, the default port written out.
  const label = fc.constantFrom(
    hostPort,
    hostPort,
    hostPort.toUpperCase(),
    ...(options.port === null ? [`${options.host}:443`] : []),
  );
  return fc
    .record({
      others: fc.array(otherItem(options.host, options.port), { maxLength: 8 }),
      own: fc.option(ownItems(label, options.old), { freq: 2 }),
      at: fc.nat(),
      eol: fc.constantFrom('\n', '\r\n'),
      finalNewline: fc.boolean(),
    })
    .map(({ others, own, at, eol, finalNewline }) => {
      const items = [...others];
      if (own !== null) items.splice(at % (items.length + 1), 0, ...own.items);
      const chunks = items.map((item, index) =>
        item.lines
          .map((line, i) =>
            index === items.length - 1 && i === item.lines.length - 1 && !finalNewline
              ? line
              : `${line}${eol}`,
          )
          .join(''),
      );
      return {
        items,
        own: own?.shape ?? null,
        chunks,
        text: chunks.join(''),
        eol,
        oldToken: own !== null && own.shape !== 'no-token' ? options.old : null,
      };
    });
};

/** Breaks a file HCL cannot read: a string, block, comment or heredoc left open, a stray brace. */
export const brokenHcl = (file: fc.Arbitrary<HclFile>): fc.Arbitrary<string> =>
  fc
    .tuple(
      file,
      fc.constantFrom(
        'broken = "never closed',
        'credentials "x" {',
        '/* never closed',
        'note = <<EOF',
        // Closing markers HCL v1 does not take: spaces after, unindented after <<-, a dotted marker.
        'note = <<EOF\nEOF ',
        'note = <<-EOF\nEOF',
        'note = <<E.F\nE.F',
        '}',
        'a = "bad \\q escape"',
        '= "no name"',
      ),
      fc.nat(),
    )
    .map(([f, bad, at]) => {
      // After the last item: a block left open or a heredoc left open swallows the rest otherwise.
      const i = bad === '}' ? at % (f.chunks.length + 1) : f.chunks.length;
      const before = f.chunks.slice(0, i).join('');
      const start = before === '' || before.endsWith('\n') ? '' : f.eol;
      return `${before}${start}${bad.replaceAll('\n', f.eol)}${f.eol}${f.chunks.slice(i).join('')}`;
    });
