import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { npmRegistryKey } from '../../electron/core/targets/ini-file.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from '../support/clients.js';

/**
 * Issue 14, item 5: backups are true. None of a file Artikey created; a fresh one, holding the
 * exact prior bytes, before each change that takes out what the person wrote; never wider than
 * 0600; known (listed by scan, status and `artikey backups`, with whether the secrets in them are
 * live) and deleted on request, or by Artikey once every secret in them is dead and the person
 * agreed to that.
 */
const BACKUP = /\.artikey-backup/;
const backupsIn = (folder: string): string[] =>
  readdirSync(folder)
    .filter((name) => BACKUP.test(name))
    .sort();
const mode = (path: string): number => statSync(path).mode & 0o777;

describe('backups of tool files, through the core', () => {
  let fake: FakeArtifactory;
  let core: TestArtikey;
  let environment: Environment;
  let instance: string;
  const npmrc = (): string => join(core.home, '.npmrc');
  const registry = (repo: string): string => `${fake.url}/artifactory/api/npm/${repo}/`;
  const token = async (): Promise<string> => (await core.vault.read(instance))?.accessToken ?? '';
  const configureNpm = (options: { replaceReferences?: boolean } = {}) =>
    core.artikey.configureTool(
      instance,
      targetSpec('npm', { platformUrl: fake.url }, { repo: 'npm-virtual' }, environment),
      options,
    );

  beforeEach(async () => {
    fake = await startFakeArtifactory();
    core = testArtikey(fake);
    environment = { platform: process.platform, env: {}, home: core.home };
    instance = (await logInAs(core.artikey, fake, DEMO_USER.name)).instance.id;
  });
  afterEach(async () => {
    await core.artikey.logout(instance).catch(() => undefined);
    await core.vault.erase(instance).catch(() => undefined);
    await fake.stop();
    core.cleanup();
  });

  it('takes no backup of a file Artikey created: configure, refresh and logout leave none behind', async () => {
    await configureNpm();
    await core.artikey.refresh(instance);
    await core.artikey.refresh(instance);
    expect((await core.artikey.logout(instance)).complete).toBe(true);
    expect(existsSync(npmrc())).toBe(false);
    expect(backupsIn(core.home)).toEqual([]);
  });

  it('migrate saves the exact pre-migration bytes in a fresh 0600 backup, and reports that one', async () => {
    await configureNpm();
    await core.artikey.refresh(instance); // the old code's one-time "backup" was taken here: Artikey's own output
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const other = npmRegistryKey(registry('npm-other'), '_authToken');
    writeFileSync(npmrc(), `${readFileSync(npmrc(), 'utf8')}# mine\r\n${other}=${apiKey}\r\n`);
    const before = readFileSync(npmrc());

    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    expect(result.backups).toEqual([
      { file: npmrc(), backup: expect.stringMatching(/\/\.npmrc\.artikey-backup-\d{8}T\d{6}Z$/) },
    ]);
    const backup = result.backups[0]!.backup;
    expect(readFileSync(backup).equals(before)).toBe(true);
    expect(mode(backup)).toBe(0o600);
    expect(backupsIn(core.home)).toEqual([basename(backup)]);
    expect(readFileSync(npmrc(), 'utf8')).not.toContain(apiKey);
  });

  it('takes a fresh backup before --replace-references takes over a ${VAR} entry, and none for a plain addition', async () => {
    const key = npmRegistryKey(registry('npm-virtual'), '_authToken');
    const original = `; team settings\n${key}=\${NPM_TOKEN}\n`;
    writeFileSync(npmrc(), original, { mode: 0o644 });
    const pip = join(core.home, '.config', 'pip');
    mkdirSync(pip, { recursive: true });
    writeFileSync(join(pip, 'pip.conf'), '[global]\ntimeout = 60\n');
    await core.artikey.configureTool(
      instance,
      targetSpec('pip', { platformUrl: fake.url }, { repo: 'pypi-virtual' }, environment),
    );
    expect(readFileSync(join(pip, 'pip.conf'), 'utf8')).toMatch(
      /^\[global\]\ntimeout = 60\nindex-url = /,
    );
    expect(backupsIn(pip)).toEqual([]); // only added to: every line the person wrote stays

    await configureNpm({ replaceReferences: true });
    const taken = backupsIn(core.home);
    expect(taken).toHaveLength(1);
    expect(readFileSync(join(core.home, taken[0]!), 'utf8')).toBe(original);
    expect(mode(join(core.home, taken[0]!))).toBe(0o600);
    await core.artikey.refresh(instance); // a rewrite of Artikey's own entry takes nothing away
    expect(backupsIn(core.home)).toEqual(taken);
  });

  it('narrows a world-readable backup an older Artikey left the next time it edits the file', async () => {
    writeFileSync(npmrc(), 'color=false\n');
    const legacy = `${npmrc()}.artikey-backup`;
    writeFileSync(
      legacy,
      `${npmRegistryKey(registry('npm-virtual'), '_authToken')}=${await token()}\n`,
    );
    chmodSync(legacy, 0o644); // an older version copied first and narrowed after: killed in between
    await configureNpm();
    expect(mode(legacy)).toBe(0o600);
  });

  it('lists every backup with what it holds, and deletes those holding only dead secrets once the person agreed', async () => {
    await configureNpm();
    const legacy = `${npmrc()}.artikey-backup`;
    writeFileSync(legacy, readFileSync(npmrc()), { mode: 0o644 }); // an older Artikey's copy of its own output
    const apiKeyBackup = `${npmrc()}.artikey-backup-20260101T000000Z`;
    writeFileSync(
      apiKeyBackup,
      `${npmRegistryKey(registry('npm-other'), '_authToken')}=${fake.createApiKey(DEMO_USER.name)}\n`,
      { mode: 0o600 },
    );

    const listed = await core.artikey.backups(environment);
    // Oldest first: a legacy backup is as old as its last write.
    expect(listed.map((b) => [b.path, b.of, b.legacy])).toEqual([
      [apiKeyBackup, npmrc(), false],
      [legacy, npmrc(), true],
    ]);
    expect(listed[0]).toMatchObject({
      takenAt: Date.UTC(2026, 0, 1) / 1000,
      credentials: [expect.objectContaining({ kind: 'api-key', live: 'unknown' })],
    });
    expect(listed[1]).toMatchObject({
      holdsLiveSecret: true,
      credentials: [expect.objectContaining({ kind: 'access-token', live: 'live' })],
    });
    expect(mode(legacy)).toBe(0o600);
    const secrets = [await token(), ...fake.tokens.all().map((t) => t.jwt)];
    for (const secret of secrets) expect(JSON.stringify(listed)).not.toContain(secret);

    await core.artikey.refresh(instance); // without the person's yes, nothing is deleted
    expect(existsSync(legacy)).toBe(true);
    expect(
      (await core.artikey.backups(environment, { check: true })).find((b) => b.legacy),
    ).toMatchObject({ onlyDeadSecrets: true });

    await core.artikey.setDeleteDeadBackups(true);
    expect(existsSync(legacy)).toBe(true); // deleted once Artikey itself retires a secret, not before
    const current = `${npmrc()}.artikey-backup-20260102T000000Z`;
    writeFileSync(current, readFileSync(npmrc()), { mode: 0o600 });
    await core.artikey.refresh(instance);
    expect(existsSync(current)).toBe(false); // its token was just replaced
    expect(existsSync(legacy)).toBe(true); // its token died before; offline, Artikey cannot tell
    expect(existsSync(apiKeyBackup)).toBe(true); // an API key Artikey did not revoke
    writeFileSync(current, readFileSync(npmrc()), { mode: 0o600 });
    await core.artikey.logout(instance);
    expect(existsSync(current)).toBe(false); // logout revoked its token
    expect(existsSync(apiKeyBackup)).toBe(true);
  });

  it('refuses to delete anything but a backup it lists, and deletes nothing then', async () => {
    await configureNpm();
    const backup = `${npmrc()}.artikey-backup-20260101T000000Z`;
    writeFileSync(backup, 'color=false\n', { mode: 0o600 });
    const elsewhere = join(core.home, 'notes.artikey-backup-20260101T000000Z');
    writeFileSync(elsewhere, 'mine\n');
    for (const path of [npmrc(), elsewhere, core.stateFile])
      await expect(core.artikey.deleteBackups(environment, [backup, path])).rejects.toMatchObject({
        code: 'not-a-backup',
      });
    expect([existsSync(backup), existsSync(elsewhere), existsSync(npmrc())]).toEqual([
      true,
      true,
      true,
    ]);
    expect(await core.artikey.deleteBackups(environment, [backup])).toEqual({
      deleted: [backup],
      failed: [],
    });
    expect(existsSync(backup)).toBe(false);
  });
});

