import { describe, expect, it } from 'vitest';
import {
  editMavenSettings,
  entryFieldsText,
  readMavenSettings,
  type MavenSettingsChange,
} from '../../electron/core/targets/maven-settings.js';
import { maven } from '../../electron/core/targets/kinds/maven.js';
import type { MavenSpec } from '../../electron/core/targets/kinds/maven-spec.js';

const server = (password: string): MavenSettingsChange => ({
  server: { id: 'artifactory-mirror', username: 'alice', password },
  mirror: {
    id: 'artifactory-mirror',
    url: 'https://acme.jfrog.io/artifactory/libs-release/',
    mirrorOf: '*',
  },
});
const removal: MavenSettingsChange = {
  removeServer: 'artifactory-mirror',
  removeMirror: 'artifactory-mirror',
};

const FIXTURES: Record<string, string> = {
  'comments everywhere, a DOCTYPE-less declaration and schemaLocation':
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- team settings: keep -->\n<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"\n          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">\n  <!-- where jars go -->\n  <localRepository>/data/m2</localRepository>\n  <servers>\n    <!-- releases -->\n    <server>\n      <id>corp</id>\n      <username>${env.CORP_USER}</username>\n      <password>{COQLCE6DU6GtcS5P=}</password>\n      <configuration><httpHeaders><property><name>X-Team</name><value>a &amp; b</value></property></httpHeaders></configuration>\n    </server>\n  </servers>\n  <profiles>\n    <profile><id>p</id></profile>\n  </profiles>\n  <activeProfiles><activeProfile>p</activeProfile></activeProfiles>\n</settings>\n',
  'CRLF, tabs and no final newline':
    '<settings>\r\n\t<offline>false</offline>\r\n\t<proxies/>\r\n</settings>',
  'a namespace prefix on the root':
    '<s:settings xmlns:s="http://maven.apache.org/SETTINGS/1.0.0">\n    <s:mirrors>\n        <s:mirror><s:id>other</s:id><s:url>https://other/</s:url><s:mirrorOf>central</s:mirrorOf></s:mirror>\n    </s:mirrors>\n</s:settings>\n',
  'an empty root': '<settings/>\n',
  'a 2 MiB file of profiles': `<settings>\n  <profiles>\n${'    <profile><id>x</id><!-- padding padding padding padding --></profile>\n'.repeat(30_000)}  </profiles>\n</settings>\n`,
};

