import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import {
  startFakeArtifactory,
  type FakeArtifactory,
  type FakeArtifactoryOptions,
} from '../fake-artifactory/server.js';
import { ensureBuilt, root } from './built.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from './clients.js';

/** Expects a run to have exited 0 (showing its output if not) and passes it on. */
export function succeeded(run: ClientRun): ClientRun {
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
}

/**
 * How the demo user logs in: with a token the fake issued (`--token`), with her password
 * (`--password-stdin`, printing JSON so the instance is named by its id), or through a browser
 * login the fake approves (`--no-browser`; start the fake with `approveBrowserLoginsAs`).
 */
export type LoginWith = 'token' | 'password' | 'browser';

export interface BuiltCli {
  readonly fake: FakeArtifactory;
  /** The scratch HOME: `env` is what a real client runs with there, without Artikey's keychain. */
  readonly scratch: ReturnType<typeof scratchHome>;
  /** What `artikey` runs with: the scratch HOME plus its own keychain service and `options.env`. */
  readonly env: NodeJS.ProcessEnv;
  /** The fake's CA in the scratch HOME when it serves HTTPS; `login` trusts it with `--ca-file`. */
  readonly caFile: string | undefined;
  /** How later commands name the logged-in instance: its id after a password login, else its name. */
  readonly instance: string;
  /** Runs `node dist/cli/artikey.js <args>`; `env` adds to (or unsets from) the usual environment. */
  artikey(
    args: string[],
    options?: { input?: string; env?: NodeJS.ProcessEnv },
  ): Promise<ClientRun>;
  login(how: LoginWith, name?: string): Promise<void>;
  /** The instance's current token, as `artikey token` prints it. */
  token(): Promise<string>;
  /**
   * Runs `artikey refresh` and checks that `read` (by default `token()`) then gives another token
   * and that the fake has revoked the one it gave before; resolves with both.
   */
  refresh(read?: () => string | Promise<string>): Promise<{ old: string; renewed: string }>;
  /** Logs out (a no-op when the test did already), stops the fake and deletes the scratch HOME. */
  stop(): Promise<void>;
}

/**
 * The built `artikey` (dist/, built when missing) in a scratch HOME with a keychain service of its
 * own in this session's private keyring, against a fake Artifactory started for it. `env` adds to
 * Artikey's environment what depends on the scratch HOME (CARGO_HOME, say).
 */
export async function startBuiltCli(
  options: { fake?: FakeArtifactoryOptions; env?: (home: string) => NodeJS.ProcessEnv } = {},
): Promise<BuiltCli> {
  ensureBuilt();
  const fake = await startFakeArtifactory(options.fake);
  const scratch = scratchHome();
  const env = { ...artikeyEnv(scratch), ...options.env?.(scratch.home) };
  const caFile = fake.tls ? join(scratch.home, 'fake-ca.pem') : undefined;
  if (caFile) writeFileSync(caFile, fake.tls!.caPem, { mode: 0o600 });
  let instance: string | undefined;

  const artikey: BuiltCli['artikey'] = (args, runOptions = {}) =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], {
      env: { ...env, ...runOptions.env },
      input: runOptions.input ?? '',
    });
  const token = async (): Promise<string> =>
    succeeded(await artikey(['token', cli.instance])).stdout.trim();

  const cli: BuiltCli = {
    fake,
    scratch,
    env,
    caFile,
    get instance() {
      if (instance === undefined) throw new Error('log in first: cli.login(…)');
      return instance;
    },
    artikey,
    login: async (how, name = how === 'password' ? 'acme' : 'demo') => {
      const trust = caFile ? ['--ca-file', caFile] : [];
      if (how === 'browser') {
        succeeded(await artikey(['login', fake.url, '--no-browser', '--name', name, ...trust]));
        instance = name;
      } else if (how === 'token') {
        const jwt = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
        succeeded(
          await artikey(['login', fake.url, '--token', `--name=${name}`, ...trust], { input: jwt }),
        );
        instance = name;
      } else {
        const login = succeeded(
          await artikey(
            [
              'login',
              fake.url,
              '--user',
              DEMO_USER.name,
              '--password-stdin',
              `--name=${name}`,
              ...trust,
              '--json',
            ],
            {
              input: DEMO_USER.password,
            },
          ),
        );
        instance = (JSON.parse(login.stdout) as { instance: { id: string } }).instance.id;
      }
    },
    token,
    refresh: async (read = token) => {
      const old = await read();
      succeeded(await artikey(['refresh', cli.instance]));
      const renewed = await read();
      expect(renewed).not.toBe(old);
      expect(fake.tokens.lookup(old)).toEqual({ ok: false, reason: 'revoked' });
      return { old, renewed };
    },
    stop: async () => {
      if (instance !== undefined) await artikey(['logout', instance]);
      await fake.stop();
      scratch.cleanup();
    },
  };
  return cli;
}
