import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import { ACCESS_TOKEN, ALL_SECRETS, fingerprint, INSTANCES, PASSWORD, tempHome, type TempHome } from './fixtures.js';

const terraformrc = `# CLI configuration
plugin_cache_dir = "/tmp/cache"

credentials "app.terraform.io" {
  token = "xxxxxx.atlasv1.zzzzzzzzzzzzzzzzzzzzzz"
}

credentials "acme.jfrog.io" {
  # written by hand
  token = "${ACCESS_TOKEN}"
}
note = <<EOT
credentials "artifactory.corp.example:8443" {
  token = "${PASSWORD}"
}
EOT
credentials "artifactory.corp.example:8443" { token = "${PASSWORD}" }
`;

const credentialsJson = `{
  "credentials": {
    "acme.jfrog.io": {
      "token": "${ACCESS_TOKEN}"
    }
  }
}
`;

describe('Terraform', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const found = async (): Promise<unknown[]> =>
    (await scanCredentials({ environment: home.environment(), instances: INSTANCES })).found
      .filter((c) => c.tool === 'terraform')
      .map((c) => [c.file, c.location, c.line, c.url, c.kind, c.instanceId, c.fingerprint]);

  it("finds each Artifactory host's token in .terraformrc and in terraform login's credentials.tfrc.json, with lines; a heredoc's text and other hosts apart", async () => {
    const rc = home.write('.terraformrc', terraformrc);
    const json = home.write('.terraform.d/credentials.tfrc.json', credentialsJson);
    expect(await found()).toEqual([
      [rc, 'credentials "acme.jfrog.io" token', 10, 'https://acme.jfrog.io/', 'access-token', 'acme', fingerprint(ACCESS_TOKEN)],
      [rc, 'credentials "artifactory.corp.example:8443" token', 17, 'https://artifactory.corp.example:8443/', 'password', 'corp', fingerprint(PASSWORD)],
      [json, 'credentials "acme.jfrog.io" token', 4, 'https://acme.jfrog.io/', 'access-token', 'acme', fingerprint(ACCESS_TOKEN)],
    ]);
  });

  it('reads the file TF_CLI_CONFIG_FILE names instead of ~/.terraformrc', async () => {
    home.write('.terraformrc', terraformrc);
    const other = home.write('work/tf.rc', `credentials "acme.jfrog.io" {\n  token = "${ACCESS_TOKEN}"\n}\n`);
    const report = await scanCredentials({ environment: home.environment({ TF_CLI_CONFIG_FILE: other }), instances: INSTANCES });
    expect(report.found.filter((c) => c.tool === 'terraform').map((c) => [c.file, c.line])).toEqual([[other, 2]]);
  });

  // HCL v1 reads these forms into the same map of hosts as the blocks; the scan read only the
  // blocks, so a plain-text token written so was never listed.
  it('finds a token in the forms HCL v1 reads beside the blocks: nested without a label, and an object', async () => {
    const rc = home.write(
      '.terraformrc',
      `credentials {\n  "acme.jfrog.io" {\n    token = "${ACCESS_TOKEN}"\n  }\n}\ncredentials = {\n  "artifactory.corp.example:8443" = { token = "${PASSWORD}" }\n}\n`,
    );
    expect(await found()).toEqual([
      [rc, 'credentials "acme.jfrog.io" token', 3, 'https://acme.jfrog.io/', 'access-token', 'acme', fingerprint(ACCESS_TOKEN)],
      [rc, 'credentials "artifactory.corp.example:8443" token', 7, 'https://artifactory.corp.example:8443/', 'password', 'corp', fingerprint(PASSWORD)],
    ]);
  });

  it('says which credentials it cannot read (an object with commas) instead of passing over them, and quotes no secret', async () => {
    const file = home.write('.terraformrc', `credentials = { "acme.jfrog.io" = { token = "${ACCESS_TOKEN}" }, "b.example" = { token = "x" } }\n`);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.found.filter((c) => c.tool === 'terraform')).toEqual([]);
    expect(report.problems).toEqual([
      {
        file,
        message: '.terraformrc sets credentials at line 1 in a form Artikey does not read (an object with commas, or a list); a token there is not listed. Write it as credentials "<host>" { token = "…" } blocks.',
      },
    ]);
    for (const secret of ALL_SECRETS) expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('reports a .terraformrc Terraform could not read either, with its line and without a secret', async () => {
    const file = home.write('.terraformrc', `credentials "acme.jfrog.io" {\n  token = "${PASSWORD}\n}\n`);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.problems).toEqual([{ file, message: "Terraform's CLI configuration is not valid (line 2); not scanned." }]);
    for (const secret of ALL_SECRETS) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
