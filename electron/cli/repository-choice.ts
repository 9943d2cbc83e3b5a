import type { Artikey, Repository, RepositoryListing } from '../core/artikey.js';
import { ArtikeyError } from '../core/errors.js';
import type { Environment } from '../core/paths.js';
import { REPOSITORY_PACKAGE_TYPE, repositoryUsage, suggestRepositories, writtenUrl } from '../core/repositories.js';
import type { TargetSpec } from '../core/targets/target-record.js';
import { targetSpec, type ConfigureOptions, type Tool } from '../core/targets/tool-request.js';
import type { CliIo } from './cli-io.js';
import { ask } from './prompt.js';

/** The configure options with the repository settled, and what to do once the tool is configured. */
export interface RepositoryDecision {
  options: ConfigureOptions;
  /** The repository chosen (given, picked or typed); null when none is. */
  key: string | null;
  /**
   * Once the tool is configured: remembers the repository for the instance (the window and the
   * next question offer it first), or, for Docker and Gradle in a script without one, notes which
   * there are. After the write, so that a refused entry costs no request to the server.
   */
  afterConfigured(): Promise<void>;
}

/**
 * Tools whose entry is complete without a repository, and how the terminal offers one: Maven may
 * mirror through one (written); Docker and Gradle are told which to name in the image or the build
 * script (not written).
 */
const OPTIONAL: Partial<Record<Tool, { heading: string; none: string }>> = {
  maven: { heading: 'Mirror every Maven repository through one of', none: 'credentials only, for the repositories your builds name' },
  docker: { heading: 'Pull Docker images through one of the repositories of', none: 'the registry login only; name the repository in each image' },
  gradle: { heading: 'Resolve Gradle dependencies through one of the repositories of', none: 'the credentials only; your build names the repository' },
  podman: { heading: 'Pull images with Podman through one of the repositories of', none: 'the registry login only; name the repository in each image' },
  terraform: { heading: 'Resolve Terraform modules through one of the repositories of', none: "the host's token only; each module's source names the repository" },
  sbt: { heading: 'Resolve sbt dependencies through one of the repositories of', none: 'the credentials only; your build names the repository' },
};

