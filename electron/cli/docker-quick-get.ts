import { DOCKER_MARGIN_SECONDS, instanceForRegistry } from '../core/docker-lookup.js';
import { ArtikeyError } from '../core/errors.js';
import { stateFilePath } from '../core/paths.js';
import { StateStore } from '../core/state.js';
import { tokenUse } from '../core/token-use.js';
import { cliVault } from './environment.js';

/**
 * Docker runs `get` for every pull and build. When the token may be served as it is, the answer
 * needs only the state file and one keychain read; a token Artikey knows is dead is refused from
 * the state file alone; anything else (refresh, errors) goes through the full core. It is one
 * module the helper loads only without an agent: the helper is bundled on its own (build.mjs), so
 * this lands in a few files, and each file Node's ESM loader resolves costs more than its code.
 */
export async function quickGet(
  server: string,
): Promise<{ username: string; secret: string } | 'unknown-host' | null> {
  const state = await new StateStore(stateFilePath()).load();
  const record = instanceForRegistry(state.instances, server);
  if (!record) return 'unknown-host';
  if (!record.username) return null;
  const use = tokenUse(record, Math.floor(Date.now() / 1000) + record.clockOffsetSeconds, {
    refreshWithinSeconds: DOCKER_MARGIN_SECONDS,
  });
  // The helper prints it as every other error: Docker shows it to the user.
  if (use instanceof ArtikeyError) throw use;
  if (use === 'refresh') return null;
  const secrets = await cliVault().read(record.id);
  return secrets ? { username: record.username, secret: secrets.accessToken } : null;
}

// The helper's `version` comes from here too: with one lazily imported module instead of two,
// esbuild splits what the helper shares with the core into fewer files.
export { version } from './environment.js';
