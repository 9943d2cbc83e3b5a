import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';
import { onTerminal } from '../support/terminal.js';

interface Detected {
  tool: string;
  status: string;
  program: string | null;
  proposed: boolean;
  unsuitable: string | null;
}
interface SetupJson {
  instance: { name: string };
  tools: Detected[];
  plan: { items: { tool: string; action: string; previews: { path: string; changes: { after: string | null }[] }[] }[] } | null;
  applied: { written: { tool: string; changed: boolean }[] } | null;
}

/**
 * `artikey setup <instance>` (issue 18): the tools installed are found by their programs on PATH
 * (here a folder of stand-in programs the test controls), those configured and those whose files
 * hold the instance's plain-text credentials are told apart, the rest proposed; every file's
 * preview on one screen; `--dry-run` changes nothing; `--tools … --yes` writes them all, and a
 * refresh rewrites every one.
 */
describe('artikey setup: detect, propose, preview, apply', { timeout: 180_000 }, () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;
  let bin: string;
  const path = (): { env: NodeJS.ProcessEnv } => ({ env: { PATH: bin } });
  const setup = async (args: string[]): Promise<SetupJson> => {
    const run = await cli.run(['setup', 'demo', ...args, '--json'], path());
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as SetupJson;
  };
  const targets = async (): Promise<{ kind: string }[]> =>
    (JSON.parse((await cli.run(['status', 'demo', '--json'])).stdout) as { targets: { kind: string }[] }).targets;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    cli = sourceCli();
    bin = join(cli.home, 'bin');
    mkdirSync(bin);
    for (const name of ['docker', 'mvn', 'skopeo', 'gradle', 'go']) {
      writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, name), 0o755);
    }
    // A file named like a program that cannot be run does not count.
    writeFileSync(join(bin, 'pip'), 'not a program\n');
    chmodSync(join(bin, 'pip'), 0o644);
    const login = await cli.run(['login', fake.url, '--no-browser', '--name', 'demo']);
    expect(login.code, login.stderr).toBe(0);
  });
  afterAll(async () => {
    await cli.run(['logout', 'demo']);
    await fake.stop();
    cli.cleanup();
  });

  it('detects programs on PATH, tools configured already and plain-text credentials of the instance, and proposes the rest', async () => {
    expect((await cli.run(['configure', 'gradle', 'demo'])).code).toBe(0);
    const plain = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const npmrc = `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${plain}\n`;
    writeFileSync(join(cli.home, '.npmrc'), npmrc);

    const detected = await setup([]);
    const byTool = Object.fromEntries(detected.tools.map((t) => [t.tool, t]));
    expect(byTool['docker']).toMatchObject({ status: 'installed', program: join(bin, 'docker'), proposed: true });
    expect(byTool['maven']).toMatchObject({ status: 'installed', program: join(bin, 'mvn'), proposed: true });
    // Skopeo reads Podman's auth.json.
    expect(byTool['podman']).toMatchObject({ status: 'installed', program: join(bin, 'skopeo'), proposed: true });
    expect(byTool['gradle']).toMatchObject({ status: 'configured', proposed: false });
    // npm is not installed here, but its file holds the instance's token in plain text: replaced, not doubled.
    expect(byTool['npm']).toMatchObject({ status: 'migrate', program: null, proposed: true });
    expect(byTool['pip']).toMatchObject({ status: 'not-installed', program: null, proposed: false });
    expect(byTool['netrc']).toMatchObject({ status: 'not-installed', proposed: false });
    // The go command sends .netrc credentials over https only: installed, but not for this plain-HTTP
    // instance, so not proposed (proposing it made `--all-detected --yes` refuse every tool).
    expect(byTool['go']).toMatchObject({ status: 'installed', program: join(bin, 'go'), proposed: false });
    expect(byTool['go']?.unsuitable).toMatch(/sends \.netrc credentials only over https/);
    expect(detected).toMatchObject({ instance: { name: 'demo' }, plan: null, applied: null });

    const human = await cli.run(['setup', 'demo'], path());
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/\* docker +installed \(.*\/bin\/docker\)/);
    expect(human.stdout).toMatch(/\* npm +plain-text credentials found: setup replaces them/);
    expect(human.stdout).toMatch(/ {3}gradle +configured already \(~\/\.gradle\/gradle\.properties\)/);
    expect(human.stdout).toMatch(/ {3}go +installed \(.*\/bin\/go\); not for demo: the go command sends \.netrc credentials only over https/);
    expect(human.stdout).toContain('Nothing changed. Choose the tools: artikey setup demo --tools docker,npm,maven,podman, or --all-detected.');
    expect(readFileSync(join(cli.home, '.npmrc'), 'utf8')).toBe(npmrc);
    rmSync(join(cli.home, '.npmrc'));
  });

  it("a tool whose file holds the instance's plain-text token is migrated: Artikey's entry replaces it, the file backed up first", async () => {
    const plain = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const npmrc = join(cli.home, '.npmrc');
    writeFileSync(npmrc, `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${plain}\n`);
    const run = await cli.run(['setup', 'demo', '--tools', 'npm', '--yes'], path());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('npm: replace the plain-text credentials with');
    expect(run.stdout).toContain('replaces the access-token at');
    expect(run.stdout).toMatch(/Saved .*\.npmrc as it was before: .*\.npmrc\.artikey-backup-/);
    const token = (await cli.run(['token', 'demo'])).stdout.trim();
    expect(readFileSync(npmrc, 'utf8')).toBe(`//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${token}\n`);
    expect((await targets()).map((t) => t.kind)).toContain('npm');
    expect((await cli.run(['unconfigure', 'npm', 'demo'])).code).toBe(0);
    rmSync(npmrc, { force: true });
  });

  it('--dry-run shows every file on one screen, the token as <token>, and changes nothing', async () => {
    const settings = join(cli.home, '.m2', 'settings.xml');
    mkdirSync(join(cli.home, '.m2'), { recursive: true });
    writeFileSync(settings, '<settings>\n</settings>\n');
    const mtime = statSync(settings).mtimeMs;
    const before = await targets();
    const run = await cli.run(['setup', 'demo', '--tools', 'npm,maven,pip', '--repo', 'npm=npm-virtual', '--repo', 'pip=pypi-virtual', '--dry-run'], path());
    expect(run.code, run.stderr).toBe(0);
    const token = (await cli.run(['token', 'demo'])).stdout.trim();
    expect(run.stdout).not.toContain(token);
    expect(run.stdout).toContain('~/.npmrc (new file):');
    expect(run.stdout).toContain(`    + //${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=<token>`);
    expect(run.stdout).toContain('~/.m2/settings.xml:');
    expect(run.stdout).toContain('~/.config/pip/pip.conf (new file):');
    expect(run.stdout).toContain('Dry run: nothing was changed.');
    expect(statSync(settings).mtimeMs).toBe(mtime);
    expect(() => statSync(join(cli.home, '.npmrc'))).toThrow();
    expect(await targets()).toEqual(before);

    const json = await setup(['--tools', 'npm', '--repo', 'npm=npm-virtual', '--dry-run']);
    expect(json.plan?.items).toMatchObject([{ tool: 'npm', action: 'configure' }]);
    expect(json.applied).toBeNull();
  });

  it('in a script: a tool that needs a repository without --repo, or a --repo for a tool not chosen, is refused and nothing changes', async () => {
    const missing = await cli.run(['setup', 'demo', '--tools', 'npm,pip', '--repo', 'npm=npm-virtual', '--yes'], path());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('pip needs --repo <pypi repository>');
    const stray = await cli.run(['setup', 'demo', '--tools', 'npm', '--repo', 'npm=npm-virtual', '--repo', 'yarn=npm-virtual'], path());
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--repo names yarn, which is not among the tools to set up (npm)');
    expect(() => statSync(join(cli.home, '.npmrc'))).toThrow();
  });

  it('--tools … --yes sets up five tools in one step, and a refresh rewrites every one', async () => {
    const run = await cli.run(
      ['setup', 'demo', '--tools', 'npm,maven,pip,pypirc,yarn', '--repo', 'npm=npm-virtual', '--repo', 'maven=libs-release', '--repo', 'pip=pypi-virtual', '--repo', 'pypirc=pypi-local', '--repo', 'yarn=npm-virtual', '--yes'],
      path(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Set up 5 tools for demo;');
    const files = [join(cli.home, '.npmrc'), join(cli.home, '.m2', 'settings.xml'), join(cli.home, '.config', 'pip', 'pip.conf'), join(cli.home, '.pypirc'), join(cli.home, '.yarnrc.yml')];
    const first = (await cli.run(['token', 'demo'])).stdout.trim();
    for (const file of files) expect(readFileSync(file, 'utf8'), file).toContain(first);
    expect((await targets()).map((t) => t.kind).sort()).toEqual(['gradle', 'maven', 'npm', 'pip', 'pypirc', 'yarn']);

    expect((await cli.run(['refresh', 'demo'])).code).toBe(0);
    const second = (await cli.run(['token', 'demo'])).stdout.trim();
    expect(second).not.toBe(first);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).toContain(second);

    // Configured now, so no longer proposed.
    const after = await setup([]);
    expect(after.tools.filter((t) => t.status === 'configured').map((t) => t.tool).sort()).toEqual(['gradle', 'maven', 'npm', 'pip', 'pypirc', 'yarn']);
  });

  it('on a terminal: a checklist of the tools, the repository asked from the list, every preview, one question', async () => {
    // `script` is found on the same PATH as the stand-in programs, so that what is detected stays the test's choice.
    symlinkSync(execFileSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).trim(), join(bin, 'script'));
    const run = await onTerminal({ ...cli, env: { ...cli.env, PATH: bin } }, ['setup', 'demo'], (screen) => {
      // The checklist as last shown: docker and podman are proposed; podman (9) is unticked.
      const checklist = screen.slice(screen.lastIndexOf(' 1) ['));
      if (/Tick or untick by number \(e\.g\. 2 5\), Enter to go on: $/.test(screen)) return checklist.includes('[x] podman') ? '9\r' : '\r';
      if (/Pull Docker images through one of the repositories of demo:[\s\S]*Repository \[\d\]: $/.test(screen)) return '1\r';
      if (/All or none is changed\. \[y\/N\] $/.test(screen)) return 'y\r';
      return undefined;
    });
    expect(run.screen).toMatch(/\[x\] docker/);
    expect(run.screen).toMatch(/9\) \[ \] podman/);
    expect(run.screen).toContain('Changes for demo:');
    expect(run.screen).toContain(`~/.docker/config.json (new file):`);
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain('Set up 1 tool for demo;');
    expect((await targets()).map((t) => t.kind)).toContain('docker-helper');
  });
});
