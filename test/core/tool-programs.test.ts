import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProgram, installedTools } from '../../electron/core/targets/tool-programs.js';

/**
 * `artikey setup` finds a tool's programs as a shell would, without running one: PATH's folders in
 * order, only files this user may run, and never the folder the command happens to run in.
 */
describe('finding a tool’s programs on PATH', () => {
  const root = mkdtempSync(join(tmpdir(), 'artikey-programs-'));
  const folder = (name: string): string => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const program = (dir: string, name: string, mode = 0o755): string => {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, mode);
    return path;
  };
  const linux = (path: string) => ({ platform: 'linux' as const, env: { PATH: path }, home: root });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes the first folder on PATH that has one of the names', async () => {
    const first = folder('first');
    const second = folder('second');
    program(second, 'pnpm');
    const npm = program(second, 'npm');
    expect(await findProgram(['npm', 'pnpm'], linux(`${first}:${second}`))).toBe(npm);
    const pnpm = program(first, 'pnpm');
    expect(await findProgram(['npm', 'pnpm'], linux(`${first}:${second}`))).toBe(pnpm);
  });

  it('passes over a file nobody may run, a folder of that name, and an empty PATH entry', async () => {
    const dir = folder('odd');
    program(dir, 'mvn', 0o644);
    mkdirSync(join(dir, 'gradle'));
    expect(await findProgram(['mvn'], linux(dir))).toBeNull();
    expect(await findProgram(['gradle'], linux(dir))).toBeNull();
    expect(await findProgram(['docker'], { platform: 'linux', env: {}, home: root })).toBeNull();
    expect(await findProgram(['docker'], linux(`::${dir}:`))).toBeNull();
  });

  it('answers for every tool asked, null where none is installed', async () => {
    const dir = folder('tools');
    const skopeo = program(dir, 'skopeo');
    const found = await installedTools(['podman', 'netrc', 'cargo'], linux(dir));
    expect(Object.fromEntries(found)).toEqual({ podman: skopeo, netrc: null, cargo: null });
  });
});
