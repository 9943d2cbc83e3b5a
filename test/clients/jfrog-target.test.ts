import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from '../support/clients.js';

/**
 * The built `artikey configure jfrog` against the fake. No `jf` runs here: its npm package
 * (jfrog-cli-v2-jf) downloads the binary from releases.jfrog.io at install, and there is no
 * internet. So the server entry is read as jfrog-cli-core reads it (the shapes are checked in
 * test/targets/jfrog-cli-target.test.ts) and its access token is sent as jf sends it, an
 * `Authorization: Bearer` header to `artifactoryUrl`: it works, after a refresh the file holds
 * the new one and the old is revoked, and unconfigure and logout give the person's file back.
 */
const cli = `${root}dist/cli/artikey.js`;

const OTHER = `{
  "servers": [
    {
      "url": "https://other.example/",
      "artifactoryUrl": "https://other.example/artifactory/",
      "user": "bob",
      "accessToken": "bobs-own-token",
      "serverId": "corp",
      "isDefault": true
    }
  ],
  "version": "6"
}`;

describe('artikey configure jfrog, read as the JFrog CLI reads it', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  let file: string;
  let id: string;

  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });
  const ok = (run: ClientRun): ClientRun => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    return run;
  };
  const token = async (): Promise<string> => ok(await artikey(['token', id])).stdout.trim();
  const ours = (): Record<string, unknown> | undefined =>
    (JSON.parse(readFileSync(file, 'utf8')) as { servers: Record<string, unknown>[] }).servers.find(
      (s) => s['serverId'] === 'acme',
    );
  /** What jf does with the entry: the access token as Bearer to the Artifactory URL. */
  const asJf = async (server: Record<string, unknown> | undefined): Promise<number> =>
    (
      await fetch(`${String(server?.['artifactoryUrl'])}api/repositories`, {
        headers: { Authorization: `Bearer ${String(server?.['accessToken'])}` },
      })
    ).status;

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ config: { allowBasicAuthTokenCreation: true } });
    scratch = scratchHome();
    const home = join(scratch.home, 'jfrog-home');
    mkdirSync(home);
    env = { ...artikeyEnv(scratch), JFROG_CLI_HOME_DIR: home };
    file = join(home, 'jfrog-cli.conf.v6');
    writeFileSync(file, OTHER);
    const login = ok(
      await artikey(
        ['login', fake.url, '--user', DEMO_USER.name, '--password-stdin', '--name=acme', '--json'],
        DEMO_USER.password,
      ),
    );
    id = (JSON.parse(login.stdout) as { instance: { id: string } }).instance.id;
  });
  afterAll(async () => {
    scratch.cleanup();
    await fake.stop();
  });

  it('configure writes the server as the default, beside the person’s, and its token works', async () => {
    const run = ok(await artikey(['configure', 'jfrog', id, '--default', '--json']));
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: true,
      target: {
        kind: 'jfrog-cli',
        path: file,
        serverId: 'acme',
        url: `${fake.url}/`,
        makeDefault: true,
      },
    });
    expect(run.stdout).not.toContain(await token());
    const server = ours();
    expect(server).toMatchObject({
      accessToken: await token(),
      user: DEMO_USER.name,
      isDefault: true,
    });
    expect(readFileSync(file, 'utf8')).toContain('"serverId": "corp",\n      "isDefault": false');
    expect(await asJf(server)).toBe(200);
  });

  it('refresh rewrites the token, the old one is revoked, and the new one works', async () => {
    const before = ours();
    ok(await artikey(['refresh', id]));
    const after = ours();
    expect(after?.['accessToken']).toBe(await token());
    expect(after?.['accessToken']).not.toBe(before?.['accessToken']);
    expect(fake.tokens.lookup(String(before?.['accessToken']))).toMatchObject({
      ok: false,
      reason: 'revoked',
    });
    expect(await asJf(before)).toBe(401);
    expect(await asJf(after)).toBe(200);
  });

  it('unconfigure (as `jf`) and logout give the person’s file back byte for byte', async () => {
    const run = ok(await artikey(['unconfigure', 'jf', id]));
    expect(run.stdout).toContain(
      `Removed jfrog: server acme (${fake.url}/), the default, in ${file}.`,
    );
    expect(readFileSync(file, 'utf8')).toBe(OTHER);
    ok(await artikey(['configure', 'jf', id, '--server-id', 'acme']));
    expect(ours()).toMatchObject({ accessToken: await token() });
    const last = ours();
    ok(await artikey(['logout', id]));
    expect(readFileSync(file, 'utf8')).toBe(OTHER);
    expect(existsSync(file)).toBe(true);
    expect(await asJf(last)).toBe(401);
  });
});
