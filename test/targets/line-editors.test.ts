import { describe, expect, it } from 'vitest';
import { editIni, npmRegistryKey, readIni } from '../../electron/core/targets/ini-file.js';
import { editProperties, readProperties } from '../../electron/core/targets/java-properties.js';
import { gradle } from '../../electron/core/targets/kinds/gradle.js';
import { editNetrc, readNetrc } from '../../electron/core/targets/netrc.js';

const KEY = '//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken';
const huge = (line: string): string =>
  `${line}\n`.repeat(Math.ceil((2 * 1024 * 1024) / (line.length + 1)));

/** The guarantees every editor gives on every fixture: idempotent, and add-then-remove restores the bytes. */
function roundTrips(
  fixtures: Record<string, string>,
  add: (text: string) => string,
  update: (text: string) => string,
  remove: (text: string) => string,
): void {
  it.each(Object.entries(fixtures))(
    '%s: adds, updates in place, and removes back to the original bytes',
    (_, original) => {
      const added = add(original);
      expect(added).not.toBe(original);
      expect(add(added)).toBe(added);
      const updated = update(added);
      expect(updated).not.toContain('OLD-TOKEN');
      expect(remove(updated)).toBe(original);
      expect(remove(original)).toBe(original);
    },
  );
}

describe('.npmrc', () => {
  const set = (token: string) => (text: string) =>
    editIni(text, { section: null, set: { [KEY]: token } }, 'npmrc');
  const fixtures = {
    empty: '',
    'comments, CRLF and no final newline':
      '; team defaults\r\n# more\r\nregistry=https://registry.npmjs.org/\r\nfund=false',
    'other registries, env references and quoted values':
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n@corp:registry=https://npm.corp/\nemail="a@b.c"\n\n\n',
    'tabs, odd spacing and unicode':
      '\tstrict-ssl = false\ninit-author-name = José\n  ; indented comment\n',
    'a 2 MiB file of comments': huge('; lots of history here, kept byte for byte'),
  };
  roundTrips(fixtures, set('OLD-TOKEN'), set('NEW-TOKEN'), (text) =>
    editIni(text, { section: null, remove: [KEY] }, 'npmrc'),
  );

  it('writes the path-scoped key exactly as npm matches it', () => {
    expect(
      npmRegistryKey('https://ACME.jfrog.io:443/artifactory/api/npm/npm-virtual', '_authToken'),
    ).toBe(KEY);
    expect(npmRegistryKey('http://127.0.0.1:8081/artifactory/api/npm/npm-virtual//', '_auth')).toBe(
      '//127.0.0.1:8081/artifactory/api/npm/npm-virtual/:_auth',
    );
    expect(
      editIni(
        'fund=false\n',
        {
          section: null,
          set: { [KEY]: 'T', registry: 'https://acme.jfrog.io/artifactory/api/npm/npm-virtual/' },
        },
        'npmrc',
      ),
    ).toBe(
      `fund=false\n${KEY}=T\nregistry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/\n`,
    );
  });

  it('replaces an existing entry in place, keeping its spacing, and drops later duplicates', () => {
    const text = `a=1\n${KEY} = old\nb=2\n${KEY}=older\n`;
    expect(editIni(text, { section: null, set: { [KEY]: 'T' } }, 'npmrc')).toBe(
      `a=1\n${KEY} = T\nb=2\n`,
    );
  });

  it('refuses to overwrite a token read from an environment variable, unless asked', () => {
    const text = `${KEY}=\${NPM_TOKEN}\n`;
    expect(() => editIni(text, { section: null, set: { [KEY]: 'T' } }, 'npmrc')).toThrow(
      expect.objectContaining({ code: 'tool-file-conflict' }),
    );
    expect(
      editIni(text, { section: null, set: { [KEY]: 'T' }, replaceReferences: true }, 'npmrc'),
    ).toBe(`${KEY}=T\n`);
  });

  it('refuses a value that would span lines, without echoing it', () => {
    expect(() =>
      editIni('', { section: null, set: { [KEY]: 'secret\ninjected=1' } }, 'npmrc'),
    ).toThrow(
      expect.objectContaining({
        code: 'tool-file-unsafe-value',
        message: expect.not.stringContaining('secret'),
      }),
    );
  });

  it('reads keys and unquoted values with their lines, and each value as the file spells it', () => {
    expect(readIni('; c\nemail="a@b.c"\nname=\'x\'  \nflag\n', 'npmrc')).toEqual([
      { section: null, key: 'email', value: 'a@b.c', raw: '"a@b.c"', line: 2 },
      { section: null, key: 'name', value: 'x', raw: "'x'  ", line: 3 },
      { section: null, key: 'flag', value: 'true', raw: '', line: 4 },
    ]);
  });
});

