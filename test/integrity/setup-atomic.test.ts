import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';
import { onTerminal } from '../support/terminal.js';

/**
 * `artikey setup` writes several tools' files as one change (issue 18): when the fourth of five
 * files cannot be written, the three already written are put back byte for byte (times too), the
 * two not reached are never touched, no backup is left claiming a change, the state records none
 * of the five entries, and the failure names the fourth file.
 *
 * The failure is a real one: while the person reads the previews, another program (the real npm,
 * `npm config set`) changes ~/.npmrc. Setup writes only what was previewed, so it refuses that
 * file when it reaches it, after docker's, Maven's and pip's files are written.
 */
describe('artikey setup: all tools or none', { timeout: 180_000 }, () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;
  const state = (): { instances: { targets: unknown[] }[] } =>
    JSON.parse(readFileSync(join(cli.home, '.config', 'artikey', 'state.json'), 'utf8')) as never;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    cli = sourceCli();
    const login = await cli.run(['login', fake.url, '--no-browser', '--name', 'demo']);
    expect(login.code, login.stderr).toBe(0);
  });
  afterAll(async () => {
    await cli.run(['logout', 'demo']);
    await fake.stop();
    cli.cleanup();
  });

  it('five tools, the fourth file changed by another program mid-way: all five as they were, nothing recorded, the fourth file named', async () => {
    const files = {
      docker: join(cli.home, '.docker', 'config.json'),
      maven: join(cli.home, '.m2', 'settings.xml'),
      pip: join(cli.home, '.config', 'pip', 'pip.conf'),
      npm: join(cli.home, '.npmrc'),
      yarn: join(cli.home, '.yarnrc.yml'),
    };
    const original = {
      docker: '{\n  "auths": {},\n  "detachKeys": "ctrl-e,e"\n}\n',
      maven: '<settings>\n  <offline>false</offline>\n</settings>\n',
      // Artikey's index-url replaces this line of the person's: that first write takes a backup.
      pip: '[global]\nindex-url = https://pypi.org/simple\ntimeout = 60\n',
      npm: 'save-exact=true\n',
      yarn: '# my yarn settings\nenableTelemetry: false\n',
    };
    // Distinct, older times: a file put back must get its own back, not "now".
    Object.entries(files).forEach(([tool, path], index) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, original[tool as keyof typeof files]);
      utimesSync(path, 1_700_000_000 + index, 1_700_000_000 + index);
    });
    // ctime, which no program can set back, says a file was changed; an inode number does not (a
    // file replaced twice may get its first inode number back, as a CI run once saw).
    const stamp = (path: string): { bytes: string; mtimeMs: number; ctimeMs: number } => {
      const info = statSync(path);
      return { bytes: readFileSync(path, 'utf8'), mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
    };
    const folders = [...new Set(Object.values(files).map(dirname))];
    const listing = (): string[] => folders.flatMap((folder) => readdirSync(folder).map((name) => join(folder, name))).sort();
    const before = Object.fromEntries(Object.entries(files).map(([tool, path]) => [tool, stamp(path)]));
    const entriesBefore = listing();

    let changedNpmrc = false;
    const run = await onTerminal(
      cli,
      ['setup', 'demo', '--tools', 'docker,maven,pip,npm,yarn', '--repo', 'docker=docker-virtual', '--repo', 'maven=libs-release', '--repo', 'pip=pypi-virtual', '--repo', 'npm=npm-virtual', '--repo', 'yarn=npm-virtual'],
      (screen) => {
        if (!/All or none is changed\. \[y\/N\] $/.test(screen)) return undefined;
        if (!changedNpmrc) {
          // Another program, between the preview and the write: the real npm.
          execFileSync('npm', ['config', 'set', 'fund=false', '--location=user'], { env: cli.env, stdio: 'ignore' });
          changedNpmrc = true;
        }
        return 'y\r';
      },
    );
    expect(changedNpmrc).toBe(true);
    const npmAfterOther = stamp(files.npm);
    expect(npmAfterOther.bytes).toBe('save-exact=true\nfund=false\n');

    // The failure names the fourth file, says nothing changed and which files were put back.
    expect(run.code, run.screen).toBe(1);
    expect(run.screen).toContain(`artikey: Could not set up npm in ${files.npm}: ${files.npm} changed after the preview (another program wrote it)`);
    expect(run.screen).toMatch(new RegExp(`Nothing was changed: Artikey put back ${files.pip}, ${files.maven}, ${files.docker} as they were\\. \\[tool-file-conflict\\]`));
    expect(run.screen).not.toContain('Configured');

    // Files 1-3 were really written (their ctime moved) and put back with their bytes and times;
    // files 4 and 5 were never touched (same ctime and time).
    for (const tool of ['docker', 'maven', 'pip'] as const) {
      const now = stamp(files[tool]);
      expect(now.bytes, tool).toBe(original[tool]);
      expect(now.ctimeMs, `${tool} was written`).toBeGreaterThan(before[tool]!.ctimeMs);
      expect(Math.floor(now.mtimeMs), tool).toBe(Math.floor(before[tool]!.mtimeMs));
    }
    expect(stamp(files.npm)).toEqual(npmAfterOther);
    expect(stamp(files.yarn)).toEqual(before['yarn']);
    // No backup claims a change (pip's first write took one), no temporary file is left.
    expect(listing()).toEqual(entriesBefore);
    // The state records none of the five entries.
    expect(state().instances[0]?.targets).toEqual([]);
    const status = await cli.run(['status', 'demo', '--json']);
    expect((JSON.parse(status.stdout) as { targets: unknown[] }).targets).toEqual([]);
  });

  it('setup racing a refresh of the same instance: every file written holds the token the keychain holds', async () => {
    const [setup, refresh] = await Promise.all([
      cli.run(['setup', 'demo', '--tools', 'npm,pip,maven', '--repo', 'npm=npm-virtual', '--repo', 'pip=pypi-virtual', '--repo', 'maven=libs-release', '--yes']),
      cli.run(['refresh', 'demo']),
    ]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(refresh.code, refresh.stderr).toBe(0);
    const token = (await cli.run(['token', 'demo'])).stdout.trim();
    for (const file of [join(cli.home, '.npmrc'), join(cli.home, '.config', 'pip', 'pip.conf'), join(cli.home, '.m2', 'settings.xml')])
      expect(readFileSync(file, 'utf8'), file).toContain(token);
    const targets = (JSON.parse((await cli.run(['status', 'demo', '--json'])).stdout) as { targets: { kind: string; error: unknown }[] }).targets;
    expect(targets.map((t) => t.kind).sort()).toEqual(['maven', 'npm', 'pip']);
    expect(targets.every((t) => t.error === null)).toBe(true);
  });
});
