import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  editToml,
  readToml,
  readTomlDocument,
  tomlTableExists,
  type TomlTable,
  type TomlValue,
} from '../../electron/core/targets/toml-file.js';
import { editToolFile } from '../../electron/core/targets/tool-file.js';

/** What Python's tomllib (a strict TOML 1.0 reader, as Cargo's and uv's are) makes of the text. */
function tomllib(text: string): unknown {
  const run = spawnSync(
    'python3',
    [
      '-c',
      'import sys, json, tomllib; print(json.dumps(tomllib.loads(sys.stdin.buffer.read().decode("utf-8-sig")), default=str))',
    ],
    { input: text, encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as unknown;
}

/**
 * Artikey's write of `values` into `table` and the removal that undoes it, as a target drives
 * them: a table that was not there goes again as a whole; in one that was, each key Artikey
 * replaced gets its old value back and each it added goes.
 */
function writeThenUndo(
  file: string,
  table: TomlTable,
  values: Record<string, TomlValue>,
): { write: (text: string) => string; undo: (text: string) => string } {
  let existed = false;
  let previous: Record<string, string> = {};
  return {
    write(text) {
      existed = tomlTableExists(text, table, file);
      previous = Object.fromEntries(
        Object.keys(values).flatMap((key) => {
          const raw = readToml(text, table, key, file)?.raw;
          return raw === undefined ? [] : [[key, raw]];
        }),
      );
      return editToml(
        text,
        Object.entries(values).map(([key, set]) => ({ table, key, set })),
        file,
      );
    },
    undo(text) {
      if (!existed) {
        const ownKeys = Object.keys(values);
        const pick = table.at(-1);
        if (typeof pick === 'object') ownKeys.push(pick.key);
        return editToml(text, [{ table, removeTable: true, ownKeys }], file);
      }
      return editToml(
        text,
        Object.keys(values).map((key) =>
          key in previous
            ? { table, key, putBack: previous[key]! }
            : { table, key, remove: true as const },
        ),
        file,
      );
    },
  };
}

const INDEX = 'sparse+https://acme.jfrog.io/artifactory/api/cargo/cargo-virtual/index/';

describe('TOML splicing', () => {
  const cases: Record<
    string,
    {
      file: string;
      table: TomlTable;
      values: (token: string) => Record<string, TomlValue>;
      fixtures: Record<string, string>;
    }
  > = {
    'Cargo config.toml': {
      file: 'config.toml',
      table: ['registries', 'artifactory'],
      values: () => ({ index: INDEX }),
      fixtures: {
        empty: '',
        'comments, CRLF, no final newline':
          '# cargo\r\n[build]\r\njobs = 4 # cores\r\n\r\n[registries]\r\ncrates-io = { protocol = "sparse" }  # inline\r\n[net]\r\ngit-fetch-with-cli = true',
        'our table already there with another key':
          '[registries.artifactory]\nindex = \'sparse+https://old.example/index/\'  # theirs\ncredential-provider = "cargo:token"\n',
        'registries as dotted keys': 'registries.other.index = "sparse+https://other/index/"\n',
        'registries as an inline table':
          '[registries]\n# mine\nother = { index = "sparse+https://other/" }\n',
        'a byte-order mark, odd spacing and unicode':
          '\uFEFF[source.crates-io]\nreplace-with   =   "vendored"   # é\n\n[source.vendored]\ndirectory = """\nvendor"""\n',
      },
    },
    'Cargo credentials.toml': {
      file: 'credentials.toml',
      table: ['registries', 'artifactory'],
      values: (token) => ({ token: `Bearer ${token}` }),
      fixtures: {
        'as cargo login writes it': '[registry]\ntoken = "crates-io-token"\n',
        'no file yet': '',
        'a literal token already there': "[registries.artifactory]\ntoken = 'Bearer OLD'\n",
      },
    },
    'Poetry auth.toml': {
      file: 'auth.toml',
      table: ['http-basic', 'artifactory'],
      values: (token) => ({ username: 'alice', password: token }),
      fixtures: {
        'as poetry config writes it':
          '[http-basic]\n[http-basic.other]\nusername = "bob"\npassword = "x"\n',
        empty: '',
      },
    },
    'Poetry config.toml': {
      file: 'config.toml',
      table: ['repositories', 'artifactory'],
      values: () => ({ url: 'https://acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple' }),
      fixtures: { 'virtualenvs settings': '[virtualenvs]\nin-project = true\n' },
    },
    'uv uv.toml': {
      file: 'uv.toml',
      table: ['index', { key: 'name', is: 'artifactory' }],
      values: () => ({ url: 'https://acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple' }),
      fixtures: {
        'another index first':
          'native-tls = true\n\n[[index]]\nname = "pytorch"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n',
        empty: '',
      },
    },
    'Bun bunfig.toml': {
      file: 'bunfig.toml',
      table: ['install', 'scopes'],
      values: (token) => ({
        '@acme': { url: 'https://acme.jfrog.io/artifactory/api/npm/npm-virtual/', token },
      }),
      fixtures: {
        'other install settings':
          '[install]\n# cache\ncache = false\n\n[install.scopes]\nmyorg = "https://npm.myorg/"\n',
        'no scopes yet': 'telemetry = false\n[install]\noptional = true\n',
      },
    },
  };

  for (const [name, { file, table, values, fixtures }] of Object.entries(cases)) {
    describe(name, () => {
      it.each(Object.entries(fixtures))(
        '%s: adds, updates in place, and removes back to the original bytes',
        (_, original) => {
          const first = writeThenUndo(file, table, values('OLD-TOKEN'));
          const added = first.write(original);
          expect(added).not.toBe(original);
          for (const [key, value] of Object.entries(values('OLD-TOKEN')))
            expect(readToml(added, table, key, file)?.value).toEqual(value);
          // Everything else reads as before, by the library and by tomllib.
          expect(tomllib(added)).toEqual(JSON.parse(JSON.stringify(readTomlDocument(added, file))));
          expect(
            editToml(
              added,
              Object.entries(values('OLD-TOKEN')).map(([key, set]) => ({ table, key, set })),
              file,
            ),
          ).toBe(added);
          const updated = editToml(
            added,
            Object.entries(values('NEW-TOKEN')).map(([key, set]) => ({ table, key, set })),
            file,
          );
          expect(updated).toBe(added.replace('OLD-TOKEN', 'NEW-TOKEN'));
          expect(first.undo(updated)).toBe(original);
        },
      );
    });
  }

  it('lays a new table out at the end in the file’s line endings', () => {
    const crlf = cases['Cargo config.toml']!.fixtures['comments, CRLF, no final newline']!;
    const added = editToml(
      crlf,
      [{ table: ['registries', 'artifactory'], key: 'index', set: INDEX }],
      'config.toml',
    );
    expect(added).toBe(`${crlf}\r\n[registries.artifactory]\r\nindex = "${INDEX}"`);
    const dotted = editToml(
      'registries.other.index = "x"\n[registries.artifactory]\n',
      [{ table: ['registries', 'artifactory'], key: 'index', set: INDEX }],
      'config.toml',
    );
    expect(dotted).toBe(
      `registries.other.index = "x"\n[registries.artifactory]\nindex = "${INDEX}"\n`,
    );
    const inline = editToml(
      '[registries]\nother = { index = "x" }\n',
      [{ table: ['registries', 'other'], key: 'token', set: 'T' }],
      'config.toml',
    );
    expect(inline).toBe('[registries]\nother = { index = "x", token = "T" }\n');
    const uv = editToml(
      '',
      [
        {
          table: ['index', { key: 'name', is: 'artifactory' }],
          key: 'url',
          set: 'https://x/simple',
        },
        { table: ['index', { key: 'name', is: 'artifactory' }], key: 'explicit', set: true },
      ],
      'uv.toml',
    );
    expect(uv).toBe('[[index]]\nname = "artifactory"\nurl = "https://x/simple"\nexplicit = true\n');
  });

  it.each([
    ['a hash and quotes', 'tok#en "with" \'quotes\''],
    ['backslashes', 'C:\\path\\'],
    ['unicode', 'jéton-🔑-\u00a0x'],
    ['a control character', 'a\u007fb'],
  ])('writes a value with %s that every reader reads back exactly', (_, token) => {
    const original = '# mine\n';
    const { write, undo } = writeThenUndo('credentials.toml', ['registries', 'r'], { token });
    const written = write(original);
    expect(readToml(written, ['registries', 'r'], 'token', 'credentials.toml')?.value).toBe(token);
    expect(tomllib(written)).toEqual({ registries: { r: { token } } });
    expect(undo(written)).toBe(original);
  });

  it('keeps a literal string literal, and puts back what it replaced as the file spelt it', () => {
    const original = "[registries.r]\nindex = 'sparse+https://old/'   # keep\n";
    const before = readToml(original, ['registries', 'r'], 'index', 'config.toml')!;
    expect(before).toEqual({ value: 'sparse+https://old/', raw: "'sparse+https://old/'", line: 2 });
    const written = editToml(
      original,
      [{ table: ['registries', 'r'], key: 'index', set: INDEX }],
      'config.toml',
    );
    expect(written).toBe(`[registries.r]\nindex = '${INDEX}'   # keep\n`);
    expect(
      editToml(
        written,
        [{ table: ['registries', 'r'], key: 'index', putBack: before.raw }],
        'config.toml',
      ),
    ).toBe(original);
    for (const bad of ['"x"\nevil = 1', '"x" # c', '"x", y = 1', ''])
      expect(() =>
        editToml(
          written,
          [{ table: ['registries', 'r'], key: 'index', putBack: bad }],
          'config.toml',
        ),
      ).toThrow(/not one TOML value/);
  });

  it('puts back what an inline table it wrote replaced (Bun’s registry = { url, token }), but sets no scalar over one', () => {
    const original = "[install]\nregistry = 'https://old/'   # mine\n";
    const before = readToml(original, ['install'], 'registry', '.bunfig.toml')!;
    const written = editToml(
      original,
      [{ table: ['install'], key: 'registry', set: { url: 'https://new/', token: 't' } }],
      '.bunfig.toml',
    );
    expect(written).toBe('[install]\nregistry = { url = "https://new/", token = "t" }   # mine\n');
    expect(
      editToml(
        written,
        [{ table: ['install'], key: 'registry', putBack: before.raw }],
        '.bunfig.toml',
      ),
    ).toBe(original);
    expect(() =>
      editToml(
        written,
        [{ table: ['install'], key: 'registry', set: 'https://x/' }],
        '.bunfig.toml',
      ),
    ).toThrow(/is a table or a list, not a single value/);
  });

  // Fuzzing (test/fuzz/toml.suite.ts) found configure refused ("is a table or a list, not a
  // single value") over Cargo's `credential-provider = ["cargo:token"]`, a list Cargo takes.
  it('sets a value over a one-line list and puts the list back as written; a list over lines it refuses', () => {
    const original = '[registries.r]\ncredential-provider = [ "cargo:token" ] # mine\n';
    const before = readToml(original, ['registries', 'r'], 'credential-provider', 'config.toml')!;
    const edit = (text: string, change: { set: string } | { putBack: string }): string =>
      editToml(
        text,
        [{ table: ['registries', 'r'], key: 'credential-provider', ...change }],
        'config.toml',
      );
    const written = edit(original, { set: 'cargo:token' });
    expect(written).toBe('[registries.r]\ncredential-provider = "cargo:token" # mine\n');
    expect(edit(written, { putBack: before.raw })).toBe(original);
    expect(() =>
      edit('[registries.r]\ncredential-provider = [\n  "cargo:token",\n]\n', { set: 'x' }),
    ).toThrow(/is a table or a list, not a single value/);
  });

  it('takes out a table it created, but only its own keys once the person added theirs', () => {
    const uv = ['index', { key: 'name', is: 'artifactory' }];
    const mine = '[[index]]\nname = "artifactory"\nurl = "https://x/simple"\n';
    const remove = { table: uv, removeTable: true as const, ownKeys: ['name', 'url'] };
    expect(editToml(`a = 1\n${mine}`, [remove], 'uv.toml')).toBe('a = 1\n');
    expect(editToml(`${mine}explicit = true # mine\n`, [remove], 'uv.toml')).toBe(
      '[[index]]\nname = "artifactory"\nexplicit = true # mine\n',
    );
    const cargo = { table: ['registries', 'r'], removeTable: true as const, ownKeys: ['index'] };
    expect(
      editToml('[registries.r]\nindex = "x"\nprotocol = "sparse"\n', [cargo], 'config.toml'),
    ).toBe('[registries.r]\nprotocol = "sparse"\n');
  });

  it('takes out only a key, and the header only when asked and nothing is left under it', () => {
    const text = '[a]\nk = 1\n[b]\nk = 2\nj = 3\n';
    expect(
      editToml(text, [{ table: ['a'], key: 'k', remove: true, dropEmptyTable: true }], 'f'),
    ).toBe('[b]\nk = 2\nj = 3\n');
    expect(
      editToml(text, [{ table: ['b'], key: 'k', remove: true, dropEmptyTable: true }], 'f'),
    ).toBe('[a]\nk = 1\n[b]\nj = 3\n');
    expect(editToml(text, [{ table: ['c'], key: 'k', remove: true }], 'f')).toBe(text);
  });
});

describe('TOML values found by fuzzing (test/fuzz/toml.suite.ts)', () => {
  // TOML has nan, and NaN === NaN is false: the check that a change reads back as written
  // failed on Bun's registry table put back with a `nan` in it, so unconfigure refused a file
  // Artikey had written.
  it('puts back a value holding nan, which reads back as written', () => {
    const before = 'install.registry = { url = "https://old.example/", A = +nan }\n';
    const raw = '{ url = "https://old.example/", A = +nan }';
    const written = editToml(
      before,
      [{ table: ['install'], key: 'registry', set: { url: 'https://new.example/', token: 't' } }],
      '.bunfig.toml',
    );
    expect(
      editToml(written, [{ table: ['install'], key: 'registry', putBack: raw }], '.bunfig.toml'),
    ).toBe(before);
  });
});

describe('TOML files Artikey refuses to edit', () => {
  const edit = (text: string): string =>
    editToml(
      text,
      [{ table: ['registries', 'r'], key: 'token', set: 'SECRET-VALUE' }],
      'credentials.toml',
    );

  it.each([
    [
      'a duplicate key',
      '[registries.r]\ntoken = "a"\ntoken = "b"\n',
      /line 3, column 1: Defining a key multiple times is invalid/,
    ],
    ['a table defined twice', '[registries]\n[registries]\n', /line 2, column 2/],
    ['an unterminated string', 'x = "abc\n', /line 1, column 9: Unterminated string constant/],
    ['a missing value', 'x =\n', /line 2, column 1: Unspecified values are invalid/],
  ])('names the line and column of %s', (_, text, message) => {
    expect(() => edit(text)).toThrow(message);
    expect(() => edit(text)).toThrow(/is not valid TOML at line .*Artikey left it untouched/);
  });

  // Fuzzing (test/fuzz/toml.suite.ts) found a lone CR taken for a line break: TOML has none
  // (tomllib and Cargo refuse the file), so Artikey wrote into a file its tools cannot read.
  it.each([
    ['a file that is one CR', '\r', /line 1, column 1/],
    ['a CR ending the last value', 'a = 1\r', /line 1, column 6/],
    ['a CR after a comment', '[registries.r] # x\rtoken = "a"\n', /line 1, column 19/],
  ])('refuses %s, which TOML does not take for a line break', (_, text, message) => {
    expect(() => edit(text)).toThrow(message);
    expect(() => edit(text)).toThrow(
      /is not valid TOML at line .*line break.*Artikey left it untouched/,
    );
  });

  it('refuses a table it cannot add to faithfully, without the value in the message', () => {
    for (const text of ['registries = "x"\n', 'registries = { r = "x" }\n']) {
      let message = '';
      try {
        edit(text);
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/credentials\.toml .*left the file untouched/);
      expect(message).not.toContain('SECRET-VALUE');
    }
  });

  it('refuses a setting the file makes a table of its own, naming the line that does, and how to mend it', () => {
    // Broke: bunfig.toml's valid `[install.registry]` table was refused as a clash "at line 5" of
    // a 3-line file (the line of Artikey's own inserted text), saying nothing of how to mend it.
    const setRegistry = (text: string): string =>
      editToml(
        text,
        [
          {
            table: ['install'],
            key: 'registry',
            set: { url: 'https://a/', token: 'SECRET-VALUE' },
          },
        ],
        'bunfig.toml',
      );
    for (const [text, line] of [
      ['[install.registry]\nurl = "https://x/"\ntoken = "abc"\n', 1],
      ['[install]\nregistry.url = "https://x/"\n', 2],
      ['[install]\na = 1\n\n[install.registry.x]\nb = 2\n', 4],
      ['install.registry.url = "https://x/"\n', 1],
    ] as const) {
      expect(() => setRegistry(text)).toThrow(
        expect.objectContaining({
          code: 'tool-file-conflict',
          message: `[install.registry] is a table of its own in bunfig.toml (line ${line}), where Artikey writes registry as one setting of [install]; Artikey left the file untouched. Write it as registry = … under [install], or remove it, then configure again.`,
        }),
      );
    }
    // Written as one setting, it is Artikey's to replace.
    expect(setRegistry('[install]\nregistry = "https://x/"\n')).toBe(
      '[install]\nregistry = { url = "https://a/", token = "SECRET-VALUE" }\n',
    );
  });

  it('refuses a name on the way to its table that the file gives another kind of value, naming its line', () => {
    // Broke (found by the TOML bench, seed 20264212): `u = ""` under [registries], where Artikey
    // writes [registries.u], was refused as a clash "(line 3)" of a 2-line file, the line of
    // Artikey's own text, saying nothing of what clashed or how to mend it.
    const cargo = (text: string): string =>
      editToml(
        text,
        [{ table: ['registries', 'u'], key: 'token', set: 'SECRET-VALUE' }],
        'credentials.toml',
      );
    for (const [text, message] of [
      [
        '[registries]\nu = ""',
        'u of [registries] is a single value, not a table, in credentials.toml (line 2)',
      ],
      ['registries = [1]\n', 'registries is a list, not a table, in credentials.toml (line 1)'],
      [
        '[[registries.u]]\n',
        'u of [registries] is a list, not a table, in credentials.toml (line 1)',
      ],
    ] as const)
      expect(() => cargo(text)).toThrow(
        expect.objectContaining({
          code: 'tool-file-conflict',
          message: `${message}, where Artikey writes [registries.u]; Artikey left the file untouched. Remove or rename it, then configure again.`,
        }),
      );
    // uv's [[index]] goes in a list of tables.
    expect(() =>
      editToml(
        'index = "x"\n',
        [{ table: ['index', { key: 'name', is: 'art' }], key: 'url', set: 'https://a/' }],
        'uv.toml',
      ),
    ).toThrow(/^index is a single value, not a list of tables, in uv\.toml \(line 1\)/);
    expect(cargo('[registries.u]\nindex = "x"\n')).toBe(
      '[registries.u]\nindex = "x"\ntoken = "SECRET-VALUE"\n',
    );
  });

  it('leaves a refused file on disk untouched, and keeps a real file’s BOM and CRLF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'artikey-toml-'));
    try {
      const path = join(dir, 'credentials.toml');
      const broken = '[registries.r]\ntoken = "a"\ntoken = "b"\n';
      writeFileSync(path, broken);
      const mtime = statSync(path).mtimeMs;
      await expect(
        editToolFile(path, (text) => edit(text ?? ''), { secret: true }),
      ).rejects.toThrow(/line 3, column 1/);
      expect(readFileSync(path, 'utf8')).toBe(broken);
      expect(statSync(path).mtimeMs).toBe(mtime);

      const original = '\uFEFF# mine\r\n[registry]\r\ntoken = "x"\r\n';
      writeFileSync(path, original);
      const { write, undo } = writeThenUndo('credentials.toml', ['registries', 'r'], {
        token: 'T',
      });
      await editToolFile(path, (text) => write(text ?? ''), { secret: true });
      const written = readFileSync(path, 'utf8');
      expect(written).toBe(`${original}[registries.r]\r\ntoken = "T"\r\n`);
      expect(tomllib(written)).toEqual({
        registry: { token: 'x' },
        registries: { r: { token: 'T' } },
      });
      await editToolFile(path, (text) => undo(text ?? ''), { secret: true });
      expect(readFileSync(path, 'utf8')).toBe(original);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