describe('pip.conf', () => {
  const set = (token: string) => (text: string) =>
    editIni(
      text,
      {
        section: 'global',
        set: {
          'index-url': `https://alice:${token}@acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple/`,
        },
      },
      'pip',
    );
  const remove = (text: string): string =>
    editIni(text, { section: 'global', remove: ['index-url'], dropEmptySection: true }, 'pip');
  roundTrips(
    {
      empty: '',
      'other sections only': '[install]\nno-compile = true\n',
      'global with continuation lines':
        '# pip\n[global]\ntimeout: 60\nextra-index-url =\n    https://one.example/simple\n    https://two.example/simple\n\n[install]\nno-compile = true',
      CRLF: '[global]\r\ntimeout = 60\r\n',
    },
    set('OLD-TOKEN'),
    set('NEW-TOKEN'),
    remove,
  );

  it('treats index_url and INDEX-URL as the same key, as pip does', () => {
    expect(
      editIni(
        '[global]\nINDEX_URL = https://old/simple\n',
        { section: 'global', set: { 'index-url': 'https://new/simple' } },
        'pip',
      ),
    ).toBe('[global]\nINDEX_URL = https://new/simple\n');
  });

  it('refuses a file configparser would refuse', () => {
    expect(() => editIni('index-url = x\n', { section: 'global', set: { a: 'b' } }, 'pip')).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringContaining('Line 1'),
      }),
    );
  });

  it('reads continuation values', () => {
    expect(readIni('[global]\nextra-index-url =\n  https://a\n  https://b\n', 'pip')).toEqual([
      {
        section: 'global',
        key: 'extra-index-url',
        value: '\nhttps://a\nhttps://b',
        raw: '\n  https://a\n  https://b',
        line: 2,
      },
    ]);
  });
});

describe('netrc', () => {
  const set = (token: string) => (text: string) =>
    editNetrc(text, { machine: 'acme.jfrog.io', login: 'alice', password: token });
  roundTrips(
    {
      empty: '',
      'one-line entries without a final newline':
        'machine other.example login bob password hunter2',
      'comments, a macro mentioning machine, and a default entry':
        '# mine\nmachine a.example\n  login a\n  password b\n\nmacdef init\nmachine fake login x\n\ndefault login anonymous password me@example.com\n',
    },
    set('OLD-TOKEN'),
    set('NEW-TOKEN'),
    (text) => editNetrc(text, { machine: 'acme.jfrog.io', remove: true }),
  );

  it('updates an existing entry in place and puts a new one before `default`', () => {
    expect(
      editNetrc('machine ACME.jfrog.io login old password old\n', {
        machine: 'acme.jfrog.io',
        login: 'alice',
        password: 'T',
      }),
    ).toBe('machine ACME.jfrog.io login alice password T\n');
    expect(
      editNetrc('default login x password y\n', {
        machine: 'acme.jfrog.io',
        login: 'alice',
        password: 'T',
      }),
    ).toBe('machine acme.jfrog.io\n  login alice\n  password T\ndefault login x password y\n');
  });

  it('ignores macro bodies and comments when reading', () => {
    expect(
      readNetrc(
        'macdef m\nmachine evil login x password y\n\nmachine a login b password c # note\n',
      ),
    ).toEqual([{ machine: 'a', login: 'b', password: 'c', account: null, line: 4 }]);
  });

  it('refuses values netrc cannot hold', () => {
    expect(() =>
      editNetrc('', { machine: 'acme.jfrog.io', login: 'a user', password: 'T' }),
    ).toThrow(expect.objectContaining({ code: 'tool-file-unsafe-value' }));
  });
});

