import type { Artikey, Repository, RepositoryListing } from '../core/artikey.js';
import { ArtikeyError } from '../core/errors.js';
import type { Environment } from '../core/paths.js';
import { REPOSITORY_PACKAGE_TYPE, suggestRepositories, writtenUrl } from '../core/repositories.js';
import { targetSpec, type ConfigureOptions, type Tool } from '../core/targets/tool-request.js';
import type { CliIo } from './cli-io.js';
import { ask } from './prompt.js';

/** The configure options with the repository settled, and what to do once the tool is configured. */
export interface RepositoryDecision {
  options: ConfigureOptions;
  /** Remembers the repository for the instance (the window and the next question offer it first). */
  remember(): Promise<void>;
}

/**
 * Settles which repository `configure` writes for tools whose entry names one (npm and pip need
 * one; Maven's mirror is optional), from the instance's own list:
 * - given (`--repo`, or `--mirror` for Maven) and listed: used; not listed: refused with the
 *   nearest keys ("did you mean");
 * - not given, on a terminal: a numbered choice, virtual first, then the URL it writes;
 * - not given, in a script: a usage error listing the keys to pass.
 * Where the server will not list them (403, unreachable) a given key is taken as it is and a
 * terminal asks for one, each with a note; a script still has to pass it.
 */
export async function decideRepository(
  artikey: Artikey,
  instance: { id: string; name: string; platformUrl: string },
  tool: Tool,
  options: ConfigureOptions,
  io: CliIo,
  environment: Environment,
): Promise<RepositoryDecision> {
  const packageType = REPOSITORY_PACKAGE_TYPE[tool];
  const nothing: RepositoryDecision = { options, remember: () => Promise.resolve() };
  if (packageType === null) return nothing;
  const optional = tool === 'maven';
  const given = (optional ? options.mirror?.trim() || options.repo?.trim() : options.repo?.trim()) || undefined;
  const interactive = io.stdin.isTTY === true;
  // Maven without a mirror is a complete entry (credentials only): only a person is asked about one.
  if (given === undefined && optional && !interactive) return nothing;

  const listing = await artikey.repositories(instance.id, tool);
  const note = (text: string): void => void io.stderr.write(`note: ${text}\n`);
  let key: string | null;
  if (given !== undefined) {
    if (listing.status === 'listed') requireListed(given, listing.repositories, instance.name, packageType, optional);
    else note(listing.note);
    key = given;
  } else if (!interactive) {
    throw new ArtikeyError('invalid-option', missingRepository(tool, packageType, instance.name, listing));
  } else {
    key = await askForRepository(listing, instance.name, packageType, optional, io);
  }
  if (key === null) return nothing;
  const settled: ConfigureOptions = optional ? { ...options, repo: undefined, mirror: key } : { ...options, repo: key };
  if (given === undefined) {
    const spec = targetSpec(tool, instance, settled, environment);
    io.stderr.write(`${tool} will use ${writtenUrl(spec) ?? key}, written to ${spec.path}\n`);
  }
  const chosen = key;
  return { options: settled, remember: () => artikey.rememberRepository(instance.id, tool, chosen) };
}

function requireListed(given: string, repositories: Repository[], name: string, packageType: string, optional: boolean): void {
  if (repositories.some((r) => r.key === given)) return;
  const near = suggestRepositories(given, repositories);
  const flag = optional ? '--mirror' : '--repo';
  const guess = near.length > 0 ? ` Did you mean ${near.map((k) => `${flag} ${k}`).join(' or ')}?` : '';
  const known = repositories.length > 0 ? ` ${name} has: ${repositories.map(label).join(', ')}.` : ` You may read no ${packageType} repository on ${name}.`;
  throw new ArtikeyError('invalid-option', `"${given}" is not among the ${packageType} repositories you may read on ${name}.${guess}${known}`);
}

function missingRepository(tool: Tool, packageType: string, name: string, listing: RepositoryListing): string {
  const needs = `${tool} needs --repo <${packageType} repository>`;
  if (listing.status === 'cannot-list') return `${needs}. ${listing.note}`;
  if (listing.repositories.length === 0) return `${needs}, and you may read no ${packageType} repository on ${name}; pass the key your admin gave you.`;
  const first = listing.repositories.find((r) => r.key === listing.remembered) ?? listing.repositories[0];
  return `${needs}; the ${packageType} repositories of ${name}: ${listing.repositories.map(label).join(', ')}. Pass one, e.g. --repo ${first?.key ?? ''}`;
}

const label = (r: Repository): string => `${r.key} (${r.rclass})`;

/** A numbered choice on the terminal (Enter takes the default), or the key typed where there is no list. Null: no mirror. */
async function askForRepository(listing: RepositoryListing, name: string, packageType: string, optional: boolean, io: CliIo): Promise<string | null> {
  const out = (text: string): void => void io.stderr.write(`${text}\n`);
  const repositories = listing.status === 'listed' ? listing.repositories : [];
  if (listing.status === 'cannot-list') out(`note: ${listing.note}`);
  else if (repositories.length === 0) out(`note: you may read no ${packageType} repository on ${name}; type the key your admin gave you.`);
  if (repositories.length === 0) {
    for (;;) {
      const typed = (await ask(`${packageType} repository key${optional ? ' (Enter for none)' : ''}: `, io.stdin, io.stderr)).trim();
      if (typed === '' && optional) return null;
      if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(typed)) return typed;
      out(typed === '' ? 'A repository key is needed.' : `"${typed}" is not a repository key.`);
    }
  }
  const width = Math.max(...repositories.map((r) => r.key.length));
  out(`${optional ? 'Mirror every Maven repository through one of' : `The ${packageType} repositories of`} ${name}:`);
  if (optional) out(`  0) none: credentials only, for the repositories your builds name`);
  repositories.forEach((r, index) => out(`  ${index + 1}) ${r.key.padEnd(width)}  ${r.rclass.padEnd(9)}${r.description ? ` ${r.description}` : ''}`.trimEnd()));
  const preferred = Math.max(0, repositories.findIndex((r) => r.key === listing.remembered));
  const fallback = optional && listing.remembered === null ? 0 : preferred + 1;
  for (;;) {
    const answer = (await ask(`Repository [${fallback}]: `, io.stdin, io.stderr)).trim();
    const number = answer === '' ? fallback : /^\d+$/.test(answer) ? Number(answer) : Number.NaN;
    if (optional && number === 0) return null;
    const picked = Number.isNaN(number) ? repositories.find((r) => r.key === answer) : repositories[number - 1];
    if (picked) return picked.key;
    const near = suggestRepositories(answer, repositories);
    out(`Choose a number from ${optional ? 0 : 1} to ${repositories.length}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}.`);
  }
}
