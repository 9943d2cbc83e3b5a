import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * The built `artikey configure cargo` read by the real cargo (rustup's, 1.68 or later for a sparse
 * index): a registry in config.toml, its Bearer token in credentials.toml. Cargo fetches a crate
 * with the token; after `artikey refresh` the file holds the new token, the old one is revoked and
 * cargo still fetches; after `artikey logout` config.toml is the person's own bytes again,
 * credentials.toml (which Artikey created) is gone and cargo no longer knows the registry.
 */
const INDEX = '/artifactory/api/cargo/cargo-local/index/';

describe('artikey configure cargo, read by the real cargo', { timeout: 300_000 }, () => {
  let cli: BuiltCli;
  let cargoHome: string;
  let project: string;
  // The person's own providers, without cargo:token: Artikey's registry names its own and leaves these alone.
  const config =
    '# my cargo settings\n[registry]\nglobal-credential-providers = ["cargo:libsecret"]\n\n[net]\nretry = 1\n';

  const fetchCrate = (): Promise<ClientRun> => {
    // A fresh download each time: no lock file, no cache of the registry's index or crates.
    rmSync(join(project, 'Cargo.lock'), { force: true });
    rmSync(join(cargoHome, 'registry'), { recursive: true, force: true });
    const rustupHome = process.env.RUSTUP_HOME ?? join(homedir(), '.rustup');
    return runClient('cargo', ['fetch'], {
      env: {
        ...cli.env,
        CARGO_HOME: cargoHome,
        ...(existsSync(rustupHome) ? { RUSTUP_HOME: rustupHome } : {}),
      },
      cwd: project,
      timeoutMs: 120_000,
    });
  };
  /** [scheme, token is `secret`, status] of each request for the crate's index entry. */
  const seen = (secret: string): [string | null, boolean, number][] =>
    cli.fake.requests
      .list({ path: `${INDEX}ar/ti/artikey-demo` })
      .map((r) => [r.scheme, r.secret === cli.fake.fingerprint(secret), r.status]);

  beforeAll(async () => {
    requireClient('cargo');
    cli = await startBuiltCli({
      fake: { config: { allowBasicAuthTokenCreation: true } },
      env: (home) => ({ CARGO_HOME: join(home, '.cargo') }),
    });
    cargoHome = cli.env.CARGO_HOME!;
    mkdirSync(cargoHome);
    writeFileSync(join(cargoHome, 'config.toml'), config);
    project = join(cli.scratch.home, 'probe');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'Cargo.toml'),
      '[package]\nname = "probe"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nartikey-demo = { version = "1.0.0", registry = "artifactory" }\n',
    );
    writeFileSync(join(project, 'src', 'lib.rs'), '');
    await cli.login('password');
  });
  afterAll(() => cli.stop());

  it('configure writes both files and cargo fetches with the token', async () => {
    const run = succeeded(await cli.artikey(['configure', 'cargo', cli.instance, '--repo', 'cargo-local']));
    expect(run.stdout).toContain(
      `Configured cargo: registry artifactory (${cli.fake.url}${INDEX}) in ${join(cargoHome, 'config.toml')}, its token in ${join(cargoHome, 'credentials.toml')}.`,
    );
    expect(readFileSync(join(cargoHome, 'config.toml'), 'utf8')).toBe(
      `${config}[registries.artifactory]\nindex = "sparse+${cli.fake.url}${INDEX}"\ncredential-provider = "cargo:token"\n`,
    );
    const current = await cli.token();
    expect(readFileSync(join(cargoHome, 'credentials.toml'), 'utf8')).toBe(
      `[registries.artifactory]\ntoken = "Bearer ${current}"\n`,
    );
    expect(statSync(join(cargoHome, 'credentials.toml')).mode & 0o777).toBe(0o600);
    cli.fake.requests.clear();
    const fetched = await fetchCrate();
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stderr).toContain('Downloaded artikey-demo v1.0.0');
    expect(seen(current)).toEqual([['Bearer', true, 200]]);
  });

  it('refresh rewrites the token, the old one is revoked, and cargo still fetches', async () => {
    const { renewed } = await cli.refresh();
    expect(readFileSync(join(cargoHome, 'credentials.toml'), 'utf8')).toBe(
      `[registries.artifactory]\ntoken = "Bearer ${renewed}"\n`,
    );
    cli.fake.requests.clear();
    const fetched = await fetchCrate();
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(seen(renewed)).toEqual([['Bearer', true, 200]]);
  });

  it('logout gives config.toml back byte for byte, removes credentials.toml, and cargo has no registry left', async () => {
    succeeded(await cli.artikey(['logout', cli.instance]));
    expect(readFileSync(join(cargoHome, 'config.toml'), 'utf8')).toBe(config);
    expect(existsSync(join(cargoHome, 'credentials.toml'))).toBe(false);
    cli.fake.requests.clear();
    const fetched = await fetchCrate();
    expect(fetched.code).not.toBe(0);
    expect(fetched.stderr).toMatch(
      /registry index was not found in any configuration: `artifactory`/,
    );
    expect(cli.fake.requests.list({ path: new RegExp(INDEX) })).toEqual([]);
  });
});