describe('editMavenSettings', () => {
  it.each(Object.entries(FIXTURES))(
    '%s: adds, rewrites in place and removes back to the original bytes',
    (_, original) => {
      const added = editMavenSettings(original, server('OLD-TOKEN'));
      expect(readMavenSettings(added).servers).toContainEqual(
        expect.objectContaining({
          id: 'artifactory-mirror',
          username: 'alice',
          password: 'OLD-TOKEN',
        }),
      );
      expect(readMavenSettings(added).mirrors).toContainEqual(
        expect.objectContaining({
          id: 'artifactory-mirror',
          url: 'https://acme.jfrog.io/artifactory/libs-release/',
          mirrorOf: '*',
        }),
      );
      expect(editMavenSettings(added, server('OLD-TOKEN'))).toBe(added);
      const rotated = editMavenSettings(added, server('NEW-TOKEN'));
      expect(rotated).toBe(added.replace('OLD-TOKEN', 'NEW-TOKEN'));
      const removed = editMavenSettings(rotated, removal);
      if (original === '<settings/>\n') expect(removed).toBe('<settings>\n</settings>\n');
      else expect(removed).toBe(original);
      expect(editMavenSettings(original, removal)).toBe(original);
    },
  );

  it('creates a complete file, and an empty result for the file it created once its entries are gone', () => {
    const created = editMavenSettings(null, server('T'));
    expect(created).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">\n' +
        '  <servers>\n    <server>\n      <id>artifactory-mirror</id>\n      <username>alice</username>\n      <password>T</password>\n    </server>\n  </servers>\n' +
        '  <mirrors>\n    <mirror>\n      <id>artifactory-mirror</id>\n      <url>https://acme.jfrog.io/artifactory/libs-release/</url>\n      <mirrorOf>*</mirrorOf>\n    </mirror>\n  </mirrors>\n' +
        '</settings>\n',
    );
    expect(editMavenSettings(created, { ...removal, dropEmptyDocument: true })).toBe('');
    expect(
      editMavenSettings('<!-- mine --><settings/>', { ...removal, dropEmptyDocument: true }),
    ).toBe('<!-- mine --><settings/>');
  });

  it('puts new containers where Maven’s schema orders them', () => {
    const text =
      '<settings>\n  <localRepository>/r</localRepository>\n  <proxies/>\n  <profiles/>\n</settings>\n';
    const added = editMavenSettings(text, server('T'));
    const order = [...added.matchAll(/^ {2}<(\w+)/gm)].map((m) => m[1]);
    expect(order).toEqual(['localRepository', 'servers', 'mirrors', 'proxies', 'profiles']);
  });

  it('updates an existing server in place, keeping its other children and comments', () => {
    const text =
      '<settings>\n  <servers>\n    <server>\n      <!-- ours -->\n      <id>artifactory-mirror</id>\n      <password>old</password>\n      <configuration><timeout>5</timeout></configuration>\n    </server>\n  </servers>\n</settings>\n';
    expect(
      editMavenSettings(text, {
        server: { id: 'artifactory-mirror', username: 'alice', password: 'T' },
      }),
    ).toBe(
      '<settings>\n  <servers>\n    <server>\n      <!-- ours -->\n      <id>artifactory-mirror</id>\n      <username>alice</username>\n      <password>T</password>\n      <configuration><timeout>5</timeout></configuration>\n    </server>\n  </servers>\n</settings>\n',
    );
  });

  it('updates the first of duplicate ids, as Maven uses the first', () => {
    const text =
      '<settings><servers><server><id>a</id><password>1</password></server><server><id>a</id><password>2</password></server></servers></settings>';
    const edited = editMavenSettings(text, { server: { id: 'a', username: 'u', password: 'T' } });
    expect(readMavenSettings(edited).servers.map((s) => s.password)).toEqual(['T', '2']);
  });

  it('refuses to overwrite ${…} references and encrypted values unless asked', () => {
    const text =
      '<settings><servers><server><id>corp</id><username>${env.U}</username><password>{abc=}</password></server></servers></settings>';
    expect(() =>
      editMavenSettings(text, { server: { id: 'corp', username: 'alice', password: 'SECRET-T' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'tool-file-conflict',
        message: expect.not.stringContaining('SECRET-T'),
      }),
    );
    expect(
      readMavenSettings(
        editMavenSettings(text, {
          server: { id: 'corp', username: 'alice', password: 'T' },
          replaceReferences: true,
        }),
      ).servers[0],
    ).toMatchObject({ username: 'alice', password: 'T' });
  });

  it('escapes what it writes and decodes what it reads', () => {
    const edited = editMavenSettings('<settings/>', {
      server: { id: 'x', username: 'a&b<c', password: 'p"q' },
    });
    expect(edited).toContain('<username>a&amp;b&lt;c</username>');
    expect(readMavenSettings(edited).servers[0]).toMatchObject({
      username: 'a&b<c',
      password: 'p"q',
    });
    expect(
      readMavenSettings(
        '<settings><servers><server><id>y</id><password><![CDATA[a<b]]></password></server></servers></settings>',
      ).servers[0]?.password,
    ).toBe('a<b');
  });

  it('reads Authorization headers of a server', () => {
    const text =
      '<settings><servers><server><id>h</id><configuration><httpHeaders><property><name>Authorization</name><value>Bearer X</value></property></httpHeaders></configuration></server></servers></settings>';
    expect(readMavenSettings(text).servers[0]?.headers).toEqual({ Authorization: 'Bearer X' });
  });

  it.each([
    ['an unclosed tag', '<settings>\n  <servers>\n</settings>', 'line 3, column 1'],
    ['text that is not XML', 'this is not xml', 'line 1, column 1'],
    ['two roots', '<settings/><settings/>', 'a second root'],
    ['a duplicate attribute', '<settings a="1" a="2"/>', 'appears twice'],
    ['an unquoted attribute', '<settings a=1/>', 'quoted value'],
    ['an unterminated comment', '<settings><!-- oops</settings>', 'unterminated comment'],
    ['an undefined entity', '<settings>&nbsp;</settings>', 'not an entity'],
    [
      'an entity declaration',
      '<!DOCTYPE settings [<!ENTITY x SYSTEM "file:///etc/passwd">]><settings>&x;</settings>',
      'declares entities',
    ],
    ['a root that is not <settings>', '<project/>', '<project>'],
  ])('refuses %s, saying where', (_, text, where) => {
    expect(() => editMavenSettings(text, server('SECRET-T'))).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringContaining(where),
      }),
    );
    try {
      editMavenSettings(text, server('SECRET-T'));
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET-T');
    }
  });
});

describe('putting back the fields of an entry the person wrote', () => {
  const before =
    '<settings>\n  <servers>\n    <server>\n      <id>artifactory-mirror</id>\n      <password><![CDATA[${env.T}]]></password>\n    </server>\n  </servers>\n</settings>\n';

  it('gives back each field as the file spelt it and takes out a field Artikey added', () => {
    const kept = entryFieldsText(before, 'server', 'artifactory-mirror', ['username', 'password']);
    expect(kept?.fields).toEqual({ username: null, password: '<![CDATA[${env.T}]]>' });
    const written = editMavenSettings(before, { ...server('TOKEN'), replaceReferences: true });
    expect(written).toContain('<username>alice</username>');
    expect(
      editMavenSettings(written, { putBack: [kept!], removeMirror: 'artifactory-mirror' }),
    ).toBe(before);
  });

  it('refuses a kept value that is not text, and changes nothing', () => {
    const putBack = [
      { entry: 'server' as const, id: 'artifactory-mirror', fields: { password: '<a/>' } },
    ];
    expect(() => editMavenSettings(before, { putBack })).toThrow(
      expect.objectContaining({ code: 'tool-file-invalid' }),
    );
  });
});

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function mavenWriteThenRemove(
  before: string,
  target: MavenSpec,
): { written: string; removed: string } {
  const restore: Record<string, string> = {};
  const written = maven.writer(
    target,
    { username: 'alice', token: 'TOKEN' },
    restore,
    false,
  )(before);
  const record = { ...target, restore, createdFile: false, writtenAt: null, error: null };
  return { written, removed: maven.remover(record)(written) };
}

