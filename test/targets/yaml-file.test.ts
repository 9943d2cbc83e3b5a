import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  editYaml,
  existingDepth,
  readYaml,
  type YamlPath,
} from '../../electron/core/targets/yaml-file.js';
import { editToolFile } from '../../electron/core/targets/tool-file.js';

const REGISTRY = '//acme.jfrog.io/artifactory/api/npm/npm-virtual/';
const TOKEN_PATH: YamlPath = ['npmRegistries', REGISTRY, 'npmAuthToken'];
const ALWAYS_PATH: YamlPath = ['npmRegistries', REGISTRY, 'npmAlwaysAuth'];
const FILE = '.yarnrc.yml';

/** What a YAML 1.1 reader outside Node makes of the text (PyYAML, as Helm's Go reader is 1.1 too). */
function python(text: string): unknown {
  const run = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'],
    { input: text, encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as unknown;
}

/** The whole document as the `yaml` library reads it. */
const load = (text: string): unknown => readYaml(text, [], FILE)?.value;

/** Artikey's Yarn write and its exact removal, as a target would drive them. */
function configure(text: string, token: string): { text: string; keep: number } {
  const keep = existingDepth(text, ['npmRegistries', REGISTRY], FILE);
  const written = editYaml(
    text,
    [
      { path: TOKEN_PATH, set: token },
      { path: ALWAYS_PATH, set: true },
    ],
    FILE,
  );
  return { text: written, keep };
}
const unconfigure = (text: string, keep: number): string =>
  editYaml(text, [{ path: ['npmRegistries', REGISTRY], remove: true, keep }], FILE);

describe('YAML splicing (.yarnrc.yml)', () => {
  const fixtures: Record<string, string> = {
    empty: '',
    'only comments, no final newline': '# Yarn settings\n# more',
    'Yarn as it writes itself':
      'nodeLinker: node-modules\n\nyarnPath: .yarn/releases/yarn-4.5.0.cjs\n',
    'comments everywhere, CRLF, quoted keys and another registry':
      '# head\r\nnpmRegistries:   # registries\r\n  # before\r\n  "//npm.corp/":\r\n    npmAuthToken: \'abc\'  # theirs\r\n    # inside\r\n\r\n# between\r\nenableTelemetry: false # off\r\n',
    'a byte-order mark and no final newline':
      '\uFEFFnodeLinker: pnp\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://npm.corp"',
    'flow style registries':
      'npmRegistries: {"//npm.corp/": {npmAuthToken: x}}  # flow\nx: [1, 2]\n',
    'an empty flow mapping': 'npmRegistries: {}\n',
    'a key with nothing under it': 'npmRegistries:\n# later\nfoo: bar\n',
    'anchors and aliases elsewhere, block scalars, four-space indent':
      'base: &b\n    a: 1\nother:\n    <<: *b\n    note: |\n        keep\n          this\nnpmRegistries:\n    "//npm.corp/":\n        npmAlwaysAuth: true\n',
    'a document start marker and tabs in comments': '---\n#\tcomment\nfoo: "bar # not a comment"\n',
    'a bare key at the very end, no final newline': 'a: 1\nnpmRegistries:',
    'a long folded string and a document end marker':
      'npmRegistries:\n  "//npm.corp/":\n    npmAuthToken: >-\n      folded\n      token\n...\n',
    'Windows paths, single quotes and a multi-line flow list':
      "cacheFolder: 'C:\\yarn\\cache'\npackageExtensions: [\n  a,\n  b\n]\nnpmRegistries:\n  '//npm.corp/': {npmAlwaysAuth: true}\n",
  };

  it.each(Object.entries(fixtures))(
    '%s: adds, updates, and removes back to the original bytes',
    (_, original) => {
      const { text: added, keep } = configure(original, 'OLD-TOKEN');
      expect(added).not.toBe(original);
      expect(readYaml(added, TOKEN_PATH, FILE)?.value).toBe('OLD-TOKEN');
      expect(readYaml(added, ALWAYS_PATH, FILE)?.value).toBe(true);
      // Everything else reads as before, by the `yaml` library and by PyYAML.
      const registries = (load(added) as { npmRegistries: Record<string, unknown> }).npmRegistries;
      expect(registries[REGISTRY]).toEqual({ npmAuthToken: 'OLD-TOKEN', npmAlwaysAuth: true });
      const before = (load(original) ?? {}) as Record<string, unknown>;
      const after = load(added) as Record<string, unknown>;
      expect({ ...after, npmRegistries: null }).toEqual({ ...before, npmRegistries: null });
      expect(python(added)).toEqual(JSON.parse(JSON.stringify(after)));

      expect(configure(added, 'OLD-TOKEN').text).toBe(added);
      const updated = configure(added, 'NEW-TOKEN').text;
      expect(updated).toBe(added.replace('OLD-TOKEN', 'NEW-TOKEN'));
      expect(unconfigure(updated, keep)).toBe(original);
      expect(unconfigure(original, keep)).toBe(original);
    },
  );

  it('lays new entries out like their neighbours, in the file’s line endings', () => {
    const crlf = fixtures['comments everywhere, CRLF, quoted keys and another registry']!;
    const { text } = configure(crlf, 'T');
    expect(text).toContain(
      `    npmAuthToken: 'abc'  # theirs\r\n  ${JSON.stringify(REGISTRY)}:\r\n    npmAuthToken: T\r\n    npmAlwaysAuth: true\r\n    # inside\r\n`,
    );
    expect(text.replace(/\r\n/g, '')).toBe(text.replace(/\r\n/g, '').replace(/\n/g, ''));
    const bom = configure(fixtures['a byte-order mark and no final newline']!, 'T').text;
    expect(
      bom.endsWith(
        `\nnpmRegistries:\n  ${JSON.stringify(REGISTRY)}:\n    npmAuthToken: T\n    npmAlwaysAuth: true`,
      ),
    ).toBe(true);
    const flow = configure(fixtures['flow style registries']!, 'T').text;
    expect(flow).toBe(
      `npmRegistries: {"//npm.corp/": {npmAuthToken: x}, ${JSON.stringify(REGISTRY)}: {npmAuthToken: T, npmAlwaysAuth: true}}  # flow\nx: [1, 2]\n`,
    );
  });

  it.each([
    ['a hash and a quote', 'tok#en "with" \'quotes\''],
    ['a colon and spaces', 'a: b # c'],
    ['unicode', 'jéton-🔑-\u00a0x'],
    ['a YAML word', 'yes'],
    ['a number', '0x1F'],
    ['backslashes', 'C:\\path\\'],
  ])('writes a value with %s that every reader reads back exactly', (_, token) => {
    const { text, keep } = configure('foo: bar\n', token);
    expect(readYaml(text, TOKEN_PATH, FILE)?.value).toBe(token);
    const registries = (load(text) as { npmRegistries: Record<string, Record<string, unknown>> })
      .npmRegistries;
    expect(registries[REGISTRY]!['npmAuthToken']).toBe(token);
    expect(python(text)).toEqual({ foo: 'bar', npmRegistries: registries });
    expect(unconfigure(text, keep)).toBe('foo: bar\n');
  });

  it('puts back a value it replaced exactly as the file spelt it', () => {
    const original = "# mine\nnpmRegistryServer: 'https://registry.yarnpkg.com'   # default\n";
    const before = readYaml(original, ['npmRegistryServer'], FILE)!;
    expect(before).toEqual({
      value: 'https://registry.yarnpkg.com',
      raw: "'https://registry.yarnpkg.com'",
      line: 2,
      column: 20,
      plain: false,
    });
    const url = 'https://acme.jfrog.io/artifactory/api/npm/npm-virtual';
    const written = editYaml(original, [{ path: ['npmRegistryServer'], set: url }], FILE);
    expect(written).toBe(`# mine\nnpmRegistryServer: ${url}   # default\n`);
    expect(editYaml(written, [{ path: ['npmRegistryServer'], putBack: before.raw }], FILE)).toBe(
      original,
    );
    expect(() =>
      editYaml(written, [{ path: ['npmRegistryServer'], putBack: 'x\nevil: 1' }], FILE),
    ).toThrow(/not one YAML value/);
    expect(() =>
      editYaml(written, [{ path: ['npmRegistryServer'], putBack: 'a, b: c' }], FILE),
    ).toThrow(/not one YAML value/);
  });

  it('replaces a block scalar value whole, keeping the line after it', () => {
    const text = `npmRegistries:\n  "${REGISTRY}":\n    npmAuthToken: >-\n      folded\n      old\n    npmAlwaysAuth: true\nnext: 1\n`;
    expect(configure(text, 'T').text).toBe(
      `npmRegistries:\n  "${REGISTRY}":\n    npmAuthToken: T\n    npmAlwaysAuth: true\nnext: 1\n`,
    );
  });

  it('indents new mappings by the step the file nests its mappings with, not its list items', () => {
    const text =
      'packageExtensions:\n  - name: a\n    note: x\nnpmScopes:\n   corp:\n      npmRegistryServer: https://x\n';
    expect(configure(text, 'T').text).toBe(
      `${text}npmRegistries:\n   ${JSON.stringify(REGISTRY)}:\n      npmAuthToken: T\n      npmAlwaysAuth: true\n`,
    );
  });

  it('sets a scope registry under npmScopes and takes out only what it created', () => {
    const original = 'npmScopes:\n  other:\n    npmRegistryServer: https://x\n';
    const path = ['npmScopes', 'acme', 'npmRegistryServer'];
    const keep = existingDepth(original, path, FILE);
    expect(keep).toBe(1);
    const written = editYaml(original, [{ path, set: 'https://acme.jfrog.io/a' }], FILE);
    expect(written).toBe(`${original}  acme:\n    npmRegistryServer: https://acme.jfrog.io/a\n`);
    expect(editYaml(written, [{ path: path.slice(0, 2), remove: true, keep }], FILE)).toBe(
      original,
    );
  });
});

describe('YAML splicing (Helm repositories.yaml)', () => {
  const HELM = 'repositories.yaml';
  const entry = (name: string, password: string) => [
    {
      path: ['repositories', { key: 'name', is: name }, 'url'],
      set: 'https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
    },
    { path: ['repositories', { key: 'name', is: name }, 'username'], set: 'alice' },
    { path: ['repositories', { key: 'name', is: name }, 'password'], set: password },
  ];
  const helmWritten =
    'apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- caFile: ""\n  certFile: ""\n  insecure_skip_tls_verify: false\n  keyFile: ""\n  name: bitnami\n  pass_credentials_all: false\n  password: ""\n  url: https://charts.bitnami.com/bitnami\n  username: ""\n';
  const fixtures: Record<string, string> = {
    'as helm repo add writes it': helmWritten,
    'as helm writes it with no repository left':
      'apiVersion: ""\ngenerated: "2024-01-01T00:00:00Z"\nrepositories: []\n',
    'no file yet': '',
    'indented list items and comments':
      'repositories:\n  # ours\n  - name: a\n    url: https://a\n\n  - {name: b, url: "https://b"}\n# end',
  };

  it.each(Object.entries(fixtures))(
    '%s: adds the repository, changes its password, and removes it back to the original bytes',
    (_, original) => {
      const item = ['repositories', { key: 'name', is: 'artikey-helm' }];
      const keep = existingDepth(original, item, HELM);
      const added = editYaml(original, entry('artikey-helm', 'OLD'), HELM);
      const repositories = (load(added) as { repositories: Record<string, unknown>[] })
        .repositories;
      expect(repositories.at(-1)).toEqual({
        name: 'artikey-helm',
        url: 'https://acme.jfrog.io/artifactory/api/helm/helm-virtual',
        username: 'alice',
        password: 'OLD',
      });
      expect(python(added)).toEqual(load(added));
      const updated = editYaml(added, entry('artikey-helm', 'NEW'), HELM);
      expect(updated).toBe(added.replace('OLD', 'NEW'));
      expect(editYaml(updated, [{ path: item, remove: true, keep }], HELM)).toBe(original);
    },
  );

  it('adds list items the way helm lays them out', () => {
    const added = editYaml(helmWritten, entry('artikey-helm', 'T'), HELM);
    expect(added).toBe(
      `${helmWritten}- name: artikey-helm\n  url: https://acme.jfrog.io/artifactory/api/helm/helm-virtual\n  username: alice\n  password: T\n`,
    );
  });
});

describe('YAML files Artikey refuses to edit', () => {
  const refuses = (text: string, message: RegExp): void => {
    expect(() => configure(text, 'T')).toThrow(message);
  };

  it.each([
    [
      'bad indentation',
      'npmRegistries:\n  a: 1\n b: 2\n',
      /not valid YAML at line 3, column 1: All mapping items must start at the same column\. Artikey left it untouched\./,
    ],
    [
      'a duplicate key',
      'foo: 1\nfoo: 2\n',
      /not valid YAML at line 2, column 1: Map keys must be unique/,
    ],
    [
      'a tab as indentation',
      'npmRegistries:\n\t"//x/": {}\n',
      /not valid YAML at line 2, column 1/,
    ],
    [
      'an unclosed flow mapping',
      'npmRegistries: {a: 1\n',
      /not valid YAML at line \d+, column \d+/,
    ],
  ])('names the line and column of %s', (_, text, message) => refuses(text, message));

  it('refuses to edit through an alias or an anchor, naming the line and column', () => {
    refuses(
      'shared: &regs\n  "//npm.corp/": {npmAuthToken: x}\nnpmRegistries: *regs\n',
      /at line 3, column 16 through a YAML alias.*left the file untouched/,
    );
    refuses(
      'npmRegistries: &regs\n  "//npm.corp/": {npmAuthToken: x}\nmore: *regs\n',
      /at line 2, column 3 through a YAML anchor/,
    );
    refuses(
      'base: &b {npmAuthToken: x}\nnpmRegistries:\n  "//acme.jfrog.io/artifactory/api/npm/npm-virtual/":\n    <<: *b\n',
      /merges another \(<<\)/,
    );
  });

  it('refuses several documents and a value where a mapping belongs', () => {
    refuses('a: 1\n---\nb: 2\n', /holds 2 YAML documents \(line 2, column 1 starts another\)/);
    refuses(
      'npmRegistries: https://x\n',
      /npmRegistries \(line 1, column 16\) of \.yarnrc\.yml is not a mapping/,
    );
    refuses(`npmRegistries:\n  "${REGISTRY}":\n    npmAuthToken: [a]\n`, /is not a single value/);
  });

  it('says nothing of the value in its errors', () => {
    try {
      configure('npmRegistries: x\n', 'SECRET-VALUE');
    } catch (error) {
      expect(String(error)).not.toContain('SECRET-VALUE');
    }
  });
});

describe('YAML editing on disk', () => {
  it('keeps a real file’s BOM and CRLF across configure and removal, and leaves a refused file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'artikey-yaml-'));
    try {
      const path = join(dir, '.yarnrc.yml');
      const original = '\uFEFF# mine\r\nnodeLinker: pnp\r\n';
      writeFileSync(path, original);
      let keep = 0;
      await editToolFile(
        path,
        (text) => {
          const written = configure(text ?? '', 'T');
          keep = written.keep;
          return written.text;
        },
        { secret: true },
      );
      expect(readFileSync(path, 'utf8')).toBe(
        `\uFEFF# mine\r\nnodeLinker: pnp\r\nnpmRegistries:\r\n  ${JSON.stringify(REGISTRY)}:\r\n    npmAuthToken: T\r\n    npmAlwaysAuth: true\r\n`,
      );
      await editToolFile(path, (text) => unconfigure(text ?? '', keep), { secret: true });
      expect(readFileSync(path, 'utf8')).toBe(original);

      const broken = 'npmRegistries:\n  a: 1\n b: 2\n';
      writeFileSync(path, broken);
      const mtime = statSync(path).mtimeMs;
      await expect(
        editToolFile(path, (text) => configure(text ?? '', 'T').text, { secret: true }),
      ).rejects.toThrow(/line 3, column 1/);
      expect(readFileSync(path, 'utf8')).toBe(broken);
      expect(statSync(path).mtimeMs).toBe(mtime);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('YAML values found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // A tagged value (`!!str false`) was replaced after its tag: `true` written there read back as
  // the string "true", so configure refused a valid .yarnrc.yml ("would not read back").
  it('replaces a tagged value with its tag, and puts the tag back with the value', () => {
    const before = `npmRegistries:\n  "${REGISTRY}":\n    npmAlwaysAuth: !!str false # mine\n`;
    expect(readYaml(before, ALWAYS_PATH, FILE)?.raw).toBe('!!str false');
    const written = editYaml(before, [{ path: ALWAYS_PATH, set: true }], FILE);
    expect(written).toBe(`npmRegistries:\n  "${REGISTRY}":\n    npmAlwaysAuth: true # mine\n`);
    expect(editYaml(written, [{ path: ALWAYS_PATH, putBack: '!!str false' }], FILE)).toBe(before);
  });
});

describe('YAML additions found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // Lines added after a `|` value ending the file without a line break gave that value the
  // break: another entry's `a` read back as `a\n` to PyYAML, js-yaml (Yarn) and yaml.v2 (Helm),
  // which read no break at the end of such a file (the `yaml` library reads `a\n` either way).
  it('adds before the first entry when the file ends in a block scalar without a line break', () => {
    const before = 'other:\n  notes: |\n    a';
    const written = editYaml(before, [{ path: TOKEN_PATH, set: 'tok' }], FILE);
    expect(python(written)).toEqual({
      other: { notes: 'a' },
      npmRegistries: { [REGISTRY]: { npmAuthToken: 'tok' } },
    });
    expect(editYaml(written, [{ path: TOKEN_PATH, remove: true, keep: 0 }], FILE)).toBe(before);
  });

  // Such an addition went before the first entry's line even when that entry shares its line
  // with its `- `: the new key landed above the dash, outside the item, and Artikey's own edit
  // no longer parsed ("A block sequence may not be used as an implicit map key"). It now goes
  // right after the first entry; with no other entry to follow, the file is refused unchanged.
  it('adds after the first entry of a list item when the file ends in a block scalar without a line break', () => {
    const path: YamlPath = ['repositories', { key: 'name', is: 'art' }, 'username'];
    const before = 'repositories:\n- name: art # mine\n  notes: |\n    a';
    const written = editYaml(before, [{ path, set: 'alice' }], 'repositories.yaml');
    expect(written).toBe('repositories:\n- name: art # mine\n  username: alice\n  notes: |\n    a');
    expect(python(written)).toEqual({
      repositories: [{ name: 'art', username: 'alice', notes: 'a' }],
    });
    expect(editYaml(written, [{ path, remove: true, keep: 2 }], 'repositories.yaml')).toBe(before);

    const alone = 'repositories:\n- name: |-\n    art';
    expect(() => editYaml(alone, [{ path, set: 'alice' }], 'repositories.yaml')).toThrow(
      /The entry at line 2, column 3 of repositories.yaml ends the file with a \| or > value and no line break after it/,
    );
  });

  // A file holding only the document end marker `...` (and comments) got Artikey's lines after
  // the marker, where they start a second document: Artikey's own edit was then refused as a
  // file of two documents, and configure failed on a file every YAML reader takes as empty.
  it('adds to an empty document before its end marker, so the file stays one document', () => {
    for (const before of ['...', '# settings\n...\n# after\n', '---\n...\r\n']) {
      const written = configure(before, 'tok');
      expect(python(written.text)).toEqual({
        npmRegistries: { [REGISTRY]: { npmAuthToken: 'tok', npmAlwaysAuth: true } },
      });
      expect(written.text.indexOf('...')).toBeGreaterThan(written.text.indexOf('npmRegistries'));
      expect(unconfigure(written.text, written.keep)).toBe(before);
    }
  });
});

describe('YAML insertions found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // The `yaml` library's range of a nested block mapping runs on over a comment line at column 0
  // into the indentation of the next registry; Artikey added its token after that registry's
  // line, at the end of the file, where the new line broke the mapping.
  it("adds after the last entry's own text, not after the comment lines its range runs over", () => {
    const before = `npmRegistries:\r\n  ${REGISTRY}:\r\n    npmAlwaysAuth: 'true'\r\n    team: &t\r\n      \"a\":\r\n# \r\n  //sub.acme.jfrog.io/: {}`;
    const text = editYaml(before, [{ path: TOKEN_PATH, set: 'tok' }], FILE);
    expect(python(text)).toEqual({
      npmRegistries: {
        [REGISTRY]: { npmAlwaysAuth: 'true', team: { a: null }, npmAuthToken: 'tok' },
        '//sub.acme.jfrog.io/': {},
      },
    });
    expect(editYaml(text, [{ path: TOKEN_PATH, remove: true, keep: 2 }], FILE)).toBe(before);
  });
});

describe('YAML removals found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // Removing the first entry of a list item (`- password: x`, the person's old password, which
  // Artikey never keeps to put back) took its whole line, dash and all: the item's other entries
  // were left without their `-`, and Helm could read the file no more.
  it("lets the next entry take the dash's place when the item's first entry goes", () => {
    const item = ['repositories', { key: 'name', is: 'a' }, 'password'] as YamlPath;
    const before =
      'repositories:\n    - password: "old"\n      name: a\n      url: https://a\n    - name: b\n';
    const removed = editYaml(before, [{ path: item, remove: true, keep: 2 }], FILE);
    expect(removed).toBe('repositories:\n    - name: a\n      url: https://a\n    - name: b\n');
    expect(python(removed)).toEqual({
      repositories: [{ name: 'a', url: 'https://a' }, { name: 'b' }],
    });
    // A comment line after it stays, the dash before it.
    const commented = 'repositories:\n- password: x\n  # note\n  name: a\n';
    expect(editYaml(commented, [{ path: item, remove: true, keep: 2 }], FILE)).toBe(
      'repositories:\n- # note\n  name: a\n',
    );
  });
});

describe('YAML refusals found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // The refusal of a file of several documents named the line of the second but no column.
  it('names the line and column where a second document starts', () => {
    expect(() => editYaml('a: 1\n---\nb: 2\n', [{ path: ['a'], set: 'x' }], FILE)).toThrow(
      /holds 2 YAML documents \(line 2, column 1 starts another\)/,
    );
  });
});

describe('YAML lists found by fuzzing (test/fuzz/yaml.suite.ts)', () => {
  // A `-` inside a comment between an item's dash and its first key was taken for the dash:
  // the new item went in at that column and the edit was refused as invalid YAML.
  it('adds a list item at the column of the dashes, whatever the comments under them say', () => {
    const before = 'repositories:\n-\n  # see a-b\n  name: x\n  url: https://x.example/\n';
    const path: YamlPath = ['repositories', { key: 'name', is: 'ours' }, 'url'];
    const written = editYaml(before, [{ path, set: 'https://ours.example/' }], FILE);
    expect(written).toBe(`${before}- name: ours\n  url: https://ours.example/\n`);
  });
});