describe('gradle.properties', () => {
  const keys = {
    user: 'artifactory_user',
    password: 'artifactory_password',
    url: 'artifactory_contextUrl',
  };
  const set = (token: string) => (text: string) =>
    editProperties(text, {
      set: {
        [keys.user]: 'alice',
        [keys.password]: token,
        [keys.url]: 'https://acme.jfrog.io/artifactory',
      },
    });
  roundTrips(
    {
      empty: '',
      'comments and continuation lines':
        '# Gradle\n! old style comment\norg.gradle.jvmargs=-Xmx2g \\\n    -Dfile.encoding=UTF-8\norg.gradle.daemon=false\n',
      'CRLF, no final newline': 'systemProp.http.proxyHost=proxy\r\nsystemProp.http.proxyPort=3128',
    },
    set('OLD-TOKEN'),
    set('NEW-TOKEN'),
    (text) => editProperties(text, { remove: Object.values(keys) }),
  );

  it('escapes what Properties.load would misread, and reads it back', () => {
    const text = editProperties(null, { set: { 'odd key': ' José=#\\' } });
    expect(text).toBe('odd\\ key=\\ Jos\\u00e9=#\\\\\n');
    expect(readProperties(text)).toEqual([
      { key: 'odd key', value: ' José=#\\', raw: '\\ Jos\\u00e9=#\\\\', line: 1 },
    ]);
  });

  it('reads every separator style and continuation', () => {
    expect(readProperties('a=1\nb : 2\nc 3\nd=x\\\n   y\n').map((p) => [p.key, p.value])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', 'xy'],
    ]);
  });

  it('replaces a continued value in place, and refuses a ${…} placeholder unless asked', () => {
    expect(editProperties('p=a\\\n  b\nq=1\n', { set: { p: 'T' } })).toBe('p=T\nq=1\n');
    expect(() => editProperties('p=${secret}\n', { set: { p: 'T' } })).toThrow(
      expect.objectContaining({ code: 'tool-file-conflict' }),
    );
  });
});

