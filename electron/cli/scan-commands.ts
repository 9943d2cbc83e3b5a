import type { Artikey } from '../core/artikey.js';
import { ArtikeyError, errorCode } from '../core/errors.js';
import type { MigrationStep } from '../core/migrate.js';
import type { Environment } from '../core/paths.js';
import type { CredentialView, PublicCredential } from '../core/scan/scan.js';
import { describeTarget } from '../core/targets/tool-request.js';
import { backupTable } from './backup-commands.js';
import { withBrowserPrompt } from './browser.js';
import { relative, shellWord, table } from './format.js';
import { fromHome } from './home-path.js';
import { ask } from './prompt.js';
import type { CliIo } from './cli-io.js';
import { reportFailure } from './failure.js';

const KIND_LABEL: Record<PublicCredential['kind'], string> = {
  'api-key': 'API key (end-of-life)',
  'reference-token': 'reference token',
  'access-token': 'access token',
  'refresh-token': 'refresh token',
  password: 'password',
  'env-reference': 'variable reference',
  encrypted: 'encrypted',
};

/** `~/.npmrc:4 //host/path/:_authToken`: where the secret is, as people type paths. */
const where = (c: PublicCredential, home: string): string =>
  `${fromHome(c.file, home)}${c.line ? `:${c.line}` : ''} ${c.location}`;

/** "in 3 h", "expired 2 h ago", "-": how long an entry the scan found is good for. */
function expiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return '-';
  return expiresAt > now ? relative(expiresAt - now) : `expired ${relative(expiresAt - now)}`;
}

/** Artikey's own entries are no plain-text leftovers; a stale copy in one is. */
const managedLabel = (c: CredentialView): string =>
  c.managed ? 'yes' : c.stale ? 'no (stale copy)' : 'no';

const plural = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/** `artikey migrate` for each instance, as one list. */
const migrateCommands = (found: CredentialView[], names: ReadonlyMap<string, string>): string =>
  [...new Set(found.map((c) => c.instanceId))]
    .map((i) => `artikey migrate ${shellWord(nameOf(i, names) ?? '-')}`)
    .join(', ');

/** The name the person gave an instance; its id only when it is gone meanwhile. */
const nameOf = (id: string | null, names: ReadonlyMap<string, string>): string | null =>
  id === null ? null : (names.get(id) ?? id);

/** `artikey scan`: what plain-text credentials lie around, and which instance each belongs to. */
export async function scanCommand(
  artikey: Artikey,
  environment: Environment,
  io: CliIo,
  options: { json: boolean; check: boolean },
): Promise<number> {
  const json = options.json;
  const report = await artikey.scan(environment, { check: options.check });
  // Backups are plain-text copies too: those that may still hold a live secret are listed.
  const backups = (await artikey.backups(environment, { check: options.check })).filter(
    (b) => b.holdsLiveSecret,
  );
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  if (json) return (out(JSON.stringify({ ...report, backups })), 0);
  const home = environment.home;
  for (const problem of report.problems)
    io.stderr.write(`note: ${fromHome(problem.file, home)}: ${problem.message}\n`);
  const listBackups = (): void => {
    if (backups.length === 0) return;
    out(
      `\n${plural(backups.length, 'backup holds', 'backups hold')} credentials that are (or may be) live:`,
    );
    out(backupTable(backups, home));
    out('Delete the ones you no longer need: artikey backups --delete <path>');
  };
  // `${VAR}` entries hold no secret: listed apart, never counted among plain-text credentials.
  const references = report.found.filter((c) => c.kind === 'env-reference');
  const listReferences = (): void => {
    if (references.length === 0) return;
    out(
      `\n${plural(references.length, 'entry reads its secret', 'entries read their secrets')} from an environment variable (a reference, not a plain-text secret; nothing to migrate):`,
    );
    out(table(references.map((c) => [`  ${c.tool}`, where(c, home)])));
  };
  const found = report.found.filter((c) => c.kind !== 'env-reference');
  if (found.length === 0) {
    out(
      `No plain-text Artifactory credentials found (looked in ${report.searched.length} places).`,
    );
    listReferences();
    listBackups();
    return 0;
  }
  const now = Math.floor(Date.now() / 1000);
  const names = new Map((await artikey.list()).map((view) => [view.id, view.name]));
  out(
    table([
      [
        'TOOL',
        'KIND',
        'INSTANCE',
        'USER',
        'EXPIRES',
        ...(options.check ? ['WORKS'] : []),
        'MANAGED',
        'WHERE',
      ],
      ...found.map((c) => [
        c.tool,
        KIND_LABEL[c.kind],
        nameOf(c.instanceId, names) ?? (c.host ? `${c.host} (not logged in)` : '-'),
        c.username ?? '-',
        expiry(c.expiresAt, now),
        ...(options.check ? [c.works ?? 'not checked'] : []),
        managedLabel(c),
        where(c, home),
      ]),
    ]),
  );
  listReferences();
  const managed = found.filter((c) => c.managed);
  if (managed.length > 0)
    out(
      `\n${plural(managed.length, 'entry is', 'entries are')} managed by Artikey (MANAGED yes): it rewrites ${managed.length === 1 ? 'it' : 'them'} with every new token; nothing to do.`,
    );
  const stale = found.filter((c) => c.stale);
  if (stale.length > 0)
    out(
      `${plural(stale.length, 'entry', 'entries')} of Artikey's hold${stale.length === 1 ? 's' : ''} an old token (stale copy); rewrite with the current one: ${migrateCommands(stale, names)}`,
    );
  const movable = found.filter(
    (c) => c.instanceId && !c.managed && !c.stale && c.kind !== 'encrypted',
  );
  if (movable.length > 0)
    out(`\nReplace them with tokens Artikey keeps fresh: ${migrateCommands(movable, names)}`);
  const strangers = [...new Set(found.filter((c) => !c.instanceId && c.host).map((c) => c.host))];
  if (strangers.length > 0 && movable.length > 0)
    out(
      `Log in first to migrate the others: ${strangers.map((h) => `artikey login ${h}`).join(', ')}`,
    );
  else if (strangers.length > 0)
    // `migrate` logs in to a server it is not logged in to yet (after asking), then replaces.
    out(
      `\nArtikey is not logged in to ${strangers.join(', ')} yet. Log in and replace these credentials with tokens Artikey keeps fresh: ${strangers.map((h) => `artikey migrate ${h}`).join(', ')}`,
    );
  listBackups();
  return 0;
}

