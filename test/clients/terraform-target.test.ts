import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, requireClient, runClient, scratchHome, type ClientRun } from '../support/clients.js';

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
    let fake: FakeArtifactory;
    let scratch: ReturnType<typeof scratchHome>;
    let env: NodeJS.ProcessEnv;
    let host: string;
    const original =
      '# my Terraform settings\ndisable_checkpoint = true\n\ncredentials "app.terraform.io" {\n  token = "xxxxxx.atlasv1.yyyyyy" # HCP\n}\n';
    const terraformrc = (): string => join(scratch.home, '.terraformrc');
    const project = (): string => join(scratch.home, 'project');

    const artikey = (args: string[], input = ''): Promise<ClientRun> =>
      runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
    const ok = (run: ClientRun): ClientRun => {
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      return run;
    };
    const current = async (): Promise<string> => ok(await artikey(['token', 'demo'])).stdout.trim();
    /** `terraform init` in a fresh working directory, so nothing is taken from an earlier install. */
    const init = (): Promise<ClientRun> => {
      rmSync(join(project(), '.terraform'), { recursive: true, force: true });
      rmSync(join(project(), '.terraform.lock.hcl'), { force: true });
      return runClient('terraform', ['init', '-input=false', '-no-color'], {
        cwd: project(),
        env: {
          ...scratch.env,
          SSL_CERT_FILE: join(scratch.home, 'ca.pem'),
          // Terraform asks checkpoint-api.hashicorp.com for updates unless told not to: no test leaves loopback.
          CHECKPOINT_DISABLE: '1',
        },
      });
    };
    /** [which token, status] of each registry call the fake saw (the archive itself comes by a signed link, without one). */
    const registryCalls = (token: string): [string | null, number][] =>
      fake.requests
        .list({})
        .filter((r) => /\/(versions|download)$/.test(r.path))
        .map((r) => [r.secret === fake.fingerprint(token) ? 'current' : r.secret, r.status]);

    beforeAll(async () => {
      requireClient('terraform');
      ensureBuilt();
      fake = await startFakeArtifactory({ tls: true });
      host = `127.0.0.1:${String(fake.port)}`;
      scratch = scratchHome();
      env = artikeyEnv(scratch);
      writeFileSync(join(scratch.home, 'ca.pem'), fake.tls!.caPem);
      writeFileSync(terraformrc(), original);
      mkdirSync(project());
      writeFileSync(
        join(project(), 'main.tf'),
        `module "demo" {\n  source  = "${host}/terraform-virtual__artikey/demo/generic"\n  version = "1.0.0"\n}\n`,
      );
      ok(
        await artikey(
          ['login', fake.url, '--token', '--name=demo', '--ca-file', join(scratch.home, 'ca.pem')],
          fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt,
        ),
      );
    });
    afterAll(async () => {
      await artikey(['logout', 'demo']);
      await fake.stop();
      scratch.cleanup();
    });
    beforeEach(() => fake.requests.clear());

    it('configure terraform writes the block and the module source to use; terraform init sends the current token', async () => {
      const configured = JSON.parse(
        ok(await artikey(['configure', 'terraform', 'demo', '--repo', 'terraform-virtual', '--json'])).stdout,
      ) as unknown;
      expect(configured).toMatchObject({
        changed: true,
        target: { kind: 'terraform', host, path: terraformrc() },
        repository: {
          key: 'terraform-virtual',
          usage: `source = "${host}/terraform-virtual__<namespace>/<name>/<provider>"`,
        },
      });
      const token = await current();
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
      const json = join(scratch.home, '.terraform.d', 'credentials.tfrc.json');
      mkdirSync(join(scratch.home, '.terraform.d'), { recursive: true });
      writeFileSync(json, JSON.stringify({ credentials: { [host]: { token: 'from-terraform-login' } } }, null, 2));
      try {
        const run = ok(await artikey(['configure', 'terraform', 'demo']));
        expect(run.stdout).toContain(`Already configured terraform: credentials "${host}" in ${terraformrc()}`);
        expect(run.stderr).toContain(
          `note: terraform uses the token terraform login left in ${json} (line 4) instead of Artikey's for ${host}: run \`terraform logout ${host}\``,
        );
      } finally {
        rmSync(json);
      }
    });

    it('refresh rewrites the token, the old one is dead, and terraform init still installs the module', async () => {
      const before = await current();
      ok(await artikey(['refresh', 'demo']));
      const after = await current();
      expect(after).not.toBe(before);
      const text = readFileSync(terraformrc(), 'utf8');
      expect(text).toBe(`${original}credentials "${host}" {\n  token = "${after}"\n}\n`);
      expect(fake.tokens.lookup(before)).toMatchObject({ ok: false });
      const run = await init();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(registryCalls(after)).toEqual([
        ['current', 200],
        ['current', 204],
      ]);
    });

    it("logout gives back the person's .terraformrc byte for byte, and terraform init has no credentials for the host", async () => {
      ok(await artikey(['logout', 'demo']));
      expect(readFileSync(terraformrc(), 'utf8')).toBe(original);
      const run = await init();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/401 Unauthorized/);
      expect(fake.requests.list({}).filter((r) => r.path.endsWith('/versions')).map((r) => [r.scheme, r.status])).toEqual([[null, 401]]);
    });
  },
);