const mavenSpec: MavenSpec = {
  kind: 'maven',
  path: '/home/ada/.m2/settings.xml',
  serverId: 'artifactory-mirror',
  mirror: { url: 'https://acme.jfrog.io/artifactory/libs-release/', mirrorOf: '*' },
};

describe('found by fuzzing (test/fuzz/maven-settings.suite.ts)', () => {
  // Unconfigure took out a <servers/> or <mirrors></mirrors> the person had written, empty, as if
  // Artikey had made it: the file did not come back byte for byte.
  it.each([
    '<servers/>',
    '<servers></servers>',
    '<mirrors>\n  </mirrors>',
    '<servers>\t</servers>',
  ])('an empty %s the person wrote comes back as written', (empty) => {
    const before = `<settings>\n  ${empty}\n</settings>\n`;
    expect(mavenWriteThenRemove(before, mavenSpec).removed).toBe(before);
  });

  it('an empty <settings/> comes back as written', () => {
    expect(mavenWriteThenRemove('<settings/>', mavenSpec).removed).toBe('<settings/>');
  });

  // Ids were trimmed as JavaScript trims (no-break space, U+2028, BOM too), Maven trims only
  // what Java's String.trim() does (U+0000 to U+0020): a server or mirror of id "A\u00a0" was
  // taken for Artikey's "A", and its password or URL overwritten while Maven read none for "A".
  it.each([
    ['U+00A0', '\u00a0'],
    ['U+2028', '\u2028'],
    ['U+FEFF', '\ufeff'],
  ])('an id ending in %s is another entry to Maven, and Artikey leaves it alone', (_, space) => {
    const other = `<server><id>artifactory-mirror${space}</id><password>theirs</password></server>`;
    const mirror = `<mirror><id>artifactory-mirror${space}</id><url>https://other/</url><mirrorOf>central</mirrorOf></mirror>`;
    const before = `<settings>\n  <servers>\n    ${other}\n  </servers>\n  <mirrors>\n    ${mirror}\n  </mirrors>\n</settings>\n`;
    const { written, removed } = mavenWriteThenRemove(before, mavenSpec);
    expect(written).toContain(other);
    expect(written).toContain(mirror);
    expect(readMavenSettings(written).servers.map((s) => [s.id, s.password])).toEqual([
      [`artifactory-mirror${space}`, 'theirs'],
      ['artifactory-mirror', 'TOKEN'],
    ]);
    expect(removed).toBe(before);
  });

  it('reads ids and values trimmed as Maven trims them', () => {
    const text =
      '<settings><servers><server><id>\t a \r\n</id><password>\u00a0p\u00a0</password></server></servers></settings>';
    expect(readMavenSettings(text).servers).toEqual([
      expect.objectContaining({ id: 'a', password: '\u00a0p\u00a0' }),
    ]);
  });
});

describe('refusals found by fuzzing name a place in the file', () => {
  // Lines were counted at LF only: behind a lone CR (old Mac line ends, which Maven's parser
  // counts) the refusal said "line 1, column 34" for a place on line 2.
  it('counts a lone CR as a line break', () => {
    expect(() =>
      editMavenSettings('<?xml version="1.0"?>\r<settings/>&bogus;', server('T')),
    ).toThrow(/at line 2, column 12:/);
    expect(() => editMavenSettings('<settings>\r\n\r<servers>\r</settings>', server('T'))).toThrow(
      /at line 4, column 1:/,
    );
  });

  // A root other than <settings> was refused without saying where.
  it('says where the wrong root element is', () => {
    expect(() =>
      editMavenSettings('<?xml version="1.0"?>\n  <configuration/>\n', server('T')),
    ).toThrow(/line 2, column 3/);
  });
});

describe('line breaks found by fuzzing', () => {
  // Removing an entry took its line back to an LF only: in a file with lone CR line ends (what
  // unconfigure after migrate does to the person's adopted server) it left "\r  " behind.
  it('takes an entry out with its own line in a file of lone CRs', () => {
    const kept = '<settings>\r  <mirrors>\r    <mirror><id>m</id></mirror>\r  </mirrors>';
    const before = `${kept}\r  <servers>\r    <server><id>a</id></server>\r    <server><id>b</id></server>\r  </servers>\r</settings>`;
    expect(editMavenSettings(before, { removeServer: 'b' })).toBe(
      `${kept}\r  <servers>\r    <server><id>a</id></server>\r  </servers>\r</settings>`,
    );
    expect(
      editMavenSettings(before.replace('<server><id>a</id></server>\r    ', ''), {
        removeServer: 'b',
      }),
    ).toBe(`${kept}\r</settings>`);
  });
});