describe('gradle.properties found by fuzzing (test/fuzz/java-properties.suite.ts)', () => {
  // Java reads a backslash ending the file's last line as a continuation into nothing. Keys
  // appended after it became part of that value: Gradle saw no artifactory_password at all.
  it('adds its keys where a continuation left open at the end of the file cannot swallow them', () => {
    for (const [before, written] of [
      ['password=AAAA\\', 'artifactory_password=T\npassword=AAAA\\'],
      ['a=b\\\n\n', 'a=b\\\n\nartifactory_password=T\n'],
    ]) {
      const added = editProperties(before!, { set: { artifactory_password: 'T' } });
      expect(added).toBe(written);
      expect(editProperties(added, { remove: ['artifactory_password'] })).toBe(before);
    }
  });

  // The person's value, put back first, ended in a continuation left open at the end of the file:
  // it took in Artikey's next line, which then was no key to remove (the token stayed, inside
  // artifactory_user).
  it('takes its own keys out before putting back a value that ends the file in a continuation', () => {
    const before = 'artifactory_user=a\\';
    const written = editProperties(before, {
      set: { artifactory_user: 'ada', artifactory_password: 'T' },
    });
    const removed = editProperties(written, {
      putBack: { artifactory_user: 'a\\' },
      remove: ['artifactory_password'],
    });
    expect(removed).toBe(before);
  });

  // A continued value collapsed to one line kept its first line's break (CRLF) where the
  // property's own break (LF, after its last line) was: unconfigure did not give the bytes back.
  it('keeps the line break that ended a continued value it replaces', () => {
    expect(editProperties('p=a\\\r\nb\nq=1\n', { set: { p: 'T' } })).toBe('p=T\nq=1\n');
  });

  // The last of repeated keys (the value Java read) ended the file in a continuation; put back
  // at the first one's place, that continuation took in the next property (sbt read
  // realm as "Artifactory RealmA=").
  it('puts back a value ending in a dangling continuation without it where a line follows', () => {
    expect(editProperties('realm=X\nA=\n', { putBack: { realm: 'Artifactory Realm\\' } })).toBe(
      'realm=Artifactory Realm\nA=\n',
    );
    expect(editProperties('A=\nrealm=X', { putBack: { realm: 'Artifactory Realm\\' } })).toBe(
      'A=\nrealm=Artifactory Realm\\',
    );
  });

  // The bench found the value Java read ending in a line that is only a continuation ("\\" at
  // the end of the file) after a CR: with the last backslash alone taken off, its CR and the
  // put-back line's LF made one CRLF, and the next property became part of the value.
  it('takes off a whole dangling continuation when a value is put back before other lines', () => {
    expect(editProperties('u=a\nnext=\n', { putBack: { u: '\\\n${_}\\\r\\' } })).toBe(
      'u=\\\n${_}\nnext=\n',
    );
  });

  // Put back at another repeated key's place (LF), a value continued onto an empty line after a
  // CR lost that empty line: CR and LF made one CRLF, and the next line became part of the value.
  it('keeps the empty line ending a put-back value apart from a CR before it', () => {
    expect(editProperties('u=a\n"\n', { putBack: { u: '\\\n${_}\\\r' } })).toBe(
      'u=\\\n${_}\\\r\r\n"\n',
    );
  });

  // Properties.load keeps the last of a repeated key; Artikey noted the first to put back, so
  // after unconfigure Gradle read another context URL than before.
  it('puts back the value Gradle read: the last of a repeated key', () => {
    const before =
      'artifactory_contextUrl=https://old.example/artifactory\nartifactory_contextUrl=${URL}\n';
    const spec = {
      kind: 'gradle' as const,
      path: '/home/ada/.gradle/gradle.properties',
      prefix: 'artifactory',
      contextUrl: 'https://acme.jfrog.io/artifactory',
    };
    const restore: Record<string, string> = {};
    const written = gradle.writer(spec, { username: 'ada', token: 'T' }, restore, true)(before);
    const record = { ...spec, restore, createdFile: false, writtenAt: null, error: null };
    const removed = gradle.remover(record)(written);
    expect(readProperties(removed).map((p) => [p.key, p.value])).toEqual([
      ['artifactory_contextUrl', '${URL}'],
    ]);
  });

  // Java separates key and value only at space, tab and form feed; Artikey took any Unicode
  // space (\\s), so it rewrote "artifactory_password<NBSP>", a key Gradle reads as another one,
  // and Gradle found no artifactory_password.
  it('reads a no-break space as part of the key, as Java does', () => {
    expect(
      editProperties('artifactory_password\u00a0=old\n', { set: { artifactory_password: 'T' } }),
    ).toBe('artifactory_password\u00a0=old\nartifactory_password=T\n');
  });

  // java.util.Properties.load throws IllegalArgumentException ("Malformed \\uxxxx encoding") on
  // these: Gradle fails to load the file, so Artikey refuses it and says where.
  it.each([
    ['key=value \\u\n', 'line 1, column 11'],
    ['# ok \\u\nb\\u12G4=1\n', 'line 2, column 2'],
    ['a=x\\\n  \\uZZ\n', 'line 2, column 3'],
  ])('refuses %j, naming the line and column of the malformed \\u escape', (text, place) => {
    expect(() => editProperties(text, { set: { artifactory_password: 'T' } })).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringContaining(place),
      }),
    );
  });
});

