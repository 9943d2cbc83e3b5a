import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * A lock shared by every Artikey process on the machine (the app, the CLI, the Docker helper):
 * a file created with O_EXCL holding the owner's PID, host, when it took the lock, and when the
 * owner process started. A lock whose owner died (PID gone on this host, or alive but started at
 * another time: the PID was reused) or that is older than `staleMs` is taken over, so a crash
 * never leaves the user locked out.
 *
 * The process start time comes from /proc on Linux. macOS and Windows have no file to read it
 * from without spawning `ps` or calling native APIs, so there a lock records none and a reused
 * PID is caught by `staleMs` alone, as before.
 */
export class LockError extends Error {
  readonly code = 'lock-timeout';
}

export interface LockOptions {
  /** A lock older than this is presumed abandoned (its owner hung or its PID was reused). */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  at: number;
  nonce: string;
  /** The owner process's start time (Linux: clock ticks after boot); absent where unknown. */
  started?: string;
}

export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const release = await acquire(path, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

async function acquire(path: string, options: LockOptions): Promise<() => Promise<void>> {
  const now = options.now ?? Date.now;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const staleMs = options.staleMs ?? 60_000;
  const deadline = now() + (options.timeoutMs ?? 30_000);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const started = startTimeOf(process.pid);
  for (let attempt = 0; ; attempt++) {
    const owner: Owner = {
      pid: process.pid,
      host: hostname(),
      at: now(),
      nonce: randomBytes(8).toString('hex'),
      ...(started === null ? {} : { started }),
    };
    if (await tryCreate(path, owner)) return () => releaseIfOurs(path, owner.nonce);
    const current = await readOwner(path);
    if (current === undefined) continue; // released between our attempt and the read
    if (current === null ? await halfWrittenLongAgo(path) : abandoned(current, now(), staleMs)) {
      await takeOver(path, current);
      continue;
    }
    if (now() >= deadline) {
      const who = current
        ? `Another Artikey process (PID ${current.pid}) has held ${path} for ${Math.round((now() - current.at) / 1000)} s`
        : `Another Artikey process is creating ${path}`;
      throw new LockError(`${who}; try again, or delete the file if no Artikey is running.`);
    }
    // Short waits first (a refresh takes a fraction of a second), jittered so waiters do not stampede.
    await sleep(Math.min(25 * 2 ** Math.min(attempt, 5), 500) * (0.5 + Math.random()));
  }
}

async function tryCreate(path: string, owner: Owner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock's owner; undefined when there is no lock; null when the file is unreadable or half-written. */
async function readOwner(path: string): Promise<Owner | null | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Owner>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      typeof parsed.at === 'number' &&
      typeof parsed.nonce === 'string' &&
      (parsed.started === undefined || typeof parsed.started === 'string')
    )
      return parsed as Owner;
  } catch {
    // fall through: a writer may have died between create and write
  }
  return null;
}

/** An empty lock file is normal for the instant between create and write; only an old one is abandoned. */
async function halfWrittenLongAgo(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > 2000;
}

function abandoned(owner: Owner, now: number, staleMs: number): boolean {
  if (now - owner.at > staleMs) return true;
  if (owner.host !== hostname()) return false; // a shared home folder: only age can tell
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // Alive, but perhaps another process under a reused PID.
  const started = owner.started === undefined ? null : startTimeOf(owner.pid);
  return started !== null && started !== owner.started;
}

/**
 * Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot; null where
 * there is no /proc. The command name (field 2) may hold spaces and parentheses, so fields are
 * counted from its closing parenthesis.
 */
function startTimeOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

/**
 * Moves the abandoned lock aside. Two processes may judge the same lock abandoned; if what we
 * moved is not the lock we judged (the other one already replaced it with a fresh one), we put
 * it back without overwriting anything.
 */
async function takeOver(path: string, judged: Owner | null): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readOwner(aside);
  const same = judged === null ? moved === null : moved?.nonce === judged.nonce;
  if (!same && moved) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

async function releaseIfOurs(path: string, nonce: string): Promise<void> {
  const owner = await readOwner(path);
  if (owner?.nonce === nonce) await rm(path, { force: true });
}