describe('artikey scan, status and backups (the built CLI) on a migration backup', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string): Promise<ClientRun> =>
    runClient(
      process.execPath,
      [new URL('../../dist/cli/artikey.js', import.meta.url).pathname, ...args],
      {
        env,
        ...(input === undefined ? {} : { input }),
      },
    );
  beforeEach(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterEach(async () => {
    await cli(['logout', 'demo']);
    await fake.stop();
    scratch.cleanup();
  });

  it('lists the backup holding the old API key, says whether it works, and deletes it once it is dead', async () => {
    const login = await cli(['login', fake.url, '--no-browser', '--name', 'demo']);
    expect(login.code, login.stderr).toBe(0);
    const npmrc = join(scratch.home, '.npmrc');
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const original = `# mine\n${npmRegistryKey(`${fake.url}/artifactory/api/npm/npm-virtual/`, '_authToken')}=${apiKey}\n`;
    writeFileSync(npmrc, original, { mode: 0o644 });

    const migrate = await cli(['migrate', 'demo', '--yes']);
    expect(migrate.code, migrate.stderr).toBe(0);
    const backup = /Saved .* as it was before: (\S+)/.exec(migrate.stdout)?.[1] ?? '';
    expect(readFileSync(backup, 'utf8')).toBe(original);
    expect(mode(backup)).toBe(0o600);

    const scan = await cli(['scan', '--json']);
    expect(scan.code, scan.stderr).toBe(0);
    const listed = (
      JSON.parse(scan.stdout) as {
        backups: { path: string; of: string; credentials: { kind: string; live: string }[] }[];
      }
    ).backups;
    expect(listed).toEqual([
      expect.objectContaining({
        path: backup,
        of: npmrc,
        credentials: [expect.objectContaining({ kind: 'api-key', live: 'unknown' })],
      }),
    ]);
    const checked = JSON.parse((await cli(['scan', '--check', '--json'])).stdout) as {
      backups: { credentials: { live: string }[] }[];
    };
    expect(checked.backups[0]?.credentials[0]?.live).toBe('live');
    const table = await cli(['scan']);
    expect(table.stdout).toContain('1 backup holds credentials that are (or may be) live:');
    // Paths under HOME read as people type them (issue 17).
    const shown = `~${backup.slice(scratch.home.length)}`;
    expect(table.stdout).toContain(`${shown} `);
    expect(table.stdout).not.toContain(scratch.home);
    const status = await cli(['status', 'demo']);
    expect(status.stdout).toContain('Backups:       1 backup holds credentials: artikey backups');

    const refused = await cli(['backups', '--delete', npmrc, '--yes']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${npmrc} is not a backup Artikey made`);
    expect(readFileSync(npmrc, 'utf8')).not.toBe('');
    const alive = await cli(['backups', '--delete-dead', '--yes']);
    expect(alive.stdout).toContain('No backup holds only dead secrets; nothing to delete.');
    // As copied from the table, quoted so that no shell expanded the ~.
    const unasked = await cli(['backups', '--delete', shown]);
    expect(unasked.code).toBe(1);
    expect(unasked.stderr).toContain(`would delete ${shown}; nothing was deleted.`);
    expect(existsSync(backup)).toBe(true);

    delete fake.directory.user(DEMO_USER.name)!.apiKey; // revoked in the JFrog UI
    const dead = JSON.parse((await cli(['backups', '--check', '--json'])).stdout) as {
      backups: { onlyDeadSecrets: boolean }[];
    };
    expect(dead.backups).toEqual([expect.objectContaining({ onlyDeadSecrets: true })]);
    const deleted = await cli(['backups', '--delete-dead', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted ${shown}.`);
    expect(existsSync(backup)).toBe(false);
    expect((await cli(['status', 'demo'])).stdout).not.toContain('Backups:');
    for (const run of [migrate, scan, table, status, refused, alive, deleted])
      expect(run.stdout + run.stderr).not.toContain(apiKey);
  }, 120_000);
});