describe('putting back a value the state file kept', () => {
  it('restores quotes and spacing in place, and appends a setting the person has since removed', () => {
    const npmrc = 'registry=https://artikey.example/\ncolor=false\n';
    expect(
      editIni(npmrc, { section: null, putBack: { registry: '"https://old.example/"  ' } }, 'npmrc'),
    ).toBe('registry="https://old.example/"  \ncolor=false\n');
    expect(editIni('color=false\n', { section: null, putBack: { registry: "'x'" } }, 'npmrc')).toBe(
      "color=false\nregistry='x'\n",
    );
  });

  it.each([
    [
      '.npmrc',
      () =>
        editIni(
          'registry=x\n',
          { section: null, putBack: { registry: 'y\nalways-auth=true' } },
          'npmrc',
        ),
    ],
    [
      'pip.conf',
      () =>
        editIni(
          '[global]\nindex-url = x\n',
          { section: 'global', putBack: { 'index-url': 'y\n[evil]' } },
          'pip',
        ),
    ],
    ['gradle.properties', () => editProperties('a=x\n', { putBack: { a: 'y\nb=1' } })],
  ])('refuses, for %s, a kept value that would read back as more than one setting', (_, edit) => {
    expect(edit).toThrow(expect.objectContaining({ code: 'tool-file-invalid' }));
  });
});

/** Shrunk counterexamples of test/fuzz/ini.suite.ts: each once broke the promise named. */
describe('ini files as their own readers see them (found by fuzzing)', () => {
  const pipSet = (text: string, value = 'https://new.example/simple/'): string =>
    editIni(text, { section: 'global', set: { 'index-url': value } }, 'pip');

  it('pip: "[ global]" is another section to configparser, so its index-url is not [global]\'s', () => {
    // Broke: the name was trimmed, so the other section's index-url went as a duplicate of ours.
    const text =
      '[global]\nindex-url = https://pypi.org/simple/\n[ global]\nindex-url = https://someone:secret@sub.example.com/simple/\n';
    expect(pipSet(text)).toBe(
      '[global]\nindex-url = https://new.example/simple/\n[ global]\nindex-url = https://someone:secret@sub.example.com/simple/\n',
    );
  });

  it('pip: an indented line after a blank line still continues the value, as configparser reads it', () => {
    // Broke: the blank line ended the value, so " a = b" stayed and pip read it into the new URL.
    expect(pipSet('[global]\nindex-url = https://pypi.org/simple/\n\n a = b\n')).toBe(
      '[global]\nindex-url = https://new.example/simple/\n\n',
    );
  });

  it('pip: keys indented alike are keys, not continuation lines', () => {
    // Broke: " index-url" after " timeout" was read as timeout's continuation, and a second index-url was added.
    expect(pipSet('[global]\n timeout = 60\n index-url = https://pypi.org/simple/\n')).toBe(
      '[global]\n timeout = 60\n index-url = https://new.example/simple/\n',
    );
  });

  it('pip: a repeated key is refused with its line and column, as configparser refuses it', () => {
    // Broke: the second index-url (someone else's credentials) was deleted, and unconfigure never gave it back.
    const text =
      '[global]\nindex-url = https://old.example/simple/\n  index-url = https://someone:secret@sub.example.com/simple/\n';
    expect(() => pipSet(text.replace('  index-url', 'index-url'))).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringMatching(/^Line 3, column 1 of .* repeats index-url of \[global\]/),
      }),
    );
    expect(() => pipSet('[global]\nindex_url = https://a/\nindex-url = https://b/\n')).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringMatching(
          /^Line 3, column 1 of .* sets index-url again \(as index-url\)/,
        ),
      }),
    );
  });

  it('pip and pypirc: the refusal names the line and the column', () => {
    // Broke: "Line 2 of the pip configuration …" named no column.
    expect(() => pipSet('[global]\n  just some words\n')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^Line 2, column 3 of the pip configuration/),
      }),
    );
    expect(() => editIni('just some words', { section: 'x', set: { a: 'b' } }, 'pypirc')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^Line 1, column 1 of \.pypirc/) }),
    );
  });

  it('npm: an indented "[x]" is a key to npm, not a section, so the token key after it is top-level', () => {
    // Broke: Artikey took "  [x]" for a header, added a second token key above it, and npm read the old one last.
    expect(editIni(`  [x]\n${KEY}=old\n`, { section: null, set: { [KEY]: 'new' } }, 'npmrc')).toBe(
      `  [x]\n${KEY}=new\n`,
    );
  });

  it('npm: a key written without "=" gets one with the value', () => {
    // Broke: the value was glued to the key ("…:_authTokenTOKEN"), a key npm never reads.
    expect(editIni(`${KEY}\n`, { section: null, set: { [KEY]: 'T' } }, 'npmrc')).toBe(`${KEY}=T\n`);
  });

  it('npm: a file npm cannot read at all is refused at the section it fails on, as npm refuses it', () => {
    // Broke: "W=null" then "[W.]" stops npm's reader ("Cannot set properties of null"), so npm
    // refuses to start; Artikey added its token anyway and said nothing.
    const npmSet = (text: string): string =>
      editIni(text, { section: null, set: { [KEY]: 'T' } }, 'npmrc');
    for (const text of ['W=null\n[W.]\n', 'a=1\nW="null"\n\n[x]\nb=2\n[W.y]\nc=3\n']) {
      expect(() => npmSet(text)).toThrow(
        expect.objectContaining({
          code: 'tool-file-invalid',
          message: expect.stringMatching(/^Line (2|6), column 1 of \.npmrc: npm cannot read/),
        }),
      );
    }
    expect(() => editIni('W=null\n[W.]\n', { section: null, remove: [KEY] }, 'npmrc')).toThrow(
      expect.objectContaining({ code: 'tool-file-invalid' }),
    );
    // A later [W] makes W a section again, and npm reads the file: so does Artikey.
    expect(npmSet('W=null\n[W.]\n[W]\n')).toBe(`W=null\n${KEY}=T\n[W.]\n[W]\n`);
  });
});

