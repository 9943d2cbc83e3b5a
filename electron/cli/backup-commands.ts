import type { Artikey } from '../core/artikey.js';
import { ArtikeyError } from '../core/errors.js';
import { requireBackups } from '../core/backups/keeper.js';
import type { BackupView } from '../core/backups/liveness.js';
import type { Environment } from '../core/paths.js';
import { relative, table } from './format.js';
import { ask } from './prompt.js';
import type { CliIo } from './cli-io.js';
import { reportFailure } from './failure.js';
import { fromHome, underHome } from './home-path.js';

const KIND: Record<string, string> = {
  'api-key': 'API key',
  'reference-token': 'reference token',
  'access-token': 'access token',
  'refresh-token': 'refresh token',
  password: 'password',
  encrypted: 'encrypted value',
};

/** What a backup holds, in one cell: "access token (live), API key (unknown)". */
export const holdings = (backup: BackupView): string =>
  backup.problem ??
  (backup.credentials.map((c) => `${KIND[c.kind] ?? c.kind} (${c.live})`).join(', ') ||
    'no credentials');

const size = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;

/** The backups table `scan` and `backups` print, with paths under HOME as `~/…`. */
export function backupTable(backups: BackupView[], home: string): string {
  const now = Math.floor(Date.now() / 1000);
  return table([
    ['BACKUP', 'OF', 'TAKEN', 'SIZE', 'HOLDS'],
    ...backups.map((b) => [
      fromHome(b.path, home),
      fromHome(b.of, home),
      `${relative(b.takenAt - now)}${b.legacy ? ' (older Artikey)' : ''}`,
      size(b.size),
      holdings(b),
    ]),
  ]);
}

export interface BackupsOptions {
  json: boolean;
  check: boolean;
  yes: boolean;
  delete: string[];
  deleteDead: boolean;
  autoDelete: string | undefined;
}

/**
 * `artikey backups`: the backups Artikey made of tool files and what they hold; with `--delete`
 * or `--delete-dead` it deletes after a yes (or `--yes`), and `--auto-delete on|off` lets Artikey
 * delete the ones holding only dead secrets by itself.
 */
export async function backupsCommand(
  artikey: Artikey,
  environment: Environment,
  io: CliIo,
  options: BackupsOptions,
): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const shown = (path: string): string => fromHome(path, environment.home);
  if (options.autoDelete !== undefined) {
    if (options.autoDelete !== 'on' && options.autoDelete !== 'off')
      throw new ArtikeyError('invalid-option', '--auto-delete takes on or off.');
    const settings = await artikey.setDeleteDeadBackups(options.autoDelete === 'on');
    if (options.json) out(JSON.stringify({ deleteDeadBackups: settings.deleteDeadBackups }));
    else
      out(
        settings.deleteDeadBackups
          ? 'Artikey now deletes a backup by itself once every secret in it is dead (revoked or replaced by Artikey, or expired).'
          : 'Artikey no longer deletes backups by itself.',
      );
    return 0;
  }
  if (options.delete.length > 0 || options.deleteDead) {
    // A named path is checked first: a file that is no backup is refused before anything is asked or deleted.
    // A path copied from the table and quoted keeps its `~`: no shell expanded it.
    const named = requireBackups(
      await artikey.backups(environment),
      options.delete.map((path) => underHome(path, environment.home)),
    ).map((b) => b.path);
    const dead = options.deleteDead
      ? (await artikey.backups(environment, { check: true }))
          .filter((b) => b.onlyDeadSecrets)
          .map((b) => b.path)
      : [];
    const paths = [...new Set([...named, ...dead])];
    if (paths.length === 0) {
      if (options.json) out(JSON.stringify({ deleted: [], failed: [] }));
      else out('No backup holds only dead secrets; nothing to delete.');
      return 0;
    }
    if (!options.yes) {
      if (options.json || !io.stdin.isTTY)
        return reportFailure(io, options.json, 'confirmation-required', [
          `would delete ${paths.map(shown).join(', ')}; nothing was deleted. Run again with --yes to delete.`,
        ]);
      for (const path of paths) io.stderr.write(`  ${shown(path)}\n`);
      const answer = await ask(
        `Delete ${paths.length === 1 ? 'this backup' : `these ${paths.length} backups`}? They are the only copy of what the files held before. [y/N] `,
        io.stdin,
        io.stderr,
      );
      if (!/^y(es)?$/i.test(answer.trim())) return (out('Nothing deleted.'), 0);
    }
    const result = await artikey.deleteBackups(environment, paths);
    if (options.json) out(JSON.stringify(result));
    else for (const path of result.deleted) out(`Deleted ${shown(path)}.`);
    if (result.failed.length === 0) return 0;
    return reportFailure(
      io,
      options.json,
      'delete-failed',
      result.failed.map((f) => `could not delete ${shown(f.path)}: ${f.message}`),
    );
  }
  const backups = await artikey.backups(environment, { check: options.check });
  if (options.json) return (out(JSON.stringify({ backups })), 0);
  if (backups.length === 0) return (out('No backups of tool files.'), 0);
  out(backupTable(backups, environment.home));
  const live = backups.filter((b) => b.holdsLiveSecret).length;
  const dead = backups.filter((b) => b.onlyDeadSecrets).length;
  if (live > 0)
    out(
      `\n${live} of them hold${live === 1 ? 's' : ''} a secret that is (or may be) live. Delete one you no longer need: artikey backups --delete <path>`,
    );
  if (dead > 0)
    out(
      `${dead} hold${dead === 1 ? 's' : ''} only dead secrets: artikey backups --delete-dead (artikey backups --auto-delete on lets Artikey do this by itself)`,
    );
  return 0;
}
