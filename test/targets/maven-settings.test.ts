import { describe, expect, it } from 'vitest';
import {
  editMavenSettings,
  entryFieldsText,
  readMavenSettings,
  type MavenSettingsChange,
} from '../../electron/core/targets/maven-settings.js';

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
