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

  it('reports a .terraformrc Terraform could not read either, with its line and without a secret', async () => {
    const file = home.write('.terraformrc', `credentials "acme.jfrog.io" {\n  token = "${PASSWORD}\n}\n`);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.problems).toEqual([{ file, message: "Terraform's CLI configuration is not valid (line 2); not scanned." }]);
    for (const secret of ALL_SECRETS) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
