import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../fake-artifactory/fixtures.js';
import { fingerprint } from '../fake-artifactory/recorder.js';
import { root } from '../support/built.js';
import { startBuiltCli, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * The real podman 4.3 pulling through what the built `artikey configure podman` wrote: a
 * credHelpers entry in ~/.config/containers/auth.json, which podman reads after the (empty)
 * $XDG_RUNTIME_DIR/containers/auth.json, sending it to the built docker-credential-artikey. Before
 * and after a refresh, and no more after logout, which gives the file back byte for byte.
 */
describe(
  'podman pulls through the auth.json entry artikey configure writes',
  { timeout: 300_000 },
  () => {
    let cli: BuiltCli;
    let authFile: string;
    const name = 'acme';
    // The person's own login for another registry, tab-indented as podman login writes it.
    const before =
      '{\n\t"auths": {\n\t\t"quay.io": {\n\t\t\t"auth": "cXVheTpzZWNyZXQ="\n\t\t}\n\t}\n}';
    const pull = (): Promise<ClientRun> =>
      runClient(
        'podman',
        [
          '--root',
          join(cli.scratch.home, 'storage'),
          '--runroot',
          join(cli.scratch.home, 'runroot'),
          '--storage-driver',
          'vfs',
          '--events-backend',
          'none',
          'pull',
          '--tls-verify=false',
          `${cli.fake.host}/docker-local/hello:1.0`,
        ],
        // Without DOCKER_CONFIG: podman 4.3 fails (exit 125) when it names a folder with no config.json.
        { env: { ...cli.env, DOCKER_CONFIG: undefined }, timeoutMs: 120_000 },
      );
    /** The fingerprint of the token each /v2/token request presented, and its status. */
    const tokenRequests = (): [string | null, string | null, number][] =>
      cli.fake.requests.list({ path: '/v2/token' }).map((r) => [r.user, r.secret, r.status]);
    const issued = (): string[] => cli.fake.tokens.all().map((t) => fingerprint(t.jwt));

    beforeAll(async () => {
      requireClient('podman');
      cli = await startBuiltCli({
        fake: { config: { allowBasicAuthTokenCreation: true, revokeAccessTokenOnRefresh: true } },
        env: (home) => ({ PATH: `${join(home, 'bin')}:${process.env.PATH ?? ''}` }),
      });
      const bin = join(cli.scratch.home, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'docker-credential-artikey'),
        `#!/bin/sh\nexec "${process.execPath}" "${root}dist/cli/docker-credential-artikey.cjs" "$@"\n`,
        { mode: 0o755 },
      );
      authFile = join(cli.scratch.home, '.config', 'containers', 'auth.json');
      mkdirSync(join(cli.scratch.home, '.config', 'containers'), { recursive: true });
      writeFileSync(authFile, before);
      await cli.login('password', name);
    });
    afterAll(() => cli.stop());

    it('configure writes only the helper entry, and podman pulls with the current token', async () => {
      const configure = await cli.artikey(['configure', 'podman', name, '--repo', 'docker-local']);
      expect(configure.code, configure.stderr).toBe(0);
      expect(configure.stdout).toContain(
        `podman: credHelpers for ${cli.fake.host} in ${authFile} (no token in the file)`,
      );
      expect(configure.stdout).toContain(`podman pull ${cli.fake.host}/docker-local/<image>:<tag>`);
      expect(configure.stdout).not.toContain('rewrites it on every refresh');
      expect(JSON.parse(readFileSync(authFile, 'utf8'))).toEqual({
        auths: { 'quay.io': { auth: 'cXVheTpzZWNyZXQ=' } },
        credHelpers: { [cli.fake.host]: 'artikey' },
      });
      expect(existsSync(join(cli.scratch.env.XDG_RUNTIME_DIR ?? '', 'containers', 'auth.json'))).toBe(
        false,
      );

      cli.fake.requests.clear();
      const run = await pull();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(fixtures().docker.configDigest.replace('sha256:', ''));
      const [first] = tokenRequests();
      expect(first).toEqual(['alice', expect.any(String), 200]);
      expect(issued()).toContain(first?.[1]);
    });

    it('after a refresh the file is unchanged, the old token is revoked, and podman pulls with the new one', async () => {
      const written = readFileSync(authFile, 'utf8');
      const old = tokenRequests()[0]?.[1];
      const refresh = await cli.artikey(['refresh', name]);
      expect(refresh.code, refresh.stderr).toBe(0);
      expect(readFileSync(authFile, 'utf8')).toBe(written);
      expect(cli.fake.tokens.all().find((t) => fingerprint(t.jwt) === old)?.revoked).toBe(true);

      cli.fake.requests.clear();
      const run = await pull();
      expect(run.code, run.stderr).toBe(0);
      const [current] = tokenRequests();
      expect(current?.[2]).toBe(200);
      expect(current?.[1]).not.toBe(old);
    });

    it('unconfigure gives the auth.json back byte for byte, and configure --json writes the entry again', async () => {
      const unconfigure = await cli.artikey(['unconfigure', 'podman', name]);
      expect(unconfigure.code, unconfigure.stderr).toBe(0);
      expect(readFileSync(authFile, 'utf8')).toBe(before);
      const configure = await cli.artikey(['configure', 'podman', name, '--json']);
      expect(configure.code, configure.stderr).toBe(0);
      expect(JSON.parse(configure.stdout)).toMatchObject({
        changed: true,
        target: { kind: 'podman', path: authFile, hosts: [cli.fake.host] },
      });
    });

    it('configure names a podman login in $XDG_RUNTIME_DIR/containers/auth.json, which podman would use first', async () => {
      const runtime = join(cli.scratch.env.XDG_RUNTIME_DIR ?? '', 'containers', 'auth.json');
      mkdirSync(dirname(runtime), { recursive: true });
      writeFileSync(
        runtime,
        JSON.stringify(
          { auths: { [cli.fake.host]: { auth: Buffer.from('alice:pw').toString('base64') } } },
          null,
          2,
        ),
      );
      try {
        const configure = await cli.artikey(['configure', 'podman', name]);
        expect(configure.code, configure.stderr).toBe(0);
        expect(configure.stderr).toContain(
          `note: podman reads ${runtime} first, and its login for ${cli.fake.host} (line 4) wins over Artikey's entry: run \`podman logout ${cli.fake.host}\` or \`artikey migrate ${name}\` to replace it.`,
        );
      } finally {
        rmSync(runtime);
      }
    });

    it('logout gives the auth.json back byte for byte, and podman has no credentials left', async () => {
      const logout = await cli.artikey(['logout', name]);
      expect(logout.code, logout.stderr).toBe(0);
      expect(readFileSync(authFile, 'utf8')).toBe(before);

      cli.fake.requests.clear();
      const run = await pull();
      expect(run.code).not.toBe(0);
      expect(tokenRequests().every(([user]) => user === null)).toBe(true);
    });
  },
);