/**
 * `artikey migrate <instance>`: shows the plan, and applies it with --yes or after a yes. A server
 * Artikey is not logged in to, whose credentials the files hold, is logged in to first (after the
 * same yes): with the API key found there, or through the browser when the server refuses it.
 */
export async function migrateCommand(
  artikey: Artikey,
  reference: string,
  environment: Environment,
  io: CliIo,
  options: { json: boolean; yes: boolean; browser: boolean },
): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  if (!(await isLoggedIn(artikey, reference))) {
    const question = `Artikey is not logged in to ${reference}. Log in (with the API key found in your files, or through the browser if the server refuses it) and migrate? [y/N] `;
    const go =
      options.yes ||
      (!options.json &&
        io.stdin.isTTY === true &&
        /^y(es)?$/i.test((await ask(question, io.stdin, io.stderr)).trim()));
    if (!go) {
      throw new ArtikeyError(
        'instance-not-found',
        `Artikey is not logged in to ${reference}. Nothing changed. Run again with --yes to log in (with the API key found in your files, or through the browser if the server refuses it) and migrate, or log in first: artikey login ${reference}`,
      );
    }
    const login = await withBrowserPrompt(io, options.browser, (hooks) =>
      artikey.loginToMigrate({ url: reference, ...hooks }, environment),
    );
    if (!options.json) {
      out(
        `Logged in to ${login.instance.name}${login.instance.username ? ` as ${login.instance.username}` : ''} ${login.via === 'browser' ? 'through the browser' : 'with the API key found in your files'}.`,
      );
      for (const note of login.notes) out(`Note: ${note}`);
    }
    reference = login.instance.id;
    options = { ...options, yes: true };
  }
  const plan = await artikey.migrate(reference, environment, false);
  const replacements = plan.steps.filter((s) => s.action === 'replace');
  if (!options.json) {
    if (plan.steps.length === 0)
      return (
        out(`Nothing to migrate for ${reference}: no plain-text credentials of it were found.`),
        0
      );
    out(`Plan for ${reference}:`);
    for (const step of plan.steps) out(`  ${describeStep(step, environment.home)}`);
  }
  let apply = options.yes;
  if (!apply && replacements.length > 0 && !options.json && io.stdin.isTTY) {
    apply = /^y(es)?$/i.test(
      (
        await ask(
          `Apply ${replacements.length} change(s)? Each file is backed up, as it is, first. [y/N] `,
          io.stdin,
          io.stderr,
        )
      ).trim(),
    );
  }
  if (!apply) {
    if (options.json) out(JSON.stringify(plan));
    else if (replacements.length > 0) out('Nothing changed. Run again with --yes to apply.');
    return 0;
  }
  const result = await artikey.migrate(reference, environment, true);
  if (options.json) out(JSON.stringify(result));
  else {
    for (const step of result.applied)
      if (step.action === 'replace')
        out(
          `Replaced the ${KIND_LABEL[step.credential.kind]} in ${fromHome(step.credential.file, environment.home)}.`,
        );
    // Absolute, as `artikey backups` lists them and `--delete` takes them.
    for (const { file, backup } of result.backups) out(`Saved ${file} as it was before: ${backup}`);
    if (result.backups.length > 0)
      out(
        'Each backup holds what the file held, the old credentials included: delete it once you no longer need it (artikey backups).',
      );
    if (result.applied.some((s) => s.credential.kind === 'api-key')) {
      out(
        'The API key still works on the server until it is revoked: revoke it in the JFrog web UI (or: printf %s "$KEY" | artikey login <url> --token --revoke-api-key).',
      );
    }
  }
  const [failed] = result.failed;
  if (!failed) return 0;
  return reportFailure(
    io,
    options.json,
    failed.code,
    result.failed.map(
      (f) =>
        `could not migrate ${where(f.step.credential, environment.home)}: ${f.message} [${f.code}]`,
    ),
  );
}

async function isLoggedIn(artikey: Artikey, reference: string): Promise<boolean> {
  try {
    await artikey.instance(reference);
    return true;
  } catch (error) {
    if (errorCode(error) === 'instance-not-found') return false;
    throw error;
  }
}

function describeStep(step: MigrationStep, home: string): string {
  const what = `${KIND_LABEL[step.credential.kind]} in ${where(step.credential, home)}`;
  return step.action === 'replace'
    ? `replace ${what}\n      with ${describeTarget({ ...step.target, path: fromHome(step.target.path, home) })}`
    : `leave ${what}: ${step.reason}`;
}
