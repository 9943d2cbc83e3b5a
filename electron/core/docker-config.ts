import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export class DockerConfigError extends Error {
  readonly code = 'docker-config-invalid';
}

/** `$DOCKER_CONFIG/config.json`, or `~/.docker/config.json`. */
export function dockerConfigPath(env: Record<string, string | undefined>, home: string): string {
  return join(env['DOCKER_CONFIG'] ?? join(home, '.docker'), 'config.json');
}

/**
 * Points Docker at `docker-credential-artikey` for these registry hosts, keeping every other key
 * of config.json (auths, credsStore, proxies, unknown fields) and its indentation. A file that
 * does not parse is refused and left untouched.
 */
export async function setCredentialHelper(path: string, hosts: string[], helper: string | null): Promise<boolean> {
  const target = await realpath(path).catch(() => path);
  let text: string | null = null;
  try {
    text = await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let config: Record<string, unknown> = {};
  if (text !== null && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new DockerConfigError(`${target} is not valid JSON; Artikey left it untouched. Fix or move it, then try again.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DockerConfigError(`${target} is not a JSON object; Artikey left it untouched.`);
    config = parsed as Record<string, unknown>;
  }
  const current = config['credHelpers'];
  if (current !== undefined && (typeof current !== 'object' || current === null || Array.isArray(current))) {
    throw new DockerConfigError(`credHelpers in ${target} is not an object; Artikey left the file untouched.`);
  }
  const helpers = { ...(current as Record<string, unknown> | undefined) };
  let changed = false;
  for (const host of hosts) {
    if (helper === null) {
      if (helpers[host] === 'artikey') {
        delete helpers[host];
        changed = true;
      }
    } else if (helpers[host] !== helper) {
      helpers[host] = helper;
      changed = true;
    }
  }
  if (!changed) return false;
  if (Object.keys(helpers).length === 0) delete config['credHelpers'];
  else config['credHelpers'] = helpers;
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  // One backup, of the file as it was before Artikey first touched it.
  if (text !== null) {
    await copyFile(target, `${target}.artikey-backup`, constants.COPYFILE_EXCL).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  const indent = /^[ \t]+/m.exec(text ?? '')?.[0] ?? '\t';
  await writeFileAtomic(target, `${JSON.stringify(config, null, indent)}\n`);
  return true;
}
