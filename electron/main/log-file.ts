import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogSink } from '../core/logger.js';

const MAX_BYTES = 1024 * 1024;

/**
 * The app's log: one file beside the state (lines already redacted by the core's logger),
 * timestamped, kept under 1 MiB by moving the full file to `.1`. Synchronous on purpose: the
 * lines that matter most are the ones written just before a crash.
 */
export function logFileSink(path: string, maxBytes = MAX_BYTES): LogSink {
  let ready = false;
  return (line) => {
    try {
      if (!ready) {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        ready = true;
      }
      const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
      if (size > maxBytes) renameSync(path, `${path}.1`);
      appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // A log that cannot be written must not take the app down with it.
    }
  };
}
