import type { Readable } from 'node:stream';

/**
 * The streams and process facts every command writes to and reads from: the real process's in
 * `artikey`, in-memory ones in tests. Its own module so that commands in their own files
 * (agent.ts, scan-commands.ts) need not import run.ts, which imports them.
 */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}