/**
 * Settles which repository `configure` uses for tools that use one, from the instance's own list
 * (npm and pip need one; Maven's mirror, Docker's and Gradle's repository are optional):
 * - given (`--repo`, or `--mirror` for Maven) and listed: used; not listed: refused with the
 *   nearest keys ("did you mean");
 * - not given, on a terminal: a numbered choice, virtual first, then the URL it writes;
 * - not given, in a script: a usage error listing the keys to pass; for Docker and Gradle, whose
 *   entry is complete, a note listing them and how to name one where the tool is used.
 * Where the server will not list them (403, unreachable) a given key is taken as it is and a
 * terminal asks for one, each with a note; a script still has to pass one where one is needed.
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
  const nothing: RepositoryDecision = { options, key: null, afterConfigured: () => Promise.resolve() };
  if (packageType === null) return nothing;
  const optional = OPTIONAL[tool];
  const flag = tool === 'maven' ? '--mirror' : '--repo';
  const given = (tool === 'maven' ? options.mirror?.trim() || options.repo?.trim() : options.repo?.trim()) || undefined;
  const interactive = io.stdin.isTTY === true;
  // Maven without a mirror is a complete entry (credentials only): only a person is asked about one.
  if (given === undefined && tool === 'maven' && !interactive) return nothing;

  const note = (text: string): void => void io.stderr.write(`note: ${text}\n`);
  if (given === undefined && !interactive && optional) {
    const spec = targetSpec(tool, instance, options, environment);
    const listed = async (): Promise<void> => {
      // The entry is written by now: a listing that fails for another reason only leaves out the note.
      const listing = await artikey.repositories(instance.id, tool).catch(() => null);
      if (listing !== null) note(howToName(tool, packageType, instance.name, listing, spec));
    };
    return { ...nothing, afterConfigured: listed };
  }
  const listing = await artikey.repositories(instance.id, tool);
  let key: string | null;
  if (given !== undefined) {
    if (listing.status === 'listed') requireListed(given, listing.repositories, instance.name, packageType, flag);
    else note(listing.note);
    key = given;
  } else if (!interactive) {
    throw new ArtikeyError('invalid-option', missingRepository(tool, packageType, instance.name, listing));
  } else {
    key = await askForRepository(listing, instance.name, packageType, optional ?? null, io);
  }
  if (key === null) return nothing;
  const settled: ConfigureOptions = tool === 'maven' ? { ...options, repo: undefined, mirror: key } : { ...options, repo: key };
  const spec = targetSpec(tool, instance, settled, environment);
  const written = writtenUrl(spec);
  if (given === undefined && written !== null) io.stderr.write(`${tool} will use ${written}, written to ${spec.path}\n`);
  const chosen = key;
  return { options: settled, key, afterConfigured: () => artikey.rememberRepository(instance.id, tool, chosen) };
}

/** The note for a script that left out Docker's or Gradle's optional repository: which there are, and where one goes. */
function howToName(tool: Tool, packageType: string, name: string, listing: RepositoryListing, spec: TargetSpec): string {
  const form = repositoryUsage(spec, '<repository>')?.line ?? '';
  const image = tool === 'docker' || tool === 'podman';
  const where = image ? 'in the image' : tool === 'terraform' ? "in each module's source" : tool === 'sbt' ? 'in build.sbt' : 'in build.gradle';
  const does = image ? 'remembers it' : 'remembers it and prints the snippet';
  if (listing.status === 'cannot-list') return `${listing.reason}. Name the repository ${where}: ${form}; --repo <repository> ${does}.`;
  const checks = image ? 'checks it and' : 'checks it,';
  const known =
    listing.repositories.length === 0
      ? `you may read no ${packageType} repository on ${name}. Name the one your admin gave you`
      : `the ${packageType} repositories of ${name}: ${listing.repositories.map(label).join(', ')}. Name one`;
  return `${known} ${where}: ${form}; --repo <repository> ${checks} ${does}.`;
}

/**
 * What `configure` says about the repository chosen: for `--json` its key and, where the file does
 * not hold it, how to use it (Gradle's build files too); for people, Docker's pull and Gradle's
 * snippets (npm's, pip's and Maven's URL is in the entry's own line). Null when none was chosen.
 */
export function describeRepository(
  key: string | null,
  spec: TargetSpec,
): { json: { key: string; usage: string | null; snippets?: Record<string, string> }; text: string | null } | null {
  if (key === null) return null;
  const usage = repositoryUsage(spec, key);
  if (usage === null) return { json: { key, usage: null }, text: null };
  const snippets = usage.snippets.map(({ file, text }) => [file, text] as const);
  const indented = (text: string): string => text.replace(/^/gm, '  ');
  const text =
    snippets.length === 0
      ? `Pull through ${key}: ${usage.line}`
      : `Resolve through ${key}: ${snippets.map(([file, text]) => `in ${file}\n${indented(text)}`).join('\nor ')}`;
  return { json: { key, usage: usage.line, ...(snippets.length > 0 ? { snippets: Object.fromEntries(snippets) } : {}) }, text };
}

function requireListed(given: string, repositories: Repository[], name: string, packageType: string, flag: string): void {
  if (repositories.some((r) => r.key === given)) return;
  const near = suggestRepositories(given, repositories);
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
async function askForRepository(
  listing: RepositoryListing,
  name: string,
  packageType: string,
  optional: { heading: string; none: string } | null,
  io: CliIo,
): Promise<string | null> {
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
  out(`${optional ? optional.heading : `The ${packageType} repositories of`} ${name}:`);
  if (optional) out(`  0) none: ${optional.none}`);
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
