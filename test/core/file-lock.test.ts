import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../electron/core/file-lock.js';

const lockModule = new URL('../../electron/core/file-lock.ts', import.meta.url).pathname;

describe('withFileLock: one Artikey process at a time', () => {
  let folder: string;
  let lock: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-lock-'));
    lock = join(folder, 'locks', 'refresh.lock');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const owner = (pid: number, ageMs = 0): string =>
    JSON.stringify({ pid, host: hostname(), at: Date.now() - ageMs, nonce: 'someone-else' });
  const deadPid = (): number =>
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout as unknown as number;

  it('lets eight processes through one at a time and removes the lock afterwards', async () => {
    const journal = join(folder, 'journal');
    const script = join(folder, 'worker.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';\nconst { withFileLock } = await import(${JSON.stringify(lockModule)});\n` +
        `await withFileLock(${JSON.stringify(lock)}, async () => {\n  appendFileSync(${JSON.stringify(journal)}, 'in ' + process.pid + '\\n');\n  await new Promise((r) => setTimeout(r, 30));\n  appendFileSync(${JSON.stringify(journal)}, 'out ' + process.pid + '\\n');\n});\n`,
    );
    const runs = Array.from(
      { length: 8 },
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
          child.on('close', (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(16);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^in \d+$/);
      expect(lines[i + 1]).toBe(lines[i]?.replace('in', 'out'));
    }
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it('takes over a lock whose process is gone', async () => {
    await withFileLock(lock, async () => undefined); // creates the folder
    writeFileSync(lock, owner(Number(deadPid())));
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
  });

  it('takes over a lock older than staleMs even when its PID is alive (reused PIDs, hung owners)', async () => {
    await withFileLock(lock, async () => undefined);
    writeFileSync(lock, owner(process.pid, 120_000));
    expect(await withFileLock(lock, async () => 'ran', { staleMs: 60_000, timeoutMs: 1000 })).toBe(
      'ran',
    );
  });

  it('takes over a half-written lock only once it is old', async () => {
    await withFileLock(lock, async () => undefined);
    writeFileSync(lock, '');
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'lock-timeout',
    });
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
  });

  it('waits for a live owner and gives up with a clear error, leaving its lock alone', async () => {
    await withFileLock(lock, async () => undefined);
    writeFileSync(lock, owner(process.ppid));
    const error = await withFileLock(lock, async () => 'ran', { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'lock-timeout',
      message: expect.stringContaining(`Another Artikey process (PID ${process.ppid})`),
    });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ nonce: 'someone-else' });
  });

  it.runIf(process.platform === 'linux')(
    'records when its owner started, and still waits for a live owner whose start time matches',
    async () => {
      const startOf = (pid: number | string): string | undefined => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      };
      const recorded = await withFileLock(
        lock,
        async () => JSON.parse(readFileSync(lock, 'utf8')) as { started?: string },
      );
      expect(recorded.started).toBe(startOf('self'));
      writeFileSync(
        lock,
        JSON.stringify({
          ...(JSON.parse(owner(process.ppid)) as object),
          started: startOf(process.ppid),
        }),
      );
      await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300 })).rejects.toMatchObject(
        { code: 'lock-timeout' },
      );
    },
  );

  it('releases on failure, and never removes a lock that is no longer its own', async () => {
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(existsSync(lock)).toBe(false);
    await withFileLock(lock, async () => {
      writeFileSync(lock, owner(process.ppid)); // someone took it over meanwhile
    });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ nonce: 'someone-else' });
  });
});
