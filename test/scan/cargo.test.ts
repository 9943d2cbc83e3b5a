import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  fingerprint,
  INSTANCES,
  NPMJS_TOKEN,
  REFERENCE_TOKEN,
  tempHome,
  type TempHome,
} from './fixtures.js';

const config = `# registries
[registries.artifactory]
index = "sparse+https://acme.jfrog.io/artifactory/api/cargo/cargo-virtual/index/"

[registries]
corp = { index = "sparse+https://artifactory.corp.example:8443/artifactory/api/cargo/crates/index/" }
`;

const credentials = `# Cargo's tokens
[registry]
token = "${NPMJS_TOKEN}"

[registries.artifactory]
token = "Bearer ${ACCESS_TOKEN}"

[registries.corp]
token = 'Bearer \${CORP_TOKEN}'

[registries.elsewhere]
token = "${REFERENCE_TOKEN}"
`;

describe("Cargo's credentials", () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const found = async (env: Record<string, string> = {}) =>
    (await scanCredentials({ environment: home.environment(env), instances: INSTANCES })).found
      .filter((c) => c.tool === 'cargo')
      .map((c) => [c.location, c.line, c.url, c.kind, c.instanceId, c.fingerprint]);

  it("finds each registry's token with its line and its index from config.toml, the Bearer prefix apart, a ${VAR} as a reference", async () => {
    home.write('.cargo/config.toml', config);
    home.write('.cargo/credentials.toml', credentials);
    expect(await found()).toEqual([
      [
        'registries.artifactory.token',
        6,
        'sparse+https://acme.jfrog.io/artifactory/api/cargo/cargo-virtual/index/',
        'access-token',
        'acme',
        fingerprint(ACCESS_TOKEN),
      ],
      [
        'registries.corp.token',
        9,
        'sparse+https://artifactory.corp.example:8443/artifactory/api/cargo/crates/index/',
        'env-reference',
        'corp',
        fingerprint('${CORP_TOKEN}'),
      ],
      // No index anywhere, but the shape is JFrog's.
      [
        'registries.elsewhere.token',
        12,
        null,
        'reference-token',
        null,
        fingerprint(REFERENCE_TOKEN),
      ],
    ]);
  });

  it("reads the old credentials file's top-level token and $CARGO_HOME", async () => {
    home.write('.cargo/credentials.toml', `[registry]\ntoken = "${API_KEY}"\n`);
    home.write('ci-cargo/credentials', `token = "${API_KEY}"\n`);
    expect(await found({ CARGO_HOME: home.path('ci-cargo') })).toEqual([
      ['token', 1, null, 'api-key', null, fingerprint(API_KEY)],
    ]);
  });
});
