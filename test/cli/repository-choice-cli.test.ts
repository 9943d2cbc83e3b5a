import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';
import { onTerminal } from '../support/terminal.js';

/**
 * `artikey configure npm|pip|maven` picks the repository from the instance's own list (issue 17):
 * in a script it names the keys to pass, on a terminal (a real pty) it asks with a numbered
 * choice, a near miss gets "did you mean", and where the server refuses the listing (403) the key
 * is taken as typed, with a note.
 */
describe('artikey configure: the repository from the server', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;
  const state = (): { instances: { chosenRepositories?: Record<string, string> }[] } =>
    JSON.parse(readFileSync(join(cli.home, '.config', 'artikey', 'state.json'), 'utf8')) as never;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    cli = sourceCli();
    const login = await cli.run(['login', fake.url, '--no-browser', '--name', 'demo']);
    expect(login.code, login.stderr).toBe(0);
  });
  afterEach(() => {
    fake.config.repositoryListForbidden = false;
  });
  afterAll(async () => {
    await cli.run(['logout', 'demo']);
    await fake.stop();
    cli.cleanup();
  });

  it('in a script, without --repo: a usage error (exit 2) listing the repositories, virtual first, and the flag to pass', async () => {
    const run = await cli.run(['configure', 'npm', 'demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'artikey: npm needs --repo <npm repository>; the npm repositories of demo: npm-virtual (virtual), npm-remote (remote), npm-local (local). Pass one, e.g. --repo npm-virtual; see artikey configure --help [invalid-option]\n',
    );
  });

  it('a --repo that is not listed is refused with "did you mean", and nothing is written', async () => {
    const run = await cli.run(['configure', 'pip', 'demo', '--repo', 'pypi-virtaul']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"pypi-virtaul" is not among the pypi repositories you may read on demo. Did you mean --repo pypi-virtual? demo has: pypi-virtual (virtual), pypi-remote (remote), pypi-local (local).');
    const otherCase = await cli.run(['configure', 'npm', 'demo', '--repo', 'NPM-Virtual']);
    expect(otherCase.stderr).toContain('Did you mean --repo npm-virtual?');
    expect((await cli.run(['status', 'demo', '--json'])).stdout).not.toContain('"kind":"pip"');
  });

  it('a listed --repo is written and remembered for the instance', async () => {
    const run = await cli.run(['configure', 'maven', 'demo', '--repo', 'libs-release']);
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`with mirror ${fake.url}/artifactory/libs-release/ in`);
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ maven: 'libs-release' });
  });

  it('where the user may not list repositories (403), --repo is taken as given, with a note; without it a script is told to pass one', async () => {
    fake.config.repositoryListForbidden = true;
    const run = await cli.run(['configure', 'npm', 'demo', '--repo', 'team-npm']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('note: demo does not let alice list repositories (403), so the key is not checked; type it as your admin gave it.\n');
    expect(readFileSync(join(cli.home, '.npmrc'), 'utf8')).toContain(`//${fake.host}/artifactory/api/npm/team-npm/:_authToken=`);
    const missing = await cli.run(['configure', 'pip', 'demo']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('pip needs --repo <pypi repository>. demo does not let alice list repositories (403)');
  });

  it('on a terminal, without --repo: a numbered choice with each type, the URL it writes, then configured', async () => {
    const run = await onTerminal(cli, ['configure', 'pip', 'demo'], (screen) => (/Repository \[1\]: $/.test(screen) ? '2\r' : undefined));
    expect(run.screen).toContain('The pypi repositories of demo:');
    expect(run.screen).toMatch(/1\) pypi-virtual\s+virtual\s+pypi-local and pypi-remote/);
    expect(run.screen).toMatch(/2\) pypi-remote\s+remote\s+Proxy of pypi.org/);
    expect(run.screen).toMatch(/3\) pypi-local\s+local/);
    expect(run.screen).toContain(`pip will use ${fake.url}/artifactory/api/pypi/pypi-remote/simple/, written to`);
    expect(run.screen).toContain(`Configured pip: index-url ${fake.url}/artifactory/api/pypi/pypi-remote/simple/`);
    expect(run.code).toBe(0);
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ pypi: 'pypi-remote' });
    // The choice is offered first next time.
    const again = await onTerminal(cli, ['configure', 'pip', 'demo'], (screen) => (/Repository \[2\]: $/.test(screen) ? '\r' : undefined));
    expect(again.screen).toContain('Already configured pip');
  });

  it('on a terminal, where the listing is refused: the note, then the key is asked as free text', async () => {
    fake.config.repositoryListForbidden = true;
    const run = await onTerminal(cli, ['configure', 'npm', 'demo', '--scope', '@acme'], (screen) => (/npm repository key: $/.test(screen) ? 'team-npm\r' : undefined));
    expect(run.screen).toContain('note: demo does not let alice list repositories (403)');
    expect(run.screen).toContain(`npm will use ${fake.url}/artifactory/api/npm/team-npm/, written to`);
    expect(run.code).toBe(0);
  });
});
