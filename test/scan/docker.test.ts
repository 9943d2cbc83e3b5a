import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInText, scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  ALL_SECRETS,
  API_KEY,
  basicAuth,
  EXPIRES,
  fingerprint,
  GITHUB_TOKEN,
  INSTANCES,
  PASSWORD,
  REFERENCE_TOKEN,
  tempHome,
  type TempHome,
} from './fixtures.js';

describe('Docker config.json', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const config = () =>
    JSON.stringify(
      {
        auths: {
          'acme.jfrog.io': { auth: basicAuth('alice', ACCESS_TOKEN) },
          'acme-docker-local.jfrog.io': { auth: basicAuth('bob', API_KEY) },
          'artifactory.corp.example:8443': { username: 'carol', password: PASSWORD },
          'https://index.docker.io/v1/': {
            auth: basicAuth('dave', 'dckr_pat_2b3e36beeb386dfdaacb9b46004ccb7c'),
          },
          'ghcr.io': { auth: basicAuth('erin', GITHUB_TOKEN) },
          'registry.example.org': { identitytoken: REFERENCE_TOKEN },
        },
        credsStore: 'desktop',
        credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': 'gcloud', 'acme.jfrog.io': 'artikey' },
        currentContext: 'colima',
      },
      null,
      '\t',
    );

  it('finds Artifactory logins in auths, tied to instances by exact host, and names the stores it did not read', async () => {
    const file = home.write('.docker/config.json', config());
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.found).toEqual([
      {
        tool: 'docker',
        file,
        location: 'auths["acme.jfrog.io"]',
        line: 4,
        url: 'acme.jfrog.io',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'access-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(ACCESS_TOKEN),
        instanceId: 'acme',
        secret: ACCESS_TOKEN,
      },
      {
        tool: 'docker',
        file,
        location: 'auths["acme-docker-local.jfrog.io"]',
        line: 7,
        url: 'acme-docker-local.jfrog.io',
        host: 'acme-docker-local.jfrog.io',
        username: 'bob',
        kind: 'api-key',
        expiresAt: null,
        fingerprint: fingerprint(API_KEY),
        // <instance>-<repo>.jfrog.io may be another tenant: found, but not acme's to replace.
        instanceId: null,
        secret: API_KEY,
      },
      {
        tool: 'docker',
        file,
        location: 'auths["artifactory.corp.example:8443"]',
        line: 11,
        url: 'artifactory.corp.example:8443',
        host: 'artifactory.corp.example:8443',
        username: 'carol',
        kind: 'password',
        expiresAt: null,
        fingerprint: fingerprint(PASSWORD),
        instanceId: 'corp',
        secret: PASSWORD,
      },
      {
        tool: 'docker',
        file,
        location: 'auths["registry.example.org"].identitytoken',
        line: 20,
        url: 'registry.example.org',
        host: 'registry.example.org',
        username: null,
        kind: 'reference-token',
        expiresAt: null,
        fingerprint: fingerprint(REFERENCE_TOKEN),
        instanceId: null,
        secret: REFERENCE_TOKEN,
      },
    ]);
    expect(report.problems).toEqual([
      {
        file,
        message:
          'Docker keeps its logins in the "desktop" credential store (credsStore); Artikey did not read the credentials held there.',
      },
      {
        file,
        message:
          'Docker asks the "gcloud" credential helper (credHelpers) for gcr.io, us.gcr.io; Artikey did not read the credentials held there.',
      },
    ]);
    expect(report.searched).toContain(file);
  });

  it('reports invalid JSON as a problem without quoting the file, and scans the other files', async () => {
    const file = home.write(
      '.docker/config.json',
      `{\n  "auths": {\n    "acme.jfrog.io": { "auth": "${basicAuth('alice', API_KEY)}" ,, }\n}`,
    );
    home.write('.netrc', `machine acme.jfrog.io login alice password ${PASSWORD}\n`);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.problems).toEqual([
      {
        file,
        message: expect.stringMatching(
          /^Docker's config\.json is not valid( \(line \d+\))?; not scanned\.$/,
        ),
      },
    ]);
    expect(report.found.map((c) => [c.tool, c.host])).toEqual([['netrc', 'acme.jfrog.io']]);
    const problems = JSON.stringify(report.problems);
    for (const secret of [...ALL_SECRETS, basicAuth('alice', API_KEY)])
      expect(problems).not.toContain(secret);
  });

  it('findInText is pure and throws tool-file-invalid for text Docker could not read either', () => {
    expect(() => findInText('docker', '/h/.docker/config.json', '[1, 2]', INSTANCES)).toThrow(
      expect.objectContaining({ code: 'tool-file-invalid' }),
    );
    expect(() => findInText('docker', '/h/.docker/config.json', '{"auths": ', INSTANCES)).toThrow(
      expect.objectContaining({ code: 'tool-file-invalid' }),
    );
    expect(findInText('docker', '/h/.docker/config.json', '', INSTANCES)).toEqual([]);
    // An auth that is not base64 user:secret is skipped; a password field next to it is read instead.
    const odd = JSON.stringify({
      auths: { 'acme.jfrog.io': { auth: 'not base64!', username: 'alice', password: API_KEY } },
    });
    expect(
      findInText('docker', '/h/.docker/config.json', odd, INSTANCES).map((c) => [
        c.username,
        c.kind,
        c.line,
      ]),
    ).toEqual([['alice', 'api-key', 1]]);
  });

  it('reads the file as Docker\'s Go decoding does: keys in any case, repeated "auths" merged, the last field winning', async () => {
    // Broke: JSON.parse kept only the last exact "auths", so a credential Docker sends was not found.
    const read = (text: string): string[][] =>
      findInText('docker', '/h/.docker/config.json', text, INSTANCES).map((c) => [
        c.host ?? '',
        c.username ?? '',
        c.kind,
        String(c.line),
      ]);
    const login = (user: string, secret: string): string =>
      JSON.stringify({ auth: basicAuth(user, secret) });
    const text = [
      '{',
      `  "auths": {"acme.jfrog.io": ${login('alice', API_KEY)}},`,
      `  "Auths": {"acme-docker-local.jfrog.io": {"Username": "bob", "PASSWORD": "${PASSWORD}"}},`,
      // ſ (U+017F) folds to s in Go: Docker reads this member as "auths" too.
      `  "auth\u017f": {"artifactory.corp.example:8443": {"password": "early", "Password": "${ACCESS_TOKEN}", "password": null}},`,
      `  "auths": {"registry.example.org": {"IdentityToken": "${REFERENCE_TOKEN}"}},`,
      '  "credHelpers": {"gcr.io": "gcloud"}, "CREDHELPERS": {"quay.io": "quay"}, "credsStore": "desktop", "CredsStore": null',
      '}',
    ].join('\n');
    expect(read(text)).toEqual([
      ['acme.jfrog.io', 'alice', 'api-key', '2'],
      ['acme-docker-local.jfrog.io', 'bob', 'password', '3'],
      ['artifactory.corp.example:8443', 'alice', 'access-token', '4'],
      ['registry.example.org', '', 'reference-token', '5'],
    ]);
    home.write('.docker/config.json', text);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const notes = report.problems.map((p) => p.message);
    expect(notes).toContain(
      'Docker keeps its logins in the "desktop" credential store (credsStore); Artikey did not read the credentials held there.',
    );
    expect(notes.some((n) => n.includes('"gcloud"') && n.includes('gcr.io'))).toBe(true);
    expect(notes.some((n) => n.includes('"quay"') && n.includes('quay.io'))).toBe(true);
    // A later entry for the same registry replaces the earlier whole; null empties the map.
    expect(
      read(
        `{"auths": {"acme.jfrog.io": ${login('alice', API_KEY)}}, "Auths": {"acme.jfrog.io": {}}}`,
      ),
    ).toEqual([]);
    expect(read(`{"auths": {"acme.jfrog.io": ${login('alice', API_KEY)}}, "auths": null}`)).toEqual(
      [],
    );
  });
});