/** Shrunk counterexamples of test/fuzz/netrc.suite.ts, read as Python's netrc reads them. */
describe('netrc as Python reads it (found by fuzzing)', () => {
  const put = (text: string): string =>
    editNetrc(text, { machine: 'art.example.com', login: 'ada', password: 'TOKEN' });
  const take = (text: string): string =>
    editNetrc(text, { machine: 'art.example.com', remove: true });

  it('a lone CR ends a line: the entry goes after it, and removal gives the bytes back', () => {
    // Broke: the new entry went before the "\r" that ended the line above "default", and removal took the "\r" with it.
    const before = '  # c\n\rdefault\n\tpassword  2\r\n\tlogin  *:';
    expect(put(before)).toBe(
      '  # c\n\rmachine art.example.com\n  login ada\n  password TOKEN\ndefault\n\tpassword  2\r\n\tlogin  *:',
    );
    expect(take(put(before))).toBe(before);
    // Broke: a file ending in "\r" was taken for one without a final newline.
    const cr = 'machine github.com login a password b\r';
    expect(take(put(cr))).toBe(cr);
  });

  it('a macro runs past a line of spaces, to the first truly empty line', () => {
    // Broke: the line of spaces ended the macro, so an entry inside the macro was edited where Python never reads it.
    const before = 'macdef init\n  \nmachine art.example.com login old password old\n\n';
    expect(put(before)).toBe(`${before}machine art.example.com\n  login ada\n  password TOKEN\n`);
  });

  it("removal leaves the comment lines after the entry, which are not the entry's", () => {
    // Broke: the entry was taken to run to the next one or the end of the file, comments included.
    expect(take('machine art.example.com\r\nlogin old.user\r\npassword X\r\n# mine')).toBe(
      '# mine',
    );
  });

  it('refuses a macro with no empty line after it, naming its line and column', () => {
    // Broke: the macro ran to the end of the file, the entry appended after it was inside it.
    expect(() => put('machine github.com login a password b\nmacdef a\n')).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringMatching(/The macro "a" \(line 2, column 8\) runs to the end/),
      }),
    );
  });

  it('a last comment line with no final newline stays last: Python reads its text after a blank line', () => {
    // Broke: the entry went after the last line "# \" and Python refused the file (bad follower token
    // '\nmachine'). Python's netrc skips a comment's text only when the "#" is on the line of the token
    // before it or on the next line; after a blank line it lexes that text, so "\" is an escape: at the end of the file it
    // read as nothing, before Artikey's line break it swallowed the break and glued itself to "machine".
    // An open quote ('# "') swallows the whole new entry alike.
    const before = 'macdef a\r\n\nmachine art.example.comx\nlogin é\npassword _\n\r\n# \\';
    expect(put(before)).toBe(
      'macdef a\r\n\nmachine art.example.comx\nlogin é\npassword _\n\r\nmachine art.example.com\n  login ada\n  password TOKEN\n# \\',
    );
    expect(take(put(before))).toBe(before);
    expect(put('machine x\n\n# "')).toBe(
      'machine x\n\nmachine art.example.com\n  login ada\n  password TOKEN\n# "',
    );
  });

  it('refuses a second entry for the machine, or a login or password named twice, naming each place', () => {
    // Broke: Artikey edited the first copy, while Python's netrc (pip, twine) reads the last entry
    // and the last password, so pip went on sending the old password; curl reads the first of each.
    const twice =
      'machine art.example.com login a password old\nmachine ART.example.com password older\n';
    for (const operation of [put, take])
      expect(() => operation(twice)).toThrow(
        expect.objectContaining({
          code: 'tool-file-conflict',
          message: expect.stringContaining(
            '2 entries for machine art.example.com (line 1, column 1; line 2, column 1)',
          ),
        }),
      );
    expect(() => put('machine art.example.com login a password old\n  password older\n')).toThrow(
      /names its password 2 times \(line 1, column 42; line 2, column 12\)/,
    );
    expect(() => put('machine art.example.com login a login b password p\n')).toThrow(
      /names its login 2 times/,
    );
    // The scan reports the password Python sends: the last.
    expect(readNetrc('machine x login a password old password new\n')[0]).toMatchObject({
      password: 'new',
    });
  });

  it('reads quoted and escaped values as Python does, and replaces a quoted password whole', () => {
    // Broke: tokens were split at every space, so `"old secret"` was two tokens: the token replaced
    // `"old` and left `secret"`, which Python then refused the whole file over; and a machine named
    // inside another entry's quoted password was taken for an entry and edited there.
    expect(put('machine art.example.com login a password "old secret"\n')).toBe(
      'machine art.example.com login ada password TOKEN\n',
    );
    const inside = 'machine other.example login b password "x machine art.example.com y"\n';
    expect(put(inside)).toBe(`${inside}machine art.example.com\n  login ada\n  password TOKEN\n`);
    expect(take(put(inside))).toBe(inside);
    expect(readNetrc('machine x login "a b" password p\\ q\\"\n')[0]).toMatchObject({
      login: 'a b',
      password: 'p q"',
    });
    expect(() => put('machine x login "a b\n')).toThrow(
      /quote that opens a netrc value at line 1, column 17 is never closed/,
    );
  });

  it('a refusal names the line and the column', () => {
    // Broke: "… on line 2" named no column.
    expect(() => put('machine a login b\n  machine')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('(line 2, column 3)') }),
    );
  });
});

describe('lines ending in a lone CR (found by fuzzing)', () => {
  it('a line added before an empty line keeps that line: CR then LF would read as one break', () => {
    // Broke: the new key got the file's "\r" before the last empty line's "\n", and the empty line vanished.
    const before = "a=''\r#c\nb=1\n\n";
    const added = editIni(before, { section: null, set: { [KEY]: 'T' } }, 'npmrc');
    expect(added).toBe(`a=''\r#c\nb=1\n${KEY}=T\r\n\n`);
    expect(editIni(added, { section: null, remove: [KEY] }, 'npmrc')).toBe(before);
  });
});

describe('pip.conf values as Python strips them (found by fuzzing)', () => {
  it('a value of U+FEFF is the value to configparser, not space before it', () => {
    // Broke: JavaScript's trim took U+FEFF for space, so the URL went after it and pip read "\ufeffhttps://…".
    expect(
      editIni(
        '[global]\nindex-url = \ufeff',
        { section: 'global', set: { 'index-url': 'https://new/' } },
        'pip',
      ),
    ).toBe('[global]\nindex-url = https://new/');
  });
});
