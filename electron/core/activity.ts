import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withFileLock } from './file-lock.js';
import { redact, type Logger } from './logger.js';

/**
 * What happened to the instances, for people: logins, refreshes, failures, revocations, tool
 * files, notices. One JSON object per line in `activity.jsonl` beside the state file, appended
 * by every Artikey process (app, CLI, agent) at once, so each entry is one `appendFile` (one
 * O_APPEND write) and a reader skips any line it cannot parse. Never a secret: messages pass the
 * logger's redactor and the callers name operations, not values.
 */
export type ActivityKind =
  'login' | 'refresh' | 'refresh-failed' | 'revoked' | 'logout' | 'rename' | 'tools' | 'notice';

export interface ActivityEntry {
  /** Seconds since the epoch. */
  at: number;
  kind: ActivityKind;
  instanceId: string | null;
  instanceName: string | null;
  message: string;
}

export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'login',
  'refresh',
  'refresh-failed',
  'revoked',
  'logout',
  'rename',
  'tools',
  'notice',
];

export interface ActivityLogOptions {
  /** Past this size the file is rotated to `<file>.1` (replacing the older one). */
  maxBytes?: number;
  logger?: Logger;
}

const MAX_MESSAGE = 500;
const MAX_NAME = 200;

/**
 * The log is capped by rotation rather than by rewriting in place: renaming the full file aside
 * is atomic and loses nothing another process appends meanwhile (an append already holding the
 * old file lands in the rotated one, which is still read). So the two files hold between one and
 * two `maxBytes` of the newest entries, and at most two files ever exist.
 */
export class ActivityLog {
  readonly #maxBytes: number;
  readonly #log: Logger | undefined;

  constructor(
    readonly path: string,
    options: ActivityLogOptions = {},
  ) {
    this.#maxBytes = options.maxBytes ?? 512 * 1024;
    this.#log = options.logger;
  }

  /** The rotated, older half of the log. */
  get previousPath(): string {
    return `${this.path}.1`;
  }

  /** Adds one entry. Never throws: the activity log must not make an operation fail. */
  async append(entry: ActivityEntry): Promise<void> {
    try {
      const line = `${JSON.stringify(clean(entry))}\n`;
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await appendFile(this.path, line, { encoding: 'utf8', mode: 0o600, flag: 'a' });
      if ((await stat(this.path)).size > this.#maxBytes) await this.#rotate();
    } catch (error) {
      this.#log?.warn(`could not write the activity log ${this.path}: ${(error as Error).message}`);
    }
  }

  /** The newest entries first; lines that are damaged or half-written are skipped. */
  async list(limit = 100): Promise<ActivityEntry[]> {
    const lines = [...(await readLines(this.previousPath)), ...(await readLines(this.path))];
    const entries: { entry: ActivityEntry; order: number }[] = [];
    lines.forEach((line, order) => {
      const entry = parseEntry(line);
      if (entry) entries.push({ entry, order });
    });
    // File order breaks ties (and is what processes appended last); clocks decide first.
    entries.sort((a, b) => b.entry.at - a.entry.at || b.order - a.order);
    return entries.slice(0, Math.max(0, limit)).map((e) => e.entry);
  }

  async #rotate(): Promise<void> {
    // One process rotates at a time, and only a file still over the cap: two at once would
    // rotate the fresh file over the full one.
    await withFileLock(
      join(dirname(this.path), 'locks', 'activity.lock'),
      async () => {
        let size: number;
        try {
          size = (await stat(this.path)).size;
        } catch {
          return;
        }
        if (size > this.#maxBytes) await rename(this.path, this.previousPath);
      },
      { staleMs: 10_000, timeoutMs: 5_000 },
    );
  }
}

async function readLines(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const nullableString = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';

/** One line read back, checked field by field; null for anything else. */
export function parseEntry(line: string): ActivityEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(raw)) return null;
  const { at, kind, instanceId, instanceName, message } = raw;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (!ACTIVITY_KINDS.includes(kind as ActivityKind)) return null;
  if (!nullableString(instanceId) || !nullableString(instanceName)) return null;
  if (typeof message !== 'string') return null;
  return clean({ at, kind: kind as ActivityKind, instanceId, instanceName, message });
}

/** One line, bounded, with anything shaped like a credential taken out. */
function clean(entry: ActivityEntry): ActivityEntry {
  const text = (value: string, max: number): string =>
    redact(value.replace(/[\r\n\t]+/g, ' ')).slice(0, max);
  return {
    at: Math.floor(entry.at),
    kind: entry.kind,
    instanceId: entry.instanceId === null ? null : text(entry.instanceId, MAX_NAME),
    instanceName: entry.instanceName === null ? null : text(entry.instanceName, MAX_NAME),
    message: text(entry.message, MAX_MESSAGE),
  };
}
