import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';
import { onTerminal } from '../support/terminal.js';

/**
 * `artikey configure docker|gradle` (issue 17): their entries hold only the instance's credentials,
 * so the repository is not written but named where the tool is used: Docker in the image
 * reference (`docker pull <host>/<repository>/<image>:<tag>`, the repository path method), Gradle
 * in the build script (`url "${artifactory_contextUrl}/<repository>"`, as Artifactory's "Set Me
 * Up" writes it). The repository comes from the instance's list as for npm; it is optional.
 */
describe('artikey configure docker|gradle: the repository to use, from the server', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;
  const state = (): { instances: { chosenRepositories?: Record<string, string> }[] } =>
    JSON.parse(readFileSync(join(cli.home, '.config', 'artikey', 'state.json'), 'utf8')) as never;
  const properties = (): string => readFileSync(join(cli.home, '.gradle', 'gradle.properties'), 'utf8');

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

  it('docker --repo: a listed repository is remembered and the output says how to pull through it; --json carries both', async () => {
    const run = await cli.run(['configure', 'docker', 'demo', '--repo', 'docker-virtual']);
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Configured docker: credHelpers for ${fake.host} in`);
    expect(run.stdout).toContain(`Pull through docker-virtual: docker pull ${fake.host}/docker-virtual/<image>:<tag>\n`);
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ docker: 'docker-virtual' });
    // The repository is not written: the entry is the credential helper for the host alone.
    expect(JSON.parse(readFileSync(join(cli.home, '.docker', 'config.json'), 'utf8'))).toEqual({ credHelpers: { [fake.host]: 'artikey' } });

    const json = await cli.run(['configure', 'docker', 'demo', '--repo', 'docker-local', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      changed: false,
      repository: { key: 'docker-local', usage: `docker pull ${fake.host}/docker-local/<image>:<tag>` },
    });
  });

  it('docker --repo that is not listed: "did you mean", exit 2, nothing written', async () => {
    const run = await cli.run(['configure', 'docker', 'demo', '--repo', 'docker-lcoal', '--host', `docker-local.${fake.host}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"docker-lcoal" is not among the docker repositories you may read on demo. Did you mean --repo docker-local? demo has: docker-virtual (virtual), docker-remote (remote), docker-local (local).');
    expect(readFileSync(join(cli.home, '.docker', 'config.json'), 'utf8')).not.toContain('docker-local.');
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ docker: 'docker-local' });
  });

  it('gradle --repo: remembered, and the build.gradle and build.gradle.kts snippets name it; gradle.properties gets only the three properties', async () => {
    const run = await cli.run(['configure', 'gradle', 'demo', '--repo', 'gradle-virtual']);
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Configured gradle: artifactory_user/_password/_contextUrl in');
    expect(run.stdout).toContain(
      [
        'Resolve through gradle-virtual: in build.gradle',
        '  repositories {',
        '      maven {',
        '          url "${artifactory_contextUrl}/gradle-virtual"',
        '          credentials {',
        '              username = "${artifactory_user}"',
        '              password = "${artifactory_password}"',
        '          }',
        '      }',
        '  }',
        'or in build.gradle.kts',
        '  repositories {',
        '      maven {',
        '          url = uri("${property("artifactory_contextUrl")}/gradle-virtual")',
        '          credentials {',
        '              username = property("artifactory_user") as String',
        '              password = property("artifactory_password") as String',
        '          }',
        '      }',
        '  }',
      ].join('\n'),
    );
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ gradle: 'gradle-virtual' });
    expect(properties()).not.toContain('gradle-virtual');
    expect(properties().split('\n').filter((l) => l.startsWith('artifactory_')).map((l) => l.split('=')[0])).toEqual(['artifactory_user', 'artifactory_password', 'artifactory_contextUrl']);

    const json = await cli.run(['configure', 'gradle', 'demo', '--repo', 'gradle-local', '--prefix', 'acme', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { repository: { key: string; usage: string; snippets: Record<string, string> } };
    expect(parsed.repository).toMatchObject({ key: 'gradle-local', usage: 'url "${acme_contextUrl}/gradle-local"' });
    expect(parsed.repository.snippets['build.gradle.kts']).toContain('url = uri("${property("acme_contextUrl")}/gradle-local")');
    await cli.run(['unconfigure', 'gradle', 'demo']);
  });

  it('gradle --repo near miss: "did you mean"', async () => {
    const run = await cli.run(['configure', 'gradle', 'demo', '--repo', 'gradle-virtal']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"gradle-virtal" is not among the gradle repositories you may read on demo. Did you mean --repo gradle-virtual or --repo gradle-local? demo has: gradle-virtual (virtual), gradle-remote (remote), gradle-local (local).');
  });

  it('in a script, without --repo: configured all the same, with a note listing the repositories and how to use one', async () => {
    const docker = await cli.run(['configure', 'docker', 'demo']);
    expect(docker.code, docker.stderr).toBe(0);
    expect(docker.stdout).toContain('docker: credHelpers for');
    expect(docker.stderr).toBe(
      `note: the docker repositories of demo: docker-virtual (virtual), docker-remote (remote), docker-local (local). Name one in the image: docker pull ${fake.host}/<repository>/<image>:<tag>; --repo <repository> checks it and remembers it.\n`,
    );
    const gradle = await cli.run(['configure', 'gradle', 'demo']);
    expect(gradle.code, gradle.stderr).toBe(0);
    expect(gradle.stderr).toBe(
      'note: the gradle repositories of demo: gradle-virtual (virtual), gradle-remote (remote), gradle-local (local). Name one in build.gradle: url "${artifactory_contextUrl}/<repository>"; --repo <repository> checks it, remembers it and prints the snippet.\n',
    );
  });

  it('where the user may not list repositories (403): --repo taken as given with a note; without it configured, with the usage form', async () => {
    fake.config.repositoryListForbidden = true;
    const given = await cli.run(['configure', 'docker', 'demo', '--repo', 'team-docker']);
    expect(given.code, given.stderr).toBe(0);
    expect(given.stderr).toBe('note: demo does not let alice list repositories (403), so the key is not checked; type it as your admin gave it.\n');
    expect(given.stdout).toContain(`Pull through team-docker: docker pull ${fake.host}/team-docker/<image>:<tag>`);
    const none = await cli.run(['configure', 'gradle', 'demo']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toBe(
      'note: demo does not let alice list repositories (403). Name the repository in build.gradle: url "${artifactory_contextUrl}/<repository>"; --repo <repository> remembers it and prints the snippet.\n',
    );
  });

  it('on a terminal, without --repo: a numbered choice with "none" first, then how to pull; the choice is offered first next time', async () => {
    const run = await onTerminal(cli, ['configure', 'docker', 'demo'], (screen) => (/Repository \[\d+\]: $/.test(screen) ? '3\r' : undefined));
    expect(run.screen).toContain('Pull Docker images through one of the repositories of demo:');
    expect(run.screen).toMatch(/0\) none: the registry login only; name the repository in each image/);
    expect(run.screen).toMatch(/1\) docker-virtual\s+virtual\s+docker-local and docker-remote/);
    expect(run.screen).toMatch(/3\) docker-local\s+local\s+Docker images built here/);
    expect(run.screen).toContain(`Pull through docker-local: docker pull ${fake.host}/docker-local/<image>:<tag>`);
    expect(run.code).toBe(0);
    expect(state().instances[0]?.chosenRepositories).toMatchObject({ docker: 'docker-local' });
    const again = await onTerminal(cli, ['configure', 'docker', 'demo'], (screen) => (/Repository \[3\]: $/.test(screen) ? '\r' : undefined));
    expect(again.code).toBe(0);
    expect(again.screen).toContain(`docker pull ${fake.host}/docker-local/<image>:<tag>`);

    const none = await onTerminal(cli, ['configure', 'gradle', 'demo'], (screen) => (/Repository \[\d+\]: $/.test(screen) ? '0\r' : undefined));
    expect(none.screen).toContain('Resolve Gradle dependencies through one of the repositories of demo:');
    expect(none.screen).toMatch(/0\) none: the credentials only; your build names the repository/);
    expect(none.screen).toMatch(/1\) gradle-virtual\s+virtual/);
    expect(none.code).toBe(0);
    expect(none.screen).toMatch(/onfigured gradle: artifactory_user/);
    expect(none.screen).not.toContain('build.gradle.kts');
  });

  it('on a terminal, where the listing is refused: the note, then the key as free text (Enter for none)', async () => {
    fake.config.repositoryListForbidden = true;
    const run = await onTerminal(cli, ['configure', 'gradle', 'demo'], (screen) => (/gradle repository key \(Enter for none\): $/.test(screen) ? 'team-gradle\r' : undefined));
    expect(run.screen).toContain('note: demo does not let alice list repositories (403)');
    expect(run.screen).toContain('url "${artifactory_contextUrl}/team-gradle"');
    expect(run.code).toBe(0);
  });
});
