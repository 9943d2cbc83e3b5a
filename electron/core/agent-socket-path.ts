import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a running agent listens. Apart from agent-socket.ts, whose networking the Docker helper
 * loads only when an agent may be there (Node's net module costs it a few ms of every `get`).
 */
export function agentSocketPath(
  appDataDir: string,
  platform: NodeJS.Platform = process.platform,
  user = process.env['USERNAME'] ?? 'user',
): string {
  return platform === 'win32'
    ? `\\\\.\\pipe\\artikey-${user.replace(/[^\w.-]/g, '_')}`
    : join(appDataDir, 'agent.sock');
}

/** No agent listens on a Unix socket whose file is missing; a named pipe has to be tried. */
export const agentMayListen = (path: string): boolean =>
  path.startsWith('\\\\.\\pipe\\') || existsSync(path);
