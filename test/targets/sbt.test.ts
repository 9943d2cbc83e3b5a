import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryUsage } from '../../electron/core/repositories.js';
import { sbt } from '../../electron/core/targets/kinds/sbt.js';
import type { SbtSpec } from '../../electron/core/targets/kinds/sbt-spec.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';

const spec: SbtSpec = {
  kind: 'sbt',
  path: '/home/ada/.sbt/.credentials',
  host: 'acme.jfrog.io',
  contextUrl: 'https://acme.jfrog.io/artifactory',
};
const credentials = { username: 'ada.lovelace@acme.example', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln' };

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function writeThenRemove(before: string | null): { written: string; removed: string } {
  const restore: Record<string, string> = {};
  const written = sbt.writer(spec, credentials, restore, false)(before);
  const record = { ...spec, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: sbt.remover(record)(written) };
}

/**
 * The file as sbt reads it: `java.util.Properties.load` on the file's bytes, then sbt's
 * CredentialUtils lookup (the first of each key's names present, trimmed; realm optional). No sbt
 * installs here; this is the JDK's own loader, the one sbt's `IO.load` calls.
 */
const CHECK = `
import java.io.FileInputStream;
import java.util.List;
import java.util.Properties;

public class Check {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) { p.load(in); }
    System.out.println("realm=" + first(p, List.of("realm")));
    System.out.println("host=" + first(p, List.of("host", "hostname")));
    System.out.println("user=" + first(p, List.of("user", "user.name", "username")));
    System.out.println("password=" + first(p, List.of("password", "pwd", "pass", "passwd")));
  }
  static String first(Properties p, List<String> keys) {
    for (String k : keys) { String v = p.getProperty(k); if (v != null) return v.trim(); }
    return null;
  }
}
`;

function sbtReads(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sbt-credentials-'));
  try {
    writeFileSync(join(dir, 'Check.java'), CHECK);
    writeFileSync(join(dir, '.credentials'), text, 'latin1');
    const run = spawnSync('java', [join(dir, 'Check.java'), join(dir, '.credentials')], {
      encoding: 'utf8',
    });
    expect(run.error, 'java is not installed (JDK 17, as for Maven)').toBeUndefined();
    expect(run.stderr).toBe('');
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('sbt: the credentials file', () => {
  it('is ~/.sbt/.credentials for the instance host name (no port: Ivy matches the host alone)', () => {
    const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
    expect(targetSpec('sbt', { platformUrl: 'https://art.corp:8443/' }, {}, environment)).toEqual({
      kind: 'sbt',
      path: '/home/ada/.sbt/.credentials',
      host: 'art.corp',
      contextUrl: 'https://art.corp:8443/artifactory',
    });
  });

  it('writes realm, host, user and token as sbt reads them, and a file Artikey made is empty again after', () => {
    const { written, removed } = writeThenRemove(null);
    expect(written).toBe(
      `realm=Artifactory Realm\nhost=acme.jfrog.io\nuser=${credentials.username}\npassword=${credentials.token}\n`,
    );
    expect(sbtReads(written)).toBe(
      `realm=Artifactory Realm\nhost=acme.jfrog.io\nuser=${credentials.username}\npassword=${credentials.token}\n`,
    );
    expect(removed).toBe('');
  });

  it("takes over the person's file for the host: comments and spelling kept, the old user back after, the old password not kept", () => {
    const before =
      '# Artifactory\r\nrealm = Artifactory Realm\r\nhost = acme.jfrog.io\r\nuser = old\\u00e9\r\npassword = hunter2\r\n';
    const { written, removed } = writeThenRemove(before);
    expect(sbtReads(written)).toContain(
      `user=${credentials.username}\npassword=${credentials.token}\n`,
    );
    expect(removed).toBe(
      '# Artifactory\r\nrealm = Artifactory Realm\r\nhost = acme.jfrog.io\r\nuser = old\\u00e9\r\n',
    );
  });

  it('refuses a file for another host: one credential per file, with the --file to use and the line for the build', () => {
    const before =
      'realm=Sonatype Nexus Repository Manager\nhost=oss.sonatype.org\nuser=me\npassword=x\n';
    expect(() => sbt.writer(spec, credentials, {}, false)(before)).toThrow(
      'holds the credentials for oss.sonatype.org (line 2), and sbt reads one credential per file; Artikey left it alone. Configure sbt with --file ~/.sbt/acme.jfrog.io.credentials and add credentials += Credentials(Path.userHome / ".sbt" / "acme.jfrog.io.credentials") to the build.',
    );
  });

  it('tells people the two build.sbt lines: the credentials file and the resolver', () => {
    expect(repositoryUsage(spec, 'sbt-virtual')).toEqual({
      line: 'resolvers += "Artifactory" at "https://acme.jfrog.io/artifactory/sbt-virtual/"',
      snippets: [
        {
          file: 'build.sbt',
          text: 'credentials += Credentials(Path.userHome / ".sbt" / ".credentials")\nresolvers += "Artifactory" at "https://acme.jfrog.io/artifactory/sbt-virtual/"',
        },
      ],
    });
    expect(
      repositoryUsage({ ...spec, path: '/work/ci/sbt.credentials' }, 'sbt-virtual')?.snippets[0]
        ?.text,
    ).toMatch(/^credentials \+= Credentials\(file\("\/work\/ci\/sbt.credentials"\)\)/);
  });
});

describe('sbt: cases found by fuzzing (test/fuzz/java-properties.suite.ts)', () => {
  // Properties.load keeps the last of a repeated key, so sbt reads the last host: Artikey
  // refused a file sbt reads as the instance's, and took over one sbt reads as another host's.
  it('judges the host by the last host line, the one sbt reads', () => {
    expect(sbtReads('host=other.example.com\nhost=acme.jfrog.io\n')).toContain(
      'host=acme.jfrog.io\n',
    );
    expect(writeThenRemove('host=other.example.com\nhost=acme.jfrog.io\n').removed).toBe(
      'host=acme.jfrog.io\n',
    );
    expect(() => writeThenRemove('host=acme.jfrog.io\nhost=other.example.com\n')).toThrow(
      expect.objectContaining({ code: 'tool-file-conflict' }),
    );
  });

  // A value continued onto an empty line (which ends it) was put back without that line, so
  // the next line became part of it: sbt then read "acme.jfrog.iorealm=Artifactory Realm".
  it('puts back a value continued onto an empty line with that line', () => {
    const before = 'host=acme.jfrog.io\\\r\n\r\n';
    const { written, removed } = writeThenRemove(before);
    expect(sbtReads(written)).toContain('host=acme.jfrog.io\n');
    expect(removed).toBe(before);
  });
});
