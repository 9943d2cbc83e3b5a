import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * `artikey configure terraform`, driven through the built CLI and read by the real Terraform
 * (1.11, /usr/local/bin/terraform). Terraform finds a registry only over HTTPS
 * (`https://<host>/.well-known/terraform.json`), so the fake serves TLS with its test CA, which
 * Terraform (Go) trusts through SSL_CERT_FILE and Artikey through `login --ca-file`; a module
 * source needs a host with a dot, so the host is 127.0.0.1:<port>. `terraform init` installs a
 * module from the fake with the token Artikey wrote, again after a refresh (the file then holds
 * the new token, the old one is dead on the server), and after logout the person's .terraformrc
 * is back byte for byte and Terraform has no credentials for the host.
 */
describe(
  'terraform init installs a module with the credentials block Artikey writes, through refresh and logout',
  { timeout: 240_000 },
  () => {
    let cli: BuiltCli;
    let host: string;
    const original =
      '# my Terraform settings\ndisable_checkpoint = true\n\ncredentials "app.terraform.io" {\n  token = "xxxxxx.atlasv1.yyyyyy" # HCP\n}\n';
    const terraformrc = (): string => join(cli.scratch.home, '.terraformrc');
    const project = (): string => join(cli.scratch.home, 'project');

    /** `terraform init` in a fresh working directory, so nothing is taken from an earlier install. */
    const init = (): Promise<ClientRun> => {
      rmSync(join(project(), '.terraform'), { recursive: true, force: true });
      rmSync(join(project(), '.terraform.lock.hcl'), { force: true });
      return runClient('terraform', ['init', '-input=false', '-no-color'], {
        cwd: project(),
        env: {
          ...cli.scratch.env,
          SSL_CERT_FILE: cli.caFile,
          // Terraform asks checkpoint-api.hashicorp.com for updates unless told not to: no test leaves loopback.
          CHECKPOINT_DISABLE: '1',
        },
      });
    };
    /** [which token, status] of each registry call the fake saw (the archive itself comes by a signed link, without one). */
    const registryCalls = (token: string): [string | null, number][] =>
      cli.fake.requests
        .list({})
        .filter((r) => /\/(versions|download)$/.test(r.path))
        .map((r) => [r.secret === cli.fake.fingerprint(token) ? 'current' : r.secret, r.status]);

    beforeAll(async () => {
      requireClient('terraform');
      cli = await startBuiltCli({ fake: { tls: true } });
      host = `127.0.0.1:${String(cli.fake.port)}`;
      writeFileSync(terraformrc(), original);
      mkdirSync(project());
      writeFileSync(
        join(project(), 'main.tf'),
        `module "demo" {\n  source  = "${host}/terraform-virtual__artikey/demo/generic"\n  version = "1.0.0"\n}\n`,
      );
      await cli.login('token');
    });
    afterAll(() => cli.stop());
    beforeEach(() => cli.fake.requests.clear());

    it('configure terraform writes the block and the module source to use; terraform init sends the current token', async () => {
      const configured = JSON.parse(
        succeeded(await cli.artikey(['configure', 'terraform', 'demo', '--repo', 'terraform-virtual', '--json'])).stdout,
      ) as unknown;
      expect(configured).toMatchObject({
        changed: true,
        target: { kind: 'terraform', host, path: terraformrc() },
        repository: {
          key: 'terraform-virtual',
          usage: `source = "${host}/terraform-virtual__<namespace>/<name>/<provider>"`,
        },
      });
      const token = await cli.token();
      expect(readFileSync(terraformrc(), 'utf8')).toBe(
        `${original}credentials "${host}" {\n  token = "${token}"\n}\n`,
      );
      const run = await init();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('Terraform has been successfully initialized!');
      expect(registryCalls(token)).toEqual([
        ['current', 200],
        ['current', 204],
      ]);
    });

    it('configure notes a terraform login that Terraform would use instead, naming the file and what to run', async () => {
      const json = join(cli.scratch.home, '.terraform.d', 'credentials.tfrc.json');
      mkdirSync(join(cli.scratch.home, '.terraform.d'), { recursive: true });
      writeFileSync(json, JSON.stringify({ credentials: { [host]: { token: 'from-terraform-login' } } }, null, 2));
      try {
        const run = succeeded(await cli.artikey(['configure', 'terraform', 'demo']));
        expect(run.stdout).toContain(`Already configured terraform: credentials "${host}" in ${terraformrc()}`);
        expect(run.stderr).toContain(
          `note: terraform uses the token terraform login left in ${json} (line 4) instead of Artikey's for ${host}: run \`terraform logout ${host}\``,
        );
      } finally {
        rmSync(json);
      }
    });

    it('refresh rewrites the token, the old one is dead, and terraform init still installs the module', async () => {
      const { renewed: after } = await cli.refresh();
      const text = readFileSync(terraformrc(), 'utf8');
      expect(text).toBe(`${original}credentials "${host}" {\n  token = "${after}"\n}\n`);
      const run = await init();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(registryCalls(after)).toEqual([
        ['current', 200],
        ['current', 204],
      ]);
    });

    it("logout gives back the person's .terraformrc byte for byte, and terraform init has no credentials for the host", async () => {
      succeeded(await cli.artikey(['logout', 'demo']));
      expect(readFileSync(terraformrc(), 'utf8')).toBe(original);
      const run = await init();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/401 Unauthorized/);
      expect(cli.fake.requests.list({}).filter((r) => r.path.endsWith('/versions')).map((r) => [r.scheme, r.status])).toEqual([[null, 401]]);
    });
  },
);
