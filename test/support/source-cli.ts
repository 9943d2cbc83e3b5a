import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientRun } from './clients.js';
import { testService } from './keychain.js';

const entry = new URL('../../electron/cli/artikey.ts', import.meta.url).pathname;
// Resolved here: the CLI may run in other folders, where `--import tsx` would not be found.
const tsx = import.meta.resolve('tsx');

export interface CliRunOptions {
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Sees stderr as it grows (to react to a browser-login URL, say). */
  onStderr?: (stderr: string) => void;
}

export interface SourceCli {
  home: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: CliRunOptions): Promise<ClientRun>;
  cleanup(): void;
}

/**
 * `artikey` run from its TypeScript source (no build needed) in a fresh temp HOME, with a keychain
 * service of its own in this session's private keyring. The test's environment is inherited
 * less what would point the CLI elsewhere: npm's userconfig (npm run passes its own down, and
 * the CLI rightly honours it), proxies, and a display (no browser may open).
 */
export function sourceCli(options: { prefix?: string; env?: NodeJS.ProcessEnv } = {}): SourceCli {
  const home = mkdtempSync(join(tmpdir(), options.prefix ?? 'artikey-cli-'));
  const inherited = { ...process.env };
  for (const name of ['npm_config_userconfig', 'NPM_CONFIG_USERCONFIG', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy'])
    delete inherited[name];
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ARTIKEY_KEYCHAIN_SERVICE: testService(),
    NO_COLOR: '1',
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    ...options.env,
  };
  const run = (args: string[], runOptions: CliRunOptions = {}): Promise<ClientRun> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', tsx, entry, ...args], {
        env: { ...env, ...runOptions.env },
        cwd: runOptions.cwd ?? home,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        runOptions.onStderr?.(stderr);
      });
      child.stdin.end(runOptions.input ?? '');
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  return { home, env, run, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
