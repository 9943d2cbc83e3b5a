import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';

/**
 * The built `artikey configure jfrog` against the fake. No `jf` runs here: its npm package
 * (jfrog-cli-v2-jf) downloads the binary from releases.jfrog.io at install, and there is no
 * internet. So the server entry is read as jfrog-cli-core reads it (the shapes are checked in
 * test/targets/jfrog-cli-target.test.ts) and its access token is sent as jf sends it, an
 * `Authorization: Bearer` header to `artifactoryUrl`: it works, after a refresh the file holds
 * the new one and the old is revoked, and unconfigure and logout give the person's file back.
 */

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
  let cli: BuiltCli;
  let file: string;

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
    cli = await startBuiltCli({
      fake: { config: { allowBasicAuthTokenCreation: true } },
      env: (home) => ({ JFROG_CLI_HOME_DIR: join(home, 'jfrog-home') }),
    });
    const home = cli.env.JFROG_CLI_HOME_DIR!;
    mkdirSync(home);
    file = join(home, 'jfrog-cli.conf.v6');
    writeFileSync(file, OTHER);
    await cli.login('password');
  });
  afterAll(() => cli.stop());

  it('configure writes the server as the default, beside the person’s, and its token works', async () => {
    const run = succeeded(await cli.artikey(['configure', 'jfrog', cli.instance, '--default', '--json']));
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: true,
      target: {
        kind: 'jfrog-cli',
        path: file,
        serverId: 'acme',
        url: `${cli.fake.url}/`,
        makeDefault: true,
      },
    });
    expect(run.stdout).not.toContain(await cli.token());
    const server = ours();
    expect(server).toMatchObject({
      accessToken: await cli.token(),
      user: DEMO_USER.name,
      isDefault: true,
    });
    expect(readFileSync(file, 'utf8')).toContain('"serverId": "corp",\n      "isDefault": false');
    expect(await asJf(server)).toBe(200);
  });

  it('refresh rewrites the token, the old one is revoked, and the new one works', async () => {
    const before = ours();
    const { renewed } = await cli.refresh(() => String(ours()?.['accessToken']));
    const after = ours();
    expect(renewed).toBe(await cli.token());
    expect(await asJf(before)).toBe(401);
    expect(await asJf(after)).toBe(200);
  });

  it('unconfigure (as `jf`) and logout give the person’s file back byte for byte', async () => {
    const run = succeeded(await cli.artikey(['unconfigure', 'jf', cli.instance]));
    expect(run.stdout).toContain(
      `Removed jfrog: server acme (${cli.fake.url}/), the default, in ${file}.`,
    );
    expect(readFileSync(file, 'utf8')).toBe(OTHER);
    succeeded(await cli.artikey(['configure', 'jf', cli.instance, '--server-id', 'acme']));
    expect(ours()).toMatchObject({ accessToken: await cli.token() });
    const last = ours();
    succeeded(await cli.artikey(['logout', cli.instance]));
    expect(readFileSync(file, 'utf8')).toBe(OTHER);
    expect(existsSync(file)).toBe(true);
    expect(await asJf(last)).toBe(401);
  });
});
