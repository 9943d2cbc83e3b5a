import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { targetSpec, type Tool } from '../../electron/core/targets/tool-request.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/**
 * README: a tool file the user made read-only, or one another user owns, is refused and left
 * exactly as it was; an ordinary file keeps its owner and group, and one that will hold a token
 * is narrowed to 0600. Through the real core, against the fake, with real files.
 */
const SEEDS: Record<'npm' | 'maven' | 'docker', string> = {
  npm: 'color=false\n',
  maven: '<settings>\n  <offline>false</offline>\n</settings>\n',
  docker: '{\n\t"auths": {}\n}\n',
};
/** npm and maven hold the token; Docker is tried in both modes (helper entry, auths token). */
interface Case {
  tool: keyof typeof SEEDS;
  auths: boolean;
}
const CASES: (readonly [string, Case])[] = [
  ['npm', { tool: 'npm', auths: false }],
  ['maven', { tool: 'maven', auths: false }],
  ['docker', { tool: 'docker', auths: false }],
  ['docker --auths', { tool: 'docker', auths: true }],
];
const OTHER_UID = 4242;
const OTHER_GID = 4343;

describe('tool files the user protected are refused, and owner and mode are kept', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let id: string;
  let environment: Environment;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    // Another user's file can only be made here as root; root also writes anything, so these
    // tests prove the refusal is Artikey's own check and not the kernel's EACCES.
    expect(process.getuid?.()).toBe(0);
    t = testArtikey(fake);
    environment = { platform: 'linux', env: {}, home: t.home };
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    id = instance.id;
  });
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  const spec = async (tool: Tool, auths = false): Promise<TargetSpec> =>
    targetSpec(
      tool,
      await t.artikey.instance(id),
      { repo: 'libs', ...(auths ? { auths: true } : {}) },
      environment,
    );
  const seed = (path: string, text: string, mode: number): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    chmodSync(path, mode);
  };
  const snapshot = (path: string) => {
    const info = statSync(path);
    return {
      bytes: readFileSync(path, 'utf8'),
      mode: info.mode & 0o7777,
      uid: info.uid,
      gid: info.gid,
      mtimeMs: info.mtimeMs,
      folder: readdirSync(dirname(path)).sort(),
    };
  };
  it.each(CASES)(
    '%s: a read-only (0400) file is refused with how to proceed, and left untouched',
    async (_, { tool, auths }) => {
      const target = await spec(tool, auths);
      seed(target.path, SEEDS[tool], 0o400);
      const before = snapshot(target.path);
      const error = await t.artikey.configureTool(id, target).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'tool-file-protected' });
      const message = (error as Error).message;
      expect(message).toContain(`${target.path} is read-only (mode 0400)`);
      expect(message).toContain(`chmod u+w ${target.path}`);
      expect(snapshot(target.path)).toEqual(before);
      expect(await t.artikey.toolTargets(id)).toEqual([]);
    },
  );

  it.each(CASES)(
    '%s: a readable file owned by another user is refused, and its owner, bytes and mode stay',
    async (_, { tool, auths }) => {
      const target = await spec(tool, auths);
      seed(target.path, SEEDS[tool], 0o644);
      chownSync(target.path, OTHER_UID, OTHER_GID);
      const before = snapshot(target.path);
      const error = await t.artikey.configureTool(id, target).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'tool-file-protected' });
      expect((error as Error).message).toContain(
        `${target.path} belongs to another user (uid ${OTHER_UID})`,
      );
      expect(snapshot(target.path)).toEqual(before);
    },
  );

  it.each(CASES)(
    '%s: a symlink to a read-only file is refused, and link and file stay as they were',
    async (_, { tool, auths }) => {
      const target = await spec(tool, auths);
      const real = join(t.home, 'dotfiles', basename(target.path));
      seed(real, SEEDS[tool], 0o444);
      mkdirSync(dirname(target.path), { recursive: true });
      symlinkSync(real, target.path);
      const before = snapshot(real);
      const error = await t.artikey.configureTool(id, target).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'tool-file-protected' });
      expect((error as Error).message).toContain(`${real} is read-only (mode 0444)`);
      expect(snapshot(real)).toEqual(before);
    },
  );

  it.each(CASES)(
    '%s: an ordinary file keeps its owner and group; one holding the token is narrowed to 0600 and the log says so',
    async (_, { tool, auths }) => {
      const target = await spec(tool, auths);
      seed(target.path, SEEDS[tool], 0o644);
      chownSync(target.path, 0, OTHER_GID); // ours, with a group of its own
      const outcome = await t.artikey.configureTool(id, target);
      expect(outcome.changed).toBe(true);
      const after = statSync(target.path);
      expect({ uid: after.uid, gid: after.gid }).toEqual({ uid: 0, gid: OTHER_GID });
      const holdsToken = tool !== 'docker' || auths;
      expect(after.mode & 0o777).toBe(holdsToken ? 0o600 : 0o644);
      expect(outcome.narrowedFrom).toBe(holdsToken ? '0644' : undefined);
      const narrowed = t.logs.filter((line) => line.includes('mode 0644 to 0600'));
      expect(narrowed).toHaveLength(holdsToken ? 1 : 0);
    },
  );

  it('unconfigure leaves a file made read-only since configure untouched and says why', async () => {
    const target = await spec('npm');
    seed(target.path, SEEDS.npm, 0o600);
    await t.artikey.configureTool(id, target);
    chmodSync(target.path, 0o400);
    const before = snapshot(target.path);
    const { removed, failed } = await t.artikey.unconfigureTool(id);
    expect(removed).toEqual([]);
    expect(failed).toMatchObject([
      { code: 'tool-file-protected', message: expect.stringContaining('is read-only') },
    ]);
    expect(snapshot(target.path)).toEqual(before);
    expect(await t.artikey.toolTargets(id)).toHaveLength(1);
  });

  it('a preview refuses what configure would refuse', async () => {
    const target = await spec('npm');
    seed(target.path, SEEDS.npm, 0o400);
    await expect(t.artikey.previewTool(id, target)).rejects.toMatchObject({
      code: 'tool-file-protected',
    });
  });
});
